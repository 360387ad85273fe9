import type { DocName, SeatsState } from '@pairboard/shared';
import type { StateKey, StoredDoc } from './Store.ts';

export type { StateKey, StoredDoc } from './Store.ts';

/**
 * The asynchronous store that lets several nodes share one database (issue 10). Implemented by
 * SqliteBoardStore (the embedded default, one node) and PostgresStore (several nodes).
 *
 * Vocabulary:
 * - **node**: one pairboard process; a store instance belongs to exactly one (`nodeId`).
 * - **lease**: the row that says which node serves a board, until when. [LEASE1…]
 * - **epoch**: the fencing token of a lease; it grows every time another node takes the board
 *   over. Every write names the epoch its node holds and the database refuses it when that is no
 *   longer the board's current epoch for this node. [FENCE1…]
 * - **version**: the optimistic-concurrency counter of seats and decided state: a save names the
 *   version it was computed from and is refused when the stored one has moved on. [FENCE4]
 *
 * Refusals are values (`{ ok: false, code, message }`); a promise rejects only when the database
 * itself fails (unreachable, disk full), which callers treat as "not stored, retry".
 */

export type StoreErrorCode =
  /** This node's epoch for the board is not the current one: another node owns it now. */
  | 'StaleEpoch'
  /** The seats or state were saved by someone else since they were loaded. */
  | 'VersionConflict'
  /** The board was deleted (or never existed): nothing may be written to it. */
  | 'BoardGone'
  /** Another node holds an unexpired lease on the board. */
  | 'LeaseHeld'
  /** A board with that id exists already. */
  | 'AlreadyExists';

export type StoreFailure = { ok: false; code: StoreErrorCode; message: string };
export type StoreResult<T extends object = object> = ({ ok: true } & T) | StoreFailure;

export function storeFailure(code: StoreErrorCode, message: string): StoreFailure {
  return { ok: false, code, message };
}

export type StoredBoard = {
  id: string;
  createdAt: number;
  /** Set when the pair deleted the board: all content is gone, only this tombstone remains. */
  deletedAt: number | null;
  seats: SeatsState;
  /** Bumped by every seat change; saveSeats names the version it started from. */
  seatsVersion: number;
};

export type StoredState = { json: string; version: number };

export type Lease = {
  boardId: string;
  nodeId: string;
  epoch: number;
  /** Milliseconds since the Unix epoch, on the database's clock. */
  expiresAt: number;
};

/** One update of one event-loop turn, with the epoch this node holds for its board. */
export type FencedUpdate = { boardId: string; doc: DocName; update: Uint8Array; epoch: number };

/** Per update of a batch: its row id, or why the database refused it. */
export type AppendOutcome = { ok: true; seq: number } | StoreFailure;

/**
 * Rare cross-node news: a board was deleted, a node let go of a board, or a node the proxy now
 * routes a board to asks its holder to hand it over [LEASE14].
 */
export type StoreSignal = 'boardDeleted' | 'leaseReleased' | 'leaseWanted';
/** `epoch`: only `leaseWanted` carries one, the epoch of the lease the asking node was refused by. */
export type SignalListener = (boardId: string, epoch?: number) => void;

export interface BoardStore {
  readonly nodeId: string;

  // ---- boards and seats ----
  /** Creates a board with seats version 1; `AlreadyExists` if the id is taken (even by a tombstone). */
  createBoard(board: { id: string; createdAt: number; seats: SeatsState }): Promise<StoreResult>;
  getBoard(id: string): Promise<StoredBoard | null>;
  /** [FENCE1][FENCE4] Saves seats computed from `expectedVersion`; returns the new version. */
  saveSeats(id: string, seats: SeatsState, expectedVersion: number, epoch: number): Promise<StoreResult<{ version: number }>>;

  // ---- server-decided state (votes, meetings, games) ----
  loadState(id: string, key: StateKey): Promise<StoredState | null>;
  /**
   * [FENCE1][FENCE4] Saves state computed from `expectedVersion` (0: there was none yet) and
   * returns the new version; `VersionConflict` when the stored version moved on.
   */
  saveState(id: string, key: StateKey, json: string, expectedVersion: number, epoch: number): Promise<StoreResult<{ version: number }>>;

