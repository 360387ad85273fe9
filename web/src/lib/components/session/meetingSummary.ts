import { CHARTER_PROMPTS, charterPromptFor, FIRST_SESSION_QUESTIONS, type MeetingView, type OwnPrompt, type Seat } from '@pairboard/shared';

/** Display helpers for the meeting views; the counts themselves are pure rules in shared/ (meetingCounts.ts). */

export { gamesSince } from '@pairboard/shared';

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
