import { describe, expect, it } from 'vitest';
import { CHARTER_PROMPTS } from '../content/charterPrompts.ts';
import type { ErrorCode } from '../errors.ts';
import { FIRST_SESSION_QUESTIONS } from '../questions.ts';
import type { Seat } from '../seats.ts';
import {
  applyPromptAction,
  initialCustomPrompts,
  normalisePromptText,
  OWN_PROMPT_ID,
  OWN_PROMPTS_MAX,
  type CustomPromptsState,
  type PromptAction
} from './customPrompts.ts';
import { deepFreeze } from '../deepFreeze.ts';

const T0 = 1_700_000_000_000;

function apply(state: CustomPromptsState, action: PromptAction, actor: Seat = 'mentee', now = T0): CustomPromptsState {
  const r = applyPromptAction(state, action, actor, now);
  if (!r.ok) throw new Error(`${r.code}: ${r.message}`);
  return r.state;
}

function expectRefused(state: CustomPromptsState, action: PromptAction, code: ErrorCode, actor: Seat = 'mentor'): void {
  const before = structuredClone(state);
  const r = applyPromptAction(deepFreeze(state), action, actor, T0 + 5);
  expect(r).toMatchObject({ ok: false, code });
  expect(r.ok || r.message.length > 0).toBe(true);
  expect(state).toEqual(before);
}

/** A list holding own-a, own-b, own-c, … in that order. */
function list(n: number): CustomPromptsState {
  let s = initialCustomPrompts();
  for (let i = 0; i < n; i++) s = apply(s, { type: 'add', id: `own-${String.fromCharCode(97 + (i % 26))}${i >= 26 ? i : ''}`, text: `Prompt ${i}` });
  return s;
}
const ids = (s: CustomPromptsState) => s.prompts.map((p) => p.id);

describe('own prompts', () => {
  it('[OWN1] text is trimmed and 1 to 280 characters', () => {
    expect(normalisePromptText('  What made you laugh this week?  ')).toEqual({ ok: true, text: 'What made you laugh this week?' });
    expect(normalisePromptText('🙂'.repeat(280))).toMatchObject({ ok: true });
    for (const bad of ['', '   \n\t', 'x'.repeat(281), 42 as unknown as string])
      expect(normalisePromptText(bad)).toMatchObject({ ok: false, code: 'BadRequest' });
    expectRefused(initialCustomPrompts(), { type: 'add', id: 'own-x', text: '  ' }, 'BadRequest');
    expectRefused(list(1), { type: 'edit', id: 'own-a', text: 'x'.repeat(281) }, 'BadRequest');
  });

  it('[OWN2] either partner adds a prompt with the id the caller made; who and when are kept', () => {
    const s = apply(
      apply(initialCustomPrompts(), { type: 'add', id: 'own-1', text: ' Best bug ever? ' }, 'mentor', T0 + 1),
      { type: 'add', id: 'own-2', text: 'Worst?' },
      'mentee',
      T0 + 2
    );
    expect(s.prompts).toEqual([
      { id: 'own-1', text: 'Best bug ever?', addedBy: 'mentor', addedAt: T0 + 1 },
      { id: 'own-2', text: 'Worst?', addedBy: 'mentee', addedAt: T0 + 2 }
    ]);
  });

  it('[OWN2] ids start with own-, are never reused and never name a built-in prompt', () => {
    for (const id of [
      '',
      'abc',
      'own-',
      'own-has space',
      `own-${'x'.repeat(61)}`,
      ...FIRST_SESSION_QUESTIONS.map((q) => q.id),
      ...CHARTER_PROMPTS.map((p) => p.id)
    ])
      expectRefused(initialCustomPrompts(), { type: 'add', id, text: 'Hi?' }, 'BadRequest');
    expectRefused(list(2), { type: 'add', id: 'own-a', text: 'Again' }, 'AlreadyDone');
    expect(OWN_PROMPT_ID.test(`own-${'x'.repeat(60)}`)).toBe(true);
  });

  it(`[OWN3] at most ${OWN_PROMPTS_MAX} prompts`, () => {
    const full = list(OWN_PROMPTS_MAX);
    expect(full.prompts).toHaveLength(30);
    expectRefused(full, { type: 'add', id: 'own-one-more', text: 'One more?' }, 'BadRequest');
    expect(apply(apply(full, { type: 'remove', id: 'own-a' }), { type: 'add', id: 'own-new', text: 'Now?' }).prompts).toHaveLength(30);
  });

  it('[OWN4] either partner edits any prompt; the same text again changes nothing', () => {
    const s = list(2);
    const edited = apply(s, { type: 'edit', id: 'own-b', text: ' New words ' }, 'mentor');
    expect(edited.prompts[1]).toEqual({ ...s.prompts[1], text: 'New words' });
    expect(edited.prompts[0]).toBe(s.prompts[0]);
    const same = applyPromptAction(deepFreeze(edited), { type: 'edit', id: 'own-b', text: 'New words  ' }, 'mentee', T0);
    expect(same).toEqual({ ok: true, state: edited });
  });

  it('[OWN5] a prompt moves to any index; the others keep their order', () => {
    const s = list(4);
    expect(ids(apply(s, { type: 'move', id: 'own-a', to: 3 }))).toEqual(['own-b', 'own-c', 'own-d', 'own-a']);
    expect(ids(apply(s, { type: 'move', id: 'own-d', to: 0 }))).toEqual(['own-d', 'own-a', 'own-b', 'own-c']);
    expect(ids(apply(s, { type: 'move', id: 'own-b', to: 2 }))).toEqual(['own-a', 'own-c', 'own-b', 'own-d']);
    expect(ids(apply(s, { type: 'move', id: 'own-c', to: 1 }))).toEqual(['own-a', 'own-c', 'own-b', 'own-d']);
    expect(applyPromptAction(s, { type: 'move', id: 'own-c', to: 2 }, 'mentor', T0)).toEqual({ ok: true, state: s });
  });

  it('[OWN5] a move outside the list is refused', () => {
    const s = list(3);
    for (const to of [-1, 3, 1.5, Number.NaN]) expectRefused(s, { type: 'move', id: 'own-a', to }, 'BadRequest');
  });

  it('[OWN6] a prompt is removed by either partner', () => {
    const s = apply(list(3), { type: 'remove', id: 'own-b' }, 'mentor');
    expect(ids(s)).toEqual(['own-a', 'own-c']);
  });

  it('[OWN6] editing, moving or removing a prompt that is not there is NotFound', () => {
    const s = list(2);
    expectRefused(s, { type: 'edit', id: 'own-z', text: 'x' }, 'NotFound');
    expectRefused(s, { type: 'move', id: 'own-z', to: 0 }, 'NotFound');
    expectRefused(s, { type: 'remove', id: 'own-z' }, 'NotFound');
    expectRefused(initialCustomPrompts(), { type: 'remove', id: 'own-a' }, 'NotFound');
    expectRefused(s, { type: 'shuffle' } as unknown as PromptAction, 'BadRequest');
  });
});
