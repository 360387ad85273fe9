import { EventEmitter } from 'node:events';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocName, SeatsState } from '@pairboard/shared';
import {
  storeFailure,
  type AppendOutcome,
  type BoardStore,
  type FencedUpdate,
  type Lease,
  type SignalListener,
  type StateKey,
  type StoreFailure,
  type StoredBoard,
  type StoredDoc,
  type StoredState,
  type StoreResult,
  type StoreSignal
} from './BoardStore.ts';
import type { BackgroundErrorListener } from './Store.ts';
import type { MigrationReport } from './sqliteMigrations.ts';
import { SqliteStore, walBytesLimit, type SqliteStoreOptions } from './SqliteStore.ts';

/** This node's lease on @board at @epoch: every fenced statement below carries it [FENCE1]. */
const FENCE = 'EXISTS (SELECT 1 FROM board_leases WHERE board_id = @board AND node_id = @node AND epoch = @epoch)';

/** Signals within one process, per database file: the only nodes that can share a SQLite file. */
const signalBuses = new Map<string, EventEmitter>();

type BoardRow = { id: string; created_at: number; deleted_at: number | null; seats: string; seats_version: number };
type LeaseRow = { board_id: string; node_id: string; epoch: number; expires_at: number };
const toLease = (row: LeaseRow): Lease => ({ boardId: row.board_id, nodeId: row.node_id, epoch: row.epoch, expiresAt: row.expires_at });

/**
 * The embedded default behind the async interface. SqliteStore keeps owning the file: its
 * migrations create the base schema, its worker checkpoints the WAL and its loadDoc reads the
 * documents. This class adds a second connection to the same file for the fenced and versioned
 * statements. Every statement is synchronous, so a write that resolved is in the WAL; the fence
 * holds because SQLite runs one write transaction at a time (BEGIN IMMEDIATE), even across
 * processes sharing the file.
 */
export class SqliteBoardStore implements BoardStore {
  readonly nodeId: string;
  private readonly base: SqliteStore;
  private readonly db: Database.Database;
  private readonly bus: EventEmitter;
  private readonly stmt;
  private readonly now: () => number;
  /** Built once: better-sqlite3 makes four wrapper functions per `transaction()` call, and this runs every turn. */
  private readonly appendBatch: Database.Transaction<(batch: readonly FencedUpdate[]) => Array<number | null>>;

