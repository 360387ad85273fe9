import type { MeetingLogEntry } from './callItADay.ts';

/**
 * The 12-week programme and its "6-week itch" (getting-to-know-your-mentoring-partner.md): which
 * week the pair is in, and when the board suggests a goal-free, vibe-centred meeting. SPEC.md: PROG*.
 */
export const PROGRAMME_WEEKS = 12;
export const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

export type WeekNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12;
/** 'finished' from exactly 12 weeks after the first meeting started [PROG2]. */
export type ProgrammeWeek = WeekNumber | 'finished';

/** Weeks around the itch in which the board offers a vibe session [PROG5]. */
export const ITCH_WEEKS: readonly WeekNumber[] = [5, 6, 7];
/** [PROG3] A meeting whose two vibe scores average this or less felt low. */
export const LOW_VIBE_AVERAGE = 2.5;
/** [PROG4] A fall of this much from one meeting's average to the next is a drop. */
export const VIBE_DROP = 1.5;

/**
 * [PROG1] Week n covers [first + (n-1)·7 days, first + n·7 days), counted in elapsed time, so clocks
 * and time zones don't matter. A `now` before the first meeting (clock skew) is still week 1.
 */
export function programmeWeek(firstMeetingAt: number, now: number): ProgrammeWeek {
  const elapsed = Math.max(0, now - firstMeetingAt);
  const week = Math.floor(elapsed / WEEK_MS) + 1;
  return week > PROGRAMME_WEEKS ? 'finished' : (week as WeekNumber);
}

export type VibeSuggestionReason = 'low-vibe' | 'vibe-drop' | 'six-week-itch';
export type VibeSuggestion = { suggest: true; because: VibeSuggestionReason; reason: string } | { suggest: false };

/** The average of a logged meeting's two vibe scores. */
export function vibeAverage(entry: MeetingLogEntry): number {
  return (entry.vibe.mentor + entry.vibe.mentee) / 2;
}

/**
 * Whether to offer a goal-free, vibe-centred next meeting, and why, in words for both partners.
 * Checked in order, first match wins: [PROG3] low vibe, [PROG4] vibe drop, [PROG5] the itch weeks.
 * The log is oldest first, as the meeting state keeps it.
 */
export function vibeSessionSuggestion(week: ProgrammeWeek, meetingLog: readonly MeetingLogEntry[]): VibeSuggestion {
  const last = meetingLog.at(-1);
  const previous = meetingLog.at(-2);

  if (last && vibeAverage(last) <= LOW_VIBE_AVERAGE)
    return {
      suggest: true,
      because: 'low-vibe',
      reason: `Your last meeting's vibe check averaged ${formatScore(vibeAverage(last))} out of 5. How about a goal-free meeting, just to enjoy each other's company?`
    };

  if (last && previous && vibeAverage(previous) - vibeAverage(last) >= VIBE_DROP)
    return {
      suggest: true,
      because: 'vibe-drop',
      reason: `Your vibe check fell from ${formatScore(vibeAverage(previous))} to ${formatScore(vibeAverage(last))} since the meeting before. A goal-free meeting can bring the spark back.`
    };

  if (week !== 'finished' && ITCH_WEEKS.includes(week) && !hadItchVibeSession(meetingLog))
    return {
      suggest: true,
      because: 'six-week-itch',
      reason: `It's week ${week}: around here many pairs feel the "6-week itch". Pump the goal-brakes and make one meeting goal-free and vibe-centred.`
    };

  return { suggest: false };
}

/** [PROG5] The itch suggestion stops once a goal-free meeting was held in weeks 5–7. */
function hadItchVibeSession(meetingLog: readonly MeetingLogEntry[]): boolean {
  const first = meetingLog[0]?.startedAt;
  if (first === undefined) return false;
  return meetingLog.some((entry) => {
    const week = programmeWeek(first, entry.startedAt);
    return entry.summary.vetoUsed && week !== 'finished' && ITCH_WEEKS.includes(week);
  });
}

function formatScore(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
