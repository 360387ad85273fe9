import pg from 'pg';
import type { DocName, SeatsState } from '@pairboard/shared';
import type { Logger } from '../log.ts';
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
import { PostgresListener } from './PostgresListener.ts';
import { runPostgresMigrations, type PostgresMigrationReport } from './postgresMigrations.ts';

export type PostgresStoreOptions = {
  /** `postgres://user:password@host:port/database` (DATABASE_URL). */
  connectionString: string;
  nodeId: string;
  /** Pooled connections of this node. */
  poolSize?: number;
  log?: Logger;
};

/** NOTIFY channels of the signals (LEASE5). */
const CHANNELS: Record<StoreSignal, string> = {
  boardDeleted: 'pairboard_board_deleted',
  leaseReleased: 'pairboard_lease_released',
  leaseWanted: 'pairboard_lease_wanted'
};

/** A lease row as the queries below return it: expiry in ms on the database's clock. */
const LEASE_COLUMNS = `board_id, node_id, epoch::float8 AS epoch, (extract(epoch FROM expires_at) * 1000)::float8 AS expires_ms`;
type LeaseRow = { board_id: string; node_id: string; epoch: number; expires_ms: number };
const toLease = (row: LeaseRow): Lease => ({ boardId: row.board_id, nodeId: row.node_id, epoch: row.epoch, expiresAt: Math.round(row.expires_ms) });

/**
 * This node's lease on board $1 at epoch $2, share-locked until the statement's transaction ends
 * [FENCE1]. The lock is what makes the fence hold under concurrency: a takeover (an UPDATE of the
 * lease row) waits for every write that already passed the check to commit, so the new owner,
 * which loads after its claim, sees them all; and a write that comes after the takeover re-reads
 * the row, finds the new epoch and writes nothing.
 */
const FENCE_CTE = (board: string, epoch: string, node: string) =>
  `fence AS (SELECT 1 FROM board_leases WHERE board_id = ${board} AND node_id = ${node} AND epoch = ${epoch} FOR SHARE)`;

const toBuffer = (bytes: Uint8Array) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The shared store for several nodes: Postgres through node-postgres' pool, parameterised
 * queries only. Every write is fenced by the database itself (see FENCE_CTE); the node's lease
 * and epoch bookkeeping lives with the caller.
 */
export class PostgresStore implements BoardStore {
  readonly nodeId: string;
  readonly migration: PostgresMigrationReport;
  private readonly pool: pg.Pool;
  private readonly listener: PostgresListener;
  private readonly log: Logger | undefined;
  private vacuum: { running: Promise<void> | null; again: boolean } = { running: null, again: false };

  private constructor(pool: pg.Pool, listener: PostgresListener, options: PostgresStoreOptions, migration: PostgresMigrationReport) {
    this.pool = pool;
    this.listener = listener;
    this.nodeId = options.nodeId;
    this.log = options.log;
    this.migration = migration;
  }

  /** Connects, migrates (under an advisory lock, so nodes may start together) and returns the store. */
  static async open(options: PostgresStoreOptions): Promise<PostgresStore> {
    const pool = new pg.Pool({ connectionString: options.connectionString, max: options.poolSize ?? 10 });
    // An idle pooled connection that dies (database restart) must not crash the node; the pool
    // replaces it on the next query.
    pool.on('error', (error) => options.log?.warn('idle database connection lost', { error: error.message }));
    let migration: PostgresMigrationReport;
    try {
      const client = await pool.connect();
      try {
        migration = await runPostgresMigrations(client);
      } finally {
        client.release();
      }
    } catch (error) {
      await pool.end().catch(() => {});
      throw error;
    }
    const listener = new PostgresListener({ connectionString: options.connectionString }, options.log?.child('signals'));
    return new PostgresStore(pool, listener, options, migration);
  }

  // ---- boards and seats ----

  async createBoard(board: { id: string; createdAt: number; seats: SeatsState }): Promise<StoreResult> {
    const { rowCount } = await this.pool.query(
      'INSERT INTO boards (id, created_at, deleted_at, seats, seats_version) VALUES ($1, $2, NULL, $3, 1) ON CONFLICT (id) DO NOTHING',
      [board.id, board.createdAt, JSON.stringify(board.seats)]
    );
    return rowCount === 1 ? { ok: true } : storeFailure('AlreadyExists', 'A board with that id exists already.');
  }

