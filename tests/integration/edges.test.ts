import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { io } from 'socket.io-client';
import { PROTOCOL_VERSION, roomName, seatDoc, SOCKET_IO_PATH, YJS_PATH } from '@pairboard/shared';
import { parseConfig } from '../../server/src/config.ts';
import { apiCall, connectDoc, createBoard, joinBoard, waitFor, waitForSynced, type Partner } from '../helpers/clients.ts';
import { useCleanup } from '../helpers/fixtures.ts';
import { recordReliability } from '../helpers/reliability.ts';
import { startServer, type TestServer } from '../helpers/server.ts';

const onCleanup = useCleanup();
const DEFAULTS = parseConfig({}).edges;

async function server(env: Record<string, string>, withWeb = false): Promise<TestServer> {
  const s = await startServer({ env, withWeb });
  onCleanup(() => s.stop());
  return s;
}

async function refusals(s: TestServer): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const v of (await s.server.metrics.refusals.get()).values) counts[String(v.labels.reason)] = v.value;
  return counts;
}

type RawSocket = { ws: WebSocket; status: number | 'open'; closed: () => boolean; messages: string[] };

/**
 * A bare websocket, as an attacker's script would open one: resolves once the server has either
 * answered the handshake (Socket.IO's open packet, or the Yjs upgrade) or refused it.
 */
function rawSocket(url: string, headers: Record<string, string>): Promise<RawSocket> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    let closed = false;
    const messages: string[] = [];
    const socket = (status: number | 'open'): RawSocket => ({ ws, status, closed: () => closed, messages });
    ws.on('close', () => (closed = true));
    ws.on('error', () => (closed = true));
    ws.on('unexpected-response', (_req, res) => {
      closed = true;
      resolve(socket(res.statusCode ?? 0));
      ws.terminate();
    });
    ws.on('message', (data, isBinary) => {
      if (!isBinary) messages.push(data.toString());
      if (!isBinary && data.toString().startsWith('0')) resolve(socket('open'));
    });
    if (url.includes(YJS_PATH)) ws.on('open', () => resolve(socket('open')));
    onCleanup(() => ws.terminate());
  });
}

const engineUrl = (s: TestServer) => `${s.url.replace(/^http/, 'ws')}${SOCKET_IO_PATH}/?EIO=4&transport=websocket`;
const yjsUrl = (s: TestServer, p: Partner, doc: 'mentor' | 'mentee' | 'shared' = 'shared') =>
  `${s.url.replace(/^http/, 'ws')}${YJS_PATH}/${roomName(p.boardId, doc)}`;

/** A seated Socket.IO client that can pose as another address (only honoured with TRUST_PROXY). */
function socketFrom(p: Partner, headers: Record<string, string> = {}) {
  const socket = io(p.baseUrl, {
    path: SOCKET_IO_PATH,
    transports: ['websocket'],
    auth: { boardId: p.boardId, protocol: PROTOCOL_VERSION },
    extraHeaders: { cookie: p.cookie, origin: p.origin, ...headers },
    reconnection: false
  });
  onCleanup(() => socket.close());
  return socket;
}

function connectOutcome(socket: ReturnType<typeof socketFrom>): Promise<{ ok: true } | { ok: false; code?: string; message: string }> {
  return new Promise((resolve) => {
    socket.once('connect', () => resolve({ ok: true }));
    socket.once('connect_error', (error) => {
      const data = (error as Error & { data?: { code: string; message: string } }).data;
      resolve({ ok: false, ...(data ? { code: data.code } : {}), message: data?.message ?? error.message });
    });
  });
}

