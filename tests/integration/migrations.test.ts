import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as Y from 'yjs';
import { expect, it } from 'vitest';
import { initialSessionState, seatCookieName, seatDoc } from '@pairboard/shared';
import { hashSecret } from '../../server/src/boards/secrets.ts';
import { SQLITE_SCHEMA_VERSION } from '../../server/src/persistence/sqliteMigrations.ts';
import { act, connectSocket, op, connectDoc, waitFor, waitForSynced, type Partner } from '../helpers/clients.ts';
import { usePair } from '../helpers/fixtures.ts';
import { recordReliability } from '../helpers/reliability.ts';
import { tempDataDir } from '../helpers/server.ts';

/** The server's SQLite driver (a dependency of server/, not of tests/), typed as far as used here. */
type SqliteDb = {
  pragma(source: string, options?: { simple: boolean }): unknown;
  exec(sql: string): void;
  prepare(sql: string): { run(...params: unknown[]): unknown };
  close(): void;
};
const Database = createRequire(path.resolve(import.meta.dirname, '../../server/package.json'))('better-sqlite3') as new (file: string) => SqliteDb;

/** The schema pairboard shipped before migrations existed (user_version 0), verbatim. */
const V1_SCHEMA = `
CREATE TABLE IF NOT EXISTS boards (id TEXT PRIMARY KEY, created_at INTEGER NOT NULL, deleted_at INTEGER, seats TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS board_state (board_id TEXT NOT NULL, key TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (board_id, key));
CREATE TABLE IF NOT EXISTS doc_updates (seq INTEGER PRIMARY KEY AUTOINCREMENT, board_id TEXT NOT NULL, doc TEXT NOT NULL, data BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS doc_updates_by_room ON doc_updates (board_id, doc, seq);
`;

const { pair, seat, onCleanup } = usePair();

/** A board written by the first release: seats, an answer in the mentor's document, bare JSON state. */
function writeV1Board(dataDir: string, boardId: string, stateRows: Record<string, string>) {
  const db = new Database(path.join(dataDir, 'pairboard.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(V1_SCHEMA);
  const secret = randomBytes(32).toString('base64url');
  const seats = { mentor: { name: 'Ana', secretHash: hashSecret(secret), claimedAt: 1 }, mentee: null };
  db.prepare('INSERT INTO boards VALUES (?, ?, NULL, ?)').run(boardId, Date.now(), JSON.stringify(seats));
  const doc = new Y.Doc();
  seatDoc.answer(doc, 'journey').insert(0, 'written by the first release');
  db.prepare('INSERT INTO doc_updates (board_id, doc, data) VALUES (?, ?, ?)').run(boardId, 'mentor', Buffer.from(Y.encodeStateAsUpdate(doc)));
  for (const [key, json] of Object.entries(stateRows)) db.prepare('INSERT INTO board_state VALUES (?, ?, ?)').run(boardId, key, json);
  expect(db.pragma('user_version', { simple: true })).toBe(0);
  db.close();
  return secret;
}

it('[OPS7, OPS6] a database from the first release migrates in place and everything in it reads back', async () => {
  const dataDir = tempDataDir();
  const boardId = 'AAAAAAAAAAAAAAAAAAAAAA';
  const legacySession = initialSessionState(Date.UTC(2026, 0, 1));
  legacySession.agreement.fields.meetings = 'Tuesdays';
  legacySession.agreement.version = 1;
  const secret = writeV1Board(dataDir, boardId, { session: JSON.stringify(legacySession) });

  const { server } = await pair({ dataDir });
  expect(server.store.migration).toMatchObject({ from: 0, to: SQLITE_SCHEMA_VERSION });
  const ana: Partner = { boardId, seat: 'mentor', cookie: `${seatCookieName(boardId)}=${secret}`, origin: 'http://test.invalid', baseUrl: server.url };

  const doc = connectDoc(ana, 'mentor');
  onCleanup(() => doc.destroy());
  await waitForSynced(doc);
  expect(seatDoc.answer(doc.doc, 'journey').toString()).toBe('written by the first release');

  const s = await seat(ana);
  expect(s.latest['session:view'].agreement.fields.meetings).toBe('Tuesdays');
  // The next write stores the versioned envelope.
  expect(await act(s.socket, 'session:act', { type: 'agreement:edit', opId: op(), field: 'notes-and-actions', value: 'after the upgrade' })).toMatchObject({
    ok: true
  });
  const stored = JSON.parse((await server.store.loadState(boardId, 'session'))!.json);
  expect(stored.v).toBe(2);
  expect(stored.state.agreement.fields).toMatchObject({ meetings: 'Tuesdays', 'notes-and-actions': 'after the upgrade' });
  recordReliability({
    scenario: 'Upgrade over a database of the first release',
    tried: 'v1 schema (user_version 0) with seats, a Yjs row and bare-JSON session state; opened by this release',
    figure: `migrated 0 → ${SQLITE_SCHEMA_VERSION} in place; answer, seats and agreement read back; next write versioned (v2)`,
    rules: ['OPS6', 'OPS7']
  });
});

it('[OPS6] an unreadable state row pauses that feature with a clear error, keeps the row, and the board still opens', async () => {
  const { server, ana, ben } = await pair();
  const broken = '{"v":1,"state":{"phase":"dancing"}}';
  // Written as the node serving the board would write it [FENCE1].
  const lease = await server.server.ownership.claim(ana.boardId);
  if (!lease.ok) throw new Error(lease.message);
  expect(await server.store.saveState(ana.boardId, 'games', broken, 0, lease.epoch)).toMatchObject({ ok: true });
  // No game view (the feature is paused for this board), but the session view comes.
  const client = connectSocket(ben);
  onCleanup(() => client.close());
  const seen: Record<string, unknown> = {};
  client.onAny((event: string, payload: unknown) => (seen[event] = payload));
  await waitFor(() => seen['session:view'], 'session view');
  const raw = { client, seen };
  expect(raw.seen['game:view']).toBeUndefined();
  const reply = await act(raw.client, 'game:act', { type: 'game:propose', opId: op(), gameId: 'connect-four' });
  expect(reply).toMatchObject({ ok: false, code: 'Internal' });
  expect(reply.message).toMatch(/games could not be read.*nothing was changed or lost/);
  expect((await server.store.loadState(ana.boardId, 'games'))?.json).toBe(broken);
  const ready = (await (await fetch(`${server.url}/readyz`)).json()) as { backgroundErrors: Record<string, number> };
  expect(ready.backgroundErrors['state-load']).toBeGreaterThanOrEqual(1);
});
