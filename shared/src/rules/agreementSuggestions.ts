import { isAgreementFieldId, type AgreementFieldId } from '../content/agreementFields.ts';
import { fail, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import type { Seat } from '../seats.ts';

/**
 * The agreement starts from what the pair already said: suggestions (derived on the page by
 * guidance/agreementSuggestions.ts) are only ever offered; the seat whose field it is accepts one
 * (its text is added to the field through the agreement's own edit rule) or ignores it, and this
 * rule remembers which, so nothing is filled in silently or offered twice. SPEC.md: SUGG*.
 */

/** [SUGG2] Who decides on a field's suggestions: a per-seat field is that seat's; the rest either's. */
export type FieldOwner = Seat | 'either';

export function fieldOwner(field: AgreementFieldId): FieldOwner {
  if (field.startsWith('mentor-')) return 'mentor';
  if (field.startsWith('mentee-')) return 'mentee';
  return 'either';
}

export function mayDecide(field: AgreementFieldId, seat: Seat): boolean {
  const owner = fieldOwner(field);
  return owner === 'either' || owner === seat;
}

/** A suggestion accepted or ignored: it is not offered again, whatever the field holds later. */
export type SettledSuggestion = { field: AgreementFieldId; key: string; by: Seat; at: number; outcome: 'accepted' | 'ignored' };
export type SuggestionsState = { settled: SettledSuggestion[] };

export const SETTLED_SUGGESTIONS_MAX = 200;
export const SUGGESTION_KEY = /^[a-z0-9:-]{1,120}$/;

export function initialSuggestionsState(): SuggestionsState {
  return { settled: [] };
}

export type SuggestionAction = { type: 'accept'; field: string; key: string; text: string } | { type: 'ignore'; field: string; key: string };

/**
 * [SUGG3][SUGG4] Judges a decision on a suggestion. An accepted one returns the field's new value
 * (the current text, then the suggestion on a line of its own) for the agreement's edit rule to
 * apply; the caller does that, so signatures are cleared exactly as for any other edit (AGR2).
 */
export function applySuggestionAction(
  state: SuggestionsState,
  action: SuggestionAction,
  actor: Seat,
  now: number,
  fields: Readonly<Record<AgreementFieldId, string>>
): Result<{ state: SuggestionsState; newValue?: { field: AgreementFieldId; value: string } }> {
  if (!isAgreementFieldId(action.field)) return fail('BadRequest', 'The agreement has no such field.');
  const field = action.field;
  if (typeof action.key !== 'string' || !SUGGESTION_KEY.test(action.key)) return fail('BadRequest', 'Not a suggestion.');
  if (!mayDecide(field, actor)) {
    const owner = fieldOwner(field);
    return fail('Forbidden', `This field is the ${owner}'s own: only they can take or ignore its suggestions.`);
  }
  if (state.settled.some((s) => s.field === field && s.key === action.key)) return fail('AlreadyDone', 'That suggestion was already taken or ignored.');
  const settle = (outcome: SettledSuggestion['outcome']): SuggestionsState => ({
    settled: [...state.settled, { field, key: action.key, by: actor, at: now, outcome }].slice(-SETTLED_SUGGESTIONS_MAX)
  });
  if (action.type === 'ignore') return { ok: true, state: settle('ignored') };
  if (action.type !== 'accept') return fail('BadRequest', 'Unknown suggestion action.');
  const text = typeof action.text === 'string' ? action.text.trim() : '';
  if (text === '') return fail('BadRequest', 'A suggestion needs some words.');
  const current = fields[field];
  const value = current.includes(text) ? current : current.trim() === '' ? text : `${current.trimEnd()}\n${text}`;
  if ([...value].length > LIMITS.answerMax) return fail('BadRequest', `An agreement field can be at most ${LIMITS.answerMax} characters.`);
  return { ok: true, state: settle('accepted'), newValue: { field, value } };
}
