import type { MeetingLogEntry } from '../rules/callItADay.ts';
import { PROGRAMME_WEEKS, programmeWeek, type WeekNumber } from '../rules/programme.ts';
import type { Seat } from '../seats.ts';

/**
 * The 12 weeks at a glance (GUIDE10): the data behind the meeting log's small chart, shaped here so
 * the chart and its text equivalent always say the same thing. Weeks are the programme's [PROG1].
 */
export type ChartWeek = {
  week: WeekNumber;
  /** Meetings that started in this week. */
  meetings: number[];
  /** A whole week has passed with no meeting in it. */
  missed: boolean;
  /** The week the pair is in now. */
  current: boolean;
  goalsStarted: number;
  goalsDone: number;
};

export type ChartMeeting = { number: number; week: WeekNumber; vibe: Record<Seat, number> };

export type ProgrammeChart = {
  weeks: ChartWeek[];
  meetings: ChartMeeting[];
  goals: { started: number; done: number };
  /** The same facts in one or two sentences, for screen readers and print. */
  summary: string;
};

export type ChartGoal = { createdAt: number; doneAt: number | null };

export function programmeChart(input: {
  log: readonly MeetingLogEntry[];
  /** The first meeting's start (firstMeetingAt). */
  programmeStart: number;
  now: number;
  goals: readonly ChartGoal[];
  names: Record<Seat, string>;
}): ProgrammeChart {
  const { log, programmeStart, now, goals, names } = input;
  const nowWeek = programmeWeek(programmeStart, now);
  const weekOf = (at: number): WeekNumber => {
    const w = programmeWeek(programmeStart, at);
    return w === 'finished' ? PROGRAMME_WEEKS : w;
  };
  const lastWholeWeek = nowWeek === 'finished' ? PROGRAMME_WEEKS : nowWeek - 1;

  const meetings: ChartMeeting[] = log.map((entry) => ({ number: entry.number, week: weekOf(entry.startedAt), vibe: { ...entry.vibe } }));
  const weeks: ChartWeek[] = Array.from({ length: PROGRAMME_WEEKS }, (_, i) => {
    const week = (i + 1) as WeekNumber;
    const inWeek = meetings.filter((m) => m.week === week).map((m) => m.number);
    return {
      week,
      meetings: inWeek,
      missed: inWeek.length === 0 && week <= lastWholeWeek,
      current: nowWeek === week,
      goalsStarted: goals.filter((g) => weekOf(g.createdAt) === week).length,
      goalsDone: goals.filter((g) => g.doneAt !== null && weekOf(g.doneAt) === week).length
    };
  });
  const goalCounts = { started: goals.length, done: goals.filter((g) => g.doneAt !== null).length };
  return { weeks, meetings, goals: goalCounts, summary: chartSummary(weeks, meetings, goalCounts, nowWeek, names) };
}

function chartSummary(
  weeks: ChartWeek[],
  meetings: ChartMeeting[],
  goals: { started: number; done: number },
  nowWeek: ReturnType<typeof programmeWeek>,
  names: Record<Seat, string>
): string {
  const where = nowWeek === 'finished' ? 'The twelve weeks are done.' : `Week ${nowWeek} of ${PROGRAMME_WEEKS}.`;
  const met = weeks.filter((w) => w.meetings.length > 0).map((w) => w.week);
  const missed = weeks.filter((w) => w.missed).map((w) => w.week);
  const parts = [where];
  parts.push(
    meetings.length === 0
      ? 'No meetings logged yet.'
      : `${plural(meetings.length, 'meeting')} logged, in ${weekList(met)}${missed.length ? `; no meeting in ${weekList(missed)}` : ''}.`
  );
  if (meetings.length > 0) {
    const trend = (seat: Seat) => `${names[seat]} ${meetings.map((m) => m.vibe[seat]).join(', ')}`;
    parts.push(`Vibe checks out of 5, meeting by meeting: ${trend('mentor')}; ${trend('mentee')}.`);
  }
  parts.push(`Goals: ${goals.started} started, ${goals.done} done.`);
  return parts.join(' ');
}

const plural = (n: number, word: string) => `${n} ${n === 1 ? word : `${word}s`}`;

function weekList(weeks: number[]): string {
  const label = weeks.length === 1 ? 'week' : 'weeks';
  if (weeks.length <= 1) return `${label} ${weeks.join('')}`;
  return `${label} ${weeks.slice(0, -1).join(', ')} and ${weeks.at(-1)}`;
}
