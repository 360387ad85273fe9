import {
  CHARTER_PROMPTS,
  charterPromptFor,
  FIRST_SESSION_QUESTIONS,
  otherSeat,
  PARKED_PROMPTS_MAX,
  SEATS,
  seatDoc,
  type GameResultEntry,
  type MeetingView,
  type OwnPrompt,
  type Seat
} from '@pairboard/shared';
import type * as Y from 'yjs';

/** The counts a closing client sends with its vibe (`day:vibe`); the board adds `vetoUsed` itself. */
export type SummaryCounts = {
  promptsAnswered: number;
  reflectionsLanded: number;
  reflectionsTotal: number;
  gamesPlayed: number;
  parkedPromptIds: string[];
};

type Inputs = {
  docs: Record<Seat, Y.Doc>;
  ownPrompts: readonly OwnPrompt[];
  gameResults: readonly GameResultEntry[];
  meetingStartedAt: number;
};

const text = (doc: Y.Doc, id: string) => seatDoc.answer(doc, id).toString().trim();

/** Whether both partners have written something for a prompt. */
export function answeredByBoth(docs: Record<Seat, Y.Doc>, promptId: string): boolean {
  return SEATS.every((seat) => text(docs[seat], promptId) !== '');
}

/** Games whose result line was logged since the meeting started. */
export function gamesSince(results: readonly GameResultEntry[], since: number, until = Infinity): GameResultEntry[] {
  return results.filter((r) => r.at >= since && r.at < until);
}

/**
 * Counts the meeting from the seat documents, read once when the vibe is sent (not reactively).
 * A reflection is a seat's non-empty "what I heard"; it landed when the speaker (the other seat)
 * marked exactly that text as landed. Charter prompts are never parked: they are optional.
 */
export function countMeeting({ docs, ownPrompts, gameResults, meetingStartedAt }: Inputs): SummaryCounts {
  const parkable = [...FIRST_SESSION_QUESTIONS.map((q) => q.id), ...ownPrompts.map((p) => p.id)];
  const all = [...FIRST_SESSION_QUESTIONS.map((q) => q.id), ...CHARTER_PROMPTS.map((p) => p.id), ...ownPrompts.map((p) => p.id)];

  let reflectionsTotal = 0;
  let reflectionsLanded = 0;
  for (const id of all) {
    for (const listener of SEATS) {
      const heard = seatDoc.heard(docs[listener], id).toString();
      if (!heard.trim()) continue;
      reflectionsTotal++;
      const verdict = seatDoc.verdicts(docs[otherSeat(listener)]).get(id);
      if (verdict?.verdict === 'landed' && verdict.heard === heard) reflectionsLanded++;
    }
  }
  return {
    promptsAnswered: all.filter((id) => answeredByBoth(docs, id)).length,
    reflectionsLanded,
    reflectionsTotal,
    gamesPlayed: gamesSince(gameResults, meetingStartedAt).length,
    parkedPromptIds: parkable.filter((id) => !answeredByBoth(docs, id)).slice(0, PARKED_PROMPTS_MAX)
  };
}

/** A prompt's words as this seat reads them, for parked ids; a removed own prompt has none. */
export function promptTextFor(id: string, seat: Seat, ownPrompts: readonly OwnPrompt[]): string | null {
  const first = FIRST_SESSION_QUESTIONS.find((q) => q.id === id);
  if (first) return first.text;
  const charter = CHARTER_PROMPTS.find((p) => p.id === id);
  if (charter) return charterPromptFor(charter, seat).text;
  return ownPrompts.find((p) => p.id === id)?.text ?? null;
}

/** When the programme started (firstMeetingAt() takes the server state; a view has the same fields). */
export function programmeStart(meeting: MeetingView): number {
  return meeting.log[0]?.startedAt ?? meeting.startedAt;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
export const formatDate = (at: number) => dateFormat.format(at);
export const formatTime = (at: number) => timeFormat.format(at);

/** Vibe scores in words, for the radio group and the summaries. */
export const VIBE_WORDS: Record<number, string> = { 1: 'Flat', 2: 'Meh', 3: 'Okay', 4: 'Good', 5: 'Great' };