describe('Socket.IO: what a stranger can hold', () => {
  it('[EDGE4][EDGE6] 30 unauthenticated connections parking 1 MB attachments: 10 admitted, each closed at its first binary packet', async () => {
    const s = await server({ MAX_ANONYMOUS_SOCKETS_PER_IP: String(DEFAULTS.anonymousSocketsPerIp) });
    const headers = { origin: s.url };
    const attempts: RawSocket[] = [];
    for (let i = 0; i < 30; i++) attempts.push(await rawSocket(engineUrl(s), headers));
    const admitted = attempts.filter((a) => a.status === 'open');
    const refused = attempts.filter((a) => a.status !== 'open');
    expect(admitted).toHaveLength(DEFAULTS.anonymousSocketsPerIp);
    expect(refused.every((a) => a.status === 400)).toBe(true);

    // The attack: announce a binary event, then send a megabyte for the parser to keep.
    const megabyte = Buffer.alloc(1024 * 1024, 7);
    for (const a of admitted) {
      a.ws.send('451-["park",{"_placeholder":true,"num":0}]');
      a.ws.send(megabyte);
    }
    await waitFor(() => admitted.every((a) => a.closed()), 'every parked connection closed');
    const counts = await refusals(s);
    expect(counts['too-many-connections']).toBe(20);
    expect(counts['bad-frame']).toBe(DEFAULTS.anonymousSocketsPerIp);

    // Places are given back on close: the next stranger gets in again.
    expect((await rawSocket(engineUrl(s), headers)).status).toBe('open');
    recordReliability({
      scenario: 'Strangers park binary attachments on Socket.IO',
      tried: '30 unauthenticated connections from one address, each announcing a binary event and sending 1 MB',
      figure: `${admitted.length} admitted, ${refused.length} refused at the handshake, all admitted closed at the first binary packet; at most ${admitted.length} × ${DEFAULTS.socketMaxMessageBytes / 1024} KB could be read`,
      rules: ['EDGE4', 'EDGE6']
    });
  });

  it('[EDGE4] 60 handshakes at once cannot race past the anonymous cap', async () => {
    const s = await server({ MAX_ANONYMOUS_SOCKETS_PER_IP: '10' });
    const burst = await Promise.all(Array.from({ length: 60 }, () => rawSocket(engineUrl(s), { origin: s.url })));
    // Each either got its handshake answered or was refused; those past the cap are closed at once.
    await waitFor(() => burst.filter((a) => !a.closed()).length <= 10, 'at most 10 left open', 5_000);
    expect(burst.filter((a) => a.status === 'open' && !a.closed()).length).toBeLessThanOrEqual(10);
    const counts = await refusals(s);
    expect(counts['too-many-connections']).toBeGreaterThanOrEqual(50);
  });

  it('[EDGE5] a connection that proves no seat is closed at the connect timeout; a seated one stays', async () => {
    const s = await server({ SOCKET_CONNECT_TIMEOUT_MS: '300' });
    const ana = await createBoard(s.url);
    const seated = socketFrom(ana);
    expect(await connectOutcome(seated)).toEqual({ ok: true });
    const silent = await rawSocket(engineUrl(s), { origin: s.url });
    const wrongSecret = socketFrom({ ...ana, cookie: `${ana.cookie.split('=')[0]}=not-the-secret` });
    expect(await connectOutcome(wrongSecret)).toMatchObject({ ok: false });
    await waitFor(() => silent.closed(), 'the silent connection closed', 5_000);
    // The refused one's engine connection goes too (it never joined a namespace).
    await waitFor(() => !wrongSecret.io.engine || wrongSecret.io.engine.readyState === 'closed', 'the refused engine closed', 5_000);
    expect(seated.connected).toBe(true);
    const counts = await refusals(s);
    expect(counts['handshake-timeout']).toBeGreaterThanOrEqual(1);
    expect(counts['unauthenticated']).toBe(1);
  });

  it('[EDGE6] a seated socket sending binary or a message over the size cap is disconnected; a 10 KB action is fine', async () => {
    const s = await server({ SOCKET_MAX_MESSAGE_BYTES: String(DEFAULTS.socketMaxMessageBytes) });
    const ana = await createBoard(s.url);
    const ben = await joinBoard(s.url, ana.boardId);

    // The largest action the page sends: an agreement field of 2,000 four-byte characters.
    const fine = socketFrom(ana);
    await connectOutcome(fine);
    const ack = await fine
      .timeout(5_000)
      .emitWithAck('session:act', { type: 'agreement:edit', opId: 'edge-1', field: 'meetings', value: '🙂'.repeat(2000) } as never);
    expect(ack).toBeTypeOf('object');
    expect(fine.connected).toBe(true);

    const binary = socketFrom(ana);
    await connectOutcome(binary);
    const binaryGone = new Promise<string>((r) => binary.once('disconnect', r));
    binary.emit('session:act', Buffer.alloc(16) as never);
    expect(await binaryGone).toBe('transport close');

    const huge = socketFrom(ben);
    await connectOutcome(huge);
    const hugeGone = new Promise<string>((r) => huge.once('disconnect', r));
    huge.emit('session:act', { type: 'agreement:edit', opId: 'edge-2', field: 'meetings', value: 'x'.repeat(DEFAULTS.socketMaxMessageBytes) } as never);
    expect(await hugeGone).toMatch(/^transport (close|error)$/);
    expect(fine.connected).toBe(true);
  });

  it('[EDGE7] a seat holds at most MAX_SOCKETS_PER_SEAT Socket.IO connections to its board', async () => {
    const s = await server({ MAX_SOCKETS_PER_SEAT: '2' });
    const ana = await createBoard(s.url);
    const ben = await joinBoard(s.url, ana.boardId);
    const first = socketFrom(ana);
    const second = socketFrom(ana);
    expect(await connectOutcome(first)).toEqual({ ok: true });
    expect(await connectOutcome(second)).toEqual({ ok: true });
    const third = await connectOutcome(socketFrom(ana));
    expect(third).toMatchObject({ ok: false, code: 'RateLimited' });
    if (!third.ok) expect(third.message).toMatch(/already open in 2 tabs/);
    expect(await connectOutcome(socketFrom(ben))).toEqual({ ok: true });
    first.close();
    await waitFor(async () => (await connectOutcome(socketFrom(ana))).ok, 'a place freed by a closed tab', 5_000);
  });
});

