import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { CLOSE_CODES, seatDoc } from '@pairboard/shared';
import { startServer, type TestServer } from '../helpers/server.ts';
import { apiCall, connectDoc, connectSocket, createBoard, joinBoard, waitFor, waitForSynced, type DocClient } from '../helpers/clients.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

async function server(options: Parameters<typeof startServer>[0] = {}): Promise<TestServer> {
  const s = await startServer(options);
  cleanups.push(() => s.stop());
  return s;
}
function track(client: DocClient): DocClient {
  cleanups.push(() => client.destroy());
  return client;
}
const answer = (client: DocClient, id = 'why-tech') => seatDoc.answer(client.doc, id);

describe('seats over HTTP', () => {
  it('[SEAT1][SEAT4] creator picks a seat, the partner takes the other and sees who waits', async () => {
    const s = await server();
    const ana = await createBoard(s.url, 'Ana', 'mentee');
    const peek = await apiCall(s.url, 'GET', `/api/boards/${ana.boardId}`);
    expect(peek.status).toBe(200);
    expect(peek.json.board).toMatchObject({ you: null, seats: { mentee: { name: 'Ana' }, mentor: null } });
    const ben = await joinBoard(s.url, ana.boardId, 'Ben');
    expect(ben.seat).toBe('mentor');
    const mine = await apiCall(s.url, 'GET', `/api/boards/${ana.boardId}`, undefined, ben.cookie);
    expect(mine.json.board).toMatchObject({ you: 'mentor', seats: { mentee: { name: 'Ana' }, mentor: { name: 'Ben' } } });
  });

  it('[SEAT2] a third browser is refused on HTTP, Socket.IO and Yjs and gets no content', async () => {
    const s = await server();
    const ana = await createBoard(s.url);
    await joinBoard(s.url, ana.boardId);
    const third = await apiCall(s.url, 'POST', `/api/boards/${ana.boardId}/seats`, { name: 'Cy' });
    expect(third.status).toBe(403);
    expect(third.json).toMatchObject({ ok: false, code: 'BoardFull' });
    const look = await apiCall(s.url, 'GET', `/api/boards/${ana.boardId}`);
    expect(look.status).toBe(403);
    expect(JSON.stringify(look.json)).not.toContain('Ana');

    // Yjs: refused before the upgrade, so not a single frame of the document arrives.
    const frames: unknown[] = [];
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/yjs/${ana.boardId}/mentor`, { headers: { origin: s.url } });
      ws.on('message', (m) => frames.push(m));
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
    expect(frames).toHaveLength(0);

    const sock = connectSocket({ ...ana, cookie: 'pb_seat_x=nope' });
    cleanups.push(() => sock.close());
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) => sock.on('connect_error', resolve));
    expect(error.data?.code).toBe('BoardFull');
  });

  it('[SEAT3] a wrong secret opens nothing; a foreign Origin is refused', async () => {
    const s = await server();
    const ana = await createBoard(s.url);
    const wrong = await apiCall(s.url, 'GET', `/api/boards/${ana.boardId}`, undefined, `pb_seat_${ana.boardId}=guess`);
    expect(wrong.json.board).toMatchObject({ you: null });
    const foreign = await fetch(`${s.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
      body: JSON.stringify({ name: 'Eve', seat: 'mentor' })
    });
    expect(foreign.status).toBe(403);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${s.url.replace('http', 'ws')}/yjs/${ana.boardId}/mentor`, {
        headers: { origin: 'https://evil.example', cookie: ana.cookie }
      });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('open', () => resolve(101));
    });
    expect(status).toBe(403);
  });

  it('[SEAT6] bad input gets a clear error and creates nothing', async () => {
    const s = await server();
    const long = await apiCall(s.url, 'POST', '/api/boards', { name: 'x'.repeat(41), seat: 'mentor' });
    expect(long.status).toBe(400);
    expect(long.json.message).toMatch(/40 characters/);
    const seat = await apiCall(s.url, 'POST', '/api/boards', { name: 'Ana', seat: 'boss' });
    expect(seat.status).toBe(400);
    const broken = await fetch(`${s.url}/api/boards`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(broken.status).toBe(400);
    expect(await broken.json()).toMatchObject({ ok: false, code: 'BadRequest' });
    const unknown = await apiCall(s.url, 'GET', '/api/boards/not-a-board');
    expect(unknown.status).toBe(404);
  });
});

describe('live answers over Yjs', () => {
  it('[DOC1] both partners see each other’s edits live', async () => {
    const s = await server();
    const ana = await createBoard(s.url, 'Ana', 'mentor');
    const ben = await joinBoard(s.url, ana.boardId, 'Ben');
    const anaOwn = track(connectDoc(ana, 'mentor'));
    const benReadsAna = track(connectDoc(ben, 'mentor'));
    const benOwn = track(connectDoc(ben, 'mentee'));
    const anaReadsBen = track(connectDoc(ana, 'mentee'));
    await Promise.all([anaOwn, benReadsAna, benOwn, anaReadsBen].map(waitForSynced));
    answer(anaOwn).insert(0, 'A friend showed me Logo.');
    answer(benOwn).insert(0, 'Games!');
    await waitFor(() => answer(benReadsAna).toString() === 'A friend showed me Logo.', 'Ben sees Ana');
    await waitFor(() => answer(anaReadsBen).toString() === 'Games!', 'Ana sees Ben');
  });

  it('[DOC2] a partner’s attempt to write the other’s answer is rejected and changes nothing', async () => {
    const s = await server();
    const ana = await createBoard(s.url, 'Ana', 'mentor');
    const ben = await joinBoard(s.url, ana.boardId, 'Ben');
    const anaOwn = track(connectDoc(ana, 'mentor'));
    await waitForSynced(anaOwn);
    answer(anaOwn).insert(0, 'mine');
    const intruder = track(connectDoc(ben, 'mentor'));
    await waitForSynced(intruder);
    const closed = new Promise<number>((resolve) => intruder.provider.on('connection-close', (e) => resolve(e?.code ?? 0)));
    answer(intruder).insert(0, 'HACKED ');
    expect(await closed).toBe(CLOSE_CODES.ReadOnly);
    // Nothing reached the owner, nothing was stored.
    const fresh = track(connectDoc(ana, 'mentor'));
    await waitForSynced(fresh);
    expect(answer(fresh).toString()).toBe('mine');
    expect(answer(anaOwn).toString()).toBe('mine');
    intruder.provider.disconnect();
  });

  it('[PERS2] a server restart on the same data dir keeps boards, seats and answers', async () => {
    const first = await startServer();
    const ana = await createBoard(first.url, 'Ana', 'mentor');
    const ben = await joinBoard(first.url, ana.boardId, 'Ben');
    const own = connectDoc(ana, 'mentor');
    await waitForSynced(own);
    answer(own).insert(0, 'kept');
    await waitFor(async () => (await first.store.loadDoc(ana.boardId, 'mentor')).updates.length > 0, 'edit stored');
    own.destroy();
    await first.stop();

    const second = await server({ dataDir: first.dataDir });
    const relocated = { ...ben, baseUrl: second.url, origin: second.url };
    const look = await apiCall(second.url, 'GET', `/api/boards/${ana.boardId}`, undefined, ben.cookie);
    expect(look.json.board).toMatchObject({ you: 'mentee', seats: { mentor: { name: 'Ana' }, mentee: { name: 'Ben' } } });
    const reader = track(connectDoc(relocated, 'mentor'));
    await waitForSynced(reader);
    expect(answer(reader).toString()).toBe('kept');
  });

  it('[PERS1] an edit the partner has seen survives the server dropping every connection without a goodbye', async () => {
    const s = await startServer();
    const ana = await createBoard(s.url, 'Ana', 'mentor');
    const ben = await joinBoard(s.url, ana.boardId, 'Ben');
    const own = connectDoc(ana, 'mentor');
    const reader = connectDoc(ben, 'mentor');
    await Promise.all([own, reader].map(waitForSynced));
    answer(own).insert(0, 'seen by Ben');
    await waitFor(() => answer(reader).toString() === 'seen by Ben', 'Ben sees the edit');
    // Like kill -9: no flush, no compaction, no close; just stop reading the file.
    own.provider.disconnect();
    reader.provider.disconnect();
    s.server.httpServer.closeAllConnections();
    s.server.httpServer.close();
    const again = await server({ dataDir: s.dataDir });
    const check = track(connectDoc({ ...ben, baseUrl: again.url, origin: again.url }, 'mentor'));
    await waitForSynced(check);
    expect(answer(check).toString()).toBe('seen by Ben');
    own.destroy();
    reader.destroy();
  });

  it('[DOC3] a partner who typed while offline converges on reconnect, nothing lost', async () => {
    const s = await server();
    const ana = await createBoard(s.url, 'Ana', 'mentor');
    const ben = await joinBoard(s.url, ana.boardId, 'Ben');
    const own = track(connectDoc(ana, 'mentor'));
    const reader = track(connectDoc(ben, 'mentor'));
    await Promise.all([own, reader].map(waitForSynced));
    answer(own).insert(0, 'online. ');
    await waitFor(() => answer(reader).toString() === 'online. ', 'first edit');
    own.provider.disconnect();
    answer(own).insert(answer(own).length, 'typed offline.');
    answer(own, 'journey').insert(0, 'also offline');
    own.provider.connect();
    await waitFor(() => answer(reader).toString() === 'online. typed offline.', 'offline edit arrives');
    await waitFor(() => answer(reader, 'journey').toString() === 'also offline', 'second field arrives');
  });

  it('[PERS3] an idle room is compacted to one stored row and unloaded, losing nothing', async () => {
    const s = await server({ env: { ROOM_UNLOAD_MS: '50' } });
    const ana = await createBoard(s.url, 'Ana', 'mentor');
    const own = connectDoc(ana, 'mentor');
    await waitForSynced(own);
    for (const ch of 'keystroke by keystroke') answer(own).insert(answer(own).length, ch);
    await waitFor(async () => (await s.store.loadDoc(ana.boardId, 'mentor')).updates.length >= 10, 'updates stored');
    own.destroy();
    await waitFor(() => s.server.rooms.loadedRooms === 0, 'room unloaded');
    expect((await s.store.loadDoc(ana.boardId, 'mentor')).updates).toHaveLength(1);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await s.store.loadDoc(ana.boardId, 'mentor')).updates[0]!);
    expect(seatDoc.answer(doc, 'why-tech').toString()).toBe('keystroke by keystroke');
  });
});

describe('presence over Socket.IO', () => {
  it('[PRES1] partners see each other online, and gone when a tab closes', async () => {
    const s = await server();
    const ana = await createBoard(s.url, 'Ana', 'mentor');
    const ben = await joinBoard(s.url, ana.boardId, 'Ben');
    const a = connectSocket(ana);
    cleanups.push(() => a.close());
    let seen: Record<string, string> = {};
    a.on('board:snapshot', (snap) => (seen = snap.presence));
    a.on('presence:update', (p) => (seen = p));
    await waitFor(() => seen.mentor === 'online', 'Ana online');
    const b = connectSocket(ben);
    await waitFor(() => seen.mentee === 'online', 'Ben online');
    b.close();
    await waitFor(() => seen.mentee === 'gone', 'Ben gone');
  });

  it('[SEAT3] a socket with a bad payload gets a clear refusal, not a crash', async () => {
    const s = await server();
    const ana = await createBoard(s.url);
    const sock = connectSocket({ ...ana, boardId: 'short' });
    cleanups.push(() => sock.close());
    const error = await new Promise<Error & { data?: { code: string } }>((resolve) => sock.on('connect_error', resolve));
    expect(error.data?.code).toBe('ProtocolMismatch');
  });
});
