import { CHARTER_PROMPTS } from '../content/charterPrompts.ts';
import type { ReflectionVerdict } from '../docShape.ts';
import type { GameResultEntry } from '../games/gameRoom.ts';
import { FIRST_SESSION_QUESTIONS } from '../questions.ts';
import { otherSeat, SEATS, type Seat } from '../seats.ts';
import { PARKED_PROMPTS_MAX } from './callItADay.ts';
import type { OwnPrompt } from './customPrompts.ts';
import { revealedAnswer } from './revealedAnswers.ts';
import type { RevealView } from './revealTogether.ts';

/** The counts a closing client sends with its vibe (`day:vibe`); the board adds `vetoUsed` itself. */
export type SummaryCounts = {
  promptsAnswered: number;
  reflectionsLanded: number;
  reflectionsTotal: number;
  gamesPlayed: number;
  parkedPromptIds: string[];
};

/** What the pair has written, read as plain text (the web engine reads it from its documents). */
export type WrittenAnswers = {
  answer(seat: Seat, promptId: string): string;
  /** A seat's reflection ("what I heard") of the other seat's answer. */
  heard(seat: Seat, promptId: string): string;
  /** The verdict a seat gave on the other seat's reflection of its answer. */
  verdict(seat: Seat, promptId: string): ReflectionVerdict | undefined;
};

export type MeetingCountInputs = {
  written: WrittenAnswers;
  ownPrompts: readonly OwnPrompt[];
  gameResults: readonly GameResultEntry[];
  meetingStartedAt: number;
  /** [SUM4] This seat's view of the prompts answered "reveal together" (the session view's). */
  reveal: RevealView | undefined;
  /** The seat counting, which the reveal view's `mine` and `partner` are relative to. */
  you: Seat;
};

/** [SUM1] Whether both partners have written something (not only spaces) for a prompt. */
export function answeredByBoth(written: Pick<WrittenAnswers, 'answer'>, promptId: string): boolean {
  return SEATS.every((seat) => written.answer(seat, promptId).trim() !== '');
}

/**
 * [SUM4] The writing as the board shows it: a prompt answered "reveal together" has its revealed
 * answers (none before the reveal, not even the counting seat's own draft) and no reflections (its
 * card shows none); every other prompt reads its live answer.
 */
export function answersAsShown(written: WrittenAnswers, reveal: RevealView | undefined, you: Seat): WrittenAnswers {
  const answeredTogether = (id: string) => revealedAnswer(reveal, you, you, id) !== null;
  return {
    answer: (seat, id) => revealedAnswer(reveal, you, seat, id) ?? written.answer(seat, id),
    heard: (seat, id) => (answeredTogether(id) ? '' : written.heard(seat, id)),
    verdict: (seat, id) => (answeredTogether(id) ? undefined : written.verdict(seat, id))
  };
}

/** Games whose result line was logged since the meeting started. */
export function gamesSince(results: readonly GameResultEntry[], since: number, until = Infinity): GameResultEntry[] {
  return results.filter((r) => r.at >= since && r.at < until);
}

/**
 * [SUM2] Counts a meeting. A reflection is a seat's non-empty "what I heard"; it landed when the
 * speaker (the other seat) marked exactly that text as landed. [SUM3] Charter prompts are never
 * parked: they are optional; first-session questions and the pair's own are. [SUM4] Revealed answers
 * count like live ones; a prompt still hidden counts as not answered yet (and parks).
 */
export function countMeeting({ written: live, ownPrompts, gameResults, meetingStartedAt, reveal, you }: MeetingCountInputs): SummaryCounts {
  const written = answersAsShown(live, reveal, you);
  const parkable = [...FIRST_SESSION_QUESTIONS.map((q) => q.id), ...ownPrompts.map((p) => p.id)];
  const all = [...FIRST_SESSION_QUESTIONS.map((q) => q.id), ...CHARTER_PROMPTS.map((p) => p.id), ...ownPrompts.map((p) => p.id)];

  let reflectionsTotal = 0;
  let reflectionsLanded = 0;
  for (const id of all) {
    for (const listener of SEATS) {
      const heard = written.heard(listener, id);
      if (!heard.trim()) continue;
      reflectionsTotal++;
      const verdict = written.verdict(otherSeat(listener), id);
      if (verdict?.verdict === 'landed' && verdict.heard === heard) reflectionsLanded++;
    }
  }
  return {
    promptsAnswered: all.filter((id) => answeredByBoth(written, id)).length,
    reflectionsLanded,
    reflectionsTotal,
    gamesPlayed: gamesSince(gameResults, meetingStartedAt).length,
    parkedPromptIds: parkable.filter((id) => !answeredByBoth(written, id)).slice(0, PARKED_PROMPTS_MAX)
  };
}
