import {
  CHARTER_PROMPTS,
  charterPromptFor,
  FIRST_SESSION_QUESTIONS,
  GROW_SECTIONS,
  type BoardExport,
  type DocName,
  type GameResultEntry,
  type Prompt,
  type Seat,
  type SeatSummary,
  type SessionView
} from '@pairboard/shared';
import type * as Y from 'yjs';
import { seatDoc } from '@pairboard/shared';
import { writtenAnswers, type Goals, type NextSteps } from './boardFeatures.svelte.ts';

type ExportInputs = {
  you: Seat;
  docs: Readonly<Record<DocName, Y.Doc>>;
  goals: Goals;
  seats: Record<Seat, SeatSummary>;
  session: SessionView | null;
  gameResults: GameResultEntry[];
  nextSteps: NextSteps;
};

/** Gathers the board as the page knows it, for the Markdown export (engine-internal). */
export function collectBoardExport({ you, docs, goals, seats, session, gameResults, nextSteps }: ExportInputs): BoardExport {
  const written = writtenAnswers(docs);
  const bySeat = <T>(read: (seat: Seat) => T) => ({ mentor: read('mentor'), mentee: read('mentee') });
  const promptRows = (textFor: (seat: Seat) => Prompt) => {
    const id = textFor('mentor').id;
    return {
      id,
      text: bySeat((seat) => textFor(seat).text),
      answers: bySeat((seat) => written.answer(seat, id)),
      heard: bySeat((seat) => written.heard(seat, id))
    };
  };
  const own = session?.customPrompts.prompts ?? [];
  const growIds = GROW_SECTIONS.map((s) => s.id);
  return {
    exportedAt: Date.now(),
    you,
    seats,
    sections: [
      { title: 'First-session questions', prompts: FIRST_SESSION_QUESTIONS.map((q) => promptRows(() => q)) },
      { title: 'Relationship charter', prompts: CHARTER_PROMPTS.map((p) => promptRows((seat) => charterPromptFor(p, seat))) },
      { title: 'Our own questions', prompts: own.map((p) => promptRows(() => ({ id: p.id, text: p.text, hint: '' }))) }
    ],
    goals: goals.snapshot(['title', ...growIds]).map(({ texts, smart }) => ({
      title: texts.title ?? '',
      grow: Object.fromEntries(growIds.map((id) => [id, texts[id] ?? ''])),
      smart
    })),
    session,
    gameResults,
    guidance: {
      agenda: (meeting, seat, item) => seatDoc.agenda(docs[seat], meeting, item).toString(),
      actionItems: nextSteps.items.map((i) => i.data),
      nextMeeting: nextSteps.next
    }
  };
}
