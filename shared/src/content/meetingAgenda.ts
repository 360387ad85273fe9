/**
 * The guide's per-meeting agenda ("Mentoring Session Plan", mentoring-session-agenda.md), worded for
 * the board. Each partner fills their own column before or at the start of a meeting. Ids are
 * stable: they name the Yjs texts that hold the notes (docShape.ts), so never rename one.
 */
export const AGENDA_ITEM_IDS = ['check-in', 'went-well', 'not-well', 'hopes', 'challenges'] as const;
export type AgendaItemId = (typeof AGENDA_ITEM_IDS)[number];

export type AgendaItem = { id: AgendaItemId; label: string; hint: string };

export const AGENDA_ITEMS: readonly AgendaItem[] = [
  { id: 'check-in', label: 'Personal check-in', hint: 'How are you, really? Sleep, mood, the week outside work.' },
  { id: 'went-well', label: 'What went well since last time', hint: 'A small win counts: a merged PR, a good conversation.' },
  { id: 'not-well', label: "What didn't go so well", hint: 'Something that stuck, dragged or stung.' },
  { id: 'hopes', label: 'What I hope to do in the coming week', hint: 'One or two things, not a to-do list.' },
  { id: 'challenges', label: 'Challenges I see coming', hint: 'A deadline, a hard talk, a new tool to learn.' }
];
