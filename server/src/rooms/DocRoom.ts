import * as Y from 'yjs';
import type { DocName } from '@pairboard/shared';
import { EMPTY_UPDATE, fold, foldTolerant } from './foldUpdates.ts';
import { addsToState } from './updateNovelty.ts';
import { checkUpdate, knownClocksOf, recordClocks, type KnownClocks, type UpdateCheck } from './updateValidation.ts';

/** Fold the tail into the merged state this often: memory stays near the document's own size. */
const MERGE_EVERY = 32;
/** Rewrite the stored rows as one merged row once there are this many. */
const COMPACT_AFTER_ROWS = 500;

/** What a room was loaded from: the rows that folded, and how many were set aside. */
export type LoadedDoc = { state: Uint8Array; rows: number; lastSeq: number };

export type IncomingCheck = { ok: false; reason: string } | { ok: true; news: boolean; accept: () => void };

/**
 * The updates stored since the last fold, back to back in one growing buffer: a keystroke (~30
 * bytes) held as its own Uint8Array costs ~200 bytes of objects besides (view, ArrayBuffer,
 * backing store); here it costs its bytes and an offset. Views are made only to fold.
 */
/** Shared by every empty log: a room nobody types in holds no buffer of its own. */
const NO_BYTES = new Uint8Array(0);

class UpdateLog {
  private bytes = NO_BYTES;
  private readonly ends: number[] = [];

  get count(): number {
    return this.ends.length;
  }
  get byteLength(): number {
    return this.ends.length ? this.ends[this.ends.length - 1]! : 0;
  }
  append(update: Uint8Array): void {
    const start = this.byteLength;
    const end = start + update.byteLength;
    if (end > this.bytes.byteLength) {
      const grown = new Uint8Array(Math.max(end, this.bytes.byteLength * 2, 512));
      grown.set(this.bytes.subarray(0, start));
      this.bytes = grown;
    }
    this.bytes.set(update, start);
    this.ends.push(end);
  }
  views(): Uint8Array[] {
    return this.ends.map((end, i) => this.bytes.subarray(i ? this.ends[i - 1]! : 0, end));
  }
  /** Empty, and the buffer let go: an idle room holds only its merged state. */
  clear(): void {
    this.bytes = NO_BYTES;
    this.ends.length = 0;
  }
}

/**
 * A loaded Yjs document, kept as binary updates instead of a Y.Doc: the server never needs to read
 * the text, only to answer "what am I missing?" (diffUpdate) and to relay. That keeps a board's
 * memory close to the size of its encoded content and an edit's cost close to a memcpy.
 * A room knows nothing of connections or wire frames: `holders` counts who has it open.
 */
export class DocRoom {
  /** Open connections (or anything else) holding the room in memory. */
  holders = 0;
  unloadTimer: NodeJS.Timeout | null = null;
  /** Set once the registry dropped this room (unloaded or board deleted): it takes no more writes. */
  closed = false;
  /** Bytes of accepted updates still waiting for this tick's write. */
  pendingBytes = 0;
  /** Set on every append; the registry's idle sweep clears it (see RoomRegistry.foldIdleRooms). */
  recentlyWritten = false;
  /** Updates that could not be folded after validation (should stay 0; counted, never thrown). */
  foldFailures = 0;

  /**
   * Tail length that triggers a fold, jittered per room: boards that started typing together
   * would otherwise all fold in the same moment and stall every socket at once.
   */
  private readonly foldAfter = MERGE_EVERY + Math.floor(Math.random() * MERGE_EVERY);
  private merged: Uint8Array;
  private readonly tail = new UpdateLog();
  private storedRows: number;
  private lastSeq: number;
  /** Clocks of the stored state plus every update accepted since (stored or still queued). */
  private known: KnownClocks;

  constructor(
    readonly boardId: string,
    readonly doc: DocName,
    loaded: LoadedDoc
  ) {
    this.merged = loaded.state;
    this.storedRows = loaded.rows;
    this.lastSeq = loaded.lastSeq;
    this.known = knownClocksOf(this.merged);
  }

