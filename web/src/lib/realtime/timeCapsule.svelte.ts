import type * as Y from 'yjs';
import {
  CAPSULE_TOPICS,
  FIRST_SESSION_QUESTIONS,
  isCapsuleDue,
  isCapsuleSnapshotMoment,
  LOCAL_ORIGIN,
  seatDoc,
  sharedDoc,
  type CapsuleTopic,
  type Seat,
  type SessionView
} from '@pairboard/shared';
import type { DocAccess, Goals } from './boardFeatures.svelte.ts';
import { LiveText } from './LiveText.svelte.ts';
import { LiveType } from './LiveType.svelte.ts';

/** Marks a goals snapshot taken when there were no goals yet (so it is not taken again later). */
const NO_GOALS = '~none';

/**
 * [CAPS1–CAPS4] The time capsule's live data. The snapshot of meeting 1 is taken by the browsers
 * themselves at the one moment the server's meeting log allows (meeting 1 closed, meeting 2 not
 * started): each seat copies its own first-session answers into its own document (only it may
 * write there, DOC2), and the goals' titles go into the shared document. Each is written once.
 */
export class TimeCapsule {
  readonly #access: DocAccess;
  readonly #session: () => SessionView | null;
  readonly #sharedSynced: () => boolean;
  readonly #firstAnswers: Record<Seat, LiveType<Record<string, string> | null>>;
  readonly #firstGoals: LiveType<string[] | null>;
  // A memo, not state: the texts inside are live, the map itself never needs to re-render anything.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #notes = new Map<string, LiveText>();

  constructor(access: DocAccess, session: () => SessionView | null, sharedSynced: () => boolean) {
    this.#access = access;
    this.#session = session;
    this.#sharedSynced = sharedSynced;
    const answersOf = (seat: Seat) => {
      const map = seatDoc.capsuleAnswers(access.docs[seat]);
      return new LiveType(map, () => (map.size === 0 ? null : (map.toJSON() as Record<string, string>)));
    };
    this.#firstAnswers = { mentor: answersOf('mentor'), mentee: answersOf('mentee') };
    const goals = sharedDoc.capsuleGoals(access.docs.shared);
    this.#firstGoals = new LiveType(goals, () =>
      goals.size === 0
        ? null
        : [...goals.entries()]
            .filter(([key]) => key !== NO_GOALS)
            .sort(([a], [b]) => Number(a) - Number(b))
            .map(([, title]) => title)
    );
  }

  /** [CAPS2] The board brings the capsule forward by itself (week 12 or the programme finished). */
  get due(): boolean {
    const meeting = this.#session()?.meeting;
    return meeting ? isCapsuleDue(meeting, Date.now()) : false;
  }

  /** Whether there is anything to look back on: meeting 1 has closed. */
  get available(): boolean {
    return (this.#session()?.meeting.log.length ?? 0) > 0;
  }

  /** A seat's first-session answers as they were when meeting 1 closed, or null (no snapshot). */
  firstAnswers(seat: Seat): Record<string, string> | null {
    return this.#firstAnswers[seat].value;
  }

  /** The goals' titles as first written, or null (no snapshot). */
  get firstGoals(): string[] | null {
    return this.#firstGoals.value;
  }

  /** [CAPS4] A seat's "what changed?" reflection on one part; only your own is writable. */
  note(seat: Seat, topic: CapsuleTopic): LiveText {
    const key = `${seat}:${topic}`;
    let text = this.#notes.get(key);
    if (!text) {
      const seatText = seatDoc.capsuleNote(this.#access.docs[seat], topic);
      text = new LiveText(seatText, () => this.#access.isSynced(seat));
      this.#notes.set(key, text);
    }
    return text;
  }

  get topics(): readonly CapsuleTopic[] {
    return CAPSULE_TOPICS;
  }

  /**
   * [CAPS1] Called by the engine on every session view and document sync: takes whatever snapshot
   * is still missing, but only at the snapshot moment and from documents that have caught up.
   */
  capture(goals: Goals): void {
    const meeting = this.#session()?.meeting;
    if (!meeting || !isCapsuleSnapshotMoment(meeting)) return;
    const { docs, you, isSynced } = this.#access;
    if (isSynced(you)) {
      const mine = seatDoc.capsuleAnswers(docs[you]);
      if (mine.size === 0) snapshotAnswers(docs[you], mine);
    }
    if (this.#sharedSynced()) {
      const shared = sharedDoc.capsuleGoals(docs.shared);
      if (shared.size === 0) {
        // Keyed by position (a Y.Map does not keep order): the goals in the order they were added.
        const titles = goals.snapshot(['title']).map((goal) => goal.texts.title ?? '');
        docs.shared.transact(() => {
          titles.forEach((title, index) => shared.set(String(index), title));
          if (titles.length === 0) shared.set(NO_GOALS, '');
        }, LOCAL_ORIGIN);
      }
    }
  }
}

function snapshotAnswers(doc: Y.Doc, into: Y.Map<string>): void {
  doc.transact(() => {
    for (const question of FIRST_SESSION_QUESTIONS) into.set(question.id, seatDoc.answer(doc, question.id).toString());
  }, LOCAL_ORIGIN);
}
