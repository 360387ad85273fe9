import { type MeetingLogEntry, type MeetingPhase } from './rules/callItADay.ts';
import { programmeWeek, PROGRAMME_WEEKS } from './rules/programme.ts';

/**
 * The time capsule (SPEC.md CAPS*): at the last meeting of the twelve weeks, or whenever the pair
 * opens it, the board brings back each partner's first-session answers as they were when meeting 1
 * closed, the goals as first written, and the first vibe check beside the latest, each with a
 * "what changed?" prompt. The moments live here (the board checks them on every view); the shaping
 * and the Markdown page are in timeCapsulePage.ts, which loads only with the capsule (WEIGHT1).
 */

export const CAPSULE_TOPICS = ['answers', 'goals', 'vibe'] as const;
export type CapsuleTopic = (typeof CAPSULE_TOPICS)[number];

/** [CAPS4] The "what changed?" prompts, one per part of the capsule. */
export const CAPSULE_PROMPTS: Record<CapsuleTopic, string> = {
  answers: 'What changed in how you would answer these today?',
  goals: 'What changed about what you want from these twelve weeks?',
  vibe: 'What changed in how your meetings feel?'
};

/** A reflection is short: a few sentences. */
export const CAPSULE_NOTE_MAX = 600;

type MeetingLike = { number: number; phase: MeetingPhase; startedAt: number; log: readonly MeetingLogEntry[] };

/**
 * [CAPS1] The one moment the first-session snapshot may be taken: meeting 1 has just closed and the
 * next has not started (so nothing has been written in meeting 2 yet).
 */
export function isCapsuleSnapshotMoment(meeting: MeetingLike): boolean {
  return meeting.number === 1 && meeting.phase === 'closed' && meeting.log.length === 1;
}

/** [CAPS2] The board offers the capsule by itself in week 12 or once the programme is finished. */
export function isCapsuleDue(meeting: MeetingLike, now: number): boolean {
  if (meeting.log.length === 0) return false; // nothing to look back on before meeting 1 closed
  const week = programmeWeek(meeting.log[0]!.startedAt, now);
  return week === 'finished' || week === PROGRAMME_WEEKS;
}
