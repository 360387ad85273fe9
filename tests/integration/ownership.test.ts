import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { io } from 'socket.io-client';
import { CLOSE_CODES, PROTOCOL_VERSION, SOCKET_IO_PATH } from '@pairboard/shared';
import { apiCall, connectDoc, connectSocket, createBoard, joinBoard, waitFor, waitForSynced, type Partner } from '../helpers/clients.ts';
import { useCleanup } from '../helpers/fixtures.ts';
import { openRawYjs, syncFrame, upgradeStatus } from '../helpers/rawYjs.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';
import { seatDoc } from '../../shared/src/docShape.ts';

/**
 * Two nodes on one SQLite file in this process (SqliteBoardStore shares its signals per file):
 * the same lease rules as on Postgres, without a cluster. The multi-node proof through HAProxy is
 * tests/integration/multinode.test.ts.
 */
const onCleanup = useCleanup();

async function twoNodes(env: Record<string, string> = {}): Promise<[TestServer, TestServer]> {
  const dataDir = tempDataDir();
  const a = await startServer({ dataDir, env: { NODE_ID: 'node-a', ...env } });
  onCleanup(() => a.stop());
  const b = await startServer({ dataDir, env: { NODE_ID: 'node-b', ...env }, takeOverLeases: false });
  onCleanup(() => b.stop());
  return [a, b];
}

/** The same partner, talking to another node. */
const via = (partner: Partner, node: TestServer): Partner => ({ ...partner, baseUrl: node.url, origin: node.url });

function handshake(partner: Partner, board = partner.boardId): Promise<{ ok: true } | { ok: false; code: string; retryAfterMs?: number }> {
  const socket = io(partner.baseUrl, {
    path: SOCKET_IO_PATH,
    transports: ['websocket'],
    query: { board },
    auth: { boardId: partner.boardId, protocol: PROTOCOL_VERSION },
    extraHeaders: { cookie: partner.cookie, origin: partner.origin },
    reconnection: false
  });
  onCleanup(() => socket.close());
  return new Promise((resolve) => {
    socket.on('connect', () => resolve({ ok: true }));
    socket.on('connect_error', (error) => {
      const data = (error as Error & { data?: { code: string; retryAfterMs?: number } }).data;
      resolve({ ok: false, code: data?.code ?? 'transport', ...(data?.retryAfterMs ? { retryAfterMs: data.retryAfterMs } : {}) });
    });
  });
}

