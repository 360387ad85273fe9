import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors.ts';
import type { Seat } from '../seats.ts';
import {
  applySessionAction,
  initialSessionState,
  parseSessionAction,
  sessionActionSchema,
  sessionView,
  type SessionAction,
  type SessionCommand,
  type SessionState
} from './sessionState.ts';
import { RECENT_OPS_KEPT } from './opIds.ts';
import { deepFreeze } from '../deepFreeze.ts';

const T0 = 1_700_000_000_000;
let ops = 0;
const opId = () => `op-${++ops}`;

type Payload = SessionCommand;

function act(state: SessionState, payload: Payload, actor: Seat, now = T0): SessionState {
  const r = applySessionAction(state, { ...payload, opId: opId() }, actor, now);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.state;
}

function expectRefused(state: SessionState, payload: Payload, actor: Seat, code: ErrorCode): void {
  const before = structuredClone(state);
  const r = applySessionAction(deepFreeze(state), { ...payload, opId: opId() }, actor, T0 + 5);
  expect(r).toMatchObject({ ok: false, code });
  expect(state).toEqual(before);
}

const counts = { promptsAnswered: 6, reflectionsLanded: 1, reflectionsTotal: 2, gamesPlayed: 0, parkedPromptIds: ['journey'] };

function toVibeCheck(state: SessionState): SessionState {
  return act(act(state, { type: 'day:propose' }, 'mentee'), { type: 'day:agree' }, 'mentor');
}

function close(state: SessionState, now = T0 + 3_600_000): SessionState {
  const s = act(toVibeCheck(state), { type: 'day:vibe', score: 4, note: 'lovely', summary: counts }, 'mentor');
  return act(s, { type: 'day:vibe', score: 3, summary: counts }, 'mentee', now);
}

function goalFree(state = initialSessionState(T0)): SessionState {
  const s = act(state, { type: 'veto:call' }, 'mentee');
  const id = s.veto.open!.id;
  return act(act(s, { type: 'veto:cast', voteId: id, ballot: 'veto' }, 'mentee'), { type: 'veto:cast', voteId: id, ballot: 'goals' }, 'mentor', T0 + 60_000);
}

