import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BoardStore, Lease } from '../../server/src/persistence/BoardStore.ts';
import { PostgresStore } from '../../server/src/persistence/PostgresStore.ts';
import { SqliteBoardStore } from '../../server/src/persistence/SqliteBoardStore.ts';
import { startPostgres, type TestPostgres } from '../helpers/postgres.ts';

/**
 * One contract, every BoardStore: the same tests run against the async SQLite store and against
 * PostgresStore on a real throw-away cluster. Two store instances on one database play two nodes.
 */

const TTL = 60_000;
/** Short enough for a test to wait out, long enough not to lapse mid-statement. */
const SHORT_TTL = 300;
const EMPTY = { mentor: null, mentee: null };
const SEATED = { mentor: { name: 'Ana', secretHash: 'a'.repeat(64), joinedAt: 1 }, mentee: null } as never;

type Backend = {
  name: string;
  setup(): Promise<void>;
  /** A store for node `nodeId` on the suite's one database. */
  open(nodeId: string): Promise<BoardStore>;
  teardown(): Promise<void>;
};

let pgCluster: TestPostgres | null = null;
let pgUrl = '';
let sqliteDir = '';

const backends: Backend[] = [
  {
    name: 'SqliteBoardStore',
    async setup() {
      sqliteDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-contract-'));
    },
    async open(nodeId) {
      // As in production: WAL checkpoints in SqliteStore's worker thread.
      return new SqliteBoardStore(path.join(sqliteDir, 'pairboard.sqlite'), { nodeId });
    },
    async teardown() {
      fs.rmSync(sqliteDir, { recursive: true, force: true });
    }
  },
  {
    name: 'PostgresStore',
    async setup() {
      pgCluster = await startPostgres();
      pgUrl = await pgCluster.createDatabase('contract');
    },
    async open(nodeId) {
      return PostgresStore.open({ connectionString: pgUrl, nodeId, poolSize: 4 });
    },
    async teardown() {
      await pgCluster?.stop();
    }
  }
];

let boardCounter = 0;
const newBoardId = () => `board${String(++boardCounter).padStart(17, '0')}`;

/** A real Yjs update that inserts `text` (the store treats it as bytes; loadDoc may check it). */
function yUpdate(text: string, doc = new Y.Doc()): Uint8Array {
  let update: Uint8Array | null = null;
  doc.once('update', (u: Uint8Array) => (update = u));
  doc.getText('t').insert(doc.getText('t').length, text);
  return update!;
}

function textOf(updates: Uint8Array[]): string {
  const doc = new Y.Doc();
  for (const u of updates) Y.applyUpdate(doc, u);
  return doc.getText('t').toString();
}

async function waitFor<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function claimed(store: BoardStore, boardId: string, ttl = TTL): Promise<Lease> {
  const result = await store.claimLease(boardId, ttl);
  if (!result.ok) throw new Error(`claim failed: ${result.code}`);
  return result.lease;
}

