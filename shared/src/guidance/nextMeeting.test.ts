import { describe, expect, it } from 'vitest';
import { localDateTimeToInstant, MEETING_DURATION_MINUTES, readNextMeeting } from './nextMeeting.ts';

describe('next meeting', () => {
  it('[GUIDE8] a local date and time become one instant, whatever the zone', () => {
    expect(localDateTimeToInstant('2026-12-09', '16:00', 0)).toBe(Date.UTC(2026, 11, 9, 16, 0));
    // Berlin in winter is UTC+1: getTimezoneOffset() is -60.
    expect(localDateTimeToInstant('2026-12-09', '16:00', -60)).toBe(Date.UTC(2026, 11, 9, 15, 0));
    // New York in winter is UTC−5: offset +300.
    expect(localDateTimeToInstant('2026-12-09', '16:00', 300)).toBe(Date.UTC(2026, 11, 9, 21, 0));
  });

  it('[GUIDE8] malformed or impossible dates and times are refused', () => {
    for (const [date, time] of [
      ['2026-02-31', '10:00'],
      ['2026-13-01', '10:00'],
      ['2026-12-09', '24:00'],
      ['2026-12-09', '10:60'],
      ['09/12/2026', '10:00'],
      ['2026-12-09', '10am'],
      ['', '']
    ])
      expect(localDateTimeToInstant(date!, time!, 0), `${date} ${time}`).toBeNull();
  });

  it('[GUIDE8] a value from the shared document is read defensively', () => {
    expect(readNextMeeting({ startsAt: 10, durationMinutes: 30, setAt: 5 })).toEqual({ startsAt: 10, durationMinutes: 30, setAt: 5 });
    expect(readNextMeeting({ startsAt: 10 })).toEqual({ startsAt: 10, durationMinutes: MEETING_DURATION_MINUTES.default, setAt: 0 });
    expect(readNextMeeting({ startsAt: 10, durationMinutes: 100_000 })?.durationMinutes).toBe(MEETING_DURATION_MINUTES.default);
    expect(readNextMeeting({ startsAt: 10, durationMinutes: 2.5 })?.durationMinutes).toBe(MEETING_DURATION_MINUTES.default);
    for (const bad of [null, undefined, 'soon', 3, {}, { startsAt: 'x' }, { startsAt: Number.NaN }, { startsAt: Infinity }])
      expect(readNextMeeting(bad)).toBeNull();
  });
});
