import type Database from 'better-sqlite3';

/**
 * [OPS7] The SQLite schema as numbered migrations, run in order at start. The database's
 * `PRAGMA user_version` holds the number of the last one applied; each migration runs in one
 * transaction together with the bump, so a crash mid-migration leaves the previous version intact.
 *
 * TO ADD A TABLE OR COLUMN: append `{ version: <last + 1>, name, up }` to SQLITE_MIGRATIONS below.
 * Never edit or reorder a migration that has shipped: databases out there have already run it.
 * (A migration test in tests/integration/migrations.test.ts opens a database of the first release.)
 */
export type SqliteMigration = { version: number; name: string; up(db: Database.Database): void };

export const SQLITE_MIGRATIONS: readonly SqliteMigration[] = [
  {
    version: 1,
    // The schema pairboard shipped with before migrations existed (user_version 0). IF NOT EXISTS
    // makes it a no-op on such a database, which then simply records that it is at version 1.
    name: 'boards, board_state, doc_updates',
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS boards (
          id TEXT PRIMARY KEY,
          created_at INTEGER NOT NULL,
          deleted_at INTEGER,
          seats TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS board_state (
          board_id TEXT NOT NULL,
          key TEXT NOT NULL,
          json TEXT NOT NULL,
          PRIMARY KEY (board_id, key)
        );
        CREATE TABLE IF NOT EXISTS doc_updates (
          seq INTEGER PRIMARY KEY AUTOINCREMENT,
          board_id TEXT NOT NULL,
          doc TEXT NOT NULL,
          data BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS doc_updates_by_room ON doc_updates (board_id, doc, seq);
      `);
    }
  },
  {
    version: 2,
    // [HARD8] Rows set aside at load (SqliteQuarantine). IF NOT EXISTS: databases where
    // SqliteQuarantine already created it before this migration existed keep theirs as is.
    name: 'quarantined_updates',
    up(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS quarantined_updates (
          seq INTEGER PRIMARY KEY,
          board_id TEXT NOT NULL,
          doc TEXT NOT NULL,
          data BLOB NOT NULL,
          reason TEXT NOT NULL,
          at INTEGER NOT NULL
        );
      `);
    }
  },
  {
    version: 3,
    // [LEASE1][FENCE1][FENCE4] Leases and version counters of the async store. Databases opened by
    // the first SqliteBoardStore ran this as its own migration (table board_store_migrations):
    // they already have it all, so only the bookkeeping table goes.
    name: 'board_leases, seats_version, board_state.version',
    up(db) {
      const ranBefore = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'board_leases'").get() !== undefined;
      if (!ranBefore) {
        db.exec(`
          CREATE TABLE board_leases (
            board_id TEXT PRIMARY KEY,
            node_id TEXT NOT NULL,
            epoch INTEGER NOT NULL,
            expires_at INTEGER NOT NULL
          );
          ALTER TABLE boards ADD COLUMN seats_version INTEGER NOT NULL DEFAULT 1;
          ALTER TABLE board_state ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
        `);
      }
      db.exec('DROP TABLE IF EXISTS board_store_migrations');
    }
  }
];

export const SQLITE_SCHEMA_VERSION = SQLITE_MIGRATIONS.at(-1)!.version;

export type MigrationReport = { from: number; to: number; applied: string[] };

/**
 * Brings the database up to SQLITE_SCHEMA_VERSION. A database from a newer pairboard is refused
 * (thrown at start, before anything is served) rather than written with an older idea of its shape.
 */
export function runSqliteMigrations(db: Database.Database, migrations: readonly SqliteMigration[] = SQLITE_MIGRATIONS): MigrationReport {
  const from = db.pragma('user_version', { simple: true }) as number;
  const latest = migrations.at(-1)?.version ?? 0;
  if (from > latest) {
    throw new Error(`This database is at schema version ${from}, newer than this pairboard knows (${latest}). Refusing to open it; run a newer release.`);
  }
  const applied: string[] = [];
  for (const migration of migrations) {
    if (migration.version <= from) continue;
    db.transaction(() => {
      migration.up(db);
      // PRAGMA takes no bound parameters; the version is our own integer.
      db.pragma(`user_version = ${Math.trunc(migration.version)}`);
    })();
    applied.push(`${migration.version} ${migration.name}`);
  }
  return { from, to: Math.max(from, latest), applied };
}