describe('REST: rate limits', () => {
  it('[EDGE3] a flood of board creations: 30 an hour per address are made, the rest get 429 with Retry-After', async () => {
    const s = await server({ RATE_LIMIT_BOARDS_PER_HOUR: String(DEFAULTS.boardsPerHour) });
    const flood = await Promise.all(
      Array.from({ length: 300 }, () => apiCall(s.url, 'POST', '/api/boards', { name: 'Mallory', seat: 'mentor' }).then(async (r) => r))
    );
    const created = flood.filter((r) => r.status === 201);
    const limited = flood.filter((r) => r.status === 429);
    expect(created).toHaveLength(DEFAULTS.boardsPerHour);
    expect(limited).toHaveLength(300 - DEFAULTS.boardsPerHour);
    expect(limited[0]!.json).toMatchObject({ ok: false, code: 'RateLimited' });
    expect(String(limited[0]!.json.message)).toMatch(/try again in \d+ minutes/);
    const one = await fetch(`${s.url}/api/boards`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url },
      body: '{"name":"M","seat":"mentor"}'
    });
    expect(one.status).toBe(429);
    expect(Number(one.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await refusals(s))['rate-limited']).toBe(301 - DEFAULTS.boardsPerHour);
    recordReliability({
      scenario: 'One client floods board creation',
      tried: '300 concurrent POST /api/boards from one address (the issue saw 4,580 in 5 s, none refused)',
      figure: `${created.length} created, ${limited.length} refused with 429 + Retry-After`,
      rules: ['EDGE3']
    });
  });

  it('[EDGE2] every API request counts per address, and per seat wherever the seat goes', async () => {
    const s = await server({ RATE_LIMIT_API_PER_MINUTE: '8', RATE_LIMIT_SEAT_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    const ana = await createBoard(s.url); // 1 request from 127.0.0.1
    const get = (address: string, cookie?: string) =>
      fetch(`${s.url}/api/boards/${ana.boardId}`, { headers: { 'x-forwarded-for': address, ...(cookie ? { cookie } : {}) } });
    // The seat: 3 a minute, from three different addresses.
    expect((await get('198.51.100.1', ana.cookie)).status).toBe(200);
    expect((await get('198.51.100.2', ana.cookie)).status).toBe(200);
    expect((await get('198.51.100.3', ana.cookie)).status).toBe(200);
    const seatLimited = await get('198.51.100.4', ana.cookie);
    expect(seatLimited.status).toBe(429);
    expect(Number(seatLimited.headers.get('retry-after'))).toBeGreaterThan(0);
    // Without the cookie the same address is still within its own budget…
    expect((await get('198.51.100.4')).status).toBe(200);
    // …until that address has used its 8.
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await get('203.0.113.9')).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200]);
    const limited = await get('203.0.113.9');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ ok: false, code: 'RateLimited' });
  });
});

