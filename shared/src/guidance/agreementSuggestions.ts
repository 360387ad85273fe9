import { AGREEMENT_FIELDS, type AgreementFieldId } from '../content/agreementFields.ts';
import { LIMITS } from '../limits.ts';
import type { Seat } from '../seats.ts';
import { fieldOwner, type FieldOwner, type SettledSuggestion } from '../rules/agreementSuggestions.ts';

/**
 * The agreement starts from what the pair already said: field by field, suggestions drawn from their
 * own answers (first-session, charter), their agenda notes and the way they have met so far [SUGG1].
 * Pure, and loaded only with the agreement section (not first-load code). SPEC.md: SUGG*.
 */
export type SuggestionInput = {
  /** A seat's answer to a prompt as the board shows it (its live answer, or its revealed one). */
  answer(seat: Seat, promptId: string): string;
  /** Each seat's latest non-blank "what I hope to do in the coming week" agenda note. */
  agendaHopes: Record<Seat, string>;
  /** Start times of the meetings so far (the log's), oldest first, plus the planned next one if set. */
  meetingStarts: number[];
  /** The planned next meeting, with its weekday and time already worded for this reader. */
  nextMeeting: { when: string; durationMinutes: number } | null;
  fields: Readonly<Record<AgreementFieldId, string>>;
  settled: readonly SettledSuggestion[];
};

export type Suggestion = {
  field: AgreementFieldId;
  key: string;
  text: string;
  /** Where it comes from, for the reader: "your answer to “Where do you see yourself in a few years?”". */
  source: string;
  owner: FieldOwner;
};

type Source = { id: string; text: string; source: string };

const FEW_YEARS = 'Where do you see yourself in a few years?';
const WHY_MENTORING = 'Why did you get into mentoring?';

/** Short, stable, not cryptographic: tells one text from another in a suggestion's key. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(36);
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** [SUGG5] How often they meet, from the gaps between meetings (the median, so one odd gap doesn't count). */
export function cadence(starts: readonly number[]): string | null {
  const sorted = [...starts].sort((a, b) => a - b);
  const gaps = sorted.slice(1).map((t, i) => (t - sorted[i]!) / DAY_MS);
  if (gaps.length === 0) return null;
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)]!;
  if (median < 4) return 'Twice a week or more';
  if (median <= 10) return 'Every week';
  if (median <= 18) return 'Every two weeks';
  return 'About once a month';
}

function sourcesFor(field: AgreementFieldId, input: SuggestionInput): Source[] {
  const owner = fieldOwner(field);
  const said = (seat: Seat, promptId: string, source: string): Source => ({ id: promptId, text: input.answer(seat, promptId).trim(), source });
  if (owner !== 'either' && field.endsWith('-focus')) {
    return [
      said(owner, 'charter-focus', 'your charter: what I want to focus on'),
      said(owner, 'few-years', `your answer to “${FEW_YEARS}”`),
      { id: 'agenda-hopes', text: input.agendaHopes[owner].trim(), source: 'your agenda: what I hope to do in the coming week' }
    ];
  }
  if (owner !== 'either' && field.endsWith('-expects')) {
    return [said(owner, 'charter-expectations', 'your charter: what I expect'), said(owner, 'why-mentoring', `your answer to “${WHY_MENTORING}”`)];
  }
  if (field === 'meetings') {
    const parts = [
      cadence(input.meetingStarts),
      input.nextMeeting && `on ${input.nextMeeting.when}`,
      input.nextMeeting && `for ${input.nextMeeting.durationMinutes} minutes`
    ];
    const words = parts.filter((p): p is string => !!p);
    if (words.length === 0) return [];
    const sentence = words.join(', ');
    return [{ id: 'meetings', text: `${sentence[0]!.toUpperCase()}${sentence.slice(1)}.`, source: 'how you have met so far and the next meeting you planned' }];
  }
  return [];
}

/**
 * [SUGG1] Every suggestion still open for the agreement, field by field in the agreement's order:
 * non-blank, not already in the field, not yet accepted or ignored [SUGG4], each text once per field.
 */
export function agreementSuggestions(input: SuggestionInput): Suggestion[] {
  const out: Suggestion[] = [];
  for (const { id: field } of AGREEMENT_FIELDS) {
    const seen = new Set<string>();
    for (const source of sourcesFor(field, input)) {
      const text = [...source.text].slice(0, LIMITS.answerMax).join('');
      if (text === '' || seen.has(text) || input.fields[field].includes(text)) continue;
      seen.add(text);
      const key = `${field}:${source.id}:${fingerprint(text)}`;
      if (input.settled.some((s) => s.field === field && s.key === key)) continue;
      out.push({ field, key, text, source: source.source, owner: fieldOwner(field) });
    }
  }
  return out;
}

/** [SUGG2] The suggestions one seat may act on; the others are the partner's to decide. */
export function suggestionsFor(suggestions: readonly Suggestion[], seat: Seat): Suggestion[] {
  return suggestions.filter((s) => s.owner === 'either' || s.owner === seat);
}