  constructor(file: string, options: SqliteStoreOptions & { nodeId: string; now?: () => number }) {
    if (file === ':memory:') throw new Error('SqliteBoardStore needs a file: it opens two connections to it.');
    this.nodeId = options.nodeId;
    this.now = options.now ?? Date.now;
    const { nodeId: _nodeId, now: _now, ...storeOptions } = options;
    this.base = new SqliteStore(file, storeOptions);
    this.db = new Database(file);
    // Another node (a second process on the same file) may hold the write lock for a moment.
    this.db.pragma('busy_timeout = 5000');
    // This connection writes, so it is the one that starts a rewound log over: the file is cut to this.
    this.db.pragma(`journal_size_limit = ${walBytesLimit(storeOptions)}`);
    // This connection does the writing, so it is the one whose commits must not carry SQLite's
    // inline checkpoint while SqliteStore's worker checkpoints in the background. If that worker
    // reports trouble, fall back to inline checkpoints so the WAL stays bounded [OPS5].
    if (options.backgroundCheckpoints ?? true) {
      this.db.pragma('wal_autocheckpoint = 0');
      this.base.onBackgroundError((task) => {
        if (task === 'checkpoint' && this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
      });
    }
    this.db.pragma('synchronous = NORMAL');
    // Deleted content is overwritten with zeros on this connection too [DEL1].
    this.db.pragma('secure_delete = ON');
    const key = path.resolve(file);
    this.bus = signalBuses.get(key) ?? new EventEmitter().setMaxListeners(0);
    signalBuses.set(key, this.bus);

    this.stmt = {
      insertBoard: this.db.prepare(
        'INSERT INTO boards (id, created_at, deleted_at, seats, seats_version) VALUES (?, ?, NULL, ?, 1) ON CONFLICT (id) DO NOTHING'
      ),
      getBoard: this.db.prepare<[string], BoardRow>('SELECT id, created_at, deleted_at, seats, seats_version FROM boards WHERE id = ?'),
      saveSeats: this.db.prepare(
        `UPDATE boards SET seats = @seats, seats_version = seats_version + 1
          WHERE id = @board AND deleted_at IS NULL AND seats_version = @expected AND ${FENCE}`
      ),
      loadState: this.db.prepare<[string, string], StoredState>('SELECT json, version FROM board_state WHERE board_id = ? AND key = ?'),
      insertState: this.db.prepare(
        `INSERT INTO board_state (board_id, key, json, version) SELECT @board, @key, @json, 1 WHERE ${FENCE}
         ON CONFLICT (board_id, key) DO NOTHING`
      ),
      updateState: this.db.prepare(
        `UPDATE board_state SET json = @json, version = version + 1
          WHERE board_id = @board AND key = @key AND version = @expected AND ${FENCE}`
      ),
      appendUpdate: this.db.prepare(`INSERT INTO doc_updates (board_id, doc, data) SELECT @board, @doc, @data WHERE ${FENCE}`),
      deleteUpTo: this.db.prepare(`DELETE FROM doc_updates WHERE board_id = @board AND doc = @doc AND seq <= @upTo AND ${FENCE}`),
      liveBoard: this.db.prepare<[string], { live: 1 }>('SELECT 1 AS live FROM boards WHERE id = ? AND deleted_at IS NULL'),
      getLease: this.db.prepare<[string], LeaseRow>('SELECT board_id, node_id, epoch, expires_at FROM board_leases WHERE board_id = ?'),
      claimLease: this.db.prepare<{ board: string; node: string; expires: number; now: number }, LeaseRow>(
        `INSERT INTO board_leases AS l (board_id, node_id, epoch, expires_at) VALUES (@board, @node, 1, @expires)
         ON CONFLICT (board_id) DO UPDATE SET
           epoch = CASE WHEN l.node_id = excluded.node_id AND l.expires_at > @now THEN l.epoch ELSE l.epoch + 1 END,
           node_id = excluded.node_id,
           expires_at = excluded.expires_at
         WHERE l.node_id = excluded.node_id OR l.expires_at <= @now
         RETURNING board_id, node_id, epoch, expires_at`
      ),
      renewLeases: this.db
        .prepare<{ wanted: string; node: string; expires: number }, string>(
          `UPDATE board_leases SET expires_at = @expires
            WHERE node_id = @node AND (board_id, epoch) IN (SELECT value ->> 0, value ->> 1 FROM json_each(@wanted))
           RETURNING board_id`
        )
        .pluck(),
      releaseLease: this.db.prepare('UPDATE board_leases SET expires_at = @now WHERE board_id = @board AND node_id = @node AND epoch = @epoch'),
      eraseLease: this.db.prepare('DELETE FROM board_leases WHERE board_id = ?'),
      eraseUpdates: this.db.prepare('DELETE FROM doc_updates WHERE board_id = ?'),
      // quarantined_updates is SqliteStore's (SqliteQuarantine); moved here under the fence.
      quarantineRow: this.db.prepare(
        `INSERT OR IGNORE INTO quarantined_updates (seq, board_id, doc, data, reason, at)
         SELECT seq, board_id, doc, data, @reason, @at FROM doc_updates WHERE seq = @seq AND board_id = @board AND doc = @doc AND ${FENCE}`
      ),
      dropQuarantined: this.db.prepare(`DELETE FROM doc_updates WHERE seq = @seq AND board_id = @board AND doc = @doc AND ${FENCE}`),
      eraseQuarantined: this.db.prepare('DELETE FROM quarantined_updates WHERE board_id = ?'),
      countQuarantined: this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM quarantined_updates'),
      eraseState: this.db.prepare('DELETE FROM board_state WHERE board_id = ?'),
      tombstone: this.db.prepare("UPDATE boards SET deleted_at = ?, seats = '{}' WHERE id = ? AND deleted_at IS NULL"),
      ping: this.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM boards LIMIT 1)')
    };
    // [FENCE1] Inside one IMMEDIATE transaction the leases cannot move, so each board's fence is
    // read once per batch and its updates inserted plainly: a fenced INSERT…SELECT per keystroke
    // with named parameters cost ~40 % more CPU per stored update (measured in the bench, issue 13).
    const holdsLease = this.db.prepare<[string, string, number], number>('SELECT 1 FROM board_leases WHERE board_id = ? AND node_id = ? AND epoch = ?').pluck();
    const insertUpdate = this.db.prepare<[string, string, Uint8Array]>('INSERT INTO doc_updates (board_id, doc, data) VALUES (?, ?, ?)');
    this.appendBatch = this.db.transaction((batch: readonly FencedUpdate[]) => {
      const fence = new Map<string, boolean>();
      return batch.map((u) => {
        const key = `${u.epoch}/${u.boardId}`;
        let holds = fence.get(key);
        if (holds === undefined) fence.set(key, (holds = holdsLease.get(u.boardId, this.nodeId, u.epoch) === 1));
        return holds ? Number(insertUpdate.run(u.boardId, u.doc, u.update).lastInsertRowid) : null;
      });
    });
  }

