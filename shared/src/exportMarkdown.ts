import { AGREEMENT_FIELDS } from './content/agreementFields.ts';
import { GROW_SECTIONS, SMART_CHECKLIST } from './content/growFields.ts';
import type { GameResultEntry } from './games/gameRoom.ts';
import type { SessionView } from './rules/sessionState.ts';
import { SEAT_LABEL, SEATS, type Seat } from './seats.ts';

/** Everything a pair can take away, gathered by the page from its documents and views. */
export type BoardExport = {
  exportedAt: number;
  seats: Record<Seat, { name: string } | null>;
  sections: Array<{
    title: string;
    prompts: Array<{ text: Record<Seat, string>; answers: Record<Seat, string>; heard: Record<Seat, string> }>;
  }>;
  goals: Array<{ title: string; grow: Record<string, string>; smart: Record<string, boolean> }>;
  session: SessionView | null;
  gameResults: GameResultEntry[];
};

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** Keeps the pair's words from being read as Markdown structure (headings, lists) by accident. */
const quote = (text: string) =>
  text
    .trim()
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n');

/** [EXP1] The whole board as one Markdown document. */
export function exportMarkdown(data: BoardExport): string {
  const name = (seat: Seat) => data.seats[seat]?.name ?? SEAT_LABEL[seat];
  const out: string[] = [];
  out.push(`# pairboard — ${name('mentor')} (mentor) & ${name('mentee')} (mentee)`, '', `Exported ${day(data.exportedAt)}.`, '');

  for (const section of data.sections) {
    const answered = section.prompts.filter((p) => SEATS.some((s) => p.answers[s].trim()));
    if (answered.length === 0) continue;
    out.push(`## ${section.title}`, '');
    for (const prompt of answered) {
      out.push(`### ${prompt.text.mentor === prompt.text.mentee ? prompt.text.mentor : `${prompt.text.mentor} / ${prompt.text.mentee}`}`, '');
      for (const seat of SEATS) {
        if (!prompt.answers[seat].trim()) continue;
        out.push(`**${name(seat)}** (${SEAT_LABEL[seat].toLowerCase()}):`, '', quote(prompt.answers[seat]), '');
        const other = seat === 'mentor' ? 'mentee' : 'mentor';
        if (prompt.heard[other].trim()) out.push(`*${name(other)} heard:* ${prompt.heard[other].trim()}`, '');
      }
    }
  }

  if (data.goals.length > 0) {
    out.push('## Goals', '');
    for (const goal of data.goals) {
      out.push(`### ${goal.title.trim() || 'Untitled goal'}`, '');
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
    }
    for (const result of data.gameResults) out.push(`- ${day(result.at)}: ${result.line}`);
    out.push('');
  }
  return out.join('\n');
}
