import { describe, expect, it } from 'vitest';
import { FIRST_SESSION_QUESTIONS } from '../questions.ts';
import { CHARTER_PROMPTS } from '../content/charterPrompts.ts';
import type { Seat } from '../seats.ts';
import { initialCustomPrompts, type CustomPromptsState } from './customPrompts.ts';
import {
  answerLines,
  applyRevealAction,
  commonGround,
  initialRevealState,
  REVEAL_PROMPTS_MAX,
  revealView,
  type RevealAction,
  type RevealState
} from './revealTogether.ts';
import { applySessionAction, initialSessionState, sessionView, type SessionAction, type SessionCommand } from './sessionState.ts';

const none = initialCustomPrompts();
const withOwn: CustomPromptsState = { prompts: [{ id: 'own-hobby', text: 'Best hobby?', addedBy: 'mentee', addedAt: 1 }] };

/** Applies actions in turn, failing the test on the first refusal. */
function run(steps: Array<[Seat, RevealAction]>, state: RevealState = initialRevealState(), prompts = none): RevealState {
  let now = 100;
  for (const [actor, action] of steps) {
    const r = applyRevealAction(state, action, actor, now++, prompts);
    if (!r.ok) throw new Error(`${actor} ${action.type}: ${r.code} ${r.message}`);
    state = r.state;
  }
  return state;
}
const refusal = (state: RevealState, actor: Seat, action: RevealAction, prompts = none) => {
  const r = applyRevealAction(state, action, actor, 999, prompts);
  return r.ok ? 'ok' : r.code;
};

const P = 'why-tech';
const switched = () => run([['mentor', { type: 'switch', promptId: P }]]);
const bothWrote = () =>
  run(
    [
      ['mentor', { type: 'draft', promptId: P, text: 'Left teaching for tech\nLove long walks' }],
      ['mentee', { type: 'draft', promptId: P, text: 'A game I loved\nlove long walks too' }]
    ],
    switched()
  );
const revealed = () =>
  run(
    [
      ['mentor', { type: 'ready', promptId: P }],
      ['mentee', { type: 'ready', promptId: P }]
    ],
    bothWrote()
  );