  // ---- boards and seats ----

  async createBoard(board: { id: string; createdAt: number; seats: SeatsState }): Promise<StoreResult> {
    const { changes } = this.stmt.insertBoard.run(board.id, board.createdAt, JSON.stringify(board.seats));
    return changes === 1 ? { ok: true } : storeFailure('AlreadyExists', 'A board with that id exists already.');
  }

  async getBoard(id: string): Promise<StoredBoard | null> {
    const row = this.stmt.getBoard.get(id);
    if (!row) return null;
    return {
      id: row.id,
      createdAt: row.created_at,
      deletedAt: row.deleted_at,
      seats: row.deleted_at === null ? (JSON.parse(row.seats) as SeatsState) : { mentor: null, mentee: null },
      seatsVersion: row.seats_version
    };
  }

  async saveSeats(id: string, seats: SeatsState, expectedVersion: number, epoch: number): Promise<StoreResult<{ version: number }>> {
    const { changes } = this.stmt.saveSeats.run({ board: id, seats: JSON.stringify(seats), expected: expectedVersion, node: this.nodeId, epoch });
    if (changes === 1) return { ok: true, version: expectedVersion + 1 };
    return this.whyRefused(id, epoch) ?? storeFailure('VersionConflict', 'The seats changed since they were read.');
  }

  // ---- decided state ----

  async loadState(id: string, key: StateKey): Promise<StoredState | null> {
    return this.stmt.loadState.get(id, key) ?? null;
  }

  async saveState(id: string, key: StateKey, json: string, expectedVersion: number, epoch: number): Promise<StoreResult<{ version: number }>> {
    const params = { board: id, key, json, node: this.nodeId, epoch };
    const { changes } = expectedVersion === 0 ? this.stmt.insertState.run(params) : this.stmt.updateState.run({ ...params, expected: expectedVersion });
    if (changes === 1) return { ok: true, version: expectedVersion + 1 };
    return this.whyRefused(id, epoch) ?? storeFailure('VersionConflict', 'The state changed since it was read.');
  }

  // ---- documents ----

  async loadDoc(boardId: string, doc: DocName): Promise<StoredDoc> {
    return this.base.loadDoc(boardId, doc);
  }

  async appendUpdates(batch: readonly FencedUpdate[]): Promise<AppendOutcome[]> {
    // One IMMEDIATE transaction per turn, each board's fence checked once in it.
    const inserted = this.appendBatch.immediate(batch);
    return inserted.map((seq, i) =>
      seq !== null ? { ok: true, seq } : (this.whyRefused(batch[i]!.boardId, batch[i]!.epoch) ?? storeFailure('StaleEpoch', 'The lease moved while writing.'))
    );
  }

  async compactDoc(boardId: string, doc: DocName, merged: Uint8Array, upToSeq: number, epoch: number): Promise<StoreResult<{ seq: number }>> {
    const params = { board: boardId, doc, node: this.nodeId, epoch };
    const seq = this.db
      .transaction(() => {
        const appended = this.stmt.appendUpdate.run({ ...params, data: merged });
        if (appended.changes !== 1) return null;
        this.stmt.deleteUpTo.run({ ...params, upTo: upToSeq });
        return Number(appended.lastInsertRowid);
      })
      .immediate();
    if (seq !== null) return { ok: true, seq };
    return this.whyRefused(boardId, epoch) ?? storeFailure('StaleEpoch', 'The lease moved while compacting.');
  }

  async quarantineRows(boardId: string, doc: DocName, seqs: readonly number[], reason: string, epoch: number): Promise<StoreResult> {
    const refused = this.whyRefused(boardId, epoch);
    if (refused) return refused;
    const at = this.now();
    this.db
      .transaction(() => {
        for (const seq of seqs) {
          const params = { seq, board: boardId, doc, node: this.nodeId, epoch };
          this.stmt.quarantineRow.run({ ...params, reason, at });
          this.stmt.dropQuarantined.run(params);
        }
      })
      .immediate();
    return this.whyRefused(boardId, epoch) ?? { ok: true };
  }

  async quarantinedRowCount(): Promise<number> {
    return this.stmt.countQuarantined.get()?.n ?? 0;
  }

  // ---- ownership ----

