import * as Y from 'yjs';
import type { Seat } from './seats.ts';

/**
 * A board's collaborative text lives in three Yjs documents, so that ownership is structural:
 *
 * - `mentor` and `mentee`: one per seat, written only by the browser holding that seat and read by
 *   both (the server refuses writes from the other seat, [DOC2]). A partner's answers can never be
 *   edited by the other partner, whatever their client does.
 * - `shared`: written by both (goals, agreement text, the pair's own prompts).
 *
 * This module is the only place that knows root names; everything else uses these accessors.
 */
export const DOC_NAMES = ['mentor', 'mentee', 'shared'] as const;
export type DocName = (typeof DOC_NAMES)[number];

export function isDocName(value: string): value is DocName {
  return (DOC_NAMES as readonly string[]).includes(value);
}

/** Which seats may write a document. [DOC1] both read all three. */
export function canWrite(doc: DocName, seat: Seat): boolean {
  return doc === 'shared' || doc === seat;
}

/** Room name used on the wire by the y-websocket protocol: `<boardId>/<docName>`. */
export function roomName(boardId: string, doc: DocName): string {
  return `${boardId}/${doc}`;
}

export function parseRoomName(room: string): { boardId: string; doc: DocName } | null {
  const slash = room.indexOf('/');
  if (slash <= 0) return null;
  const boardId = room.slice(0, slash);
  const doc = room.slice(slash + 1);
  return isDocName(doc) ? { boardId, doc } : null;
}

/** Origins used to tag local transactions, so observers can tell typing from remote updates. */
export const LOCAL_ORIGIN = Symbol('pairboard:local');

/** [LISTEN2] The speaker's judgement of a reflection, tied to the exact words it judged. */
export type ReflectionVerdict = { verdict: 'landed' | 'not-quite'; heard: string; at: number };

/** A seat document: what one partner wrote. */
export const seatDoc = {
  /** My answer to a prompt (first-session question, charter prompt or the pair's own). */
  answer(doc: Y.Doc, promptId: string): Y.Text {
    return doc.getText(`answer:${promptId}`);
  },
  /** [LISTEN1] What I heard in my partner's answer to a prompt, in my own words. */
  heard(doc: Y.Doc, promptId: string): Y.Text {
    return doc.getText(`heard:${promptId}`);
  },
  /** [GUIDE5] My note for one item of a meeting's agenda (content/meetingAgenda.ts). */
  agenda(doc: Y.Doc, meeting: number, item: string): Y.Text {
    return doc.getText(`agenda:${meeting}:${item}`);
  },
  /** My verdicts on my partner's reflections of my answers, by prompt id. */
  verdicts(doc: Y.Doc): Y.Map<ReflectionVerdict> {
    return doc.getMap<ReflectionVerdict>('verdicts');
  },
  /** [CAPS1] My first-session answers as they were when meeting 1 closed, by prompt id (written once). */
  capsuleAnswers(doc: Y.Doc): Y.Map<string> {
    return doc.getMap<string>('capsule:answers');
  },
  /** [CAPS4] My "what changed?" reflection on one part of the time capsule. */
  capsuleNote(doc: Y.Doc, topic: string): Y.Text {
    return doc.getText(`capsule:note:${topic}`);
  }
};

/** The GROW sections of a goal, by id (content/growFields.ts). */
export const GOAL_TEXT_FIELDS = ['title', 'goal', 'reality', 'options', 'way-forward'] as const;
export type GoalTextField = (typeof GOAL_TEXT_FIELDS)[number];

/**
 * The shared document: goals, edited by both. A goal is a Y.Map created whole by one client in one
 * transaction (its texts exist from the start, so two partners never race to create them).
 */
export const sharedDoc = {
  goals(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
    return doc.getArray<Y.Map<unknown>>('goals');
  },
  addGoal(doc: Y.Doc, id: string, by: Seat, at: number): Y.Map<unknown> {
    const goal = new Y.Map<unknown>();
    doc.transact(() => {
      goal.set('id', id);
      goal.set('createdBy', by);
      goal.set('createdAt', at);
      for (const field of GOAL_TEXT_FIELDS) goal.set(field, new Y.Text());
      goal.set('smart', new Y.Map<boolean>());
      sharedDoc.goals(doc).push([goal]);
    }, LOCAL_ORIGIN);
    return goal;
  },
  goalText(goal: Y.Map<unknown>, field: GoalTextField): Y.Text {
    return goal.get(field) as Y.Text;
  },
  goalSmart(goal: Y.Map<unknown>): Y.Map<boolean> {
    return goal.get('smart') as Y.Map<boolean>;
  },
  /** [GUIDE10] When the pair marked a goal done; absent (older goals) or null while it is open. */
  goalDoneAt(goal: Y.Map<unknown>): number | null {
    const at = goal.get('doneAt');
    return typeof at === 'number' ? at : null;
  },
  setGoalDone(goal: Y.Map<unknown>, at: number | null): void {
    goal.doc?.transact(() => goal.set('doneAt', at), LOCAL_ORIGIN);
  },

  /**
   * [GUIDE6] Action items: each a Y.Map created whole (id, owner, meeting, createdBy, createdAt, its
   * text, and `done` = {at, meeting} or null), like goals.
   */
  actionItems(doc: Y.Doc): Y.Array<Y.Map<unknown>> {
    return doc.getArray<Y.Map<unknown>>('action-items');
  },
  addActionItem(doc: Y.Doc, item: { id: string; owner: string; meeting: number; by: Seat; at: number; text: string }): Y.Map<unknown> {
    const map = new Y.Map<unknown>();
    doc.transact(() => {
      map.set('id', item.id);
      map.set('owner', item.owner);
      map.set('meeting', item.meeting);
      map.set('createdBy', item.by);
      map.set('createdAt', item.at);
      map.set('text', new Y.Text(item.text));
      map.set('done', null);
      sharedDoc.actionItems(doc).push([map]);
    }, LOCAL_ORIGIN);
    return map;
  },
  actionItemText(item: Y.Map<unknown>): Y.Text {
    return item.get('text') as Y.Text;
  },
  /** [GUIDE8] The next meeting's date: one value both partners set (guidance/nextMeeting.ts reads it). */
  schedule(doc: Y.Doc): Y.Map<unknown> {
    return doc.getMap<unknown>('schedule');
  },
  /** [CAPS1] The goals' titles as they were when meeting 1 closed, by goal id (written once). */
  capsuleGoals(doc: Y.Doc): Y.Map<string> {
    return doc.getMap<string>('capsule:goals');
  }
};
