import { AGREEMENT_FIELDS } from './content/agreementFields.ts';
import { GROW_SECTIONS, SMART_CHECKLIST } from './content/growFields.ts';
import type { GameResultEntry } from './games/gameRoom.ts';
import { revealedAnswer, revealedMeToo } from './rules/revealedAnswers.ts';
import type { SessionView } from './rules/sessionState.ts';
import { otherSeat, SEAT_LABEL, SEATS, type Seat } from './seats.ts';
import { AGENDA_ITEMS } from './content/meetingAgenda.ts';
import type { ActionItemData } from './guidance/actionItems.ts';
import type { NextMeeting } from './guidance/nextMeeting.ts';

/** Everything a pair can take away, gathered by the page from its documents and views. */
export type BoardExport = {
  exportedAt: number;
  /** The exporting seat: `session.reveal` is its view (`mine` / `partner`). */
  you: Seat;
  seats: Record<Seat, { name: string } | null>;
  sections: Array<{
    title: string;
    /** `answers` and `heard` are the live ones from the documents; `id` finds a prompt answered "reveal together". */
    prompts: Array<{ id: string; text: Record<Seat, string>; answers: Record<Seat, string>; heard: Record<Seat, string> }>;
  }>;
  goals: Array<{ title: string; grow: Record<string, string>; smart: Record<string, boolean> }>;
  session: SessionView | null;
  gameResults: GameResultEntry[];
  /** [GUIDE5][GUIDE7] Each meeting's agenda notes by item id, the action items and the next meeting. */
  guidance?: {
    agenda: (meeting: number, seat: Seat, item: string) => string;
    actionItems: ActionItemData[];
    nextMeeting: NextMeeting | null;
  };
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/**
 * [OPS8] The pair's words render as the text they typed, never as Markdown: every character that
 * could start emphasis, code, a link, an HTML tag, an entity or a table cell is backslash-escaped
 * (CommonMark allows it before any ASCII punctuation), and so is anything that would make a line a
 * heading, list item, quote or rule.
 */
const INLINE_SPECIAL = /[\\`*_[\]<>#|~&!{}()]/g;
export function escapeMarkdownLine(line: string): string {
  let out = line.replace(INLINE_SPECIAL, (c) => `\\${c}`);
  // Line starts: "1. " / "1) " (ordered list), "- " "+ " (list), "=" "-" (setext rule or heading).
  out = out.replace(/^(\s*)(\d+)([.)])/, '$1$2\\$3').replace(/^(\s*)([-+=])/, '$1\\$2');
  // Leading spaces would make an indented code block: keep them visible as non-breaking spaces.
  return out.replace(/^[ \t]+/, (ws) => '&nbsp;'.repeat(ws.replace(/\t/g, '    ').length));
}

/** One line of the pair's text inside a heading, bold label or list item. */
export const escapeInline = (text: string) => escapeMarkdownLine(text.trim().replace(/\s*\n\s*/g, ' '));

/** A block of the pair's text as a quote, every line escaped. */
const quote = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => (line.trim() ? `> ${escapeMarkdownLine(line)}` : '>'))
    .join('\n');

/** [EXP1] The whole board as one Markdown document. */
export function exportMarkdown(data: BoardExport): string {
  const name = (seat: Seat) => escapeInline(data.seats[seat]?.name ?? SEAT_LABEL[seat]);
  const out: string[] = [];
  out.push(`# pairboard — ${name('mentor')} (mentor) & ${name('mentee')} (mentee)`, '', `Exported ${day(data.exportedAt)}.`, '');

  for (const section of data.sections) {
    const answered = section.prompts.map((p) => asShown(data, p)).filter((p) => SEATS.some((s) => p.answers[s].trim()));
    if (answered.length === 0) continue;
    out.push(`## ${escapeInline(section.title)}`, '');
    for (const prompt of answered) {
      const [mentorText, menteeText] = [escapeInline(prompt.text.mentor), escapeInline(prompt.text.mentee)];
      out.push(`### ${mentorText === menteeText ? mentorText : `${mentorText} / ${menteeText}`}`, '');
      if (prompt.together) out.push('*Revealed together.*', '');
      for (const seat of SEATS) {
        if (!prompt.answers[seat].trim()) continue;
        out.push(`**${name(seat)}** (${SEAT_LABEL[seat].toLowerCase()}):`, '', quote(prompt.answers[seat]), '');
        const other = otherSeat(seat);
        if (prompt.heard[other].trim()) out.push(`*${name(other)} heard:* ${escapeInline(prompt.heard[other])}`, '');
        // [REV8] As on the card: "✓ Ben: me too" beside each line of this answer the partner marked.
        for (const line of prompt.meToo[other]) out.push(`✓ *${name(other)}: me too* — ${escapeInline(line)}`, '');
      }
    }
  }

  if (data.goals.length > 0) {
    out.push('## Goals', '');
    for (const goal of data.goals) {
      out.push(`### ${escapeInline(goal.title) || 'Untitled goal'}`, '');
      for (const section of GROW_SECTIONS) {
        const text = goal.grow[section.id]?.trim();
        if (text) out.push(`**${section.title}:**`, '', quote(text), '');
      }
      const smart = SMART_CHECKLIST.map((c) => `- [${goal.smart[c.id] ? 'x' : ' '}] ${c.label}`);
      out.push('SMART check:', '', ...smart, '');
    }
  }

  const agreement = data.session?.agreement;
  if (agreement && AGREEMENT_FIELDS.some((f) => agreement.fields[f.id]?.trim())) {
    out.push('## Mentoring agreement', '');
    for (const field of AGREEMENT_FIELDS) {
      const value = agreement.fields[field.id]?.trim();
      if (value) out.push(`**${field.label}:**`, '', quote(value), '');
    }
    const signed = SEATS.filter((s) => agreement.signatures[s]).map((s) => `${name(s)} on ${day(agreement.signatures[s]!.at)}`);
    out.push(signed.length ? `Signed by ${signed.join(' and ')}.` : 'Not signed yet.', '');
  }

  const log = data.session?.meeting.log ?? [];
  if (log.length > 0 || data.gameResults.length > 0) {
    out.push('## Meetings', '');
    for (const entry of log) {
      const s = entry.summary;
      out.push(
        `- **Meeting ${entry.number}** (${day(entry.endedAt)}): vibe ${entry.vibe.mentor}/5 and ${entry.vibe.mentee}/5; ` +
          `${s.promptsAnswered} prompts answered, ${s.reflectionsLanded} of ${s.reflectionsTotal} reflections landed, ` +
          `${s.gamesPlayed} games${s.vetoUsed ? ', goal-free' : ''}.`
      );
      out.push(...meetingGuidance(data, entry.number, name));
    }
    for (const result of data.gameResults) out.push(`- ${day(result.at)}: ${escapeInline(result.line)}`);
    out.push('');
  }
  const next = data.guidance?.nextMeeting;
  if (next) out.push(`Next meeting: ${new Date(next.startsAt).toISOString().slice(0, 16).replace('T', ' ')} UTC, ${next.durationMinutes} minutes.`, '');
  return out.join('\n');
}

type ExportPrompt = BoardExport['sections'][number]['prompts'][number];

/**
 * [EXP2] A prompt as the board shows it. One answered "reveal together" carries its revealed answers
 * and "me too" marks instead of the live ones (its card shows no live answer and no reflection);
 * before both pressed reveal it carries no answer at all, so neither partner's export holds a word
 * of a hidden draft, not even the exporter's own [REV5].
 */
function asShown(data: BoardExport, prompt: ExportPrompt): ExportPrompt & { together: boolean; meToo: Record<Seat, string[]> } {
  const reveal = data.session?.reveal;
  const bySeat = <T>(read: (seat: Seat) => T): Record<Seat, T> => ({ mentor: read('mentor'), mentee: read('mentee') });
  if (revealedAnswer(reveal, data.you, data.you, prompt.id) === null) return { ...prompt, together: false, meToo: bySeat(() => []) };
  return {
    ...prompt,
    together: true,
    answers: bySeat((seat) => revealedAnswer(reveal, data.you, seat, prompt.id) ?? ''),
    heard: bySeat(() => ''),
    meToo: bySeat((seat) => revealedMeToo(reveal, data.you, seat, prompt.id))
  };
}

/** [GUIDE5][GUIDE7] A logged meeting's agenda and action items, as nested list items. */
function meetingGuidance(data: BoardExport, meeting: number, name: (seat: Seat) => string): string[] {
  const g = data.guidance;
  if (!g) return [];
  const lines: string[] = [];
  for (const item of AGENDA_ITEMS) {
    for (const seat of SEATS) {
      const text = g.agenda(meeting, seat, item.id).trim();
      if (text) lines.push(`  - ${item.label}, ${name(seat)}: ${escapeInline(text)}`);
    }
  }
  const owner = (o: ActionItemData['owner']) => (o === 'both' ? 'both' : name(o));
  for (const item of g.actionItems.filter((i) => i.meeting === meeting && i.text.trim())) {
    lines.push(`  - [${item.done ? 'x' : ' '}] Action (${owner(item.owner)}): ${escapeInline(item.text)}`);
  }
  return lines;
}
