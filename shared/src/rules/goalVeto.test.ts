import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors.ts';
import type { Seat } from '../seats.ts';
import {
  applyVetoAction,
  endMeetingVeto,
  initialVetoState,
  vetoUsedSince,
  vetoView,
  voteOutcome,
  type VetoAction,
  type VetoBallot,
  type VetoState
} from './goalVeto.ts';
import { deepFreeze } from '../deepFreeze.ts';

const T0 = 1_700_000_000_000;

function apply(state: VetoState, action: VetoAction, actor: Seat, now = T0): VetoState {
  const r = applyVetoAction(state, action, actor, now);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.state;
}

/** Every illegal action is refused with its code and leaves the state exactly as it was. */
function expectRefused(state: VetoState, action: VetoAction, actor: Seat, code: ErrorCode): void {
  const before = structuredClone(state);
  const r = applyVetoAction(deepFreeze(state), action, actor, T0 + 5);
  expect(r).toMatchObject({ ok: false, code });
  expect(r.ok || r.message.length > 0).toBe(true);
  expect(state).toEqual(before);
}

function called(by: Seat = 'mentor', state = initialVetoState()): VetoState {
  return apply(state, { type: 'call' }, by);
}

function voteId(state: VetoState): number {
  if (!state.open) throw new Error('no open vote');
  return state.open.id;
}

function cast(state: VetoState, seat: Seat, ballot: VetoBallot, now = T0): VetoState {
  return apply(state, { type: 'cast', voteId: voteId(state), ballot }, seat, now);
}

function resolve(state: VetoState, mentor: VetoBallot, mentee: VetoBallot, by: Seat = 'mentor'): VetoState {
  return cast(cast(called(by, state), 'mentor', mentor), 'mentee', mentee, T0 + 1000);
}

