import { describe, expect, it } from 'vitest';
import type { ErrorCode } from '../errors.ts';
import type { Seat } from '../seats.ts';
import { applyDayAction, firstMeetingAt, initialMeetingState, meetingView, type DayAction, type MeetingState, type MeetingSummary } from './callItADay.ts';
import { deepFreeze } from '../deepFreeze.ts';

const T0 = 1_700_000_000_000;
const HOUR = 3_600_000;

const summary: MeetingSummary = {
  promptsAnswered: 4,
  reflectionsLanded: 2,
  reflectionsTotal: 3,
  gamesPlayed: 1,
  vetoUsed: false,
  parkedPromptIds: ['journey', 'own-abc']
};

function apply(state: MeetingState, action: DayAction, actor: Seat, now = T0): MeetingState {
  const r = applyDayAction(state, action, actor, now);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.state;
}

function expectRefused(state: MeetingState, action: DayAction, actor: Seat, code: ErrorCode): void {
  const before = structuredClone(state);
  const r = applyDayAction(deepFreeze(state), action, actor, T0 + 5);
  expect(r).toMatchObject({ ok: false, code });
  expect(r.ok || r.message.length > 0).toBe(true);
  expect(state).toEqual(before);
}

const vibe = (score: number, note?: string, s: MeetingSummary = summary): DayAction => ({
  type: 'vibe',
  score,
  note,
  summary: s
});

const open = () => initialMeetingState(T0);
const proposed = (by: Seat = 'mentor') => apply(open(), { type: 'propose' }, by, T0 + HOUR);
const vibeCheck = () => apply(proposed('mentor'), { type: 'agree' }, 'mentee', T0 + HOUR);
const closed = (mentor = 4, mentee = 5) => apply(apply(vibeCheck(), vibe(mentor, 'good'), 'mentor', T0 + HOUR), vibe(mentee), 'mentee', T0 + 2 * HOUR);

const ALL: DayAction[] = [{ type: 'propose' }, { type: 'agree' }, { type: 'notYet' }, { type: 'withdraw' }, vibe(3), { type: 'startNext' }];

