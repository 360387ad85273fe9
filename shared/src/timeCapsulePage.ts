import { escapeInline, escapeMarkdownLine } from './exportMarkdown.ts';
import { FIRST_SESSION_QUESTIONS } from './questions.ts';
import { type MeetingLogEntry } from './rules/callItADay.ts';
import { SEAT_LABEL, SEATS, type Seat } from './seats.ts';
import { CAPSULE_PROMPTS, type CapsuleTopic } from './timeCapsule.ts';

/**
 * [CAPS3][CAPS5] The time capsule's then-and-now shaping and its Markdown page: a module of its own
 * so the board's first load carries only the moments (timeCapsule.ts), not this (WEIGHT1).
 */

export type TimeCapsuleInput = {
  names: Record<Seat, string | null>;
  /** Each seat's snapshot (prompt id → text), or null when that seat's browser did not take one. */
  firstAnswers: Record<Seat, Readonly<Record<string, string>> | null>;
  nowAnswers: Record<Seat, Readonly<Record<string, string>>>;
  /** Goal titles at the close of meeting 1, or null when no snapshot was taken. */
  firstGoals: readonly string[] | null;
  nowGoals: readonly string[];
  log: readonly MeetingLogEntry[];
  notes: Record<Seat, Readonly<Partial<Record<CapsuleTopic, string>>>>;
};

export type CapsuleAnswerRow = {
  promptId: string;
  prompt: string;
  then: Record<Seat, string | null>;
  now: Record<Seat, string>;
  /** [CAPS3] The answer today differs from the snapshot (spaces aside). */
  changed: Record<Seat, boolean>;
};

export type CapsuleVibe = { meeting: number; endedAt: number; vibe: Record<Seat, number>; notes: Record<Seat, string> };

export type TimeCapsule = {
  names: Record<Seat, string>;
  answers: CapsuleAnswerRow[];
  goals: { then: string[] | null; now: string[] };
  /** The first logged vibe check and the latest one after it (null until a later meeting closed). */
  vibe: { first: CapsuleVibe | null; latest: CapsuleVibe | null };
  notes: Record<Seat, Record<CapsuleTopic, string>>;
};

const same = (a: string, b: string) => a.trim().replace(/\s+/g, ' ') === b.trim().replace(/\s+/g, ' ');
const toVibe = (entry: MeetingLogEntry | undefined): CapsuleVibe | null =>
  entry ? { meeting: entry.number, endedAt: entry.endedAt, vibe: { ...entry.vibe }, notes: { ...entry.notes } } : null;
const bySeat = <T>(make: (seat: Seat) => T) => ({ mentor: make('mentor'), mentee: make('mentee') });

/** [CAPS3] The capsule as the page and the export show it. */
export function shapeTimeCapsule(input: TimeCapsuleInput): TimeCapsule {
  const answers = FIRST_SESSION_QUESTIONS.map((prompt) => {
    const then = bySeat((seat) => {
      const snapshot = input.firstAnswers[seat];
      return snapshot ? (snapshot[prompt.id] ?? '') : null;
    });
    const now = bySeat((seat) => input.nowAnswers[seat][prompt.id] ?? '');
    const changed = bySeat((seat) => then[seat] !== null && !same(then[seat]!, now[seat]));
    return { promptId: prompt.id, prompt: prompt.text, then, now, changed };
  });
  const first = input.log[0];
  const last = input.log.at(-1);
  return {
    names: bySeat((seat) => input.names[seat]?.trim() || SEAT_LABEL[seat]),
    answers,
    goals: {
      then: input.firstGoals ? input.firstGoals.filter((g) => g.trim() !== '') : null,
      now: input.nowGoals.filter((g) => g.trim() !== '')
    },
    vibe: { first: toVibe(first), latest: last && last !== first ? toVibe(last) : null },
    notes: bySeat((seat) => {
      const notes = input.notes[seat];
      return { answers: notes.answers ?? '', goals: notes.goals ?? '', vibe: notes.vibe ?? '' };
    })
  };
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const quote = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => (line.trim() ? `> ${escapeMarkdownLine(line)}` : '>'))
    .join('\n');
const orNothing = (text: string | null, nothing: string) => (text === null ? `*${nothing}*` : text.trim() ? quote(text) : '*(blank)*');

/** [CAPS5] The capsule as one Markdown page; every word the pair wrote is escaped [OPS8]. */
export function timeCapsuleMarkdown(capsule: TimeCapsule, exportedAt: number): string {
  const name = (seat: Seat) => escapeInline(capsule.names[seat]);
  const out: string[] = [`# Time capsule — ${name('mentor')} (mentor) & ${name('mentee')} (mentee)`, '', `Opened ${day(exportedAt)}.`, ''];
  const notes = (topic: CapsuleTopic) => {
    out.push(`**${CAPSULE_PROMPTS[topic]}**`, '');
    for (const seat of SEATS) out.push(`${name(seat)}:`, '', orNothing(capsule.notes[seat][topic] || null, 'nothing written yet'), '');
  };

  out.push('## First-session answers, then and now', '');
  for (const row of capsule.answers) {
    out.push(`### ${escapeInline(row.prompt)}`, '');
    for (const seat of SEATS) {
      out.push(`**${name(seat)}, after meeting 1:**`, '', orNothing(row.then[seat], 'no snapshot was taken'), '');
      out.push(`**${name(seat)}, today${row.changed[seat] ? ' (changed)' : ''}:**`, '', orNothing(row.now[seat], ''), '');
    }
  }
  notes('answers');

  out.push('## Goals, as first written and today', '');
  const list = (goals: string[] | null, nothing: string) =>
    goals === null ? [`*${nothing}*`] : goals.length ? goals.map((g) => `- ${escapeInline(g)}`) : ['*(none)*'];
  out.push('**After meeting 1:**', '', ...list(capsule.goals.then, 'no snapshot was taken'), '');
  out.push('**Today:**', '', ...list(capsule.goals.now, ''), '');
  notes('goals');

  out.push('## Vibe check, first and latest', '');
  const vibeLine = (label: string, v: CapsuleVibe | null) =>
    v ? `- ${label} (meeting ${v.meeting}, ${day(v.endedAt)}): ${SEATS.map((s) => `${name(s)} ${v.vibe[s]}/5`).join(', ')}` : `- ${label}: *not yet*`;
  out.push(vibeLine('First', capsule.vibe.first), vibeLine('Latest', capsule.vibe.latest), '');
  notes('vibe');
  return (
    out
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trimEnd() + '\n'
  );
}
