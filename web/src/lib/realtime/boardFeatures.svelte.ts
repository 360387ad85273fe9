import * as Y from 'yjs';
import {
  LOCAL_ORIGIN,
  readNextMeeting,
  readOwner,
  type ActionItemData,
  type ActionOwner,
  type NextMeeting,
  seatDoc,
  sharedDoc,
  SEATS,
  type AgreementState,
  type SettledSuggestion,
  type DocName,
  type GameResultEntry,
  type GameRoomView,
  type GoalTextField,
  type MeetingView,
  type OwnPrompt,
  type ReflectionVerdict,
  revealedAnswer,
  type RevealView,
  type Seat,
  type SessionView,
  type SummaryCounts,
  type VetoView,
  type WrittenAnswers
} from '@pairboard/shared';
import { LiveText } from './LiveText.svelte.ts';
import { LiveType } from './LiveType.svelte.ts';

/**
 * The board's features as components see them: small classes with live fields and commands. They
 * hold the engine's documents privately; nothing here hands a Y type to a component.
 */

/** What a feature needs from the engine: its documents and whether a seat's document has synced. */
export type DocAccess = {
  docs: Readonly<Record<DocName, Y.Doc>>;
  you: Seat;
  partner: Seat;
  isSynced(seat: Seat): boolean;
};

/**
 * Live values memoised by key: every component asking for the same text gets the same one. A plain
 * Map on purpose: the memo itself is not state (the values inside are), so nothing re-renders on it.
 */
class Memo<T> {
  readonly #values = new Map<string, T>();

  get(key: string, make: () => T): T {
    let value = this.#values.get(key);
    if (value === undefined) {
      value = make();
      this.#values.set(key, value);
    }
    return value;
  }
}

/** Both seats' answers to every prompt, live. */
export class Answers {
  readonly #access: DocAccess;
  readonly #reveal: () => RevealView | undefined;
  readonly #texts = new Memo<LiveText>();

  constructor(access: DocAccess, reveal: () => RevealView | undefined) {
    this.#access = access;
    this.#reveal = reveal;
  }

  /** A seat's answer to one prompt: only your own seat's is writable (the server refuses the rest). */
  of(seat: Seat, promptId: string): LiveText {
    const { docs, isSynced } = this.#access;
    return this.#texts.get(`${seat}:${promptId}`, () => new LiveText(seatDoc.answer(docs[seat], promptId), () => isSynced(seat)));
  }

  /**
   * Whether both partners have written something for a prompt (live); for a prompt answered
   * "reveal together", once revealed [SUM4].
   */
  bothAnswered(promptId: string): boolean {
    const shown = (seat: Seat) => revealedAnswer(this.#reveal(), this.#access.you, seat, promptId) ?? this.of(seat, promptId).value;
    return SEATS.every((seat) => shown(seat).trim() !== '');
  }
}

/** Active listening: what each seat heard of the other's answer, and the speaker's verdicts. */
export class Listening {
  readonly #access: DocAccess;
  readonly #texts = new Memo<LiveText>();
  readonly #verdicts = new Memo<LiveType<Record<string, ReflectionVerdict>>>();

  constructor(access: DocAccess) {
    this.#access = access;
  }

  /** A seat's reflection ("what I heard") of its partner's answer to a prompt. */
  heard(seat: Seat, promptId: string): LiveText {
    const { docs, isSynced } = this.#access;
    return this.#texts.get(`${seat}:${promptId}`, () => new LiveText(seatDoc.heard(docs[seat], promptId), () => isSynced(seat)));
  }

  /** The verdicts a seat gave on its partner's reflections, by prompt id (live). */
  verdicts(seat: Seat): Record<string, ReflectionVerdict> {
    const map = seatDoc.verdicts(this.#access.docs[seat]);
    return this.#verdicts.get(seat, () => new LiveType(map, () => map.toJSON() as Record<string, ReflectionVerdict>)).value;
  }

  /** Records my verdict on my partner's reflection of my answer, with the text it judged. */
  judge(promptId: string, verdict: ReflectionVerdict['verdict']): void {
    const { docs, you, partner } = this.#access;
    const heard = seatDoc.heard(docs[partner], promptId).toString();
    const doc = docs[you];
    doc.transact(() => seatDoc.verdicts(doc).set(promptId, { verdict, heard, at: Date.now() }), LOCAL_ORIGIN);
  }
}

/** One goal in the shared document: its texts and SMART checks, live. */
export class Goal {
  readonly id: string;
  readonly createdBy: Seat;
  readonly createdAt: number;
  readonly #map: Y.Map<unknown>;
  readonly #texts = new Memo<LiveText>();
  readonly #smart: LiveType<Record<string, boolean>>;
  readonly #doneAt: LiveType<number | null>;
  /** What this page last wrote as done (undefined: nothing yet), to tell our change from the partner's. */
  #doneWrittenHere: number | null | undefined = undefined;