describe('goal veto', () => {
  it('[VETO1] either partner calls a vote; its question follows the mode', () => {
    for (const seat of ['mentor', 'mentee'] as const) {
      const s = called(seat);
      expect(s.open).toEqual({
        id: 1,
        question: 'go-goal-free',
        calledBy: seat,
        calledAt: T0,
        ballots: { mentor: null, mentee: null }
      });
      expect(vetoView(s, 'mentee').open?.questionText).toBe('Make this meeting goal-free?');
    }
    const goalFree = resolve(initialVetoState(), 'veto', 'goals');
    const again = called('mentee', goalFree);
    expect(again.open?.question).toBe('bring-goals-back');
    expect(again.open?.id).toBe(2);
    expect(vetoView(again, 'mentor').open?.questionText).toBe('Bring goals back?');
  });

  it('[VETO1] a second vote cannot be called while one is open, by either partner', () => {
    const s = called('mentor');
    expectRefused(s, { type: 'call' }, 'mentor', 'WrongPhase');
    expectRefused(s, { type: 'call' }, 'mentee', 'WrongPhase');
  });

  it('[VETO2] each seat votes once; a second vote is refused and changes nothing', () => {
    const s = cast(called(), 'mentee', 'goals');
    expectRefused(s, { type: 'cast', voteId: voteId(s), ballot: 'goals' }, 'mentee', 'AlreadyDone');
    expectRefused(s, { type: 'cast', voteId: voteId(s), ballot: 'veto' }, 'mentee', 'AlreadyDone');
  });

  it('[VETO3] one veto is enough: the board goes goal-free for both', () => {
    for (const [mentor, mentee] of [
      ['veto', 'goals'],
      ['goals', 'veto'],
      ['veto', 'veto']
    ] as const) {
      const s = resolve(initialVetoState(), mentor, mentee);
      expect(s.mode).toBe('goal-free');
      expect(s.open).toBeNull();
      expect(vetoView(s, 'mentor').mode).toBe('goal-free');
      expect(vetoView(s, 'mentee').mode).toBe('goal-free');
    }
  });

  it('[VETO3] when both ask for goals, goals stay', () => {
    expect(resolve(initialVetoState(), 'goals', 'goals').mode).toBe('goals');
  });

  it('[VETO4] goals come back only when both vote for them', () => {
    const goalFree = resolve(initialVetoState(), 'veto', 'veto');
    expect(resolve(goalFree, 'goals', 'veto').mode).toBe('goal-free');
    expect(resolve(goalFree, 'veto', 'goals').mode).toBe('goal-free');
    expect(resolve(goalFree, 'veto', 'veto').mode).toBe('goal-free');
    expect(resolve(goalFree, 'goals', 'goals', 'mentee').mode).toBe('goals');
    expect(voteOutcome({ mentor: 'goals', mentee: 'goals' })).toBe('goals');
  });

  it('[VETO5] a vote stays hidden from the partner until both have voted, even a deciding veto', () => {
    const s = cast(called('mentee'), 'mentor', 'veto');
    // One veto already decides the outcome, but nothing changes until the partner has voted too.
    expect(s.mode).toBe('goals');
    expect(vetoView(s, 'mentor').open).toMatchObject({ yourBallot: 'veto', partnerHasVoted: false });
    const menteeSees = vetoView(s, 'mentee');
    expect(menteeSees).toEqual({
      mode: 'goals',
      history: [],
      open: {
        id: 1,
        question: 'go-goal-free',
        questionText: 'Make this meeting goal-free?',
        calledBy: 'mentee',
        calledAt: T0,
        yourBallot: null,
        partnerHasVoted: true
      }
    });
    expect(JSON.stringify(menteeSees)).not.toContain('veto');
  });

  it('[VETO5] both ballots are revealed to both at once when the second lands', () => {
    const s = cast(called(), 'mentee', 'goals');
    const r = applyVetoAction(s, { type: 'cast', voteId: voteId(s), ballot: 'veto' }, 'mentor', T0 + 9);
    expect(r.ok && r.resolved).toEqual({
      id: 1,
      question: 'go-goal-free',
      calledBy: 'mentor',
      calledAt: T0,
      ballots: { mentor: 'veto', mentee: 'goals' },
      outcome: 'goal-free',
      at: T0 + 9
    });
    if (!r.ok) throw new Error();
    for (const seat of ['mentor', 'mentee'] as const) {
      expect(vetoView(r.state, seat).open).toBeNull();
      expect(vetoView(r.state, seat).history).toEqual([r.resolved]);
    }
  });

  it('[VETO6] a vote always counts for the acting seat, never the other', () => {
    const s = cast(called(), 'mentor', 'veto');
    expect(s.open?.ballots).toEqual({ mentor: 'veto', mentee: null });
    // A forged field naming the other seat is not part of the action and changes nothing.
    const forged = { type: 'cast', voteId: 1, ballot: 'goals', seat: 'mentee' } as VetoAction;
    expectRefused(s, forged, 'mentor', 'AlreadyDone');
  });

  it('[VETO6] nobody votes when no vote is open, on a stale vote, or with a made-up ballot', () => {
    const none = initialVetoState();
    expectRefused(none, { type: 'cast', voteId: 1, ballot: 'veto' }, 'mentor', 'WrongPhase');
    const resolved = resolve(none, 'goals', 'goals');
    expectRefused(resolved, { type: 'cast', voteId: 1, ballot: 'veto' }, 'mentee', 'WrongPhase');
    const second = called('mentee', resolved);
    expectRefused(second, { type: 'cast', voteId: 1, ballot: 'veto' }, 'mentee', 'WrongPhase');
    const bad = { type: 'cast', voteId: 2, ballot: 'maybe' } as unknown as VetoAction;
    expectRefused(second, bad, 'mentee', 'BadRequest');
    expectRefused(second, { type: 'nope' } as unknown as VetoAction, 'mentee', 'BadRequest');
  });

  it('[VETO7] the caller may cancel an open vote; nothing is recorded', () => {
    const s = cast(called('mentee'), 'mentor', 'veto');
    const after = apply(s, { type: 'cancel', voteId: 1 }, 'mentee');
    expect(after.open).toBeNull();
    expect(after.mode).toBe('goals');
    expect(after.history).toEqual([]);
    expect(called('mentor', after).open?.id).toBe(2);
  });

  it('[VETO7] only the caller cancels, only an open vote, only the vote they mean', () => {
    const s = called('mentee');
    expectRefused(s, { type: 'cancel', voteId: 1 }, 'mentor', 'Forbidden');
    expectRefused(s, { type: 'cancel', voteId: 7 }, 'mentee', 'WrongPhase');
    expectRefused(initialVetoState(), { type: 'cancel', voteId: 1 }, 'mentee', 'WrongPhase');
    const resolved = resolve(initialVetoState(), 'veto', 'goals', 'mentee');
    expectRefused(resolved, { type: 'cancel', voteId: 1 }, 'mentee', 'WrongPhase');
  });

  it('[VETO8] the end of a meeting brings goals back, drops an open vote and keeps the history', () => {
    const goalFree = resolve(initialVetoState(), 'veto', 'goals');
    const voting = called('mentor', goalFree);
    const ended = endMeetingVeto(deepFreeze(voting));
    expect(ended.mode).toBe('goals');
    expect(ended.open).toBeNull();
    expect(ended.history).toEqual(goalFree.history);
    expect(called('mentee', ended).open?.question).toBe('go-goal-free');
  });

  it('[VETO10] the history keeps who called, both votes, the outcome and when', () => {
    let s = resolve(initialVetoState(), 'veto', 'goals', 'mentee');
    s = resolve(s, 'goals', 'goals', 'mentor');
    expect(s.history.map((v) => [v.calledBy, v.question, v.ballots, v.outcome, v.at])).toEqual([
      ['mentee', 'go-goal-free', { mentor: 'veto', mentee: 'goals' }, 'goal-free', T0 + 1000],
      ['mentor', 'bring-goals-back', { mentor: 'goals', mentee: 'goals' }, 'goals', T0 + 1000]
    ]);
    expect(vetoUsedSince(s, T0)).toBe(true);
    expect(vetoUsedSince(s, T0 + 1001)).toBe(false);
    expect(vetoUsedSince(resolve(initialVetoState(), 'goals', 'goals'), T0)).toBe(false);
  });
});
