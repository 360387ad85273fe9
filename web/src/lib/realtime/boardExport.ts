import {
  CHARTER_PROMPTS,
  charterPromptFor,
  FIRST_SESSION_QUESTIONS,
  GROW_SECTIONS,
  seatDoc,
  sharedDoc,
  type BoardExport,
  type Prompt,
  type Seat
} from '@pairboard/shared';
import type { BoardSession } from './BoardSession.svelte.ts';

/** Gathers the board as the page knows it, for the Markdown export. */
export function collectBoardExport(session: BoardSession): BoardExport {
  const bySeat = <T>(read: (seat: Seat) => T) => ({ mentor: read('mentor'), mentee: read('mentee') });
  const promptRows = (textFor: (seat: Seat) => Prompt) => {
    const id = textFor('mentor').id;
    return {
      text: bySeat((seat) => textFor(seat).text),
      answers: bySeat((seat) => seatDoc.answer(session.docs[seat], id).toString()),
      heard: bySeat((seat) => seatDoc.heard(session.docs[seat], id).toString())
    };
  };
  const own = session.session?.customPrompts.prompts ?? [];
  return {
    exportedAt: Date.now(),
    seats: session.seats,
    sections: [
      { title: 'First-session questions', prompts: FIRST_SESSION_QUESTIONS.map((q) => promptRows(() => q)) },
      { title: 'Relationship charter', prompts: CHARTER_PROMPTS.map((p) => promptRows((seat) => charterPromptFor(p, seat))) },
      { title: 'Our own questions', prompts: own.map((p) => promptRows(() => ({ id: p.id, text: p.text, hint: '' }))) }
    ],
    goals: sharedDoc.goals(session.docs.shared).toArray().map((goal) => ({
      title: sharedDoc.goalText(goal, 'title').toString(),
      grow: Object.fromEntries(GROW_SECTIONS.map((s) => [s.id, sharedDoc.goalText(goal, s.id).toString()])),
      smart: sharedDoc.goalSmart(goal).toJSON() as Record<string, boolean>
    })),
    session: session.session,
    gameResults: session.games?.results ?? []
  };
}
