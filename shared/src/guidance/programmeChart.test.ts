import { describe, expect, it } from 'vitest';
import type { MeetingLogEntry } from '../rules/callItADay.ts';
import { WEEK_MS } from '../rules/programme.ts';
import { programmeChart } from './programmeChart.ts';

const DAY = 24 * 60 * 60 * 1000;
const start = Date.UTC(2026, 0, 5, 10);
const names = { mentor: 'Ana', mentee: 'Ben' };
const entry = (number: number, startedAt: number, mentor: number, mentee: number): MeetingLogEntry => ({
  number,
  startedAt,
  endedAt: startedAt + 3_600_000,
  vibe: { mentor, mentee },
  notes: { mentor: '', mentee: '' },
  summary: { promptsAnswered: 0, reflectionsLanded: 0, reflectionsTotal: 0, gamesPlayed: 0, vetoUsed: false, parkedPromptIds: [] }
});

describe('programmeChart', () => {
  it('[GUIDE10] twelve weeks; a week with a meeting is met, a whole past week without one is missed, later weeks are neither', () => {
    const log = [entry(1, start, 4, 3), entry(2, start + WEEK_MS + DAY, 5, 4), entry(3, start + 3 * WEEK_MS, 3, 3)];
    const chart = programmeChart({ log, programmeStart: start, now: start + 4 * WEEK_MS + DAY, goals: [], names });
    expect(chart.weeks).toHaveLength(12);
    expect(chart.weeks.map((w) => w.meetings)).toEqual([[1], [2], [], [3], [], [], [], [], [], [], [], []]);
    expect(chart.weeks.map((w) => w.missed)).toEqual([false, false, true, false, false, false, false, false, false, false, false, false]);
    expect(chart.weeks.findIndex((w) => w.current)).toBe(4);
    expect(chart.meetings).toEqual([
      { number: 1, week: 1, vibe: { mentor: 4, mentee: 3 } },
      { number: 2, week: 2, vibe: { mentor: 5, mentee: 4 } },
      { number: 3, week: 4, vibe: { mentor: 3, mentee: 3 } }
    ]);
  });

  it('[GUIDE10] the current week is never missed, even with no meeting in it yet', () => {
    const chart = programmeChart({ log: [], programmeStart: start, now: start + 2 * DAY, goals: [], names });
    expect(chart.weeks[0]).toMatchObject({ current: true, missed: false });
    expect(chart.weeks.every((w) => !w.missed)).toBe(true);
  });

  it('[GUIDE10] goals started and done are counted per week and in total', () => {
    const goals = [
      { createdAt: start + DAY, doneAt: start + 2 * WEEK_MS },
      { createdAt: start + WEEK_MS, doneAt: null },
      { createdAt: start + WEEK_MS + DAY, doneAt: start + 2 * WEEK_MS + DAY }
    ];
    const chart = programmeChart({ log: [], programmeStart: start, now: start + 3 * WEEK_MS, goals, names });
    expect(chart.goals).toEqual({ started: 3, done: 2 });
    expect(chart.weeks.slice(0, 3).map((w) => [w.goalsStarted, w.goalsDone])).toEqual([
      [1, 0],
      [2, 0],
      [0, 2]
    ]);
  });

  it('[GUIDE10] after twelve weeks every week is past, and late meetings count in week 12', () => {
    const log = [entry(1, start, 4, 4), entry(2, start + 13 * WEEK_MS, 5, 5)];
    const chart = programmeChart({ log, programmeStart: start, now: start + 14 * WEEK_MS, goals: [], names });
    expect(chart.weeks.some((w) => w.current)).toBe(false);
    expect(chart.weeks.filter((w) => w.missed)).toHaveLength(10);
    expect(chart.weeks[11]?.meetings).toEqual([2]);
  });

  it('[GUIDE10] the text equivalent says the same as the picture', () => {
    const log = [entry(1, start, 4, 3), entry(2, start + 2 * WEEK_MS, 5, 4)];
    const chart = programmeChart({ log, programmeStart: start, now: start + 2 * WEEK_MS + DAY, goals: [{ createdAt: start, doneAt: null }], names });
    expect(chart.summary).toBe(
      'Week 3 of 12. 2 meetings logged, in weeks 1 and 3; no meeting in week 2. Vibe checks out of 5, meeting by meeting: Ana 4, 5; Ben 3, 4. Goals: 1 started, 0 done.'
    );
    expect(programmeChart({ log: [], programmeStart: start, now: start, goals: [], names }).summary).toBe(
      'Week 1 of 12. No meetings logged yet. Goals: 0 started, 0 done.'
    );
    expect(programmeChart({ log: [entry(1, start, 2, 2)], programmeStart: start, now: start + 20 * WEEK_MS, goals: [], names }).summary).toMatch(
      /^The twelve weeks are done\. 1 meeting logged, in week 1; no meeting in weeks 2, 3, .* and 12\./
    );
  });
});
