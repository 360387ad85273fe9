import { describe, expect, it } from 'vitest';
import { AGREEMENT_FIELD_IDS } from '../content/agreementFields.ts';
import type { ErrorCode } from '../errors.ts';
import type { Seat } from '../seats.ts';
import { applyAgreementAction, initialAgreementState, isAgreed, isEmptyAgreement, type AgreementAction, type AgreementState } from './agreement.ts';
import { deepFreeze } from '../deepFreeze.ts';

const T0 = 1_700_000_000_000;

function apply(state: AgreementState, action: AgreementAction, actor: Seat, now = T0): AgreementState {
  const r = applyAgreementAction(state, action, actor, now);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.state;
}

function expectRefused(state: AgreementState, action: AgreementAction, actor: Seat, code: ErrorCode): string {
  const before = structuredClone(state);
  const r = applyAgreementAction(deepFreeze(state), action, actor, T0 + 5);
  expect(r).toMatchObject({ ok: false, code });
  expect(state).toEqual(before);
  return r.ok ? '' : r.message;
}

const written = () => apply(initialAgreementState(), { type: 'edit', field: 'meetings', value: 'Tuesdays 4pm, Zoom' }, 'mentee');
const signedBy = (seats: Seat[], state = written()) => seats.reduce((s, seat) => apply(s, { type: 'sign', version: s.version }, seat, T0 + 10), state);

describe('mentoring agreement', () => {
  it('[AGR1] starts with every field empty, unsigned, at version 0', () => {
    const s = initialAgreementState();
    expect(Object.keys(s.fields)).toEqual([...AGREEMENT_FIELD_IDS]);
    expect(Object.values(s.fields).every((v) => v === '')).toBe(true);
    expect(s.signatures).toEqual({ mentor: null, mentee: null });
    expect(s.version).toBe(0);
    expect(isEmptyAgreement(s)).toBe(true);
  });

  it('[AGR1] either partner edits any field, and each change bumps the version', () => {
    let s = initialAgreementState();
    AGREEMENT_FIELD_IDS.forEach((field, i) => {
      s = apply(s, { type: 'edit', field, value: `text ${i}` }, i % 2 ? 'mentor' : 'mentee');
    });
    expect(s.version).toBe(AGREEMENT_FIELD_IDS.length);
    expect(s.fields['wont-do']).toBe(`text ${AGREEMENT_FIELD_IDS.length - 1}`);
    // Text is kept as typed, spaces included; emptying a field is an edit like any other.
    expect(apply(s, { type: 'edit', field: 'cancellation', value: ' 24 h notice ' }, 'mentor').fields.cancellation).toBe(' 24 h notice ');
    expect(apply(s, { type: 'edit', field: 'cancellation', value: '' }, 'mentor').fields.cancellation).toBe('');
  });

  it('[AGR1] an unknown field, a non-text value or more than 2000 characters is refused', () => {
    const s = written();
    expectRefused(s, { type: 'edit', field: 'salary', value: 'x' }, 'mentor', 'BadRequest');
    expectRefused(s, { type: 'edit', field: '__proto__', value: 'x' }, 'mentor', 'BadRequest');
    expectRefused(s, { type: 'edit', field: 'meetings', value: 42 as unknown as string }, 'mentor', 'BadRequest');
    expectRefused(s, { type: 'edit', field: 'meetings', value: 'x'.repeat(2001) }, 'mentor', 'BadRequest');
    expect(apply(s, { type: 'edit', field: 'meetings', value: '🙂'.repeat(2000) }, 'mentor').version).toBe(2);
    expectRefused(s, { type: 'shred' } as unknown as AgreementAction, 'mentor', 'BadRequest');
  });

  it('[AGR2] any change after a signature clears both signatures, and says so', () => {
    for (const signers of [['mentor'], ['mentee'], ['mentor', 'mentee']] as Seat[][]) {
      const s = signedBy(signers);
      const r = applyAgreementAction(s, { type: 'edit', field: 'confidentiality', value: 'Stays here.' }, 'mentor', T0);
      expect(r).toMatchObject({ ok: true, clearedSignatures: true });
      expect(r.ok && r.state.signatures).toEqual({ mentor: null, mentee: null });
      expect(r.ok && r.state.version).toBe(s.version + 1);
    }
    const unsigned = applyAgreementAction(written(), { type: 'edit', field: 'meetings', value: 'Fridays' }, 'mentor', T0);
    expect(unsigned).toMatchObject({ ok: true, clearedSignatures: false });
  });

  it('[AGR3] writing the value already there changes nothing, signatures included', () => {
    const s = signedBy(['mentor', 'mentee']);
    const r = applyAgreementAction(deepFreeze(s), { type: 'edit', field: 'meetings', value: 'Tuesdays 4pm, Zoom' }, 'mentee', T0);
    expect(r).toEqual({ ok: true, state: s, clearedSignatures: false });
    expect(isAgreed(s)).toBe(true);
  });

  it('[AGR4] a partner signs the version they read; both signatures make it agreed', () => {
    const one = signedBy(['mentee']);
    expect(one.signatures).toEqual({ mentor: null, mentee: { at: T0 + 10 } });
    expect(isAgreed(one)).toBe(false);
    const both = signedBy(['mentor'], one);
    expect(isAgreed(both)).toBe(true);
    expect(both.version).toBe(one.version);
  });

  it('[AGR4] signing a version one has not seen is refused', () => {
    const s = written();
    const message = expectRefused(s, { type: 'sign', version: s.version - 1 }, 'mentor', 'WrongPhase');
    expect(message).toMatch(/changed since you read it/);
    expectRefused(s, { type: 'sign', version: s.version + 1 }, 'mentor', 'WrongPhase');
  });

  it('[AGR4] a partner cannot sign twice', () => {
    const s = signedBy(['mentor']);
    expectRefused(s, { type: 'sign', version: s.version }, 'mentor', 'AlreadyDone');
  });

  it('[AGR5] an empty agreement cannot be signed', () => {
    const s = initialAgreementState();
    const message = expectRefused(s, { type: 'sign', version: 0 }, 'mentor', 'BadRequest');
    expect(message).toMatch(/nothing to sign/);
    const blank = apply(s, { type: 'edit', field: 'wont-do', value: '   \n ' }, 'mentor');
    expect(isEmptyAgreement(blank)).toBe(true);
    expectRefused(blank, { type: 'sign', version: blank.version }, 'mentee', 'BadRequest');
  });

  it('[AGR6] a partner takes back only their own signature', () => {
    const both = signedBy(['mentor', 'mentee']);
    const r = applyAgreementAction(both, { type: 'unsign' }, 'mentee', T0);
    expect(r).toMatchObject({ ok: true, clearedSignatures: false });
    expect(r.ok && r.state.signatures).toEqual({ mentor: { at: T0 + 10 }, mentee: null });
    expect(r.ok && r.state.version).toBe(both.version);
    expectRefused(written(), { type: 'unsign' }, 'mentor', 'AlreadyDone');
    expectRefused(signedBy(['mentee']), { type: 'unsign' }, 'mentor', 'AlreadyDone');
  });
});