describe('ownership on one node and between two', () => {
  it('[LEASE9][LEASE2] a board another node serves is refused with BoardMoved on REST, Yjs and Socket.IO, and nothing is written', async () => {
    const [a, b] = await twoNodes();
    const ana = await createBoard(a.url, 'Ana', 'mentor');
    // Ana's documents open on node A: it holds the lease now.
    const own = connectDoc(ana, 'mentor');
    onCleanup(() => own.destroy());
    await waitForSynced(own);
    expect(await a.store.getLease(ana.boardId)).toMatchObject({ nodeId: 'node-a', epoch: 1 });

    // Ben reaches node B: it may read the board, but not write its seats.
    const view = await apiCall(b.url, 'GET', `/api/boards/${ana.boardId}`);
    expect(view.status).toBe(200);
    const join = await fetch(`${b.url}/api/boards/${ana.boardId}/seats`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: b.url },
      body: JSON.stringify({ name: 'Ben' })
    });
    expect(join.status).toBe(503);
    expect(Number(join.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await join.json()).toMatchObject({ ok: false, code: 'BoardMoved' });
    expect((await b.store.getBoard(ana.boardId))!.seats.mentee).toBeNull();

    // Ana herself, sent to node B: her Yjs upgrade and her Socket.IO handshake are refused.
    const upgrade = await upgradeStatus(via(ana, b), 'mentor');
    expect(upgrade.status).toBe(503);
    expect(await handshake(via(ana, b))).toMatchObject({ ok: false, code: 'BoardMoved' });
    // …while node A serves her, and the lease did not move.
    expect(await handshake(ana)).toEqual({ ok: true });
    expect(await a.store.getLease(ana.boardId)).toMatchObject({ nodeId: 'node-a', epoch: 1 });
  });

  it('[LEASE10] a Socket.IO handshake routed for another board is refused', async () => {
    const [a] = await twoNodes();
    const ana = await createBoard(a.url, 'Ana', 'mentor');
    const other = await createBoard(a.url, 'Cleo', 'mentor');
    expect(await handshake(ana, other.boardId)).toMatchObject({ ok: false, code: 'BadRequest' });
    expect(await handshake(ana)).toEqual({ ok: true });
  });

  it('[LEASE11][FENCE1] a node whose lease was taken over lets go: its write is refused, its sockets close with BoardMoved, the new owner serves the board', async () => {
    const [a, b] = await twoNodes({ LEASE_TTL_MS: '600' });
    const ana = await createBoard(a.url, 'Ana', 'mentor');
    const raw = await openRawYjs(ana, 'mentor');
    const epochA = a.server.ownership.epochOf(ana.boardId)!;
    // Node A pauses (no renewals): its lease runs out and node B takes the board over.
    a.server.ownership.stop();
    const claimed = await waitFor(
      async () => {
        const c = await b.server.ownership.claim(ana.boardId);
        return c.ok ? c : null;
      },
      'node B claims the board',
      5_000
    );
    expect(claimed.epoch).toBe(epochA + 1);

    // A keystroke that reaches paused node A is refused by the database, never relayed or kept.
    const client = connectDoc(via(ana, b), 'mentor');
    onCleanup(() => client.destroy());
    await waitForSynced(client);
    const stray = new Y.Doc();
    seatDoc.answer(stray, 'journey').insert(0, 'typed on the old owner');
    raw.send(syncFrame(2, Y.encodeStateAsUpdate(stray)));
    expect(await raw.closed).toBe(CLOSE_CODES.BoardMoved);
    expect(a.server.ownership.epochOf(ana.boardId)).toBeNull();
    expect((await b.store.loadDoc(ana.boardId, 'mentor')).updates).toHaveLength(0);

    // Node B serves the board: typing there is stored.
    seatDoc.answer(client.doc, 'journey').insert(0, 'typed on the new owner');
    await waitFor(async () => (await b.store.loadDoc(ana.boardId, 'mentor')).updates.length > 0, 'stored by node B');
    expect(await b.store.getLease(ana.boardId)).toMatchObject({ nodeId: 'node-b', epoch: epochA + 1 });
  });

  it('[LEASE12][LEASE4] a board nobody uses any more is released, so another node takes it at once', async () => {
    const [a, b] = await twoNodes({ LEASE_TTL_MS: '600', ROOM_UNLOAD_MS: '50' });
    const ana = await createBoard(a.url, 'Ana', 'mentor');
    const ben = await joinBoard(a.url, ana.boardId, 'Ben');
    const own = connectDoc(ben, 'mentee');
    await waitForSynced(own);
    own.destroy();
    await waitFor(() => a.server.ownership.epochOf(ana.boardId) === null, 'released by node A', 5_000);
    const lease = (await a.store.getLease(ana.boardId))!;
    expect(lease.expiresAt).toBeLessThanOrEqual(Date.now());
    // Released, not expired: no wait for the lease to run out.
    expect(await b.server.ownership.claim(ana.boardId)).toMatchObject({ ok: true, epoch: lease.epoch + 1 });
  });

  it('[LEASE14][LEASE11] a node the proxy routes a board to gets it handed over: the holder releases it and closes its connections (BoardMoved; Socket.IO retries by itself); nothing stored is lost', async () => {
    const [a, b] = await twoNodes();
    const ana = await createBoard(a.url, 'Ana', 'mentor');
    // A raw connection: it does not reconnect to node A by itself (the page's would, through the proxy).
    const raw = await openRawYjs(ana, 'mentor');
    const typed = new Y.Doc();
    seatDoc.answer(typed, 'journey').insert(0, 'typed before the hand-over');
    raw.send(syncFrame(2, Y.encodeStateAsUpdate(typed)));
    await waitFor(async () => (await a.store.loadDoc(ana.boardId, 'mentor')).updates.length > 0, 'stored by node A');
    const epoch = a.server.ownership.epochOf(ana.boardId)!;
    // Ana's Socket.IO on node A, reconnecting as the page's does.
    const seat = connectSocket(ana);
    onCleanup(() => seat.close());
    await waitFor(() => seat.connected, 'Ana seated on node A');
    // Without a proxy it would reconnect to node A, so it stops at its first retry decision.
    const disconnected = new Promise<{ reason: string; retrying: boolean }>((resolve) =>
      seat.once('disconnect', (reason) => {
        resolve({ reason, retrying: seat.active });
        seat.close();
      })
    );
    // Node B is where the proxy sends the board now (X-Forwarded-For): it asks node A for it, and
    // tells its client to come back soon (a hand-over is a flush and a release away).
    expect(await b.server.ownership.claim(ana.boardId, { routed: true })).toMatchObject({ ok: false, code: 'BoardMoved', retryAfterMs: 1_000 });
    expect(await raw.closed).toBe(CLOSE_CODES.BoardMoved);
    expect(a.server.ownership.epochOf(ana.boardId)).toBeNull();
    // Its transport closed, not a server-side disconnect (after which Socket.IO never reconnects).
    expect(await disconnected).toEqual({ reason: 'transport close', retrying: true });
    const claimed = await waitFor(async () => {
      const c = await b.server.ownership.claim(ana.boardId, { routed: true });
      return c.ok ? c : null;
    }, 'node B claims the released board');
    expect(claimed.epoch).toBe(epoch + 1);
    // Written by node A before it let go: node B loads it.
    const onB = connectDoc(via(ana, b), 'mentor');
    onCleanup(() => onB.destroy());
    await waitForSynced(onB);
    expect(seatDoc.answer(onB.doc, 'journey').toString()).toBe('typed before the hand-over');
  });

  it('[LEASE14] an ask for a lease the node no longer holds is ignored: its own ask, heard after it took the board, does not make it let go', async () => {
    const [a, b] = await twoNodes();
    const ana = await createBoard(a.url, 'Ana', 'mentor');
    const raw = await openRawYjs(ana, 'mentor');
    const epochA = a.server.ownership.epochOf(ana.boardId)!;
    // Node B asks for the board (for node A's epoch); node A hands it over and node B takes it.
    expect(await b.server.ownership.claim(ana.boardId, { routed: true })).toMatchObject({ ok: false, code: 'BoardMoved' });
    expect(await raw.closed).toBe(CLOSE_CODES.BoardMoved);
    const claimed = await waitFor(async () => {
      const c = await b.server.ownership.claim(ana.boardId, { routed: true });
      return c.ok ? c : null;
    }, 'node B claims the released board');
    const onB = connectDoc(via(ana, b), 'mentor');
    onCleanup(() => onB.destroy());
    await waitForSynced(onB);
    const closes: number[] = [];
    onB.provider.on('connection-close', (event: { code: number } | null) => closes.push(event?.code ?? 0));

    // The ask reaches every node, node B too; heard late (a busy node), it names node A's epoch.
    await b.server.ownership.handOff(ana.boardId, epochA);
    expect(b.server.ownership.epochOf(ana.boardId)).toBe(claimed.epoch);
    expect(await b.store.getLease(ana.boardId)).toMatchObject({ nodeId: 'node-b', epoch: claimed.epoch });
    expect((await b.store.getLease(ana.boardId))!.expiresAt).toBeGreaterThan(Date.now());
    expect(closes).toEqual([]);
    expect(onB.provider.wsconnected).toBe(true);
    // An ask for the epoch node B holds still moves the board.
    await b.server.ownership.handOff(ana.boardId, claimed.epoch);
    expect(b.server.ownership.epochOf(ana.boardId)).toBeNull();
    await waitFor(() => closes.includes(CLOSE_CODES.BoardMoved), 'node B closed the connection with BoardMoved');
  });

  it('[LEASE13][LEASE12] SQLite: a restart serves its boards at once, and a clean stop releases every lease', async () => {
    const dataDir = tempDataDir();
    const first = await startServer({ dataDir });
    const ana = await createBoard(first.url, 'Ana', 'mentor');
    const own = connectDoc(ana, 'mentor');
    await waitForSynced(own);
    own.destroy();
    await first.stop();
    const second = await startServer({ dataDir });
    onCleanup(() => second.stop());
    expect((await second.store.getLease(ana.boardId))!.expiresAt).toBeLessThanOrEqual(Date.now());
    const again = connectDoc(via(ana, second), 'mentor');
    onCleanup(() => again.destroy());
    await waitForSynced(again);
    expect((await second.store.getLease(ana.boardId))!.nodeId).toBe(second.store.nodeId);
  });
});