  async getBoard(id: string): Promise<StoredBoard | null> {
    const { rows } = await this.pool.query<{ id: string; created_at: string; deleted_at: string | null; seats: string; seats_version: number }>(
      'SELECT id, created_at, deleted_at, seats, seats_version FROM boards WHERE id = $1',
      [id]
    );
    const row = rows[0];
    if (!row) return null;
    const deletedAt = row.deleted_at === null ? null : Number(row.deleted_at);
    return {
      id: row.id,
      createdAt: Number(row.created_at),
      deletedAt,
      seats: deletedAt === null ? (JSON.parse(row.seats) as SeatsState) : { mentor: null, mentee: null },
      seatsVersion: row.seats_version
    };
  }

  async saveSeats(id: string, seats: SeatsState, expectedVersion: number, epoch: number): Promise<StoreResult<{ version: number }>> {
    const { rows } = await this.pool.query<{ version: number }>(
      `WITH ${FENCE_CTE('$1', '$4', '$5')}
       UPDATE boards SET seats = $2, seats_version = seats_version + 1
        WHERE id = $1 AND deleted_at IS NULL AND seats_version = $3 AND EXISTS (SELECT 1 FROM fence)
       RETURNING seats_version AS version`,
      [id, JSON.stringify(seats), expectedVersion, epoch, this.nodeId]
    );
    if (rows[0]) return { ok: true, version: rows[0].version };
    return (await this.whyRefused(id, epoch)) ?? storeFailure('VersionConflict', 'The seats changed since they were read.');
  }

  // ---- decided state ----

  async loadState(id: string, key: StateKey): Promise<StoredState | null> {
    const { rows } = await this.pool.query<StoredState>('SELECT json, version FROM board_state WHERE board_id = $1 AND key = $2', [id, key]);
    return rows[0] ?? null;
  }

  async saveState(id: string, key: StateKey, json: string, expectedVersion: number, epoch: number): Promise<StoreResult<{ version: number }>> {
    // Version 0 means "there was no state": only an insert can match it, and only once.
    const { rows } =
      expectedVersion === 0
        ? await this.pool.query<{ version: number }>(
            `WITH ${FENCE_CTE('$1', '$4', '$5')}
             INSERT INTO board_state (board_id, key, json, version) SELECT $1, $2, $3, 1 WHERE EXISTS (SELECT 1 FROM fence)
             ON CONFLICT (board_id, key) DO NOTHING RETURNING version`,
            [id, key, json, epoch, this.nodeId]
          )
        : await this.pool.query<{ version: number }>(
            `WITH ${FENCE_CTE('$1', '$4', '$5')}
             UPDATE board_state SET json = $3, version = version + 1
              WHERE board_id = $1 AND key = $2 AND version = $6 AND EXISTS (SELECT 1 FROM fence)
             RETURNING version`,
            [id, key, json, epoch, this.nodeId, expectedVersion]
          );
    if (rows[0]) return { ok: true, version: rows[0].version };
    return (await this.whyRefused(id, epoch)) ?? storeFailure('VersionConflict', 'The state changed since it was read.');
  }

  // ---- documents ----

