import * as Y from 'yjs';
import type { DocName } from '@pairboard/shared';
import type { StoredDoc } from '../persistence/Store.ts';
import { AwarenessTable } from '../sync/awarenessRelay.ts';

/** One end of a sync connection, as a room sees it. */
export interface SyncPeer {
  /** May read but never write this document (the partner's seat doc). */
  readonly readOnly: boolean;
  /** Awareness client ids this connection announced itself; removed when it closes. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

const EMPTY_UPDATE = new Uint8Array([0, 0]);
/** Fold the tail into the merged state this often: memory stays near the document's own size. */
const MERGE_EVERY = 32;
/** Rewrite the stored rows as one merged row once there are this many. */
const COMPACT_AFTER_ROWS = 500;

/**
 * Folds updates into one, in Yjs' compact encoding. `Y.mergeUpdates` keeps every keystroke as its
 * own struct (~10 bytes each; a typed board grew 10× its text and every later fold re-read all of
 * them, 7 ms per fold at 3,000 keystrokes). Applying to a throwaway Y.Doc lets Yjs join adjacent
 * items of one client, so the state stays near the text's own size and a fold costs ~0.1 ms.
 * Pending structs (updates whose dependencies are missing) are kept by encodeStateAsUpdate.
 */
function fold(updates: Uint8Array[]): Uint8Array {
  // A fixed guid: the default one costs ~32 crypto.getRandomValues calls, per fold.
  const doc = new Y.Doc({ guid: 'pairboard:fold' });
  Y.transact(doc, () => {
    for (const update of updates) Y.applyUpdate(doc, update);
  });
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/**
 * A loaded Yjs document, kept as binary updates instead of a Y.Doc: the server never needs to read
 * the text, only to answer "what am I missing?" (diffUpdate) and to relay. That keeps a board's
 * memory close to the size of its encoded content and an edit's cost close to a memcpy.
 */
export class DocRoom {
  readonly peers = new Set<SyncPeer>();
  readonly awareness = new AwarenessTable();
  unloadTimer: NodeJS.Timeout | null = null;
  /** Set once the registry dropped this room (unloaded or board deleted): it takes no more writes. */
  closed = false;
  /** Bytes of accepted updates still waiting for this tick's write. */
  pendingBytes = 0;
  /** Set on every append; the registry's idle sweep clears it (see RoomRegistry.foldIdleRooms). */
  recentlyWritten = false;

  /**
   * Tail length that triggers a fold, jittered per room: boards that started typing together
   * would otherwise all fold in the same moment and stall every socket at once.
   */
  private readonly foldAfter = MERGE_EVERY + Math.floor(Math.random() * MERGE_EVERY);
  private merged: Uint8Array;
  private tail: Uint8Array[] = [];
  private tailBytes = 0;
  private storedRows: number;
  private lastSeq: number;

  constructor(
    readonly boardId: string,
    readonly doc: DocName,
    stored: StoredDoc
  ) {
    this.merged = stored.updates.length === 0 ? EMPTY_UPDATE : fold(stored.updates);
    this.storedRows = stored.updates.length;
    this.lastSeq = stored.lastSeq;
  }

  /** The whole document as one update. */
  state(): Uint8Array {
    if (this.tail.length > 0) {
      this.merged = fold([this.merged, ...this.tail]);
      this.tail = [];
      this.tailBytes = 0;
    }
    return this.merged;
  }

  stateVector(): Uint8Array {
    return Y.encodeStateVectorFromUpdate(this.state());
  }

  /** What a peer with this state vector is missing. */
  missingFor(stateVector: Uint8Array): Uint8Array {
    return Y.diffUpdate(this.state(), stateVector);
  }

  get hasTail(): boolean {
    return this.tail.length > 0;
  }

  /** Approximate stored size, for the per-document limit. */
  get byteSize(): number {
    return this.merged.byteLength + this.tailBytes;
  }

  /** Records an update that has been persisted as row `seq`. */
  appendPersisted(update: Uint8Array, seq: number): void {
    this.tail.push(update);
    this.tailBytes += update.byteLength;
    this.storedRows++;
    this.lastSeq = seq;
    this.recentlyWritten = true;
    // Fold often while the document is small, and in proportion to its size once it is large, so
    // a keystroke's share of fold work stays bounded (a fold re-encodes the whole document).
    if (this.tail.length >= this.foldAfter && (this.tailBytes * 16 >= this.merged.byteLength || this.tail.length >= MERGE_EVERY * 32)) this.state();
  }

  needsCompaction(): boolean {
    return this.storedRows > COMPACT_AFTER_ROWS || (this.storedRows > 1 && this.peers.size === 0);
  }

  /** Rewrites storage as one row holding the merged state (rows are replaced in one transaction). */
  compact(write: (merged: Uint8Array, upToSeq: number) => number): void {
    this.lastSeq = write(this.state(), this.lastSeq);
    this.storedRows = 1;
  }

  broadcast(frame: Uint8Array, except?: SyncPeer): void {
    for (const peer of this.peers) if (peer !== except) peer.send(frame);
  }
}
