import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { runSqliteMigrations, SQLITE_MIGRATIONS, SQLITE_SCHEMA_VERSION } from './sqliteMigrations.ts';

it('[OPS7] migrations are numbered 1, 2, 3… with no gaps', () => {
  expect(SQLITE_MIGRATIONS.map((m) => m.version)).toEqual(SQLITE_MIGRATIONS.map((_, i) => i + 1));
});

it('[OPS7] a new database runs every migration once and records the version', () => {
  const db = new Database(':memory:');
  expect(runSqliteMigrations(db).applied).toHaveLength(SQLITE_MIGRATIONS.length);
  expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
  expect(runSqliteMigrations(db)).toEqual({ from: SQLITE_SCHEMA_VERSION, to: SQLITE_SCHEMA_VERSION, applied: [] });
});

it('[OPS7] a failing migration leaves the database at the previous version', () => {
  const db = new Database(':memory:');
  const migrations = [
    ...SQLITE_MIGRATIONS,
    {
      version: SQLITE_SCHEMA_VERSION + 1,
      name: 'half done',
      up: (d: Database.Database) => {
        d.exec('CREATE TABLE half (x)');
        throw new Error('disk full');
      }
    }
  ];
  expect(() => runSqliteMigrations(db, migrations)).toThrow('disk full');
  expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
  expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'half'").get()).toBeUndefined();
});

it('[OPS7] a database from a newer release is refused, not written', () => {
  const db = new Database(':memory:');
  db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 5}`);
  expect(() => runSqliteMigrations(db)).toThrow(/newer than this pairboard knows/);
});
