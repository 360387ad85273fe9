import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type * as Y from 'yjs';
import { CLOSE_CODES, seatCookieName, seatDoc, type SeatsState } from '@pairboard/shared';
import { apiCall, connectDoc, connectSocket, waitFor, waitForSynced, type Partner } from '../helpers/clients.ts';
import { usePair } from '../helpers/fixtures.ts';
import type { TestServer } from '../helpers/server.ts';

const { pair, seat, onCleanup } = usePair();

/** Every log line the server writes while a test runs (the logger writes JSON lines to stderr). */
let logged: string[] = [];
let restoreStderr: () => void = () => {};
beforeEach(() => {
  logged = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logged.push(String(chunk));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stderr.write;
  restoreStderr = () => (process.stderr.write = write);
});
afterEach(() => restoreStderr());

const devicesPath = (boardId: string) => `/api/boards/${boardId}/devices`;

/** A browser with no cookie yet (Ana's phone, or a stranger with the board link). */
function newBrowser(from: Partner): Partner {
  return { ...from, cookie: '' };
}

/** The seat cookie a response set, as the browser would keep it. */
function cookieOf(setCookie: string[], boardId: string): string {
  const found = setCookie.find((c) => c.startsWith(`${seatCookieName(boardId)}=`));
  if (!found) throw new Error('no seat cookie was set');
  return found.split(';')[0]!;
}

async function makeCode(holder: Partner): Promise<string> {
  const r = await apiCall(holder.baseUrl, 'POST', `${devicesPath(holder.boardId)}/code`, undefined, holder.cookie);
  expect(r.status).toBe(201);
  return r.json.code as string;
}

async function redeem(browser: Partner, body: unknown, headers: Record<string, string> = {}) {
  const res = await fetch(`${browser.baseUrl}${devicesPath(browser.boardId)}/redeem`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: browser.baseUrl, ...(browser.cookie ? { cookie: browser.cookie } : {}), ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  });
  return {
    status: res.status,
    json: (await res.json()) as Record<string, unknown>,
    setCookie: res.headers.getSetCookie(),
    retryAfter: res.headers.get('retry-after')
  };
}

async function addPhone(ana: Partner): Promise<Partner> {
  const code = await makeCode(ana);
  const phone = newBrowser(ana);
  const r = await redeem(phone, { code });
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return { ...phone, cookie: cookieOf(r.setCookie, ana.boardId) };
}

async function storedSeats(server: TestServer, boardId: string): Promise<SeatsState> {
  return (await server.store.getBoard(boardId))!.seats;
}