describe('call it a day', () => {
  it('[DAY1] either partner may suggest calling it a day; who and when are kept', () => {
    for (const seat of ['mentor', 'mentee'] as const) {
      const s = apply(open(), { type: 'propose' }, seat, T0 + 7);
      expect(s.phase).toBe('proposed');
      expect(s.proposal).toEqual({ by: seat, at: T0 + 7 });
    }
  });

  it('[DAY1] a proposal cannot be made twice, nor over the partner’s', () => {
    expectRefused(proposed('mentor'), { type: 'propose' }, 'mentor', 'AlreadyDone');
    expectRefused(proposed('mentor'), { type: 'propose' }, 'mentee', 'WrongPhase');
    expectRefused(vibeCheck(), { type: 'propose' }, 'mentee', 'WrongPhase');
    expectRefused(closed(), { type: 'propose' }, 'mentor', 'WrongPhase');
  });

  it('[DAY2] the proposer cannot answer their own proposal', () => {
    expectRefused(proposed('mentee'), { type: 'agree' }, 'mentee', 'NotYourTurn');
    expectRefused(proposed('mentee'), { type: 'notYet' }, 'mentee', 'NotYourTurn');
  });

  it('[DAY2] there is nothing to answer without a proposal', () => {
    for (const state of [open(), vibeCheck(), closed()]) {
      expectRefused(state, { type: 'agree' }, 'mentee', 'WrongPhase');
      expectRefused(state, { type: 'notYet' }, 'mentor', 'WrongPhase');
    }
  });

  it('[DAY3] the other partner agrees and the vibe check begins', () => {
    const s = vibeCheck();
    expect(s.phase).toBe('vibe-check');
    expect(s.proposal).toBeNull();
    expect(s.vibes).toEqual({ mentor: null, mentee: null });
  });

  it('[DAY4] "not yet" reopens the meeting and leaves a notice both can see', () => {
    const s = apply(proposed('mentee'), { type: 'notYet' }, 'mentor', T0 + 2 * HOUR);
    expect(s.phase).toBe('open');
    expect(s.proposal).toBeNull();
    expect(s.notYet).toEqual({ by: 'mentor', at: T0 + 2 * HOUR });
    expect(meetingView(s, 'mentee').notYet).toEqual(s.notYet);
    expect(meetingView(s, 'mentor').notYet).toEqual(s.notYet);
    // The next proposal clears the old answer.
    expect(apply(s, { type: 'propose' }, 'mentee').notYet).toBeNull();
  });

  it('[DAY5] the proposer may withdraw; nobody else can', () => {
    const s = apply(proposed('mentor'), { type: 'withdraw' }, 'mentor');
    expect(s.phase).toBe('open');
    expect(s.proposal).toBeNull();
    expect(s.notYet).toBeNull();
    expectRefused(proposed('mentor'), { type: 'withdraw' }, 'mentee', 'Forbidden');
    for (const state of [open(), vibeCheck(), closed()]) expectRefused(state, { type: 'withdraw' }, 'mentor', 'WrongPhase');
  });

  it('[DAY6] each seat gives one vibe score from 1 to 5, with an optional short note', () => {
    const s = apply(vibeCheck(), vibe(1, '  tired but happy  '), 'mentee', T0 + 3);
    expect(s.vibes.mentee).toEqual({ score: 1, note: 'tired but happy', at: T0 + 3 });
    expect(s.phase).toBe('vibe-check');
    expect(apply(vibeCheck(), vibe(5), 'mentor').vibes.mentor?.note).toBe('');
    expect(apply(vibeCheck(), vibe(5, '🙂'.repeat(280)), 'mentor').vibes.mentor?.score).toBe(5);
    expectRefused(s, vibe(3), 'mentee', 'AlreadyDone');
  });

  it('[DAY6] a bad score, a long note or a bad summary is refused', () => {
    const s = vibeCheck();
    for (const score of [0, 6, 2.5, Number.NaN, -1]) expectRefused(s, vibe(score), 'mentor', 'BadRequest');
    expectRefused(s, vibe('4' as unknown as number), 'mentor', 'BadRequest');
    expectRefused(s, vibe(4, 'x'.repeat(281)), 'mentor', 'BadRequest');
    const bad: Partial<MeetingSummary>[] = [
      { promptsAnswered: -1 },
      { gamesPlayed: 1.5 },
      { reflectionsLanded: 4, reflectionsTotal: 3 },
      { vetoUsed: 'yes' as unknown as boolean },
      { parkedPromptIds: [''] },
      { parkedPromptIds: Array.from({ length: 101 }, (_, i) => `p${i}`) },
      { parkedPromptIds: 'journey' as unknown as string[] }
    ];
    for (const b of bad) expectRefused(s, vibe(4, '', { ...summary, ...b }), 'mentor', 'BadRequest');
  });

  it('[DAY6] no vibe outside the vibe check', () => {
    for (const state of [open(), proposed(), closed()]) expectRefused(state, vibe(3), 'mentor', 'WrongPhase');
  });

  it('[DAY7] the second vibe closes the meeting and logs it with the summary', () => {
    const r = applyDayAction(
      apply(vibeCheck(), vibe(4, 'good'), 'mentor'),
      vibe(2, 'meh', { ...summary, parkedPromptIds: ['a', 'a', 'b'] }),
      'mentee',
      T0 + 2 * HOUR
    );
    if (!r.ok) throw new Error(r.message);
    expect(r.state.phase).toBe('closed');
    const entry = {
      number: 1,
      startedAt: T0,
      endedAt: T0 + 2 * HOUR,
      vibe: { mentor: 4, mentee: 2 },
      notes: { mentor: 'good', mentee: 'meh' },
      summary: { ...summary, parkedPromptIds: ['a', 'b'] }
    };
    expect(r.closed).toEqual(entry);
    expect(r.state.log).toEqual([entry]);
  });

  it('[DAY8] the partner’s vibe stays hidden until both are in', () => {
    const s = apply(vibeCheck(), vibe(2, 'secret'), 'mentor');
    expect(meetingView(s, 'mentor').vibe).toEqual({ yours: s.vibes.mentor, partnerHasGiven: false, partner: null });
    const menteeSees = meetingView(s, 'mentee');
    expect(menteeSees.vibe).toEqual({ yours: null, partnerHasGiven: true, partner: null });
    expect(JSON.stringify(menteeSees)).not.toContain('secret');
    expect(menteeSees).not.toHaveProperty('vibes');

    const done = closed(3, 4);
    expect(meetingView(done, 'mentee').vibe.partner?.score).toBe(3);
    expect(meetingView(done, 'mentor').vibe.partner?.score).toBe(4);
  });

  it('[DAY9] either partner starts the next meeting once closed, with parked prompts carried over', () => {
    for (const seat of ['mentor', 'mentee'] as const) {
      const s = apply(closed(), { type: 'startNext' }, seat, T0 + 168 * HOUR);
      expect(s).toEqual({
        number: 2,
        startedAt: T0 + 168 * HOUR,
        phase: 'open',
        proposal: null,
        notYet: null,
        vibes: { mentor: null, mentee: null },
        carriedOver: ['journey', 'own-abc'],
        log: closed().log
      });
    }
  });

  it('[DAY9] the next meeting starts only from a closed one', () => {
    for (const state of [open(), proposed(), vibeCheck()]) expectRefused(state, { type: 'startNext' }, 'mentee', 'WrongPhase');
    const next = apply(closed(), { type: 'startNext' }, 'mentor');
    expectRefused(next, { type: 'startNext' }, 'mentee', 'WrongPhase');
  });

  it('[DAY10] nothing is allowed in a phase that does not take it', () => {
    const allowed: Record<MeetingState['phase'], DayAction['type'][]> = {
      open: ['propose'],
      proposed: ['agree', 'notYet', 'withdraw'],
      'vibe-check': ['vibe'],
      closed: ['startNext']
    };
    const states = { open: open(), proposed: proposed('mentee'), 'vibe-check': vibeCheck(), closed: closed() };
    for (const [phase, state] of Object.entries(states) as [MeetingState['phase'], MeetingState][]) {
      for (const action of ALL) {
        if (allowed[phase].includes(action.type)) continue;
        expectRefused(state, action, 'mentor', 'WrongPhase');
      }
    }
    expectRefused(open(), { type: 'dance' } as unknown as DayAction, 'mentor', 'BadRequest');
  });

  it('[DAY9] meetings are numbered on and the log keeps every one, oldest first', () => {
    let s = closed(5, 5);
    for (let n = 2; n <= 4; n++) {
      s = apply(s, { type: 'startNext' }, 'mentee', T0 + n * 100 * HOUR);
      s = apply(s, { type: 'propose' }, 'mentee');
      s = apply(s, { type: 'agree' }, 'mentor');
      s = apply(s, vibe(n), 'mentor');
      s = apply(s, vibe(n, '', { ...summary, parkedPromptIds: [] }), 'mentee', T0 + n * 100 * HOUR + 1);
    }
    expect(s.log.map((e) => [e.number, e.vibe.mentor])).toEqual([
      [1, 5],
      [2, 2],
      [3, 3],
      [4, 4]
    ]);
    expect(firstMeetingAt(s)).toBe(T0);
    expect(apply(s, { type: 'startNext' }, 'mentor').carriedOver).toEqual([]);
    expect(firstMeetingAt(open())).toBe(T0);
  });
});
