import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { DocName, SeatsState } from '@pairboard/shared';
import type { BackgroundErrorListener, BoardRecord, PendingUpdate, StateKey, Store, StoredDoc } from './Store.ts';
import { runSqliteMigrations, type MigrationReport } from './sqliteMigrations.ts';
import { SqliteQuarantine } from './SqliteQuarantine.ts';
import { REWIND_AT_FRAMES, WalCheckpointer } from './WalCheckpointer.ts';

/** The board named by @board exists and was not deleted. */
const LIVE = 'EXISTS (SELECT 1 FROM boards WHERE id = @board AND deleted_at IS NULL)';

type BoardRow = { id: string; created_at: number; deleted_at: number | null; seats: string };

/** The embedded default: one SQLite file in WAL mode under DATA_DIR. */
export type SqliteStoreOptions = {
  /** Checkpoints in a worker thread (default); false: SQLite's own, inline. */
  backgroundCheckpoints?: boolean;
  /** Log length (frames) past which it is rewound to its start; tests shorten it. */
  walRewindAtFrames?: number;
};

/** The WAL file's size cap in bytes, applied when the log starts over (4 KB pages). */
export const walBytesLimit = (options: SqliteStoreOptions) => (options.walRewindAtFrames ?? REWIND_AT_FRAMES) * 4096;

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly stmt;
  private readonly appendBatch: (batch: readonly PendingUpdate[]) => number[];

  private readonly checkpointer: WalCheckpointer | null;
  private readonly quarantine: SqliteQuarantine;
  private readonly backgroundErrorListeners = new Set<BackgroundErrorListener>();
  /** What the numbered migrations did when this store opened the file [OPS7]. */
  readonly migration: MigrationReport;

  constructor(file: string, options: SqliteStoreOptions = {}) {
    if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // Checkpoints (and their fsync) happen in a worker thread, never inside a commit here.
    const background = file !== ':memory:' && (options.backgroundCheckpoints ?? true);
    if (background) this.db.pragma('wal_autocheckpoint = 0');
    this.db.pragma(`journal_size_limit = ${walBytesLimit(options)}`);
    this.checkpointer = background
      ? new WalCheckpointer(
          file,
          1_000,
          {
            onError: (error) => this.reportBackgroundError('checkpoint', error),
            onLongLog: (timesTheLimit) => this.rewindLogSoon(timesTheLimit),
            // [OPS5] Without the worker nothing checkpoints and the WAL grows without bound: fall
            // back to SQLite's own inline checkpoints (slower commits, but a bounded file).
            onStopped: (error) => {
              this.reportBackgroundError('checkpoint', error);
              if (this.db.open) this.db.pragma('wal_autocheckpoint = 1000');
            }
          },
          options.walRewindAtFrames ?? REWIND_AT_FRAMES
        )
      : null;
    // NORMAL in WAL mode: a committed write survives a process crash (kill -9); only an OS crash
    // can lose the last transactions, which is the trade every WAL app makes for speed.
    this.db.pragma('synchronous = NORMAL');
    // Deleted content is overwritten with zeros, so a deleted board leaves no readable trace.
    this.db.pragma('secure_delete = ON');
    this.migration = runSqliteMigrations(this.db);
    this.stmt = {
      insertBoard: this.db.prepare('INSERT INTO boards (id, created_at, deleted_at, seats) VALUES (?, ?, NULL, ?)'),
      getBoard: this.db.prepare<[string], BoardRow>('SELECT * FROM boards WHERE id = ?'),
      saveSeats: this.db.prepare('UPDATE boards SET seats = ? WHERE id = ? AND deleted_at IS NULL'),
      loadState: this.db.prepare<[string, string], { json: string }>('SELECT json FROM board_state WHERE board_id = ? AND key = ?'),
      // Writes only reach live boards: a late write can never bring a deleted board's words back.
      saveState: this.db.prepare(
        `INSERT INTO board_state (board_id, key, json) SELECT @board, @key, @json WHERE ${LIVE}
         ON CONFLICT (board_id, key) DO UPDATE SET json = excluded.json`
      ),
      loadDoc: this.db.prepare<[string, string], { seq: number; data: Buffer }>(
        'SELECT seq, data FROM doc_updates WHERE board_id = ? AND doc = ? ORDER BY seq'
      ),
      appendUpdate: this.db.prepare(`INSERT INTO doc_updates (board_id, doc, data) SELECT @board, @doc, @data WHERE ${LIVE}`),
      deleteUpTo: this.db.prepare('DELETE FROM doc_updates WHERE board_id = ? AND doc = ? AND seq <= ?'),
      eraseUpdates: this.db.prepare('DELETE FROM doc_updates WHERE board_id = ?'),
      eraseState: this.db.prepare('DELETE FROM board_state WHERE board_id = ?'),
      tombstone: this.db.prepare("UPDATE boards SET deleted_at = ?, seats = '{}' WHERE id = ?"),
      ping: this.db.prepare('SELECT count(*) AS n FROM (SELECT 1 FROM boards LIMIT 1)')
    };
    this.quarantine = new SqliteQuarantine(this.db);
    const append = this.stmt.appendUpdate;
    // One transaction per batch: the sync layer hands over everything received in one tick.
    this.appendBatch = this.db.transaction((batch: readonly PendingUpdate[]) =>
      batch.map((p) => Number(append.run({ board: p.boardId, doc: p.doc, data: p.update }).lastInsertRowid))
    );
  }

  createBoard(board: BoardRecord): void {
    this.stmt.insertBoard.run(board.id, board.createdAt, JSON.stringify(board.seats));
  }

  getBoard(id: string): BoardRecord | null {
    const row = this.stmt.getBoard.get(id);
    if (!row) return null;
    return {
      id: row.id,
      createdAt: row.created_at,
      deletedAt: row.deleted_at,
      seats: row.deleted_at === null ? (JSON.parse(row.seats) as SeatsState) : { mentor: null, mentee: null }
    };
  }

  saveSeats(id: string, seats: SeatsState): void {
    this.stmt.saveSeats.run(JSON.stringify(seats), id);
  }

  loadState(id: string, key: StateKey): string | null {
    return this.stmt.loadState.get(id, key)?.json ?? null;
  }

  saveState(id: string, key: StateKey, json: string): void {
    this.stmt.saveState.run({ board: id, key, json });
  }

  loadDoc(boardId: string, doc: DocName): StoredDoc {
    const rows = this.stmt.loadDoc.all(boardId, doc);
    return {
      updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
      lastSeq: rows.at(-1)?.seq ?? 0,
      seqs: rows.map((r) => r.seq)
    };
  }

  appendUpdates(batch: readonly PendingUpdate[]): number[] {
    return this.appendBatch(batch);
  }

  compactDoc(boardId: string, doc: DocName, merged: Uint8Array, upToSeq: number): number {
    return this.db.transaction(() => {
      this.stmt.deleteUpTo.run(boardId, doc, upToSeq);
      return Number(this.stmt.appendUpdate.run({ board: boardId, doc, data: merged }).lastInsertRowid);
    })();
  }

  /** [HARD8] See SqliteQuarantine. */
  quarantineRows(boardId: string, doc: DocName, seqs: readonly number[], reason: string): void {
    this.quarantine.move(boardId, doc, seqs, reason);
  }

  /** [HARD8] Rows held in quarantine in this database (all boards, all time). */
  quarantinedRowCount(): number {
    return this.quarantine.count();
  }

  deleteBoard(id: string, at: number): void {
    this.db.transaction(() => {
      this.stmt.eraseUpdates.run(id);
      this.quarantine.erase(id);
      this.stmt.eraseState.run(id);
      this.stmt.tombstone.run(at, id);
    })();
    // Move the WAL's copies of the erased pages into the main file (where secure_delete zeroed
    // them) and truncate the WAL, so no old frame still holds the pair's words.
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** [OPS1] A real query against the boards table; throws when the database is unreachable. */
  ping(): void {
    this.stmt.ping.get();
  }

  /** [OPS5] Failures of work nobody awaits (the checkpoint worker) reach these listeners. */
  onBackgroundError(listener: BackgroundErrorListener): () => void {
    this.backgroundErrorListeners.add(listener);
    return () => this.backgroundErrorListeners.delete(listener);
  }

  private rewindScheduled = false;

  /**
   * [OPS5] Rewinds a log the checkpoint worker found too long (WalCheckpointer.onLongLog): a
   * RESTART checkpoint on this thread, between two turns (2–5 ms; TRUNCATE took 25–35 ms, giving
   * the file's blocks back only to grow it again), normally without waiting on a lock — busy (the
   * worker is mid-checkpoint) means the next report tries again. A log four times past its limit
   * (writes so steady that the worker is always busy) waits for the lock: a stall, but a bounded
   * file. The next write starts the log over and cuts the file to the limit (journal_size_limit).
   */
  private rewindLogSoon(timesTheLimit: number): void {
    if (this.rewindScheduled) return;
    this.rewindScheduled = true;
    setImmediate(() => {
      this.rewindScheduled = false;
      if (!this.db.open) return;
      const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
      try {
        this.db.pragma(`busy_timeout = ${timesTheLimit >= 4 ? 1_000 : 0}`);
        this.db.pragma('wal_checkpoint(RESTART)');
      } catch (error) {
        if ((error as { code?: string }).code !== 'SQLITE_BUSY') this.reportBackgroundError('checkpoint', error);
      } finally {
        this.db.pragma(`busy_timeout = ${Math.trunc(timeout)}`);
      }
    });
  }

  private reportBackgroundError(task: string, error: unknown): void {
    if (this.backgroundErrorListeners.size === 0) {
      // Nobody subscribed (a bare store in a script or test): still never swallowed.
      process.stderr.write(
        JSON.stringify({ t: new Date().toISOString(), level: 'error', ns: 'pairboard:store', msg: 'background task failed', task, error: String(error) }) + '\n'
      );
    }
    for (const listener of this.backgroundErrorListeners) listener(task, error);
  }

  close(): void {
    void this.checkpointer?.stop();
    this.db.close();
  }
}