describe('client address', () => {
  it('[EDGE1] X-Forwarded-For is ignored unless TRUST_PROXY says so', async () => {
    const create = (s: TestServer, address: string) =>
      fetch(`${s.url}/api/boards`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: s.url, 'x-forwarded-for': address },
        body: JSON.stringify({ name: 'Ana', seat: 'mentor' })
      }).then((r) => r.status);

    const direct = await server({ RATE_LIMIT_BOARDS_PER_HOUR: '2', MAX_ANONYMOUS_SOCKETS_PER_IP: '1' });
    expect([await create(direct, '192.0.2.1'), await create(direct, '192.0.2.2'), await create(direct, '192.0.2.3')]).toEqual([201, 201, 429]);
    const a = await rawSocket(engineUrl(direct), { origin: direct.url, 'x-forwarded-for': '192.0.2.1' });
    const b = await rawSocket(engineUrl(direct), { origin: direct.url, 'x-forwarded-for': '192.0.2.2' });
    expect([a.status, b.status]).toEqual(['open', 400]);

    const proxied = await server({ RATE_LIMIT_BOARDS_PER_HOUR: '2', MAX_ANONYMOUS_SOCKETS_PER_IP: '1', TRUST_PROXY: 'loopback' });
    expect([await create(proxied, '192.0.2.1'), await create(proxied, '192.0.2.2'), await create(proxied, '192.0.2.3')]).toEqual([201, 201, 201]);
    // A client cannot prepend its own entry: only the hop the trusted proxy appended counts.
    expect([await create(proxied, '10.9.9.9, 192.0.2.1'), await create(proxied, '10.9.9.8, 192.0.2.1')]).toEqual([201, 429]);
    const c = await rawSocket(engineUrl(proxied), { origin: proxied.url, 'x-forwarded-for': '192.0.2.1' });
    const d = await rawSocket(engineUrl(proxied), { origin: proxied.url, 'x-forwarded-for': '192.0.2.2' });
    const e = await rawSocket(engineUrl(proxied), { origin: proxied.url, 'x-forwarded-for': '192.0.2.2' });
    expect([c.status, d.status, e.status]).toEqual(['open', 'open', 400]);
  });

  it('[EDGE4] Yjs and Socket.IO connections share one per-address cap; other addresses are unaffected', async () => {
    const s = await server({ MAX_SOCKETS_PER_IP: '4', TRUST_PROXY: 'loopback' });
    const ana = await createBoard(s.url);
    const ben = await joinBoard(s.url, ana.boardId);
    const from = (p: Partner, address: string, doc: 'mentor' | 'mentee' | 'shared' = 'shared') =>
      rawSocket(yjsUrl(s, p, doc), { cookie: p.cookie, origin: p.origin, 'x-forwarded-for': address });
    const anaSockets = [await from(ana, '192.0.2.10', 'mentor'), await from(ana, '192.0.2.10', 'mentee'), await from(ana, '192.0.2.10')];
    expect(anaSockets.map((x) => x.status)).toEqual(['open', 'open', 'open']);
    expect(await connectOutcome(socketFrom(ana, { 'x-forwarded-for': '192.0.2.10' }))).toEqual({ ok: true });
    expect((await from(ana, '192.0.2.10')).status).toBe(429);
    expect((await connectOutcome(socketFrom(ana, { 'x-forwarded-for': '192.0.2.10' }))).ok).toBe(false);
    expect((await from(ben, '192.0.2.20')).status).toBe('open');
    anaSockets[0]!.ws.close();
    await waitFor(async () => (await from(ana, '192.0.2.10')).status === 'open', 'a freed place', 5_000);
  });
});

