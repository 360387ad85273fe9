import type { Seat } from '../seats.ts';

/**
 * Next steps (GUIDE6–GUIDE8): action items written at the end of a meeting, each with an owner,
 * that come back at every later meeting until someone marks them done. They live in the shared Yjs
 * document (docShape.ts): the words are co-written, and owner and done are facts either partner may
 * set, with no hidden information and no handshake, so last-writer-wins is the right rule.
 */
export const ACTION_OWNERS = ['mentor', 'mentee', 'both'] as const;
export type ActionOwner = (typeof ACTION_OWNERS)[number];

export function isActionOwner(value: unknown): value is ActionOwner {
  return typeof value === 'string' && (ACTION_OWNERS as readonly string[]).includes(value);
}

/** An action item as plain data (what the page reads out of the shared document). */
export type ActionItemData = {
  id: string;
  text: string;
  owner: ActionOwner;
  /** The meeting it was written in. */
  meeting: number;
  createdBy: Seat;
  /** When and in which meeting it was marked done; null while open. */
  done: { at: number; meeting: number } | null;
};

export type MeetingActionItems = {
  /** From earlier meetings: still open, or marked done during this one (so the tick stays visible). */
  carried: ActionItemData[];
  /** Written in this meeting. */
  added: ActionItemData[];
};

/** [GUIDE7] What a meeting shows: open items from before, plus its own. Oldest first. */
export function actionItemsForMeeting(items: readonly ActionItemData[], meeting: number): MeetingActionItems {
  const carried = items.filter((item) => item.meeting < meeting && (item.done === null || item.done.meeting >= meeting));
  const added = items.filter((item) => item.meeting === meeting);
  return { carried, added };
}

/** [GUIDE7] Items written in a meeting, for its log entry and the export. */
export function actionItemsOfMeeting(items: readonly ActionItemData[], meeting: number): ActionItemData[] {
  return items.filter((item) => item.meeting === meeting && item.text.trim() !== '');
}

/** Read an owner out of untrusted document data: anything unknown counts as both. */
export function readOwner(value: unknown): ActionOwner {
  return isActionOwner(value) ? value : 'both';
}

/** "Ana", "Ben" or "Both of you" as this seat reads it. */
export function ownerLabel(owner: ActionOwner, you: Seat, names: Record<Seat, string>): string {
  if (owner === 'both') return 'Both of you';
  return owner === you ? 'You' : names[owner];
}