  /** Loads from stored rows (tests and simple callers); the registry quarantines with foldTolerant. */
  static fromUpdates(boardId: string, doc: DocName, updates: Uint8Array[], lastSeq = updates.length): DocRoom {
    return new DocRoom(boardId, doc, { state: updates.length ? fold(updates) : EMPTY_UPDATE, rows: updates.length, lastSeq });
  }

  /** The whole document as one update. Never throws: an update that will not fold is dropped and counted. */
  state(): Uint8Array {
    if (this.tail.count > 0) {
      const { state, rejected } = foldTolerant([this.merged, ...this.tail.views()]);
      this.foldFailures += rejected.length;
      this.merged = state;
      this.tail.clear();
    }
    return this.merged;
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVectorFromUpdate(this.state());
  }

  /** What a peer with this state vector is missing. Throws on a malformed state vector. */
  missingFor(stateVector: Uint8Array): Uint8Array {
    return Y.diffUpdate(this.state(), stateVector);
  }

  /**
   * [HARD1] Validates an incoming update against the document and what is queued for it. A sync
   * reply (once per connection) often repeats what the room has: `news` tells it from a change
   * (O(document), so only for sync replies; a live update is always news). `accept` records the
   * update's clocks once the caller queues it, so the next update may build on it.
   */
  checkIncoming(update: Uint8Array, kind: 'syncStep2' | 'update'): IncomingCheck {
    const check: UpdateCheck = checkUpdate(update, this.known);
    if (!check.ok) return check;
    const news = kind === 'update' || addsToState(update, this.state());
    return { ok: true, news, accept: () => recordClocks(this.known, check) };
  }

  /** After a failed write, forget the clocks of updates that were never stored. */
  resetKnown(): void {
    this.known = knownClocksOf(this.state());
  }

  get hasTail(): boolean {
    return this.tail.count > 0;
  }

  /** Approximate stored size, for the per-document limit. */
  get byteSize(): number {
    return this.merged.byteLength + this.tail.byteLength;
  }

  /** Records an update that has been persisted as row `seq` (copied: the caller's buffer may be a view). */
  appendPersisted(update: Uint8Array, seq: number): void {
    this.tail.append(update);
    this.storedRows++;
    this.lastSeq = seq;
    this.recentlyWritten = true;
    // Fold often while the document is small, and in proportion to its size once it is large, so
    // a keystroke's share of fold work stays bounded (a fold re-encodes the whole document).
    const tail = this.tail.count;
    if (tail >= this.foldAfter && (this.tail.byteLength * 16 >= this.merged.byteLength || tail >= MERGE_EVERY * 32)) this.state();
  }

  /** Set while a compaction is being written; one at a time. */
  compacting = false;

  needsCompaction(): boolean {
    return !this.compacting && (this.storedRows > COMPACT_AFTER_ROWS || (this.storedRows > 1 && this.holders === 0));
  }

  /**
   * [FENCE3] What a compaction writes: the merged state and the last row it folds. Rows appended
   * while it is being written stay (they come after `upToSeq`); call `compacted` once it is stored.
   */
  compaction(): { merged: Uint8Array; upToSeq: number; rows: number } {
    return { merged: this.state(), upToSeq: this.lastSeq, rows: this.storedRows };
  }

  /** The rows a compaction folded were replaced by one row, `seq`. */
  compacted(folded: { rows: number }, seq: number): void {
    this.storedRows = this.storedRows - folded.rows + 1;
    this.lastSeq = Math.max(this.lastSeq, seq);
  }

  /** Rewrites storage as one row holding the merged state (synchronous writers, tests). */
  compact(write: (merged: Uint8Array, upToSeq: number) => number): void {
    const snapshot = this.compaction();
    this.compacted(snapshot, write(snapshot.merged, snapshot.upToSeq));
  }
}