describe('a seat on another browser', () => {
  it("[DEV2][DEV3][DEV5][DEV10] Ana's code adds her phone once; it never reaches Ben, the logs or the store in clear", async () => {
    const { server, ana, ben } = await pair({ logLevel: 'debug' });
    const benSocket = await seat(ben);
    const code = await makeCode(ana);
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const bare = code.replace('-', '');

    // Ben holds the other seat: he can neither redeem Ana's code (nor spend it by trying)…
    const byBen = await redeem(ben, { code });
    expect(byBen.status).toBe(409);
    expect(byBen.json).toMatchObject({ ok: false, code: 'AlreadyDone' });

    // …and the phone, typing it in lower case, gets its own secret for Ana's seat.
    const phone = newBrowser(ana);
    const r = await redeem(phone, { code: bare.toLowerCase() });
    expect(r.status).toBe(200);
    expect(r.json).toEqual({ ok: true, seat: 'mentor' });
    const phoneCookie = cookieOf(r.setCookie, ana.boardId);
    expect(phoneCookie).not.toBe(ana.cookie);
    const view = await apiCall(ana.baseUrl, 'GET', `/api/boards/${ana.boardId}`, undefined, phoneCookie);
    expect(view.json).toMatchObject({ ok: true, board: { you: 'mentor' } });

    // Works once: a second try is told why.
    const again = await redeem(newBrowser(ana), { code });
    expect(again.status).toBe(409);
    expect(again.json.message).toMatch(/already used/);

    // The device list: Ana's laptop (named from its first request) and the phone; no hash, no code.
    const listed = await apiCall(ana.baseUrl, 'GET', devicesPath(ana.boardId), undefined, phoneCookie);
    expect((listed.json.devices as Array<{ current: boolean }>).map((d) => d.current)).toEqual([false, true]);
    const benList = await apiCall(ben.baseUrl, 'GET', devicesPath(ben.boardId), undefined, ben.cookie);
    expect(benList.json.devices).toEqual([expect.objectContaining({ id: 'first', current: true })]);

    // Nothing Ben received, nothing logged and nothing stored carries the code or the phone's secret.
    const phoneSecret = phoneCookie.split('=')[1]!;
    const benSaw = JSON.stringify([byBen.json, benList.json, benSocket.frames]);
    const stored = JSON.stringify(await storedSeats(server, ana.boardId));
    for (const secret of [bare, code, phoneSecret]) {
      expect(benSaw).not.toContain(secret);
      expect(logged.join('')).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(logged.join('')).toContain('device added');
  });

  it('[DEV2][DEV11] only a seat holder makes codes, always for its own seat; a payload cannot name a seat', async () => {
    const { ana, ben } = await pair();
    const stranger = newBrowser(ana);
    for (const [method, path] of [
      ['POST', `${devicesPath(ana.boardId)}/code`],
      ['GET', devicesPath(ana.boardId)],
      ['POST', `${devicesPath(ana.boardId)}/recovery`],
      ['DELETE', `${devicesPath(ana.boardId)}/first`]
    ] as const) {
      const r = await apiCall(ana.baseUrl, method, path, undefined, stranger.cookie);
      expect(r.status, path).toBe(401);
      expect(r.json.code).toBe('NotSeated');
    }
    // Ben asking "for the mentor seat" still gets a code for his own.
    const r = await apiCall(ben.baseUrl, 'POST', `${devicesPath(ben.boardId)}/code`, { seat: 'mentor' }, ben.cookie);
    const redeemed = await redeem(stranger, { code: r.json.code });
    expect(redeemed.json).toMatchObject({ ok: true, seat: 'mentee' });
  });

  it('[DEV5] an expired code is refused with a clear sentence', async () => {
    const { server, ana } = await pair();
    const code = await makeCode(ana);
    // Ten minutes pass: the stored expiry is moved into the past (the server's clock is not mocked).
    const board = (await server.store.getBoard(ana.boardId))!;
    const codes = board.seats.mentor!.codes!.map((c) => ({ ...c, expiresAt: Date.now() - 1 }));
    const epoch = server.server.ownership.epochOf(ana.boardId)!;
    expect((await server.store.saveSeats(ana.boardId, { ...board.seats, mentor: { ...board.seats.mentor!, codes } }, board.seatsVersion, epoch)).ok).toBe(true);
    const r = await redeem(newBrowser(ana), { code });
    expect(r.status).toBe(409);
    expect(r.json).toMatchObject({ ok: false, code: 'WrongPhase' });
    expect(r.json.message).toMatch(/expired/);
    expect(r.setCookie).toEqual([]);
  });

  it("[DEV1][PRES1] both of Ana's browsers are live in her seat; Ben sees both one's typing, presence stays until the last leaves", async () => {
    const { ana, ben } = await pair();
    const phone = await addPhone(ana);
    const benSocket = await seat(ben);
    const laptopSocket = await seat(ana);
    const phoneSocket = await seat(phone);
    const docs = [ana, phone, ben].map((who) => connectDoc(who, 'mentor'));
    for (const d of docs) onCleanup(() => d.destroy());
    await Promise.all(docs.map(waitForSynced));
    const [laptopDoc, phoneDoc, benDoc] = docs.map((d) => d.doc) as [Y.Doc, Y.Doc, Y.Doc];
    seatDoc.answer(laptopDoc, 'q1').insert(0, 'from the laptop. ');
    seatDoc.answer(phoneDoc, 'q2').insert(0, 'from the phone');
    await waitFor(
      () => seatDoc.answer(benDoc, 'q1').toString() === 'from the laptop. ' && seatDoc.answer(benDoc, 'q2').toString() === 'from the phone',
      'both devices reach Ben'
    );
    await waitFor(() => seatDoc.answer(phoneDoc, 'q1').toString() === 'from the laptop. ', 'laptop reaches phone');
    await waitFor(() => benSocket.latest['presence:update']?.mentor !== 'gone' && benSocket.latest['presence:update'], 'Ana present');
    phoneSocket.socket.close();
    // One of Ana's browsers left: she is still here.
    await waitFor(() => laptopSocket.socket.connected, 'laptop still connected');
    expect(benSocket.latest['presence:update']?.mentor ?? 'online').not.toBe('gone');
    laptopSocket.socket.close();
    await waitFor(() => benSocket.latest['presence:update']?.mentor === 'gone', 'Ana gone after both left');
  });

  it('[DEV7][DEV8] revoking the phone closes its live connections at once and its cookie opens nothing, anywhere', async () => {
    const { ana, ben } = await pair();
    const phone = await addPhone(ana);
    const laptopSocket = await seat(ana);
    const phoneSocket = await seat(phone);
    const revokedNotice = new Promise<{ message: string }>((resolve) => phoneSocket.socket.on('seat:revoked', resolve));
    const phoneDoc = connectDoc(phone, 'mentor');
    onCleanup(() => phoneDoc.destroy());
    await waitForSynced(phoneDoc);
    const closes: number[] = [];
    phoneDoc.provider.on('connection-close', (event) => closes.push(event?.code ?? 0));

    const phoneId = (
      (await apiCall(ana.baseUrl, 'GET', devicesPath(ana.boardId), undefined, phone.cookie)).json.devices as Array<{ id: string; current: boolean }>
    ).find((d) => d.current)!.id;
    // Ben cannot remove Ana's browser: device ids are looked up in the asking seat only.
    const byBen = await apiCall(ben.baseUrl, 'DELETE', `${devicesPath(ben.boardId)}/${phoneId}`, undefined, ben.cookie);
    expect(byBen.status).toBe(404);
    // Nor can the phone remove the browser it is on; the laptop removes the phone.
    const self = await apiCall(ana.baseUrl, 'DELETE', `${devicesPath(ana.boardId)}/${phoneId}`, undefined, phone.cookie);
    expect(self.json.code).toBe('Forbidden');
    const started = Date.now();
    const r = await apiCall(ana.baseUrl, 'DELETE', `${devicesPath(ana.boardId)}/${phoneId}`, undefined, ana.cookie);
    expect(r.json).toEqual({ ok: true });

    expect((await revokedNotice).message).toMatch(/removed/);
    await waitFor(() => !phoneSocket.socket.connected, 'phone socket closed');
    await waitFor(() => closes.includes(CLOSE_CODES.DeviceRevoked), 'phone Yjs closed with DeviceRevoked');
    const closedWithinMs = Date.now() - started;
    expect(closedWithinMs).toBeLessThan(2_000);
    expect(laptopSocket.socket.connected).toBe(true);
    phoneDoc.destroy();

    // The cookie stops working on every channel, with its own reason.
    const view = await apiCall(ana.baseUrl, 'GET', `/api/boards/${ana.boardId}`, undefined, phone.cookie);
    expect(view.status).toBe(401);
    expect(view.json.code).toBe('DeviceRevoked');
    const retry = connectSocket(phone);
    onCleanup(() => retry.close());
    const refused = await new Promise<{ code: string }>((resolve) => retry.on('connect_error', (e) => resolve((e as Error & { data: { code: string } }).data)));
    expect(refused.code).toBe('DeviceRevoked');
    const upgradeStatus = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${ana.baseUrl.replace(/^http/, 'ws')}/yjs/${ana.boardId}/mentor`, { headers: { cookie: phone.cookie, origin: ana.origin } });
      ws.on('unexpected-response', (_req, res) => (resolve(res.statusCode ?? 0), ws.terminate()));
      ws.on('open', () => (resolve(101), ws.close()));
      ws.on('error', () => {});
    });
    expect(upgradeStatus).toBe(401);
    const code = await apiCall(ana.baseUrl, 'POST', `${devicesPath(ana.boardId)}/code`, undefined, phone.cookie);
    expect(code.json.code).toBe('DeviceRevoked');
  });

  it('[DEV9] a recovery link adds a browser once and is replaced; a removed one opens nothing', async () => {
    const { server, ana, ben } = await pair({ logLevel: 'debug' });
    const made = await apiCall(ana.baseUrl, 'POST', `${devicesPath(ana.boardId)}/recovery`, undefined, ana.cookie);
    expect(made.status).toBe(201);
    const recovery = made.json.recovery as string;
    expect(recovery).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await redeem(newBrowser(ana), { recovery: 'A'.repeat(43) })).json.code).toBe('NotFound');
    expect((await redeem(ben, { recovery })).json.code).toBe('AlreadyDone');
    const used = await redeem(newBrowser(ana), { recovery });
    expect(used.json).toMatchObject({ ok: true, seat: 'mentor' });
    const next = used.json.recovery as string;
    expect(next).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(next).not.toBe(recovery);
    expect((await redeem(newBrowser(ana), { recovery })).json.code).toBe('NotFound');

    const benList = await apiCall(ben.baseUrl, 'GET', devicesPath(ben.boardId), undefined, ben.cookie);
    const stored = JSON.stringify(await storedSeats(server, ana.boardId));
    for (const secret of [recovery, next]) {
      expect(JSON.stringify(benList.json)).not.toContain(secret);
      expect(logged.join('')).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }

    const removed = await apiCall(ana.baseUrl, 'DELETE', `${devicesPath(ana.boardId)}/recovery`, undefined, ana.cookie);
    expect(removed.json).toEqual({ ok: true });
    expect((await redeem(newBrowser(ana), { recovery: next })).json.code).toBe('NotFound');
  });

  it('[DEV4] guessing is rate-limited per address and per board, even for a right code', async () => {
    const { ana } = await pair({ env: { TRUST_PROXY: 'loopback' } });
    const code = await makeCode(ana);
    const from = (n: number) => ({ 'x-forwarded-for': `203.0.113.${n}` });
    for (let i = 0; i < 10; i++) expect((await redeem(newBrowser(ana), { code: 'AAAA-AAAA' }, from(1))).status).toBe(404);
    const blocked = await redeem(newBrowser(ana), { code }, from(1));
    expect(blocked.status).toBe(429);
    expect(blocked.json.code).toBe('RateLimited');
    expect(Number(blocked.retryAfter)).toBeGreaterThan(0);
    // Other addresses share the board's budget of 20 an hour.
    for (let i = 0; i < 10; i++) expect((await redeem(newBrowser(ana), { code: 'AAAA-AAAA' }, from(2 + i))).status).toBe(404);
    const boardBlocked = await redeem(newBrowser(ana), { code }, from(50));
    expect(boardBlocked.status).toBe(429);
    expect(boardBlocked.json.message).toMatch(/this board/);
  });

  it('[DEV12] bad input anywhere is a clear error, never a crash', async () => {
    const { server, ana } = await pair();
    const phone = newBrowser(ana);
    for (const body of [{}, { code: 12345678 }, { code: 'x'.repeat(65) }, { code: 'ABCD-123' }, { recovery: 'short' }, { code: 'ABCD1234', recovery: 'x' }, []])
      expect((await redeem(phone, body)).status, JSON.stringify(body)).toBe(400);
    expect((await redeem(phone, '{not json')).status).toBe(400);
    for (const id of ['%00', 'x'.repeat(300), 'not-an-id!', 'recovery2'])
      expect((await apiCall(ana.baseUrl, 'DELETE', `${devicesPath(ana.boardId)}/${id}`, undefined, ana.cookie)).status).toBe(404);
    const renamed = await apiCall(ana.baseUrl, 'PATCH', `${devicesPath(ana.boardId)}/first`, { name: '' }, ana.cookie);
    expect(renamed.json.code).toBe('BadRequest');
    expect((await apiCall(ana.baseUrl, 'PATCH', `${devicesPath(ana.boardId)}/first`, { name: ' Work laptop ' }, ana.cookie)).json).toEqual({ ok: true });
    expect((await apiCall(ana.baseUrl, 'POST', `/api/boards/${'x'.repeat(22)}/devices/code`, undefined, ana.cookie)).status).toBe(404);
    // The server still answers.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