describe.each(backends)('$name', (backend) => {
  let a: BoardStore;
  let b: BoardStore;

  beforeAll(async () => {
    await backend.setup();
    a = await backend.open('node-a');
    b = await backend.open('node-b');
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await backend.teardown();
  });

  async function board(seats = EMPTY) {
    const id = newBoardId();
    expect(await a.createBoard({ id, createdAt: 1000, seats })).toEqual({ ok: true });
    return id;
  }

  it('[PERS2] creates boards once and reads them back', async () => {
    const id = await board(SEATED);
    expect(await a.getBoard(id)).toEqual({ id, createdAt: 1000, deletedAt: null, seats: SEATED, seatsVersion: 1 });
    expect(await b.createBoard({ id, createdAt: 2000, seats: EMPTY })).toMatchObject({ ok: false, code: 'AlreadyExists' });
    expect(await a.getBoard('nosuchboard00000000000')).toBeNull();
  });

  it('[FENCE2][FENCE3] appends a turn in order, loads it, and compaction deletes only the rows it folded', async () => {
    const id = await board();
    const { epoch } = await claimed(a, id);
    const doc = new Y.Doc();
    const first = await a.appendUpdates([
      { boardId: id, doc: 'mentor', update: yUpdate('one ', doc), epoch },
      { boardId: id, doc: 'shared', update: yUpdate('x'), epoch },
      { boardId: id, doc: 'mentor', update: yUpdate('two ', doc), epoch }
    ]);
    expect(first.every((o) => o.ok)).toBe(true);
    const seqs = first.map((o) => (o.ok ? o.seq : -1));
    expect(seqs[2]!).toBeGreaterThan(seqs[0]!);

    const loaded = await a.loadDoc(id, 'mentor');
    expect(loaded.updates).toHaveLength(2);
    expect(loaded.lastSeq).toBe(seqs[2]);
    expect(textOf(loaded.updates)).toBe('one two ');

    // A later turn lands after the load; the fold covers only what was loaded.
    const later = await a.appendUpdates([{ boardId: id, doc: 'mentor', update: yUpdate('three', doc), epoch }]);
    expect(later[0]!.ok).toBe(true);
    const merged = Y.mergeUpdates(loaded.updates);
    const compacted = await a.compactDoc(id, 'mentor', merged, loaded.lastSeq, epoch);
    expect(compacted.ok).toBe(true);

    const after = await a.loadDoc(id, 'mentor');
    expect(after.updates).toHaveLength(2); // the merged row + the later one, which survived
    expect(textOf(after.updates)).toBe('one two three');
    expect(textOf((await a.loadDoc(id, 'shared')).updates)).toBe('x');
  });

  it('[FENCE4] saves decided state only from the version it was computed from', async () => {
    const id = await board();
    const { epoch } = await claimed(a, id);
    expect(await a.loadState(id, 'session')).toBeNull();
    expect(await a.saveState(id, 'session', '{"n":1}', 0, epoch)).toEqual({ ok: true, version: 1 });
    // A second "first save" computed from nothing is stale now.
    expect(await a.saveState(id, 'session', '{"n":99}', 0, epoch)).toMatchObject({ ok: false, code: 'VersionConflict' });
    expect(await a.saveState(id, 'session', '{"n":2}', 1, epoch)).toEqual({ ok: true, version: 2 });
    expect(await a.saveState(id, 'session', '{"n":3}', 1, epoch)).toMatchObject({ ok: false, code: 'VersionConflict' });
    expect(await a.loadState(id, 'session')).toEqual({ json: '{"n":2}', version: 2 });
    expect(await a.loadState(id, 'games')).toBeNull();

    expect(await a.saveSeats(id, SEATED, 1, epoch)).toEqual({ ok: true, version: 2 });
    expect(await a.saveSeats(id, EMPTY, 1, epoch)).toMatchObject({ ok: false, code: 'VersionConflict' });
    expect((await a.getBoard(id))?.seats).toEqual(SEATED);
  });

  it('[FENCE4] of two nodes saving from the same version at once, exactly one wins', async () => {
    const id = await board();
    const { epoch } = await claimed(a, id);
    await a.saveState(id, 'games', '"v1"', 0, epoch);
    // Both writes carry a valid fence (same node, same epoch) and race on the version alone.
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => a.saveState(id, 'games', `"w${i}"`, 1, epoch)));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'VersionConflict')).toHaveLength(7);
    expect((await a.loadState(id, 'games'))?.version).toBe(2);
  });

  it('[LEASE2] claims a free board, re-claims its own without a new epoch, and is refused a live lease of another node', async () => {
    const id = await board();
    const lease = await claimed(a, id);
    expect(lease).toMatchObject({ boardId: id, nodeId: 'node-a', epoch: 1 });
    expect(lease.expiresAt).toBeGreaterThan(Date.now() + TTL - 5_000);
    expect((await claimed(a, id)).epoch).toBe(1);
    const refused = await b.claimLease(id, TTL);
    expect(refused).toMatchObject({ ok: false, code: 'LeaseHeld', holder: { nodeId: 'node-a', epoch: 1 } });
    expect(await b.claimLease('nosuchboard00000000000', TTL)).toMatchObject({ ok: false, code: 'BoardGone' });
  });

  it('[LEASE2][LEASE3] an expired lease is taken over with a higher epoch; renewing keeps it, and the old holder learns it lost it', async () => {
    const id = await board();
    const old = await claimed(a, id, SHORT_TTL);
    // Renewed in time: still refused to the other node.
    const renewed = await a.renewLeases([{ boardId: id, epoch: old.epoch }], SHORT_TTL);
    expect(renewed.renewed.map((l) => l.epoch)).toEqual([old.epoch]);
    expect(renewed.lost).toEqual([]);
    // Not renewed: once it expires node B takes it over, epoch + 1.
    const taken = await waitFor(async () => {
      const r = await b.claimLease(id, TTL);
      return r.ok ? r.lease : null;
    });
    expect(taken).toMatchObject({ nodeId: 'node-b', epoch: old.epoch + 1 });
    expect(await a.renewLeases([{ boardId: id, epoch: old.epoch }], TTL)).toEqual({ renewed: [], lost: [id] });
    expect(await a.getLease(id)).toMatchObject({ nodeId: 'node-b', epoch: old.epoch + 1 });
  });

  it('[LEASE4] a released board can be claimed at once by another node; a stale release changes nothing', async () => {
    const id = await board();
    const lease = await claimed(a, id);
    const released: string[] = [];
    const unsubscribe = await b.onSignal('leaseReleased', (boardId) => released.push(boardId));
    expect(await a.releaseLease(id, lease.epoch + 7)).toMatchObject({ ok: false, code: 'StaleEpoch' });
    expect(await a.releaseLease(id, lease.epoch)).toEqual({ ok: true });
    const next = await claimed(b, id);
    expect(next.epoch).toBe(lease.epoch + 1);
    await waitFor(async () => released.includes(id));
    unsubscribe();
  });

  it('[FENCE1] a node whose epoch is stale can write nothing: updates, compaction, state and seats are refused by the database', async () => {
    const id = await board();
    const other = await board();
    const stale = await claimed(a, id, SHORT_TTL);
    const stillOurs = await claimed(a, other);
    await a.saveState(id, 'session', '"before"', 0, stale.epoch);
    const kept = await a.appendUpdates([{ boardId: id, doc: 'mentee', update: yUpdate('kept'), epoch: stale.epoch }]);
    expect(kept[0]!.ok).toBe(true);
    const fresh = await waitFor(async () => {
      const r = await b.claimLease(id, TTL);
      return r.ok ? r.lease : null;
    });

    // Node A, paused through the takeover, wakes up and writes with its old epoch. One turn
    // holds updates of both boards: only the board it still owns is written.
    const outcomes = await a.appendUpdates([
      { boardId: id, doc: 'mentee', update: yUpdate('lost'), epoch: stale.epoch },
      { boardId: other, doc: 'mentee', update: yUpdate('fine'), epoch: stillOurs.epoch }
    ]);
    expect(outcomes[0]).toMatchObject({ ok: false, code: 'StaleEpoch' });
    expect(outcomes[1]!.ok).toBe(true);
    const before = await b.loadDoc(id, 'mentee');
    expect(await a.compactDoc(id, 'mentee', yUpdate('overwrite'), before.lastSeq, stale.epoch)).toMatchObject({ ok: false, code: 'StaleEpoch' });
    expect(await a.saveState(id, 'session', '"stale"', 1, stale.epoch)).toMatchObject({ ok: false, code: 'StaleEpoch' });
    expect(await a.saveSeats(id, SEATED, 1, stale.epoch)).toMatchObject({ ok: false, code: 'StaleEpoch' });
    // Guessing the new epoch does not help: the lease names the node too.
    expect(await a.saveState(id, 'session', '"guess"', 1, fresh.epoch)).toMatchObject({ ok: false, code: 'StaleEpoch' });

    expect(textOf((await b.loadDoc(id, 'mentee')).updates)).toBe('kept');
    expect(await b.loadState(id, 'session')).toEqual({ json: '"before"', version: 1 });
    expect((await b.getBoard(id))?.seatsVersion).toBe(1);
    // The new owner writes normally.
    expect(await b.saveState(id, 'session', '"after"', 1, fresh.epoch)).toEqual({ ok: true, version: 2 });
  });

  it('[FENCE1][FENCE3] takeover under fire: every update the old owner was told is stored reaches the new owner, nothing after', async () => {
    const id = await board();
    const old = await claimed(a, id, SHORT_TTL);
    const acked: string[] = [];
    const refused: string[] = [];
    let stop = false;
    // Node A keeps writing one turn after another while its lease runs out and B takes over.
    const writer = (async () => {
      for (let i = 0; !stop && i < 2_000; i++) {
        const word = `w${i} `;
        const [outcome] = await a.appendUpdates([{ boardId: id, doc: 'shared', update: yUpdate(word), epoch: old.epoch }]);
        (outcome!.ok ? acked : refused).push(word);
        if (!outcome!.ok) break;
      }
    })();
    const fresh = await waitFor(async () => {
      const r = await b.claimLease(id, TTL);
      return r.ok ? r.lease : null;
    });
    const loaded = await b.loadDoc(id, 'shared');
    stop = true;
    await writer;
    expect(acked.length).toBeGreaterThan(0);
    // The new owner folds what it loaded; nothing A was told is stored may be missing from it.
    const result = await b.compactDoc(id, 'shared', Y.mergeUpdates(loaded.updates), loaded.lastSeq, fresh.epoch);
    expect(result.ok).toBe(true);
    const final = (await b.loadDoc(id, 'shared')).updates;
    expect(final).toHaveLength(1);
    const text = textOf(final);
    for (const word of acked) expect(text).toContain(word);
    for (const word of refused) expect(text).not.toContain(word);
  });

  it('[HARD8][FENCE1] quarantines unreadable rows out of the document (owner only) and deletion erases them', async () => {
    const id = await board();
    const { epoch } = await claimed(a, id);
    const outcomes = await a.appendUpdates([
      { boardId: id, doc: 'shared', update: yUpdate('good'), epoch },
      { boardId: id, doc: 'shared', update: new Uint8Array([0xff, 0xfe, 0xfd]), epoch }
    ]);
    const badSeq = outcomes[1]!.ok ? outcomes[1]!.seq : -1;
    const before = await a.quarantinedRowCount();
    expect(await b.quarantineRows(id, 'shared', [badSeq], 'unreadable at load', epoch)).toMatchObject({ ok: false, code: 'StaleEpoch' });
    expect((await a.loadDoc(id, 'shared')).updates).toHaveLength(2);
    expect(await a.quarantineRows(id, 'shared', [badSeq], 'unreadable at load', epoch)).toEqual({ ok: true });
    const loaded = await a.loadDoc(id, 'shared');
    expect(loaded.updates).toHaveLength(1);
    expect(textOf(loaded.updates)).toBe('good');
    expect(await a.quarantinedRowCount()).toBe(before + 1);
    await a.deleteBoard(id, 2000);
    expect(await a.quarantinedRowCount()).toBe(before);
  });

  it('[LEASE2] two nodes claiming a free board at the same moment: exactly one gets it', async () => {
    const ids = [await board(), await board(), await board()];
    for (const id of ids) {
      const [ra, rb] = await Promise.all([a.claimLease(id, TTL), b.claimLease(id, TTL)]);
      expect([ra.ok, rb.ok].filter(Boolean)).toHaveLength(1);
      expect((ra.ok ? ra : rb.ok ? rb : null)?.lease.epoch).toBe(1);
    }
  });

  it('[PERS1] two nodes writing their own boards concurrently: every write of both is stored', async () => {
    const [ia, ib] = [await board(), await board()];
    const [la, lb] = [await claimed(a, ia), await claimed(b, ib)];
    const turns = (store: BoardStore, id: string, epoch: number, tag: string) =>
      Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          store.appendUpdates([
            { boardId: id, doc: 'shared', update: yUpdate(`${tag}${i}.`), epoch },
            { boardId: id, doc: 'mentor', update: yUpdate(`${tag}${i}.`), epoch }
          ])
        )
      );
    const [ra, rb] = await Promise.all([turns(a, ia, la.epoch, 'a'), turns(b, ib, lb.epoch, 'b')]);
    expect([...ra, ...rb].flat().every((o) => o.ok)).toBe(true);
    for (const [id, tag] of [
      [ia, 'a'],
      [ib, 'b']
    ] as const) {
      const text = textOf((await a.loadDoc(id, 'shared')).updates);
      for (let i = 0; i < 20; i++) expect(text).toContain(`${tag}${i}.`);
      expect((await b.loadDoc(id, 'mentor')).updates).toHaveLength(20);
    }
  });

  it('[DEL1][FENCE5] deletion erases updates, state and lease, keeps a tombstone, refuses every later write and tells every node', async () => {
    const id = await board(SEATED);
    const { epoch } = await claimed(a, id);
    await a.appendUpdates([{ boardId: id, doc: 'mentor', update: yUpdate('secret words'), epoch }]);
    await a.saveState(id, 'session', '{"private":true}', 0, epoch);
    const heard: string[] = [];
    const unsubscribe = await a.onSignal('boardDeleted', (boardId) => heard.push(boardId));

    // Any node may delete; here the one that does not own the board.
    expect(await b.deleteBoard(id, 5000)).toEqual({ ok: true });
    expect(await b.deleteBoard(id, 6000)).toMatchObject({ ok: false, code: 'BoardGone' });
    expect(await a.getBoard(id)).toEqual({ id, createdAt: 1000, deletedAt: 5000, seats: EMPTY, seatsVersion: 1 });
    expect((await a.loadDoc(id, 'mentor')).updates).toEqual([]);
    expect(await a.loadState(id, 'session')).toBeNull();
    expect(await a.getLease(id)).toBeNull();

    // The old owner's writes and a new claim are all refused.
    const [late] = await a.appendUpdates([{ boardId: id, doc: 'mentor', update: yUpdate('late'), epoch }]);
    expect(late).toMatchObject({ ok: false, code: 'BoardGone' });
    expect(await a.saveState(id, 'session', '{}', 1, epoch)).toMatchObject({ ok: false, code: 'BoardGone' });
    expect(await a.compactDoc(id, 'mentor', yUpdate('x'), 999_999, epoch)).toMatchObject({ ok: false, code: 'BoardGone' });
    expect(await a.claimLease(id, TTL)).toMatchObject({ ok: false, code: 'BoardGone' });
    expect((await a.loadDoc(id, 'mentor')).updates).toEqual([]);
    await waitFor(async () => heard.includes(id));
    unsubscribe();
  });

  it('[LEASE8] ping (behind /readyz) answers while the database is there', async () => {
    await expect(a.ping()).resolves.toBeUndefined();
  });
});