  async loadDoc(boardId: string, doc: DocName): Promise<StoredDoc> {
    const { rows } = await this.pool.query<{ seq: string; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE board_id = $1 AND doc = $2 ORDER BY seq', [
      boardId,
      doc
    ]);
    return {
      updates: rows.map((r) => new Uint8Array(r.data.buffer, r.data.byteOffset, r.data.byteLength)),
      lastSeq: Number(rows.at(-1)?.seq ?? 0),
      seqs: rows.map((r) => Number(r.seq))
    };
  }

  async appendUpdates(batch: readonly FencedUpdate[]): Promise<AppendOutcome[]> {
    if (batch.length === 0) return [];
    // One statement, so one transaction and one commit for the whole turn. The leases of every
    // board in the batch are share-locked in id order (a fixed order: no deadlock with renewals).
    // Rows are inserted in batch order, so their seqs ascend with it.
    const { rows } = await this.pool.query<{ ords: string[]; seqs: string[] }>(
      `WITH input AS (
         SELECT * FROM unnest($1::text[], $2::text[], $3::bytea[], $4::bigint[]) WITH ORDINALITY AS u(board_id, doc, data, epoch, ord)
       ),
       fence AS (
         SELECT board_id, epoch FROM board_leases
          WHERE node_id = $5 AND board_id = ANY($1::text[]) ORDER BY board_id FOR SHARE
       ),
       allowed AS (
         SELECT input.* FROM input JOIN fence ON fence.board_id = input.board_id AND fence.epoch = input.epoch
       ),
       inserted AS (
         INSERT INTO doc_updates (board_id, doc, data) SELECT board_id, doc, data FROM allowed ORDER BY ord RETURNING seq
       )
       SELECT (SELECT coalesce(array_agg(ord ORDER BY ord), '{}') FROM allowed) AS ords,
              (SELECT coalesce(array_agg(seq ORDER BY seq), '{}') FROM inserted) AS seqs`,
      [batch.map((u) => u.boardId), batch.map((u) => u.doc), batch.map((u) => toBuffer(u.update)), batch.map((u) => u.epoch), this.nodeId]
    );
    const ords = (rows[0]?.ords ?? []).map(Number);
    const seqs = (rows[0]?.seqs ?? []).map(Number);
    const outcomes: (AppendOutcome | null)[] = batch.map(() => null);
    ords.forEach((ord, i) => (outcomes[ord - 1] = { ok: true, seq: seqs[i]! }));
    // Refusals are rare (a takeover or a deletion): say why, board by board.
    const reasons = new Map<string, StoreFailure>();
    for (let i = 0; i < batch.length; i++) {
      if (outcomes[i]) continue;
      const { boardId, epoch } = batch[i]!;
      const key = `${boardId}\u0000${epoch}`;
      if (!reasons.has(key)) reasons.set(key, (await this.whyRefused(boardId, epoch)) ?? storeFailure('StaleEpoch', 'The lease moved while writing.'));
      outcomes[i] = reasons.get(key)!;
    }
    return outcomes as AppendOutcome[];
  }

  async compactDoc(boardId: string, doc: DocName, merged: Uint8Array, upToSeq: number, epoch: number): Promise<StoreResult<{ seq: number }>> {
    // Delete and insert in one statement under the fence: only rows up to upToSeq (the ones
    // folded into `merged`) go; rows appended since stay.
    const { rows } = await this.pool.query<{ seq: string }>(
      `WITH ${FENCE_CTE('$1', '$5', '$6')},
       folded AS (DELETE FROM doc_updates WHERE board_id = $1 AND doc = $2 AND seq <= $4 AND EXISTS (SELECT 1 FROM fence))
       INSERT INTO doc_updates (board_id, doc, data) SELECT $1, $2, $3 WHERE EXISTS (SELECT 1 FROM fence) RETURNING seq`,
      [boardId, doc, toBuffer(merged), upToSeq, epoch, this.nodeId]
    );
    if (rows[0]) return { ok: true, seq: Number(rows[0].seq) };
    return (await this.whyRefused(boardId, epoch)) ?? storeFailure('StaleEpoch', 'The lease moved while compacting.');
  }

  async quarantineRows(boardId: string, doc: DocName, seqs: readonly number[], reason: string, epoch: number): Promise<StoreResult> {
    const { rows } = await this.pool.query<{ fenced: number; kept: number }>(
      `WITH ${FENCE_CTE('$1', '$5', '$6')},
       moved AS (
         DELETE FROM doc_updates WHERE board_id = $1 AND doc = $2 AND seq = ANY($3::bigint[]) AND EXISTS (SELECT 1 FROM fence)
         RETURNING seq, board_id, doc, data
       ),
       kept AS (
         INSERT INTO quarantined_updates (seq, board_id, doc, data, reason, at)
         SELECT seq, board_id, doc, data, $4, $7 FROM moved ON CONFLICT (seq) DO NOTHING RETURNING 1
       )
       SELECT (SELECT count(*) FROM fence)::int AS fenced, (SELECT count(*) FROM kept)::int AS kept`,
      [boardId, doc, [...seqs], reason, epoch, this.nodeId, Date.now()]
    );
    if (rows[0]?.fenced === 1) return { ok: true };
    return (await this.whyRefused(boardId, epoch)) ?? storeFailure('StaleEpoch', 'The lease moved while quarantining.');
  }

  async quarantinedRowCount(): Promise<number> {
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM quarantined_updates');
    return rows[0]?.n ?? 0;
  }

  // ---- ownership ----

  async claimLease(boardId: string, ttlMs: number): Promise<StoreResult<{ lease: Lease }> | (StoreFailure & { holder?: Lease })> {
    return this.transaction(async (client) => {
      // Share-locks the board row: a deletion (which locks it for update) cannot interleave.
      const board = await client.query('SELECT 1 FROM boards WHERE id = $1 AND deleted_at IS NULL FOR SHARE', [boardId]);
      if (board.rowCount === 0) return storeFailure('BoardGone', 'There is no such board (or it was deleted).');
      // Free, expired, released or ours: take it. The epoch stays only when it was ours and alive.
      const { rows } = await client.query<LeaseRow>(
        `INSERT INTO board_leases AS l (board_id, node_id, epoch, expires_at)
         VALUES ($1, $2, 1, clock_timestamp() + $3 * interval '1 millisecond')
         ON CONFLICT (board_id) DO UPDATE SET
           epoch = CASE WHEN l.node_id = excluded.node_id AND l.expires_at > clock_timestamp() THEN l.epoch ELSE l.epoch + 1 END,
           node_id = excluded.node_id,
           expires_at = excluded.expires_at
         WHERE l.node_id = excluded.node_id OR l.expires_at <= clock_timestamp()
         RETURNING ${LEASE_COLUMNS}`,
        [boardId, this.nodeId, ttlMs]
      );
      if (rows[0]) return { ok: true as const, lease: toLease(rows[0]) };
      const holder = await client.query<LeaseRow>(`SELECT ${LEASE_COLUMNS} FROM board_leases WHERE board_id = $1`, [boardId]);
      return { ...storeFailure('LeaseHeld', 'Another node serves this board.'), ...(holder.rows[0] ? { holder: toLease(holder.rows[0]) } : {}) };
    });
  }

  async renewLeases(leases: readonly { boardId: string; epoch: number }[], ttlMs: number): Promise<{ renewed: Lease[]; lost: string[] }> {
    if (leases.length === 0) return { renewed: [], lost: [] };
    // Locks in id order, like appendUpdates, so the two never deadlock.
    const { rows } = await this.pool.query<LeaseRow>(
      `WITH wanted AS (SELECT * FROM unnest($1::text[], $2::bigint[]) AS w(board_id, epoch)),
       locked AS (
         SELECT l.board_id AS locked_id FROM board_leases l JOIN wanted w ON w.board_id = l.board_id AND w.epoch = l.epoch
          WHERE l.node_id = $3 ORDER BY l.board_id FOR UPDATE OF l
       )
       UPDATE board_leases SET expires_at = clock_timestamp() + $4 * interval '1 millisecond'
        FROM locked WHERE board_leases.board_id = locked.locked_id
       RETURNING ${LEASE_COLUMNS}`,
      [leases.map((l) => l.boardId), leases.map((l) => l.epoch), this.nodeId, ttlMs]
    );
    const renewed = rows.map(toLease);
    const kept = new Set(renewed.map((l) => l.boardId));
    return { renewed, lost: leases.map((l) => l.boardId).filter((id) => !kept.has(id)) };
  }

  async releaseLease(boardId: string, epoch: number): Promise<StoreResult> {
    // Expires the lease now (the row and its epoch stay, so epochs only grow) and tells the other
    // nodes in the same statement; NOTIFY is delivered when it commits.
    const { rowCount } = await this.pool.query(
      `WITH released AS (
         UPDATE board_leases SET expires_at = clock_timestamp()
          WHERE board_id = $1 AND node_id = $2 AND epoch = $3 RETURNING board_id
       )
       SELECT pg_notify($4, board_id) FROM released`,
      [boardId, this.nodeId, epoch, CHANNELS.leaseReleased]
    );
    if (rowCount === 1) return { ok: true };
    return (await this.whyRefused(boardId, epoch)) ?? storeFailure('StaleEpoch', 'This node no longer holds that lease.');
  }

  async getLease(boardId: string): Promise<Lease | null> {
    const { rows } = await this.pool.query<LeaseRow>(`SELECT ${LEASE_COLUMNS} FROM board_leases WHERE board_id = $1`, [boardId]);
    return rows[0] ? toLease(rows[0]) : null;
  }

  // ---- deletion, signals, health ----

  /**
   * [DEL3] Deletes the board's rows in one transaction (the lease too, so the owner's next write
   * is refused), keeps the tombstone, then runs VACUUM in the background so the freed space is
   * reclaimed. Postgres does not zero freed tuples: the bytes stay in the table files until the
   * space is reused, and in WAL segments and backups until those rotate out.
   */
  async deleteBoard(id: string, at: number): Promise<StoreResult> {
    const deleted = await this.transaction(async (client) => {
      const board = await client.query('SELECT 1 FROM boards WHERE id = $1 AND deleted_at IS NULL FOR UPDATE', [id]);
      if (board.rowCount === 0) return false;
      await client.query('DELETE FROM board_leases WHERE board_id = $1', [id]);
      await client.query('DELETE FROM doc_updates WHERE board_id = $1', [id]);
      await client.query('DELETE FROM quarantined_updates WHERE board_id = $1', [id]);
      await client.query('DELETE FROM board_state WHERE board_id = $1', [id]);
      await client.query("UPDATE boards SET deleted_at = $2, seats = '{}' WHERE id = $1", [id, at]);
      await client.query('SELECT pg_notify($1, $2)', [CHANNELS.boardDeleted, id]);
      return true;
    });
    if (!deleted) return storeFailure('BoardGone', 'There is no such board (or it was deleted already).');
    void this.vacuumSoon();
    return { ok: true };
  }

  /** Resolves when the VACUUM queued by the last deletion has run (tests, shutdown). */
  async vacuumed(): Promise<void> {
    while (this.vacuum.running) await this.vacuum.running;
  }

  async notify(signal: 'leaseWanted', boardId: string, epoch: number): Promise<void> {
    // "<board id> <epoch>": board ids are base64url, so the space is unambiguous.
    await this.pool.query('SELECT pg_notify($1, $2)', [CHANNELS[signal], `${boardId} ${epoch}`]);
  }

  async onSignal(signal: StoreSignal, listener: SignalListener): Promise<() => void> {
    const unsubscribe = await this.subscribe(CHANNELS[signal], (payload) => {
      const [boardId = '', epoch] = payload.split(' ');
      const parsed = Number(epoch);
      // A payload without an epoch (deletions, releases, or an ask from an older node) has none.
      if (epoch !== undefined && Number.isSafeInteger(parsed)) listener(boardId, parsed);
      else listener(boardId);
    });
    return () => void unsubscribe();
  }

  /** LISTEN on any channel over the dedicated, reconnecting connection. */
  subscribe(channel: string, handler: (payload: string) => void): Promise<() => Promise<void>> {
    return this.listener.subscribe(channel, handler);
  }

  /** The signal connection, for tests that cut it. */
  get signalConnections(): number {
    return this.listener.connections;
  }

  async ping(): Promise<void> {
    await this.pool.query('SELECT 1 FROM boards LIMIT 1');
  }

  async close(): Promise<void> {
    await this.vacuumed();
    await this.listener.close();
    await this.pool.end();
  }

  // ---- internals ----

  /** Why a fenced write matched nothing, if the fence was the reason (null: it was the version). */
  private async whyRefused(boardId: string, epoch: number): Promise<StoreFailure | null> {
    const { rows } = await this.pool.query<{ live: boolean; node_id: string | null; epoch: number | null }>(
      `SELECT b.deleted_at IS NULL AS live, l.node_id, l.epoch::float8 AS epoch
         FROM boards b LEFT JOIN board_leases l ON l.board_id = b.id WHERE b.id = $1`,
      [boardId]
    );
    const row = rows[0];
    if (!row || !row.live) return storeFailure('BoardGone', 'This board was deleted.');
    if (row.node_id !== this.nodeId || row.epoch !== epoch) return storeFailure('StaleEpoch', 'Another node took this board over; nothing was written.');
    return null;
  }

  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  /** One VACUUM at a time; deletions during one ask for one more afterwards. Best effort. */
  private vacuumSoon(): Promise<void> {
    if (this.vacuum.running) {
      this.vacuum.again = true;
      return this.vacuum.running;
    }
    this.vacuum.running = (async () => {
      do {
        this.vacuum.again = false;
        try {
          await this.pool.query('VACUUM board_state, doc_updates, quarantined_updates, board_leases');
        } catch (error) {
          this.log?.warn('vacuum after delete failed', { error: String(error) });
        }
      } while (this.vacuum.again);
      this.vacuum.running = null;
    })();
    return this.vacuum.running;
  }
}