  // ---- Yjs documents ----
  loadDoc(boardId: string, doc: DocName): Promise<StoredDoc>;
  /**
   * [FENCE1][FENCE2] Stores one event-loop turn's updates (any boards) in ONE transaction, each
   * fenced by its board's epoch. An update whose board moved or was deleted is refused on its
   * own (its outcome says why); the others are stored. Outcomes are in batch order.
   */
  appendUpdates(batch: readonly FencedUpdate[]): Promise<AppendOutcome[]>;
  /**
   * [FENCE3] Replaces the stored updates with `seq <= upToSeq` (the ones folded into `merged`)
   * by `merged`, in one transaction; rows after `upToSeq` are kept. Returns the new row's seq.
   */
  compactDoc(boardId: string, doc: DocName, merged: Uint8Array, upToSeq: number, epoch: number): Promise<StoreResult<{ seq: number }>>;

  /**
   * [HARD8][FENCE1] Moves rows that could not be read out of the document's path into quarantine
   * (kept for an operator, erased with the board). Fenced like every write.
   */
  quarantineRows(boardId: string, doc: DocName, seqs: readonly number[], reason: string, epoch: number): Promise<StoreResult>;
  /** [HARD8] Rows held in quarantine (all boards). */
  quarantinedRowCount(): Promise<number>;

  // ---- ownership ----
  /**
   * [LEASE2] Claims the board for this node for `ttlMs`. Succeeds when the board has no lease,
   * its lease expired or was released, or it is already ours; the epoch grows whenever the lease
   * was not ours and alive. `LeaseHeld` (with the holder) otherwise; `BoardGone` for a deleted
   * or unknown board.
   */
  claimLease(boardId: string, ttlMs: number): Promise<StoreResult<{ lease: Lease }> | (StoreFailure & { holder?: Lease })>;
  /**
   * [LEASE3] Extends this node's leases (one statement for all of them). A lease another node
   * took over (or a deleted board) is reported in `lost` and must be let go at once.
   */
  renewLeases(leases: readonly { boardId: string; epoch: number }[], ttlMs: number): Promise<{ renewed: Lease[]; lost: string[] }>;
  /** [LEASE4] Lets go of a board at once (clean shutdown, idle board) so another node can claim it. */
  releaseLease(boardId: string, epoch: number): Promise<StoreResult>;
  getLease(boardId: string): Promise<Lease | null>;

  // ---- deletion, signals, health ----
  /**
   * [DEL1][FENCE5] Erases the board's updates (quarantined ones too), state and lease and keeps a tombstone. Any node may
   * delete (a partner's right does not wait for ownership); the owner's next write is refused
   * with `BoardGone`. Returns `BoardGone` if there was no live board.
   */
  deleteBoard(id: string, at: number): Promise<StoreResult>;
  /**
   * [LEASE5] Listens for a signal from any node (including this one). Resolves once listening;
   * returns the unsubscribe. Signals are hints (one may be lost while reconnecting): the lease
   * rows and tombstones stay the truth.
   */
  onSignal(signal: StoreSignal, listener: SignalListener): Promise<() => void>;
  /**
   * [LEASE14] Sends a signal that no write carries (`leaseWanted`) to every node, the sender too,
   * with the epoch of the lease that refused the sender: only the node holding that epoch lets go.
   */
  notify(signal: 'leaseWanted', boardId: string, epoch: number): Promise<void>;
  /** [OPS5] Failures of the store's own background work (SQLite's checkpoint worker). */
  onBackgroundError?(listener: (task: string, error: unknown) => void): () => void;
  /** Runs a real query; rejects when the database cannot be reached. Used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** How long a lease lasts unless renewed [LEASE3]; renewed every LEASE_TTL_MS / 3. */
export const LEASE_TTL_MS = 15_000;
