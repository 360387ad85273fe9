import { fail, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import type { Seat } from '../seats.ts';

/**
 * The pair's own prompts ("What ideas do you have?"): an ordered list either partner edits.
 * SPEC.md: OWN*.
 */
export const OWN_PROMPTS_MAX = 30;
/**
 * [OWN2] Ids are made by the caller (so a retried add is recognisable) and start with `own-`, so an
 * own prompt can never share a name, and thus an answer text, with a built-in prompt.
 */
export const OWN_PROMPT_ID = /^own-[A-Za-z0-9_-]{1,60}$/;

export type OwnPrompt = { id: string; text: string; addedBy: Seat; addedAt: number };
export type CustomPromptsState = { prompts: OwnPrompt[] };

export type PromptAction =
  | { type: 'add'; id: string; text: string }
  | { type: 'edit'; id: string; text: string }
  | { type: 'move'; id: string; to: number }
  | { type: 'remove'; id: string };

export type PromptResult = Result<{ state: CustomPromptsState }>;

export function initialCustomPrompts(): CustomPromptsState {
  return { prompts: [] };
}

/** [OWN1] Text is trimmed and 1 to 280 characters. */
export function normalisePromptText(raw: string): Result<{ text: string }> {
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text.length === 0) return fail('BadRequest', 'A prompt needs some words.');
  if ([...text].length > LIMITS.shortTextMax) return fail('BadRequest', `A prompt can be at most ${LIMITS.shortTextMax} characters.`);
  return { ok: true, text };
}

export function applyPromptAction(state: CustomPromptsState, action: PromptAction, actor: Seat, now: number): PromptResult {
  switch (action.type) {
    case 'add':
      return add(state, action.id, action.text, actor, now);
    case 'edit':
      return edit(state, action.id, action.text);
    case 'move':
      return move(state, action.id, action.to);
    case 'remove':
      if (indexOf(state, action.id) < 0) return notFound();
      return { ok: true, state: { prompts: state.prompts.filter((p) => p.id !== action.id) } };
    default:
      return fail('BadRequest', 'Unknown prompt action.');
  }
}

/** [OWN3] Added at the end, at most 30 in all; [OWN2] a used id is refused. */
function add(state: CustomPromptsState, id: string, raw: string, actor: Seat, now: number): PromptResult {
  if (typeof id !== 'string' || !OWN_PROMPT_ID.test(id)) return fail('BadRequest', 'That is not a prompt id.');
  if (indexOf(state, id) >= 0) return fail('AlreadyDone', 'That prompt is already on the list.');
  if (state.prompts.length >= OWN_PROMPTS_MAX) return fail('BadRequest', `You can keep up to ${OWN_PROMPTS_MAX} prompts of your own; remove one first.`);
  const text = normalisePromptText(raw);
  if (!text.ok) return text;
  return { ok: true, state: { prompts: [...state.prompts, { id, text: text.text, addedBy: actor, addedAt: now }] } };
}

/** [OWN4] Either partner edits any prompt; the same text again is a no-op. */
function edit(state: CustomPromptsState, id: string, raw: string): PromptResult {
  const at = indexOf(state, id);
  if (at < 0) return notFound();
  const text = normalisePromptText(raw);
  if (!text.ok) return text;
  if (state.prompts[at]!.text === text.text) return { ok: true, state };
  return { ok: true, state: { prompts: state.prompts.map((p, i) => (i === at ? { ...p, text: text.text } : p)) } };
}

/** [OWN5] Move a prompt to an index of the list as it is now; the others keep their order. */
function move(state: CustomPromptsState, id: string, to: number): PromptResult {
  const from = indexOf(state, id);
  if (from < 0) return notFound();
  if (!Number.isInteger(to) || to < 0 || to >= state.prompts.length)
    return fail('BadRequest', `Prompts can move to a place from 0 to ${state.prompts.length - 1}.`);
  if (from === to) return { ok: true, state };
  const rest = state.prompts.filter((_, i) => i !== from);
  return { ok: true, state: { prompts: [...rest.slice(0, to), state.prompts[from]!, ...rest.slice(to)] } };
}

function indexOf(state: CustomPromptsState, id: string): number {
  return state.prompts.findIndex((p) => p.id === id);
}

/** [OWN6] Editing, moving or removing a prompt that is gone is NotFound. */
function notFound(): PromptResult {
  return fail('NotFound', 'That prompt is no longer on the list.');
}
