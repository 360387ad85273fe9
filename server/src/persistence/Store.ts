import type { DocName, SeatsState } from '@pairboard/shared';

export type BoardRecord = {
  id: string;
  createdAt: number;
  /** Set when the pair deleted the board: all content is gone, only this tombstone remains. */
  deletedAt: number | null;
  seats: SeatsState;
};

/** Server-decided state documents kept per board as JSON (votes, meetings, games). */
export type StateKey = 'session' | 'games';

export type PendingUpdate = { boardId: string; doc: DocName; update: Uint8Array };

export type StoredDoc = {
  updates: Uint8Array[];
  /** Highest stored row id, so compaction replaces exactly what was loaded and appended since. */
  lastSeq: number;
  /** Each update's row id, in the same order (to quarantine a row that cannot be read) [HARD8]. */
  seqs?: number[];
};

export type BackgroundErrorListener = (task: string, error: unknown) => void;

/**
 * Persistence boundary. Synchronous by design: the SQLite driver is synchronous and a write that
 * returns has reached the WAL, which is what lets the sync layer persist before it relays.
 */
export interface Store {
  createBoard(board: BoardRecord): void;
  getBoard(id: string): BoardRecord | null;
  saveSeats(id: string, seats: SeatsState): void;

  loadState(id: string, key: StateKey): string | null;
  saveState(id: string, key: StateKey, json: string): void;

  loadDoc(boardId: string, doc: DocName): StoredDoc;
  /** Stores a batch of updates (any rooms) in one transaction; returns each one's row id. */
  appendUpdates(batch: readonly PendingUpdate[]): number[];
  /** Replaces every stored update up to `upToSeq` by one merged update; returns its row id. */
  compactDoc(boardId: string, doc: DocName, merged: Uint8Array, upToSeq: number): number;

  /** [OPS1] Runs a real query; throws when the database cannot be reached. Used by /readyz. */
  ping?(): void;
  /** [OPS5] Subscribes to failures of background work (checkpoints); returns the unsubscribe. */
  onBackgroundError?(listener: BackgroundErrorListener): () => void;

  /** [HARD8] Moves unreadable update rows aside (kept, never loaded again); logged by the caller. */
  quarantineRows?(boardId: string, doc: DocName, seqs: readonly number[], reason: string): void;

  /** Erases every byte of the board's content and keeps a tombstone so its link can answer 410. */
  deleteBoard(id: string, at: number): void;
  close(): void;
}
