import type pg from 'pg';

/**
 * The Postgres schema as numbered migrations [LEASE6]. `schema_migrations` records each one
 * applied; they run at start inside ONE transaction holding a transaction-scoped advisory lock,
 * so two nodes starting at once apply them exactly once (the second waits, then finds nothing
 * to do) and a failure leaves the previous version intact.
 *
 * TO CHANGE THE SCHEMA: append `{ version: <last + 1>, name, sql }`. Never edit or reorder a
 * migration that has shipped.
 */
export type PostgresMigration = { version: number; name: string; sql: string };

export const POSTGRES_MIGRATIONS: readonly PostgresMigration[] = [
  {
    version: 1,
    name: 'boards, board_leases, board_state, doc_updates, quarantined_updates',
    sql: `
      CREATE TABLE boards (
        id text PRIMARY KEY,
        created_at bigint NOT NULL,
        deleted_at bigint,
        seats text NOT NULL,
        seats_version integer NOT NULL DEFAULT 1
      );
      -- One row per board that was ever claimed. Never deleted while the board lives, so an
      -- epoch can only grow: a node that was fenced out can never hold a valid epoch again.
      CREATE TABLE board_leases (
        board_id text PRIMARY KEY,
        node_id text NOT NULL,
        epoch bigint NOT NULL,
        expires_at timestamptz NOT NULL
      );
      CREATE INDEX board_leases_by_node ON board_leases (node_id);
      CREATE TABLE board_state (
        board_id text NOT NULL,
        key text NOT NULL,
        json text NOT NULL,
        version integer NOT NULL,
        PRIMARY KEY (board_id, key)
      );
      CREATE TABLE doc_updates (
        seq bigserial PRIMARY KEY,
        board_id text NOT NULL,
        doc text NOT NULL,
        data bytea NOT NULL
      );
      CREATE INDEX doc_updates_by_room ON doc_updates (board_id, doc, seq);
      -- [HARD8] Rows that could not be read at load, kept out of the document's path.
      CREATE TABLE quarantined_updates (
        seq bigint PRIMARY KEY,
        board_id text NOT NULL,
        doc text NOT NULL,
        data bytea NOT NULL,
        reason text NOT NULL,
        at bigint NOT NULL
      );
      CREATE INDEX quarantined_updates_by_board ON quarantined_updates (board_id);
    `
  }
];

/** Any 64-bit number that no other application on the same database uses for its advisory lock. */
const MIGRATION_LOCK_KEY = 0x7061697262; // "pairb"

export type PostgresMigrationReport = { from: number; to: number; applied: string[] };

export async function runPostgresMigrations(
  client: pg.PoolClient | pg.Client,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS
): Promise<PostgresMigrationReport> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const { rows } = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM schema_migrations');
    const from = rows[0]?.v ?? 0;
    const latest = migrations.at(-1)?.version ?? 0;
    if (from > latest) {
      throw new Error(`This database is at schema version ${from}, newer than this pairboard knows (${latest}). Refusing to open it; run a newer release.`);
    }
    const applied: string[] = [];
    for (const migration of migrations) {
      if (migration.version <= from) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      applied.push(`${migration.version} ${migration.name}`);
    }
    await client.query('COMMIT');
    return { from, to: Math.max(from, latest), applied };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}