  constructor(map: Y.Map<unknown>) {
    this.#map = map;
    this.id = map.get('id') as string;
    this.createdBy = map.get('createdBy') as Seat;
    this.createdAt = typeof map.get('createdAt') === 'number' ? (map.get('createdAt') as number) : 0;
    const smart = sharedDoc.goalSmart(map);
    this.#smart = new LiveType(smart, () => smart.toJSON() as Record<string, boolean>);
    this.#doneAt = new LiveType(map, () => sharedDoc.goalDoneAt(map));
  }

  /** The goal's one-line title or one of its GROW sections. */
  text(field: GoalTextField): LiveText {
    return this.#texts.get(field, () => new LiveText(sharedDoc.goalText(this.#map, field)));
  }

  /** SMART criteria checked so far, by criterion id (live). */
  get smart(): Record<string, boolean> {
    return this.#smart.value;
  }

  /** [GUIDE10] When the pair marked the goal done, or null (live). */
  get doneAt(): number | null {
    return this.#doneAt.value;
  }

  /** Whether the goal's done mark as it stands was set (or cleared) from this page. */
  get doneHere(): boolean {
    return this.#doneWrittenHere !== undefined && this.doneAt === this.#doneWrittenHere;
  }

  setDone(done: boolean): void {
    this.#doneWrittenHere = done ? Date.now() : null;
    sharedDoc.setGoalDone(this.#map, this.#doneWrittenHere);
  }

  setSmart(criterion: string, checked: boolean): void {
    const doc = this.#map.doc;
    if (!doc) return; // removed meanwhile
    doc.transact(() => sharedDoc.goalSmart(this.#map).set(criterion, checked), LOCAL_ORIGIN);
  }
}

/** The pair's goals in the shared document. */
export class Goals {
  readonly #access: DocAccess;
  readonly #handles = new WeakMap<Y.Map<unknown>, Goal>();
  readonly #list: LiveType<Goal[]>;

  constructor(access: DocAccess) {
    this.#access = access;
    const array = sharedDoc.goals(access.docs.shared);
    // Only the list itself: each card reads its own texts, so typing doesn't re-render the list.
    this.#list = new LiveType(array, () => array.toArray().map((map) => this.#handle(map)));
  }

  /** Every goal, oldest first (live). */
  get list(): Goal[] {
    return this.#list.value;
  }

  /** Adds an empty goal by this seat and returns its id. */
  add(): string {
    const goal = sharedDoc.addGoal(this.#access.docs.shared, `goal-${newOpId().slice(0, 16)}`, this.#access.you, Date.now());
    return goal.get('id') as string;
  }

  /**
   * Removes a goal (for both partners). Returns an undo that brings it back whole, texts and
   * checks included [GUIDE11], or null when it was already gone.
   */
  remove(id: string): (() => void) | null {
    const doc = this.#access.docs.shared;
    const array = sharedDoc.goals(doc);
    const index = array.toArray().findIndex((g) => g.get('id') === id);
    if (index < 0) return null;
    return removeWithUndo(array, index);
  }

  /** Start and done times of every goal, for the 12-week chart (live). */
  get timeline(): Array<{ createdAt: number; doneAt: number | null }> {
    return this.list.map((goal) => ({ createdAt: goal.createdAt, doneAt: goal.doneAt }));
  }

  /** Plain copies of every goal, for the export. */
  snapshot(fields: readonly GoalTextField[]): Array<{ texts: Record<string, string>; smart: Record<string, boolean> }> {
    return sharedDoc
      .goals(this.#access.docs.shared)
      .toArray()
      .map((goal) => ({
        texts: Object.fromEntries(fields.map((field) => [field, sharedDoc.goalText(goal, field).toString()])),
        smart: sharedDoc.goalSmart(goal).toJSON() as Record<string, boolean>
      }));
  }

  #handle(map: Y.Map<unknown>): Goal {
    let goal = this.#handles.get(map);
    if (!goal) {
      goal = new Goal(map);
      this.#handles.set(map, goal);
    }
    return goal;
  }
}

/** Only deletions made through removeWithUndo are undoable: typing is never caught by it. */
const UNDOABLE_REMOVAL = Symbol('pairboard:undoable-removal');

/**
 * Deletes one entry of a shared list and returns a function that restores it, content and all,
 * through a Y.UndoManager that tracks only this removal (it keeps the deleted items from being
 * garbage-collected until it is dropped).
 */
function removeWithUndo(array: Y.Array<Y.Map<unknown>>, index: number): () => void {
  const undo = new Y.UndoManager(array, { trackedOrigins: new Set([UNDOABLE_REMOVAL]), captureTimeout: 0 });
  array.doc?.transact(() => array.delete(index, 1), UNDOABLE_REMOVAL);
  return () => {
    undo.undo();
    undo.destroy();
  };
}

/** [GUIDE5] Each partner's notes for a meeting's agenda, in their own seat document. */
export class Agenda {
  readonly #access: DocAccess;
  readonly #texts = new Memo<LiveText>();

  constructor(access: DocAccess) {
    this.#access = access;
  }

  of(seat: Seat, meeting: number, item: string): LiveText {
    const { docs, isSynced } = this.#access;
    return this.#texts.get(`${seat}:${meeting}:${item}`, () => new LiveText(seatDoc.agenda(docs[seat], meeting, item), () => isSynced(seat)));
  }

  /** Whether a seat has written anything in a meeting's agenda (live). */
  written(seat: Seat, meeting: number, items: readonly string[]): boolean {
    return items.some((item) => this.of(seat, meeting, item).value.trim() !== '');
  }
}

/** One action item in the shared document. */
export class ActionItem {
  readonly id: string;
  readonly meeting: number;
  readonly createdBy: Seat;
  readonly text: LiveText;
  readonly #map: Y.Map<unknown>;

  constructor(map: Y.Map<unknown>) {
    this.#map = map;
    this.id = String(map.get('id'));
    this.meeting = typeof map.get('meeting') === 'number' ? (map.get('meeting') as number) : 1;
    this.createdBy = map.get('createdBy') === 'mentee' ? 'mentee' : 'mentor';
    this.text = new LiveText(sharedDoc.actionItemText(map));
  }

  /** Owner and done are read through the list's LiveType, which observes the whole array deeply. */
  data(): ActionItemData {
    const done = this.#map.get('done') as { at?: unknown; meeting?: unknown } | null | undefined;
    return {
      id: this.id,
      text: sharedDoc.actionItemText(this.#map).toString(),
      owner: readOwner(this.#map.get('owner')),
      meeting: this.meeting,
      createdBy: this.createdBy,
      done: done && typeof done.at === 'number' && typeof done.meeting === 'number' ? { at: done.at, meeting: done.meeting } : null
    };
  }

  setOwner(owner: ActionOwner): void {
    this.#map.doc?.transact(() => this.#map.set('owner', owner), LOCAL_ORIGIN);
  }

  setDone(meeting: number | null): void {
    this.#map.doc?.transact(() => this.#map.set('done', meeting === null ? null : { at: Date.now(), meeting }), LOCAL_ORIGIN);
  }
}

/** [GUIDE6] The pair's action items, and the next meeting's date, in the shared document. */
export class NextSteps {
  readonly #access: DocAccess;
  readonly #handles = new WeakMap<Y.Map<unknown>, ActionItem>();
  readonly #items: LiveType<Array<{ item: ActionItem; data: ActionItemData }>>;
  readonly #schedule: LiveType<NextMeeting | null>;

  constructor(access: DocAccess) {
    this.#access = access;
    const array = sharedDoc.actionItems(access.docs.shared);
    this.#items = new LiveType(array, () => array.toArray().map((map) => ({ item: this.#handle(map), data: this.#handle(map).data() })));
    const schedule = sharedDoc.schedule(access.docs.shared);
    this.#schedule = new LiveType(schedule, () => readNextMeeting(schedule.get('next')));
  }

  /** Every action item with its plain data, oldest first (live). */
  get items(): Array<{ item: ActionItem; data: ActionItemData }> {
    return this.#items.value;
  }

  add(text: string, owner: ActionOwner, meeting: number): void {
    sharedDoc.addActionItem(this.#access.docs.shared, {
      id: `action-${newOpId().slice(0, 16)}`,
      owner,
      meeting,
      by: this.#access.you,
      at: Date.now(),
      text
    });
  }

  /** Removes an item; returns its undo, or null when it was already gone. */
  remove(id: string): (() => void) | null {
    const array = sharedDoc.actionItems(this.#access.docs.shared);
    const index = array.toArray().findIndex((m) => m.get('id') === id);
    return index < 0 ? null : removeWithUndo(array, index);
  }

  /** [GUIDE8] The next meeting, or null (live). */
  get next(): NextMeeting | null {
    return this.#schedule.value;
  }

  setNext(startsAt: number, durationMinutes: number): void {
    const doc = this.#access.docs.shared;
    doc.transact(() => sharedDoc.schedule(doc).set('next', { startsAt, durationMinutes, setAt: Date.now() }), LOCAL_ORIGIN);
  }

  clearNext(): void {
    const doc = this.#access.docs.shared;
    doc.transact(() => sharedDoc.schedule(doc).delete('next'), LOCAL_ORIGIN);
  }

  #handle(map: Y.Map<unknown>): ActionItem {
    let item = this.#handles.get(map);
    if (!item) {
      item = new ActionItem(map);
      this.#handles.set(map, item);
    }
    return item;
  }
}

/** The board's writing read once as plain text (not reactive): for counts and the export. */
export function writtenAnswers(docs: Readonly<Record<DocName, Y.Doc>>): WrittenAnswers {
  return {
    answer: (seat, id) => seatDoc.answer(docs[seat], id).toString(),
    heard: (seat, id) => seatDoc.heard(docs[seat], id).toString(),
    verdict: (seat, id) => seatDoc.verdicts(docs[seat]).get(id)
  };
}

/** Meetings as this seat sees them: the goal veto, call it a day and the log. */
export class Meetings {
  readonly #view: () => SessionView | null;
  readonly #access: DocAccess;
  readonly #gameResults: () => readonly GameResultEntry[];

  constructor(view: () => SessionView | null, access: DocAccess, gameResults: () => readonly GameResultEntry[]) {
    this.#view = view;
    this.#access = access;
    this.#gameResults = gameResults;
  }

  /** Null until the server's first view arrives. */
  get current(): MeetingView | null {
    return this.#view()?.meeting ?? null;
  }

  get veto(): VetoView | null {
    return this.#view()?.veto ?? null;
  }

  get goalFree(): boolean {
    return this.#view()?.veto.mode === 'goal-free';
  }

  /**
   * What this meeting covered, counted from the documents when the vibe is sent. The counting rule
   * (and the prompt texts it walks) loads on demand: it is not first-load code.
   */
  async countForVibe(): Promise<SummaryCounts | null> {
    const { countMeeting } = await import('@pairboard/shared/rules/meetingCounts');
    const view = this.#view();
    if (!view) return null;
    return countMeeting({
      written: writtenAnswers(this.#access.docs),
      ownPrompts: view.customPrompts.prompts,
      gameResults: this.#gameResults(),
      meetingStartedAt: view.meeting.startedAt,
      reveal: view.reveal,
      you: this.#access.you
    });
  }
}

/** The mentoring agreement, as the server decided it. */
export class Agreement {
  readonly #view: () => SessionView | null;
  constructor(view: () => SessionView | null) {
    this.#view = view;
  }
  get current(): AgreementState | null {
    return this.#view()?.agreement ?? null;
  }
  /** [SUGG4] Suggestions already accepted or ignored. */
  get settledSuggestions(): SettledSuggestion[] {
    return this.#view()?.suggestions?.settled ?? [];
  }
}

/** The pair's own prompts, as the server decided them. */
export class OwnPrompts {
  readonly #view: () => SessionView | null;
  constructor(view: () => SessionView | null) {
    this.#view = view;
  }
  get list(): OwnPrompt[] {
    return this.#view()?.customPrompts.prompts ?? [];
  }
}

/** The game corner as this seat may see it. */
export class Games {
  readonly #view: () => GameRoomView | null;
  constructor(view: () => GameRoomView | null) {
    this.#view = view;
  }
  /** Null until the server's first view arrives. */
  get current(): GameRoomView | null {
    return this.#view();
  }
  get results(): GameResultEntry[] {
    return this.#view()?.results ?? [];
  }
}

/** 128 random bits; getRandomValues works on plain-http LAN addresses too, unlike randomUUID. */
export function newOpId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