describe('PostgresStore only', () => {
  let cluster: TestPostgres;
  beforeAll(async () => {
    cluster = await startPostgres();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('[LEASE6] two nodes starting at once on an empty database migrate it exactly once', async () => {
    const url = await cluster.createDatabase('fresh');
    const [s1, s2] = await Promise.all([
      PostgresStore.open({ connectionString: url, nodeId: 'n1' }),
      PostgresStore.open({ connectionString: url, nodeId: 'n2' })
    ]);
    expect([s1.migration.applied.length, s2.migration.applied.length].sort()).toEqual([0, 1]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query('SELECT version FROM schema_migrations ORDER BY version');
    expect(rows).toEqual([{ version: 1 }]);
    await client.end();
    const again = await PostgresStore.open({ connectionString: url, nodeId: 'n3' });
    expect(again.migration).toMatchObject({ from: 1, to: 1, applied: [] });
    await Promise.all([s1.close(), s2.close(), again.close()]);
  });

  it('[FENCE1] a write racing a takeover waits for it on the lease row, then is refused', async () => {
    const url = await cluster.createDatabase('race');
    const store = await PostgresStore.open({ connectionString: url, nodeId: 'node-a' });
    const id = 'raceboard000000000000x';
    await store.createBoard({ id, createdAt: 1, seats: EMPTY });
    const lease = await claimed(store, id);
    // Another node's takeover, caught mid-transaction: the lease row is updated, not committed.
    const takeover = new pg.Client({ connectionString: url });
    const watcher = new pg.Client({ connectionString: url });
    await Promise.all([takeover.connect(), watcher.connect()]);
    await takeover.query('BEGIN');
    await takeover.query("UPDATE board_leases SET node_id = 'node-b', epoch = epoch + 1 WHERE board_id = $1", [id]);
    // The old owner writes now. Without the share lock it would read the committed (old) lease
    // and store the update; with it, it has to wait for the takeover to finish.
    const write = store.appendUpdates([{ boardId: id, doc: 'shared', update: yUpdate('racing'), epoch: lease.epoch }]);
    await waitFor(async () => {
      const { rows } = await watcher.query("SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%INSERT INTO doc_updates%'");
      return rows.length > 0;
    });
    await takeover.query('COMMIT');
    expect(await write).toEqual([expect.objectContaining({ ok: false, code: 'StaleEpoch' })]);
    expect((await store.loadDoc(id, 'shared')).updates).toEqual([]);
    await Promise.all([takeover.end(), watcher.end()]);
    await store.close();
  });

  it('[LEASE5] signals keep arriving after the listening connection is cut', async () => {
    const url = await cluster.createDatabase('signals');
    const store = await PostgresStore.open({ connectionString: url, nodeId: 'n1' });
    const heard: string[] = [];
    await store.subscribe('pairboard_board_deleted', (id) => heard.push(id));
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query("SELECT pg_notify('pairboard_board_deleted', 'first')");
    await waitFor(async () => heard.includes('first'));
    // Cut the listener's connection from the server side, as a database restart would.
    await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()");
    await waitFor(async () => store.signalConnections >= 2);
    await admin.query("SELECT pg_notify('pairboard_board_deleted', 'second')");
    await waitFor(async () => heard.includes('second'));
    await admin.end();
    await store.close();
  });

  it('[DEL3] a deletion is followed by VACUUM of the erased tables', async () => {
    const url = await cluster.createDatabase('vacuum');
    const store = await PostgresStore.open({ connectionString: url, nodeId: 'n1' });
    const id = 'vacuumboard0000000000x';
    await store.createBoard({ id, createdAt: 1, seats: EMPTY });
    const lease = await claimed(store, id);
    await store.appendUpdates([{ boardId: id, doc: 'shared', update: yUpdate('gone soon'), epoch: lease.epoch }]);
    await store.deleteBoard(id, 2);
    await store.vacuumed();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    const { rows } = await admin.query(
      "SELECT relname, vacuum_count::int AS n FROM pg_stat_user_tables WHERE relname IN ('doc_updates', 'board_state') ORDER BY relname"
    );
    // The statistics collector reports with a small delay.
    expect(rows.length).toBe(2);
    await waitFor(async () => {
      const r = await admin.query("SELECT min(vacuum_count)::int AS n FROM pg_stat_user_tables WHERE relname IN ('doc_updates', 'board_state')");
      return r.rows[0].n >= 1;
    });
    await admin.end();
    await store.close();
  });
});
