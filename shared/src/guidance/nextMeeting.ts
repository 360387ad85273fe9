/**
 * The next meeting's date and time (GUIDE8). The page turns the date and time a partner picks, in
 * their own time zone, into an instant (ms since the epoch), so the partner in another zone sees
 * the same moment in theirs and the calendar file names it in UTC.
 */
export type NextMeeting = { startsAt: number; durationMinutes: number; setAt: number };

export const MEETING_DURATION_MINUTES = { min: 5, max: 8 * 60, default: 45 } as const;

/** [GUIDE8] A next-meeting value read from the shared document, or null when it is not usable. */
export function readNextMeeting(value: unknown): NextMeeting | null {
  if (typeof value !== 'object' || value === null) return null;
  const { startsAt, durationMinutes, setAt } = value as Record<string, unknown>;
  if (typeof startsAt !== 'number' || !Number.isFinite(startsAt)) return null;
  const duration =
    typeof durationMinutes === 'number' &&
    Number.isInteger(durationMinutes) &&
    durationMinutes >= MEETING_DURATION_MINUTES.min &&
    durationMinutes <= MEETING_DURATION_MINUTES.max
      ? durationMinutes
      : MEETING_DURATION_MINUTES.default;
  return { startsAt, durationMinutes: duration, setAt: typeof setAt === 'number' ? setAt : 0 };
}

/**
 * The instant a local date ("2026-12-09") and time ("16:00") name in the given time-zone offset
 * (minutes *behind* UTC, as Date#getTimezoneOffset gives it). Null for anything malformed.
 */
export function localDateTimeToInstant(date: string, time: string, timezoneOffsetMinutes: number): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day, hour, minute] = [d[1], d[2], d[3], t[1], t[2]].map(Number) as [number, number, number, number, number];
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59) return null;
  const utc = Date.UTC(year, month - 1, day, hour, minute);
  // Date.UTC rolls 31 Feb over into March: refuse dates that do not exist.
  if (new Date(utc).getUTCDate() !== day) return null;
  return utc + timezoneOffsetMinutes * 60_000;
}