describe('session state', () => {
  it('starts in goals mode, meeting 1 open, an empty agreement and no own prompts', () => {
    const s = initialSessionState(T0);
    expect(s.veto.mode).toBe('goals');
    expect(s.meeting).toMatchObject({ number: 1, startedAt: T0, phase: 'open', log: [] });
    expect(s.agreement.version).toBe(0);
    expect(s.customPrompts.prompts).toEqual([]);
  });

  it('routes every action type to its rule', () => {
    let s = goalFree();
    expect(s.veto.mode).toBe('goal-free');
    s = act(s, { type: 'prompts:add', id: 'own-1', text: 'First?' }, 'mentor');
    s = act(s, { type: 'prompts:add', id: 'own-2', text: 'Second?' }, 'mentee');
    s = act(s, { type: 'prompts:edit', id: 'own-1', text: 'First!' }, 'mentee');
    s = act(s, { type: 'prompts:move', id: 'own-2', to: 0 }, 'mentor');
    expect(s.customPrompts.prompts.map((p) => p.text)).toEqual(['Second?', 'First!']);
    s = act(s, { type: 'prompts:remove', id: 'own-2' }, 'mentor');
    s = act(s, { type: 'agreement:edit', field: 'meetings', value: 'Mondays' }, 'mentor');
    s = act(s, { type: 'agreement:sign', version: 1 }, 'mentee');
    s = act(s, { type: 'agreement:unsign' }, 'mentee');
    expect(s.agreement).toMatchObject({ version: 1, signatures: { mentor: null, mentee: null } });
    s = act(act(s, { type: 'day:propose' }, 'mentor'), { type: 'day:withdraw' }, 'mentor');
    s = act(act(s, { type: 'day:propose' }, 'mentor'), { type: 'day:notYet' }, 'mentee');
    expect(s.meeting.notYet?.by).toBe('mentee');
    s = close(s);
    s = act(s, { type: 'day:startNext' }, 'mentor', T0 + 7 * 86_400_000);
    expect(s.meeting).toMatchObject({ number: 2, phase: 'open', carriedOver: ['journey'] });
    s = act(s, { type: 'veto:call' }, 'mentor');
    s = act(s, { type: 'veto:cancel', voteId: s.veto.open!.id }, 'mentor');
    expect(s.veto.open).toBeNull();
  });

  it('[SESS1] a seat’s view never carries the partner’s hidden ballot or vibe', () => {
    let s = act(initialSessionState(T0), { type: 'veto:call' }, 'mentor');
    s = act(s, { type: 'veto:cast', voteId: 1, ballot: 'veto' }, 'mentor');
    s = act(toVibeCheck(s), { type: 'day:vibe', score: 2, note: 'a private thought', summary: counts }, 'mentor');
    const mentee = sessionView(s, 'mentee');
    expect(mentee.veto.open).toMatchObject({ yourBallot: null, partnerHasVoted: true });
    expect(mentee.meeting.vibe).toEqual({ yours: null, partnerHasGiven: true, partner: null });
    const wire = JSON.stringify(mentee);
    expect(wire).not.toContain('a private thought');
    expect(wire).not.toContain(':"veto"');
    expect(wire).not.toContain('recentOps');
    expect(sessionView(s, 'mentor').veto.open?.yourBallot).toBe('veto');
  });

  it('[SESS2] any retried action is a no-op success, not a refusal or a second effect', () => {
    const once = (state: SessionState, action: SessionAction, actor: Seat) => {
      const first = applySessionAction(state, action, actor, T0);
      if (!first.ok) throw new Error(first.message);
      const again = applySessionAction(deepFreeze(first.state), action, actor, T0 + 1);
      expect(again).toEqual({ ok: true, state: first.state, duplicate: true });
      return first.state;
    };
    let s = once(initialSessionState(T0), { type: 'day:propose', opId: 'p' }, 'mentor');
    s = once(s, { type: 'prompts:add', opId: 'a', id: 'own-1', text: 'Hi?' }, 'mentor');
    s = once(s, { type: 'agreement:edit', opId: 'e', field: 'meetings', value: 'Mon' }, 'mentee');
    s = once(s, { type: 'veto:call', opId: 'v' }, 'mentee');
    s = once(s, { type: 'veto:cast', opId: 'c', voteId: 1, ballot: 'goals' }, 'mentee');
    s = once(s, { type: 'day:agree', opId: 'g' }, 'mentee');
    s = once(s, { type: 'day:vibe', opId: 'b', score: 5, summary: counts }, 'mentee');
    expect(s.meeting.vibes.mentee?.score).toBe(5);
    expect(applySessionAction(s, { type: 'day:propose', opId: '' }, 'mentor', T0)).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('[SESS3] the meeting log says whether the veto was used, from the board’s own record', () => {
    const withVeto = close(goalFree());
    expect(withVeto.meeting.log[0]!.summary).toEqual({ ...counts, vetoUsed: true });
    const without = close(initialSessionState(T0));
    expect(without.meeting.log[0]!.summary.vetoUsed).toBe(false);
    // A veto in an earlier meeting does not count for the next one.
    const next = close(act(withVeto, { type: 'day:startNext' }, 'mentee', T0 + 86_400_000), T0 + 90_000_000);
    expect(next.meeting.log[1]!.summary.vetoUsed).toBe(false);
  });

  it('[VETO8] when the meeting ends, goals come back for both and an open vote is dropped', () => {
    let s = goalFree();
    s = act(s, { type: 'veto:call' }, 'mentor');
    const r = applySessionAction(
      act(toVibeCheck(s), { type: 'day:vibe', score: 4, summary: counts }, 'mentor'),
      { type: 'day:vibe', opId: opId(), score: 4, summary: counts },
      'mentee',
      T0 + 9
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.closedMeeting?.number).toBe(1);
    expect(r.state.veto.mode).toBe('goals');
    expect(r.state.veto.open).toBeNull();
    expect(r.state.veto.history).toHaveLength(1);
    expect(sessionView(r.state, 'mentee').veto.mode).toBe('goals');
  });

  it('[SESS4] the state survives JSON (a restart) mid-vote and mid-vibe-check and keeps working', () => {
    let s = act(initialSessionState(T0), { type: 'agreement:edit', field: 'wont-do', value: 'No weekend pings' }, 'mentee');
    s = act(s, { type: 'veto:call' }, 'mentee');
    s = act(s, { type: 'veto:cast', voteId: 1, ballot: 'veto' }, 'mentor');
    const proposed = applySessionAction(s, { type: 'day:propose', opId: 'propose-before-restart' }, 'mentor', T0);
    if (!proposed.ok) throw new Error(proposed.message);
    s = proposed.state;
    const restored = JSON.parse(JSON.stringify(s)) as SessionState;
    expect(restored).toEqual(s);

    let r = act(restored, { type: 'veto:cast', voteId: 1, ballot: 'goals' }, 'mentee');
    expect(r.veto.mode).toBe('goal-free');
    r = act(r, { type: 'day:agree' }, 'mentee');
    r = act(r, { type: 'day:vibe', score: 2, summary: counts }, 'mentor');
    const again = JSON.parse(JSON.stringify(r)) as SessionState;
    expect(sessionView(again, 'mentee').meeting.vibe.partner).toBeNull();
    r = act(again, { type: 'day:vibe', score: 3, summary: counts }, 'mentee');
    expect(r.meeting.phase).toBe('closed');
    expect(r.meeting.log[0]).toMatchObject({ vibe: { mentor: 2, mentee: 3 }, summary: { vetoUsed: true } });
    // Remembered ops survive too: a retry from before the restart is still a no-op.
    const retried = applySessionAction(JSON.parse(JSON.stringify(s)), { type: 'day:propose', opId: 'propose-before-restart' }, 'mentor', T0);
    expect(retried).toMatchObject({ ok: true, duplicate: true });
  });

  it('[SESS5] no veto votes once the meeting has closed', () => {
    const closed = close(initialSessionState(T0));
    expectRefused(closed, { type: 'veto:call' }, 'mentor', 'WrongPhase');
    expectRefused(closed, { type: 'veto:cast', voteId: 1, ballot: 'veto' }, 'mentee', 'WrongPhase');
    expectRefused(closed, { type: 'veto:cancel', voteId: 1 }, 'mentee', 'WrongPhase');
  });

  it('illegal actions of every kind are refused through the dispatcher and change nothing', () => {
    const s = act(initialSessionState(T0), { type: 'veto:call' }, 'mentor');
    expectRefused(s, { type: 'veto:call' }, 'mentee', 'WrongPhase');
    expectRefused(s, { type: 'veto:cancel', voteId: 1 }, 'mentee', 'Forbidden');
    expectRefused(s, { type: 'day:agree' }, 'mentee', 'WrongPhase');
    expectRefused(s, { type: 'day:vibe', score: 3, summary: counts }, 'mentee', 'WrongPhase');
    expectRefused(s, { type: 'day:startNext' }, 'mentee', 'WrongPhase');
    expectRefused(s, { type: 'agreement:sign', version: 0 }, 'mentee', 'BadRequest');
    expectRefused(s, { type: 'agreement:unsign' }, 'mentee', 'AlreadyDone');
    expectRefused(s, { type: 'prompts:remove', id: 'own-x' }, 'mentee', 'NotFound');
    expectRefused(s, { type: 'nope' } as unknown as Payload, 'mentee', 'BadRequest');
  });

  it('[AGR2] the dispatcher passes on that an edit cleared the signatures', () => {
    let s = act(initialSessionState(T0), { type: 'agreement:edit', field: 'meetings', value: 'Mon' }, 'mentor');
    s = act(s, { type: 'agreement:sign', version: 1 }, 'mentor');
    const r = applySessionAction(s, { type: 'agreement:edit', opId: opId(), field: 'meetings', value: 'Tue' }, 'mentee', T0);
    expect(r).toMatchObject({ ok: true, clearedSignatures: true });
    const plain = applySessionAction(initialSessionState(T0), { type: 'agreement:edit', opId: opId(), field: 'meetings', value: 'Tue' }, 'mentee', T0);
    expect(plain.ok && 'clearedSignatures' in plain).toBe(false);
  });

  it('[VETO5] the dispatcher hands back the resolved vote for the reveal', () => {
    const s = act(act(initialSessionState(T0), { type: 'veto:call' }, 'mentor'), { type: 'veto:cast', voteId: 1, ballot: 'goals' }, 'mentor');
    const r = applySessionAction(s, { type: 'veto:cast', opId: opId(), voteId: 1, ballot: 'goals' }, 'mentee', T0);
    expect(r.ok && r.resolvedVote).toMatchObject({ ballots: { mentor: 'goals', mentee: 'goals' }, outcome: 'goals' });
  });
});

describe('session action schema', () => {
  it('accepts every action type', () => {
    const samples: SessionAction[] = [
      { type: 'veto:call', opId: 'a' },
      { type: 'veto:cast', opId: 'a', voteId: 1, ballot: 'veto' },
      { type: 'veto:cancel', opId: 'a', voteId: 1 },
      { type: 'day:propose', opId: 'a' },
      { type: 'day:agree', opId: 'a' },
      { type: 'day:notYet', opId: 'a' },
      { type: 'day:withdraw', opId: 'a' },
      { type: 'day:vibe', opId: 'a', score: 5, note: 'x', summary: counts },
      { type: 'day:startNext', opId: 'a' },
      { type: 'agreement:edit', opId: 'a', field: 'confidentiality', value: '' },
      { type: 'agreement:sign', opId: 'a', version: 0 },
      { type: 'agreement:unsign', opId: 'a' },
      { type: 'prompts:add', opId: 'a', id: 'own-1', text: 'x' },
      { type: 'prompts:edit', opId: 'a', id: 'own-1', text: 'x' },
      { type: 'prompts:move', opId: 'a', id: 'own-1', to: 0 },
      { type: 'prompts:remove', opId: 'a', id: 'own-1' }
    ];
    for (const sample of samples) expect(parseSessionAction(sample)).toEqual({ ok: true, action: sample });
  });

  it('refuses malformed payloads with BadRequest', () => {
    const bad: unknown[] = [
      null,
      'veto:call',
      { type: 'veto:steal', opId: 'a' },
      { type: 'veto:call' },
      { type: 'veto:call', opId: '' },
      { type: 'veto:cast', opId: 'a', voteId: 1, ballot: 'maybe' },
      { type: 'veto:cast', opId: 'a', voteId: 0, ballot: 'veto' },
      { type: 'day:vibe', opId: 'a', score: 6, summary: counts },
      { type: 'day:vibe', opId: 'a', score: 3 },
      { type: 'day:vibe', opId: 'a', score: 3, summary: { ...counts, gamesPlayed: -1 } },
      { type: 'agreement:edit', opId: 'a', field: 'salary', value: 'x' },
      { type: 'agreement:sign', opId: 'a' },
      { type: 'prompts:move', opId: 'a', id: 'own-1', to: 0.5 }
    ];
    for (const raw of bad) {
      const r = parseSessionAction(raw);
      expect(r).toMatchObject({ ok: false, code: 'BadRequest' });
      expect(r.ok || r.message.length > 0).toBe(true);
    }
  });

  it('[VETO6] a payload cannot choose the actor or claim vetoUsed: such keys are dropped', () => {
    const parsed = sessionActionSchema.parse({ type: 'veto:cast', opId: 'a', voteId: 1, ballot: 'veto', seat: 'mentee', actor: 'mentee' });
    expect(parsed).toEqual({ type: 'veto:cast', opId: 'a', voteId: 1, ballot: 'veto' });
    const s = act(initialSessionState(T0), { type: 'veto:call' }, 'mentee');
    const r = applySessionAction(s, parsed, 'mentor', T0);
    expect(r.ok && r.state.veto.open?.ballots).toEqual({ mentor: 'veto', mentee: null });
    const vibe = sessionActionSchema.parse({ type: 'day:vibe', opId: 'a', score: 3, summary: { ...counts, vetoUsed: true } });
    expect(vibe.type === 'day:vibe' && vibe.summary).toEqual(counts);
  });

  it("[VETO9] the same veto op applied twice is a no-op success; the partner's same id is theirs", () => {
    const open = act(initialSessionState(T0), { type: 'veto:call' }, 'mentor');
    const cast: SessionAction = { type: 'veto:cast', opId: 'retry-me', voteId: 1, ballot: 'veto' };
    const once = applySessionAction(open, cast, 'mentee', T0);
    if (!once.ok) throw new Error(once.message);
    const twice = applySessionAction(deepFreeze(once.state), cast, 'mentee', T0 + 1);
    expect(twice).toEqual({ ok: true, state: once.state, duplicate: true });
    const partner = applySessionAction(once.state, { ...cast, ballot: 'goals' }, 'mentor', T0 + 2);
    expect(partner.ok && partner.state.veto.mode).toBe('goal-free');
  });

  it('[VETO9] a refused op is not remembered, so a corrected retry still counts', () => {
    const cast: SessionAction = { type: 'veto:cast', opId: 'x', voteId: 1, ballot: 'veto' };
    const s = initialSessionState(T0);
    expect(applySessionAction(s, cast, 'mentor', T0)).toMatchObject({ ok: false, code: 'WrongPhase' });
    const open = act(s, { type: 'veto:call' }, 'mentee');
    const r = applySessionAction(open, cast, 'mentor', T0);
    expect(r.ok && r.state.veto.open?.ballots.mentor).toBe('veto');
  });

  it('[OPID1] the remembered ops are bounded and stored once, in the session state only', () => {
    let s = initialSessionState(T0);
    for (let i = 0; i < RECENT_OPS_KEPT + 10; i++) {
      s = act(s, { type: 'veto:call' }, 'mentor');
      s = act(s, { type: 'veto:cancel', voteId: s.veto.open!.id }, 'mentor');
    }
    expect(s.recentOps).toHaveLength(RECENT_OPS_KEPT);
    expect(JSON.stringify(s.veto)).not.toContain('op-');
  });

  it('[OPID1] an action without a usable op id is refused', () => {
    const s = initialSessionState(T0);
    expect(applySessionAction(s, { type: 'day:propose', opId: '' }, 'mentor', T0)).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(applySessionAction(s, { type: 'day:propose', opId: 'x'.repeat(65) }, 'mentor', T0)).toMatchObject({ ok: false, code: 'BadRequest' });
  });

  it('[SESS6] the wire schema follows the action table: every type parses, an unknown type does not', () => {
    expect(parseSessionAction({ type: 'day:propose', opId: 'a' })).toMatchObject({ ok: true });
    expect(parseSessionAction({ type: 'prompts:remove', opId: 'a', id: 'own-1' })).toMatchObject({ ok: true });
    expect(parseSessionAction({ type: 'day:proposee', opId: 'a' })).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(parseSessionAction({ type: 'veto:cast', opId: 'a', voteId: 1, ballot: 'maybe' })).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(applySessionAction(initialSessionState(T0), { type: 'toString', opId: 'a' } as unknown as SessionAction, 'mentor', T0)).toMatchObject({
      ok: false,
      code: 'BadRequest'
    });
  });
});