describe('reveal together', () => {
  it('[REV1] either partner switches any first-session, charter or own prompt, once', () => {
    for (const id of [FIRST_SESSION_QUESTIONS[0]!.id, CHARTER_PROMPTS[0]!.id, 'own-hobby'])
      for (const seat of ['mentor', 'mentee'] as const) {
        const s = run([[seat, { type: 'switch', promptId: id }]], initialRevealState(), withOwn);
        expect(s.prompts).toEqual([expect.objectContaining({ promptId: id, switchedBy: seat, revealedAt: null })]);
        expect(refusal(s, seat, { type: 'switch', promptId: id }, withOwn)).toBe('AlreadyDone');
      }
    expect(refusal(initialRevealState(), 'mentor', { type: 'switch', promptId: 'own-gone' }, withOwn)).toBe('NotFound');
    expect(refusal(initialRevealState(), 'mentor', { type: 'switch', promptId: 'nonsense' })).toBe('NotFound');
  });

  it('[REV1] at most REVEAL_PROMPTS_MAX prompts', () => {
    const many: CustomPromptsState = {
      prompts: Array.from({ length: REVEAL_PROMPTS_MAX + 1 }, (_, i) => ({ id: `own-${i}`, text: 'q', addedBy: 'mentor' as const, addedAt: 0 }))
    };
    let s = initialRevealState();
    for (let i = 0; i < REVEAL_PROMPTS_MAX; i++) s = run([['mentor', { type: 'switch', promptId: `own-${i}` }]], s, many);
    expect(refusal(s, 'mentor', { type: 'switch', promptId: `own-${REVEAL_PROMPTS_MAX}` }, many)).toBe('BadRequest');
  });

  it('[REV2] either partner switches back while nothing is written and nobody is ready; not after', () => {
    expect(run([['mentee', { type: 'switchOff', promptId: P }]], switched()).prompts).toEqual([]);
    const spaces = run([['mentee', { type: 'draft', promptId: P, text: '   ' }]], switched());
    expect(refusal(spaces, 'mentor', { type: 'switchOff', promptId: P })).toBe('ok');
    const written = run([['mentee', { type: 'draft', promptId: P, text: 'secret' }]], switched());
    expect(refusal(written, 'mentor', { type: 'switchOff', promptId: P })).toBe('WrongPhase');
    expect(refusal(written, 'mentee', { type: 'switchOff', promptId: P })).toBe('WrongPhase');
    expect(refusal(revealed(), 'mentor', { type: 'switchOff', promptId: P })).toBe('WrongPhase');
    expect(refusal(initialRevealState(), 'mentor', { type: 'switchOff', promptId: P })).toBe('NotFound');
  });

  it('[REV3] each seat writes only its own draft, up to the answer limit, until it pressed reveal', () => {
    const s = run([['mentee', { type: 'draft', promptId: P, text: 'mine' }]], switched());
    expect(s.prompts[0]!.drafts.mentee).toMatchObject({ text: 'mine', readyAt: null });
    expect(s.prompts[0]!.drafts.mentor.text).toBe('');
    expect(refusal(s, 'mentee', { type: 'draft', promptId: P, text: 'x'.repeat(2001) })).toBe('BadRequest');
    expect(refusal(s, 'mentee', { type: 'draft', promptId: P, text: 'x'.repeat(2000) })).toBe('ok');
    const same = applyRevealAction(s, { type: 'draft', promptId: P, text: 'mine' }, 'mentee', 5000, none);
    expect(same.ok && same.state).toBe(s);
    const ready = run([['mentee', { type: 'ready', promptId: P }]], s);
    expect(refusal(ready, 'mentee', { type: 'draft', promptId: P, text: 'changed' })).toBe('WrongPhase');
    expect(refusal(ready, 'mentor', { type: 'draft', promptId: P, text: 'still free' })).toBe('ok');
    expect(refusal(initialRevealState(), 'mentee', { type: 'draft', promptId: P, text: 'x' })).toBe('NotFound');
  });

  it('[REV4] reveal is a handshake: the first press waits, the second reveals both at once', () => {
    const first = run([['mentor', { type: 'ready', promptId: P }]], bothWrote());
    expect(first.prompts[0]!.revealedAt).toBeNull();
    expect(refusal(first, 'mentor', { type: 'ready', promptId: P })).toBe('AlreadyDone');
    const both = revealed();
    expect(both.prompts[0]!.revealedAt).not.toBeNull();
    expect(refusal(both, 'mentee', { type: 'ready', promptId: P })).toBe('AlreadyDone');
  });

  it('[REV4] a blank draft cannot be revealed; "ready" can be taken back before the reveal only', () => {
    expect(refusal(switched(), 'mentor', { type: 'ready', promptId: P })).toBe('BadRequest');
    const first = run([['mentor', { type: 'ready', promptId: P }]], bothWrote());
    const back = run([['mentor', { type: 'unready', promptId: P }]], first);
    expect(back.prompts[0]!.drafts.mentor.readyAt).toBeNull();
    expect(refusal(back, 'mentor', { type: 'unready', promptId: P })).toBe('AlreadyDone');
    expect(refusal(revealed(), 'mentor', { type: 'unready', promptId: P })).toBe('WrongPhase');
  });

  it('[REV5] before the reveal a seat sees its own draft and only whether the partner writes or is ready', () => {
    const s = run([['mentor', { type: 'ready', promptId: P }]], bothWrote());
    const ben = revealView(s, 'mentee').prompts[0]!;
    expect(ben.mine).toMatchObject({ text: 'A game I loved\nlove long walks too', ready: false });
    expect(ben.partner).toEqual({ status: 'ready', text: null });
    expect(JSON.stringify(revealView(s, 'mentee'))).not.toContain('teaching');
    expect(JSON.stringify(revealView(s, 'mentor'))).not.toContain('game I loved');
    expect(revealView(s, 'mentor').prompts[0]!.partner).toEqual({ status: 'writing', text: null });
    expect(revealView(switched(), 'mentor').prompts[0]!.partner).toEqual({ status: 'empty', text: null });
  });

  it('[REV5, SESS1] the session view carries the same: no partner draft in any seat view before the reveal', () => {
    let state = initialSessionState(0);
    let n = 0;
    const act = (actor: Seat, a: SessionCommand) => {
      const r = applySessionAction(state, { ...a, opId: `op${n++}` } as SessionAction, actor, n);
      if (!r.ok) throw new Error(r.message);
      state = r.state;
    };
    act('mentor', { type: 'reveal:switch', promptId: P });
    act('mentor', { type: 'reveal:draft', promptId: P, text: 'CANARY-mentor' });
    act('mentee', { type: 'reveal:draft', promptId: P, text: 'CANARY-mentee' });
    act('mentor', { type: 'reveal:ready', promptId: P });
    expect(JSON.stringify(sessionView(state, 'mentee'))).not.toContain('CANARY-mentor');
    expect(JSON.stringify(sessionView(state, 'mentor'))).not.toContain('CANARY-mentee');
    act('mentee', { type: 'reveal:ready', promptId: P });
    expect(JSON.stringify(sessionView(state, 'mentee'))).toContain('CANARY-mentor');
    expect(JSON.stringify(sessionView(state, 'mentor'))).toContain('CANARY-mentee');
  });

  it('[REV6] after the reveal both see both answers', () => {
    const s = revealed();
    expect(revealView(s, 'mentee').prompts[0]!.partner).toEqual({ status: 'ready', text: 'Left teaching for tech\nLove long walks' });
    expect(revealView(s, 'mentor').prompts[0]!.partner.text).toBe('A game I loved\nlove long walks too');
  });

  it('[REV7] revealed answers are frozen', () => {
    expect(refusal(revealed(), 'mentor', { type: 'draft', promptId: P, text: 'rewrite' })).toBe('WrongPhase');
  });

  it('[REV8] "me too" marks a line of the partner\'s revealed answer, toggles, and nothing else', () => {
    expect(refusal(bothWrote(), 'mentee', { type: 'meToo', promptId: P, line: 'Love long walks', on: true })).toBe('WrongPhase');
    const s = run([['mentee', { type: 'meToo', promptId: P, line: '  Love long walks ', on: true }]], revealed());
    expect(s.prompts[0]!.meToo).toEqual({ mentee: ['Love long walks'], mentor: [] });
    const again = applyRevealAction(s, { type: 'meToo', promptId: P, line: 'Love long walks', on: true }, 'mentee', 1, none);
    expect(again.ok && again.state).toBe(s);
    expect(refusal(s, 'mentee', { type: 'meToo', promptId: P, line: 'A game I loved', on: true })).toBe('NotFound');
    expect(refusal(s, 'mentee', { type: 'meToo', promptId: P, line: 'Love long', on: true })).toBe('NotFound');
    expect(refusal(s, 'mentee', { type: 'meToo', promptId: P, line: '', on: true })).toBe('NotFound');
    const off = run([['mentee', { type: 'meToo', promptId: P, line: 'Love long walks', on: false }]], s);
    expect(off.prompts[0]!.meToo.mentee).toEqual([]);
  });

  it("[REV8] lines are the answer's non-blank lines, trimmed", () => {
    expect(answerLines(' a \n\n  \nb\r\n')).toEqual(['a', 'b']);
  });

  it('[REV9] the common ground collects every "me too", for both seats alike', () => {
    const s = run(
      [
        ['mentee', { type: 'meToo', promptId: P, line: 'Left teaching for tech', on: true }],
        ['mentor', { type: 'meToo', promptId: P, line: 'love long walks too', on: true }]
      ],
      revealed()
    );
    const forAna = commonGround(revealView(s, 'mentor'), 'mentor');
    const forBen = commonGround(revealView(s, 'mentee'), 'mentee');
    expect(forAna.map((l) => l.line)).toEqual(['love long walks too', 'Left teaching for tech']);
    expect(new Set(forBen.map((l) => `${l.line}|${l.writtenBy}|${l.markedBy}`))).toEqual(new Set(forAna.map((l) => `${l.line}|${l.writtenBy}|${l.markedBy}`)));
    expect(forAna[1]).toEqual({ promptId: P, line: 'Left teaching for tech', writtenBy: 'mentor', markedBy: 'mentee' });
    expect(commonGround(revealView(bothWrote(), 'mentor'), 'mentor')).toEqual([]);
  });

  it('[REV1] an unknown action is refused', () => {
    expect(refusal(switched(), 'mentor', { type: 'explode', promptId: P } as unknown as RevealAction)).toBe('BadRequest');
  });
});