it('[EDGE10] another pair keeps receiving every edit while an abuser holds every idle socket it may', async () => {
  const s = await server({ TRUST_PROXY: 'loopback', MAX_SOCKETS_PER_IP: '200', MAX_ANONYMOUS_SOCKETS_PER_IP: '10', SOCKET_CONNECT_TIMEOUT_MS: '60000' });
  // The abuser, from one address: idle Yjs connections on boards of its own (3 per document), then
  // silent anonymous Socket.IO connections, well past what the caps allow.
  const abuser = { origin: s.url, 'x-forwarded-for': '192.0.2.66' };
  const yjsAbuse: RawSocket[] = [];
  for (let b = 0; b < 20; b++) {
    const board = await createBoard(s.url, 'Mallory');
    for (const doc of ['mentor', 'mentee', 'shared'] as const)
      for (let i = 0; i < 3; i++) yjsAbuse.push(await rawSocket(yjsUrl(s, board, doc), { ...abuser, cookie: board.cookie }));
  }
  const anonymousAbuse: RawSocket[] = [];
  for (let i = 0; i < 60; i++) anonymousAbuse.push(await rawSocket(engineUrl(s), abuser));
  const held = [...yjsAbuse, ...anonymousAbuse].filter((a) => a.status === 'open');
  expect(held.length).toBeLessThanOrEqual(200);
  expect(anonymousAbuse.filter((a) => a.status === 'open').length).toBeLessThanOrEqual(10);

  const ana = await createBoard(s.url);
  const ben = await joinBoard(s.url, ana.boardId);
  const writer = connectDoc(ana, 'mentor');
  const reader = connectDoc(ben, 'mentor');
  onCleanup(() => writer.destroy());
  onCleanup(() => reader.destroy());
  await Promise.all([waitForSynced(writer), waitForSynced(reader)]);
  const text = seatDoc.answer(writer.doc, 'q1');
  for (let i = 0; i < 200; i++) text.insert(text.length, 'a');
  await waitFor(() => seatDoc.answer(reader.doc, 'q1').length === 200, 'all 200 edits at the partner', 10_000);
  const refused = yjsAbuse.length + anonymousAbuse.length - held.length;
  recordReliability({
    scenario: 'An abuser holds idle sockets while another pair types',
    tried: `${yjsAbuse.length} idle Yjs + ${anonymousAbuse.length} silent Socket.IO connections from one address, then a second pair typing 200 edits`,
    figure: `200 of 200 edits delivered to the partner; the abuser held ${held.length} sockets (cap 200), ${refused} refused`,
    rules: ['EDGE4', 'EDGE10']
  });
});

describe('deleted boards and headers (built app)', () => {
  it('[EDGE9][DEL2] a deleted board answers a conditional GET with the full 410 page, never a bare 304 or 410', async () => {
    const s = await server({}, true);
    const ana = await createBoard(s.url);
    const first = await fetch(`${s.url}/b/${ana.boardId}`);
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    // The shell is shared, so a still-existing board revalidates with a 304 as usual.
    expect((await fetch(`${s.url}/b/${ana.boardId}`, { headers: { 'if-none-match': etag! } })).status).toBe(304);

    expect((await apiCall(s.url, 'DELETE', `/api/boards/${ana.boardId}`, undefined, ana.cookie)).status).toBe(200);
    const conditional = { 'if-none-match': etag!, 'if-modified-since': new Date().toUTCString() };
    for (const url of [`${s.url}/b/${ana.boardId}`, `${s.url}/b/${'A'.repeat(22)}`]) {
      const res = await fetch(url, { headers: conditional });
      expect(res.status).toBe(url.includes(ana.boardId) ? 410 : 404);
      expect(res.headers.get('content-type')).toMatch(/text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = await res.text();
      expect(body).toMatch(/<html/);
      expect(body).toMatch(/_app\/immutable/);
    }
  });

  it('[EDGE8] API and pages carry security headers; the page CSP has no unsafe-inline script', async () => {
    const s = await server({}, true);
    const api = await fetch(`${s.url}/api/boards/${'A'.repeat(22)}`);
    expect(api.headers.get('content-security-policy')).toMatch(/default-src 'none'/);
    expect(api.headers.get('referrer-policy')).toBe('no-referrer');
    expect(api.headers.get('x-content-type-options')).toBe('nosniff');
    expect(api.headers.get('x-frame-options')).toBe('DENY');
    const ana = await createBoard(s.url);
    for (const path of ['/', `/b/${ana.boardId}`]) {
      const page = await fetch(s.url + path);
      const csp = page.headers.get('content-security-policy') ?? '';
      const scriptSrc = /script-src ([^;]*)/.exec(csp)?.[1] ?? '';
      expect(scriptSrc).toMatch(/'sha256-/);
      expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(csp).toMatch(/connect-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    }
  });
});
