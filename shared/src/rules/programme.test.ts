import { describe, expect, it } from 'vitest';
import type { MeetingLogEntry } from './callItADay.ts';
import { programmeWeek, vibeAverage, vibeSessionSuggestion, WEEK_MS, type ProgrammeWeek } from './programme.ts';

const T0 = 1_700_000_000_000;

function entry(week: number, mentor: number, mentee: number, vetoUsed = false): MeetingLogEntry {
  const startedAt = T0 + (week - 1) * WEEK_MS + 1000;
  return {
    number: week,
    startedAt,
    endedAt: startedAt + 3_600_000,
    vibe: { mentor, mentee },
    notes: { mentor: '', mentee: '' },
    summary: { promptsAnswered: 0, reflectionsLanded: 0, reflectionsTotal: 0, gamesPlayed: 0, vetoUsed, parkedPromptIds: [] }
  };
}

/** A log that starts at T0 (week 1) with good vibes, then the given meetings. */
function log(...rest: MeetingLogEntry[]): MeetingLogEntry[] {
  return [{ ...entry(1, 4, 4), startedAt: T0 }, ...rest];
}

describe('programme', () => {
  it('[PROG1] week n runs from (n-1) to n weeks after the first meeting started', () => {
    expect(programmeWeek(T0, T0)).toBe(1);
    expect(programmeWeek(T0, T0 + WEEK_MS - 1)).toBe(1);
    expect(programmeWeek(T0, T0 + WEEK_MS)).toBe(2);
    expect(programmeWeek(T0, T0 + 5 * WEEK_MS + 3)).toBe(6);
    expect(programmeWeek(T0, T0 + 12 * WEEK_MS - 1)).toBe(12);
  });

  it('[PROG1] a clock before the first meeting still reads week 1', () => {
    expect(programmeWeek(T0, T0 - 1)).toBe(1);
    expect(programmeWeek(T0, 0)).toBe(1);
  });

  it('[PROG2] from exactly 12 weeks after the first meeting, the programme is finished', () => {
    expect(programmeWeek(T0, T0 + 12 * WEEK_MS)).toBe('finished');
    expect(programmeWeek(T0, T0 + 52 * WEEK_MS)).toBe('finished');
  });

  it('[PROG3] a last vibe check averaging 2.5 or less suggests a vibe session', () => {
    expect(vibeAverage(entry(2, 2, 3))).toBe(2.5);
    const s = vibeSessionSuggestion(3, log(entry(2, 2, 3)));
    expect(s).toMatchObject({ suggest: true, because: 'low-vibe' });
    expect(s.suggest && s.reason).toContain('averaged 2.5 out of 5');
    expect(vibeSessionSuggestion(3, log(entry(2, 1, 1)))).toMatchObject({ because: 'low-vibe' });
    expect(vibeSessionSuggestion(3, [entry(1, 1, 2)])).toMatchObject({ because: 'low-vibe' });
    // 3 is just above the line.
    expect(vibeSessionSuggestion(3, log(entry(2, 3, 3)))).toEqual({ suggest: false });
    expect(vibeSessionSuggestion(3, log(entry(2, 2, 4)))).toEqual({ suggest: false });
  });

  it('[PROG4] a fall of 1.5 or more since the meeting before suggests a vibe session', () => {
    const dropped = vibeSessionSuggestion(3, [entry(1, 5, 5), entry(2, 3, 4)]);
    expect(dropped).toMatchObject({ suggest: true, because: 'vibe-drop' });
    expect(dropped.suggest && dropped.reason).toContain('from 5 to 3.5');
    expect(vibeSessionSuggestion(3, [entry(1, 5, 4), entry(2, 3, 3)])).toMatchObject({ because: 'vibe-drop' });
    // A fall of 1 is not a drop; a rise never is.
    expect(vibeSessionSuggestion(3, [entry(1, 5, 5), entry(2, 4, 4)])).toEqual({ suggest: false });
    expect(vibeSessionSuggestion(3, [entry(1, 3, 3), entry(2, 5, 5)])).toEqual({ suggest: false });
    // Only the last two meetings count.
    expect(vibeSessionSuggestion(3, [entry(1, 5, 5), entry(2, 4, 4), entry(3, 3, 4)])).toEqual({ suggest: false });
  });

  it('[PROG5] weeks 5 to 7 suggest a vibe session, not 4 or 8', () => {
    const weeks: ProgrammeWeek[] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 'finished'];
    const suggested = weeks.filter((w) => vibeSessionSuggestion(w, log()).suggest);
    expect(suggested).toEqual([5, 6, 7]);
    const s = vibeSessionSuggestion(6, log());
    expect(s).toMatchObject({ because: 'six-week-itch' });
    expect(s.suggest && s.reason).toContain('week 6');
    expect(vibeSessionSuggestion(5, [])).toMatchObject({ because: 'six-week-itch' });
  });

  it('[PROG5] once a goal-free meeting was held in weeks 5–7, the itch suggestion stops', () => {
    expect(vibeSessionSuggestion(7, log(entry(5, 4, 4, true)))).toEqual({ suggest: false });
    expect(vibeSessionSuggestion(6, log(entry(6, 4, 4, true)))).toEqual({ suggest: false });
    // A goal-free meeting before week 5 does not count as the itch session.
    expect(vibeSessionSuggestion(6, log(entry(4, 4, 4, true)))).toMatchObject({ because: 'six-week-itch' });
    expect(vibeSessionSuggestion(6, log(entry(5, 4, 4, false)))).toMatchObject({ because: 'six-week-itch' });
  });

  it('[PROG6] vibe reasons come first and apply in any week, even after the programme', () => {
    expect(vibeSessionSuggestion(6, log(entry(5, 2, 2)))).toMatchObject({ because: 'low-vibe' });
    expect(vibeSessionSuggestion(6, [entry(4, 5, 5), entry(5, 3, 4)])).toMatchObject({ because: 'vibe-drop' });
    // Low beats drop when both hold.
    expect(vibeSessionSuggestion(2, [entry(1, 5, 5), entry(2, 1, 1)])).toMatchObject({ because: 'low-vibe' });
    expect(vibeSessionSuggestion('finished', log(entry(13, 1, 2)))).toMatchObject({ because: 'low-vibe' });
    expect(vibeSessionSuggestion(6, log(entry(5, 2, 2, true)))).toMatchObject({ because: 'low-vibe' });
  });

  it('[PROG6] with no log and outside weeks 5–7, nothing is suggested', () => {
    expect(vibeSessionSuggestion(1, [])).toEqual({ suggest: false });
    expect(vibeSessionSuggestion('finished', [])).toEqual({ suggest: false });
  });
});
