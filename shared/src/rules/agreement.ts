import { AGREEMENT_FIELD_IDS, isAgreementFieldId, type AgreementFieldId } from '../content/agreementFields.ts';
import { fail, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import { SEATS, type Seat } from '../seats.ts';

/**
 * The mentoring agreement (the-mentoring-plan.md): plain-text fields both partners edit, and a
 * signature per seat. A signature is for the exact text the signer saw, so any change to the text
 * clears both. SPEC.md: AGR*.
 */
export type Signature = { at: number };

export type AgreementState = {
  fields: Record<AgreementFieldId, string>;
  signatures: Record<Seat, Signature | null>;
  /** Bumped by every edit that changes a value; a signature must quote it [AGR4]. */
  version: number;
};

export type AgreementAction = { type: 'edit'; field: string; value: string } | { type: 'sign'; version: number } | { type: 'unsign' };

export type AgreementResult = Result<{ state: AgreementState; clearedSignatures: boolean }>;

export function initialAgreementState(): AgreementState {
  const fields = Object.fromEntries(AGREEMENT_FIELD_IDS.map((id) => [id, ''])) as Record<AgreementFieldId, string>;
  return { fields, signatures: { mentor: null, mentee: null }, version: 0 };
}

/** Both partners have signed the current text. */
export function isAgreed(state: AgreementState): boolean {
  return SEATS.every((seat) => state.signatures[seat] !== null);
}

export function isEmptyAgreement(state: AgreementState): boolean {
  return AGREEMENT_FIELD_IDS.every((id) => state.fields[id].trim() === '');
}

export function applyAgreementAction(state: AgreementState, action: AgreementAction, actor: Seat, now: number): AgreementResult {
  switch (action.type) {
    case 'edit':
      return edit(state, action.field, action.value);
    case 'sign':
      return sign(state, action.version, actor, now);
    case 'unsign':
      if (state.signatures[actor] === null) return fail('AlreadyDone', 'You have not signed the agreement.');
      return { ok: true, clearedSignatures: false, state: { ...state, signatures: { ...state.signatures, [actor]: null } } };
    default:
      return fail('BadRequest', 'Unknown agreement action.');
  }
}

/**
 * [AGR1] Either partner edits any field; [AGR2] a change clears both signatures and says so;
 * [AGR3] writing the value that is already there changes nothing, signatures included.
 */
function edit(state: AgreementState, field: string, value: string): AgreementResult {
  if (!isAgreementFieldId(field)) return fail('BadRequest', 'The agreement has no such field.');
  if (typeof value !== 'string') return fail('BadRequest', 'An agreement field holds text.');
  if ([...value].length > LIMITS.answerMax) return fail('BadRequest', `An agreement field can be at most ${LIMITS.answerMax} characters.`);
  if (state.fields[field] === value) return { ok: true, state, clearedSignatures: false };

  const wasSigned = SEATS.some((seat) => state.signatures[seat] !== null);
  return {
    ok: true,
    clearedSignatures: wasSigned,
    state: {
      fields: { ...state.fields, [field]: value },
      signatures: { mentor: null, mentee: null },
      version: state.version + 1
    }
  };
}

/** [AGR4] A signature quotes the version it was read at; [AGR5] an empty agreement can't be signed. */
function sign(state: AgreementState, version: number, actor: Seat, now: number): AgreementResult {
  if (state.signatures[actor] !== null) return fail('AlreadyDone', 'You have already signed this agreement.');
  if (version !== state.version) return fail('WrongPhase', 'The agreement changed since you read it. Please read it again before signing.');
  if (isEmptyAgreement(state)) return fail('BadRequest', 'There is nothing to sign yet: write down at least one thing you agree on.');
  return { ok: true, clearedSignatures: false, state: { ...state, signatures: { ...state.signatures, [actor]: { at: now } } } };
}