  async claimLease(boardId: string, ttlMs: number): Promise<StoreResult<{ lease: Lease }> | (StoreFailure & { holder?: Lease })> {
    return this.db
      .transaction(() => {
        if (!this.stmt.liveBoard.get(boardId)) return storeFailure('BoardGone', 'There is no such board (or it was deleted).');
        const now = this.now();
        const row = this.stmt.claimLease.get({ board: boardId, node: this.nodeId, expires: now + ttlMs, now });
        if (row) return { ok: true as const, lease: toLease(row) };
        const holder = this.stmt.getLease.get(boardId);
        return { ...storeFailure('LeaseHeld', 'Another node serves this board.'), ...(holder ? { holder: toLease(holder) } : {}) };
      })
      .immediate();
  }

  async renewLeases(leases: readonly { boardId: string; epoch: number }[], ttlMs: number): Promise<{ renewed: Lease[]; lost: string[] }> {
    if (leases.length === 0) return { renewed: [], lost: [] };
    // One statement for every board: 1,000 single-row UPDATEs blocked the event loop 9–37 ms every
    // few seconds, the relay's worst tail (measured in the bench, issue 13); this takes ~1–2 ms.
    const expiresAt = this.now() + ttlMs;
    const kept = new Set(this.stmt.renewLeases.all({ wanted: JSON.stringify(leases.map((l) => [l.boardId, l.epoch])), node: this.nodeId, expires: expiresAt }));
    const renewed: Lease[] = [];
    const lost: string[] = [];
    for (const { boardId, epoch } of leases) {
      if (kept.has(boardId)) renewed.push({ boardId, nodeId: this.nodeId, epoch, expiresAt });
      else lost.push(boardId);
    }
    return { renewed, lost };
  }

  async releaseLease(boardId: string, epoch: number): Promise<StoreResult> {
    const { changes } = this.stmt.releaseLease.run({ board: boardId, node: this.nodeId, epoch, now: this.now() });
    if (changes !== 1) return this.whyRefused(boardId, epoch) ?? storeFailure('StaleEpoch', 'This node no longer holds that lease.');
    this.bus.emit('leaseReleased', boardId);
    return { ok: true };
  }

  async getLease(boardId: string): Promise<Lease | null> {
    const row = this.stmt.getLease.get(boardId);
    return row ? toLease(row) : null;
  }

  // ---- deletion, signals, health ----

  async deleteBoard(id: string, at: number): Promise<StoreResult> {
    const deleted = this.db
      .transaction(() => {
        if (!this.stmt.liveBoard.get(id)) return false;
        this.stmt.eraseLease.run(id);
        this.stmt.eraseUpdates.run(id);
        this.stmt.eraseQuarantined.run(id);
        this.stmt.eraseState.run(id);
        this.stmt.tombstone.run(at, id);
        return true;
      })
      .immediate();
    if (!deleted) return storeFailure('BoardGone', 'There is no such board (or it was deleted already).');
    // [DEL1] Move the WAL's copies of the erased pages into the main file (where secure_delete
    // zeroed them) and truncate the WAL, so no old frame still holds the pair's words.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
    this.bus.emit('boardDeleted', id);
    return { ok: true };
  }

  async notify(signal: 'leaseWanted', boardId: string, epoch: number): Promise<void> {
    this.bus.emit(signal, boardId, epoch);
  }

  async onSignal(signal: StoreSignal, listener: SignalListener): Promise<() => void> {
    this.bus.on(signal, listener);
    return () => void this.bus.off(signal, listener);
  }

  /**
   * SQLite is the one-node store: the process that opens the file serves every board. Expiring
   * the leases left by a previous process (a crash, a restart) lets it claim them at once; the
   * claim still raises each epoch, so a process that somehow still runs on the file is fenced.
   */
  async expireAllLeases(): Promise<number> {
    return this.db.prepare('UPDATE board_leases SET expires_at = 0 WHERE expires_at > 0').run().changes;
  }

  /** [OPS7] What the numbered migrations (run by SqliteStore on open) did to the file. */
  get migration(): MigrationReport {
    return this.base.migration;
  }

  /** [OPS5] Failures of the checkpoint worker. */
  onBackgroundError(listener: BackgroundErrorListener): () => void {
    return this.base.onBackgroundError(listener);
  }

  async ping(): Promise<void> {
    this.stmt.ping.get();
  }

  async close(): Promise<void> {
    this.db.close();
    this.base.close();
  }

  /** Why a fenced write matched nothing, if the fence was the reason (null: it was the version). */
  private whyRefused(boardId: string, epoch: number): StoreFailure | null {
    if (!this.stmt.liveBoard.get(boardId)) return storeFailure('BoardGone', 'This board was deleted.');
    const lease = this.stmt.getLease.get(boardId);
    if (!lease || lease.node_id !== this.nodeId || lease.epoch !== epoch) {
      return storeFailure('StaleEpoch', 'Another node took this board over; nothing was written.');
    }
    return null;
  }
}
