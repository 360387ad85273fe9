import { io, type Socket } from 'socket.io-client';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  PROTOCOL_VERSION,
  SOCKET_IO_PATH,
  YJS_PATH,
  roomName,
  seatCookieName,
  type ClientToServerEvents,
  type DocName,
  type Seat,
  type ServerToClientEvents
} from '@pairboard/shared';

/** A browser as the server sees it: a cookie jar for one board plus the page's origin. */
export type Partner = { boardId: string; seat: Seat; cookie: string; origin: string; baseUrl: string };

async function call(baseUrl: string, method: string, path: string, body?: unknown, cookie?: string) {
  const res = await fetch(baseUrl + path, {
    method,
    headers: { 'content-type': 'application/json', origin: baseUrl, ...(cookie ? { cookie } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) })
  });
  const json = (await res.json()) as Record<string, unknown>;
  return { status: res.status, json, setCookie: res.headers.getSetCookie() };
}

function cookieFrom(setCookie: string[], boardId: string): string {
  const found = setCookie.find((c) => c.startsWith(`${seatCookieName(boardId)}=`));
  if (!found) throw new Error('no seat cookie was set');
  return found.split(';')[0]!;
}

export async function createBoard(baseUrl: string, name = 'Ana', seat: Seat = 'mentor'): Promise<Partner> {
  const r = await call(baseUrl, 'POST', '/api/boards', { name, seat });
  if (r.status !== 201) throw new Error(`create failed: ${JSON.stringify(r.json)}`);
  const boardId = r.json.boardId as string;
  return { boardId, seat, cookie: cookieFrom(r.setCookie, boardId), origin: baseUrl, baseUrl };
}

export async function joinBoard(baseUrl: string, boardId: string, name = 'Ben'): Promise<Partner> {
  const r = await call(baseUrl, 'POST', `/api/boards/${boardId}/seats`, { name });
  if (r.status !== 200) throw new Error(`join failed: ${JSON.stringify(r.json)}`);
  return { boardId, seat: r.json.seat as Seat, cookie: cookieFrom(r.setCookie, boardId), origin: baseUrl, baseUrl };
}

export { call as apiCall };

/** A WebSocket that sends the partner's cookie and origin, as the browser would. */
export function socketClassFor(partner: Pick<Partner, 'cookie' | 'origin'>): typeof WebSocket {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { cookie: partner.cookie, origin: partner.origin } });
    }
  } as typeof WebSocket;
}

export type DocClient = { doc: Y.Doc; provider: WebsocketProvider; destroy(): void };

/** The same provider the page uses, connected to one of the board's documents. */
export function connectDoc(partner: Partner, docName: DocName, doc = new Y.Doc()): DocClient {
  const provider = new WebsocketProvider(partner.baseUrl.replace(/^http/, 'ws') + YJS_PATH, roomName(partner.boardId, docName), doc, {
    WebSocketPolyfill: socketClassFor(partner) as never,
    disableBc: true,
    maxBackoffTime: 200
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    }
  };
}

export type BoardSocketClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connectSocket(partner: Partner, options: { autoConnect?: boolean } = {}): BoardSocketClient {
  return io(partner.baseUrl, {
    path: SOCKET_IO_PATH,
    transports: ['websocket'],
    // As the page does: the proxy routes on it [LEASE7].
    query: { board: partner.boardId },
    auth: { boardId: partner.boardId, protocol: PROTOCOL_VERSION },
    extraHeaders: { cookie: partner.cookie, origin: partner.origin },
    reconnectionDelay: 100,
    reconnectionDelayMax: 300,
    autoConnect: options.autoConnect ?? true
  });
}

/** Polls a condition until it holds; never a fixed sleep. */
export async function waitFor<T>(
  check: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 5_000
): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

export function waitForSynced(client: DocClient): Promise<true> {
  return waitFor(() => client.provider.synced, 'provider sync');
}

/** Sends an action and resolves with the server's ack (a Result). */
export function act(
  socket: BoardSocketClient,
  event: 'session:act' | 'game:act',
  action: Record<string, unknown>
): Promise<{ ok: boolean; code?: string; message?: string }> {
  // Tests send malformed actions on purpose, so this bypasses the event map's payload types.
  return new Promise((resolve) => socket.emit(event, action as never, resolve as never));
}

let opCounter = 0;
export const op = () => `op-${++opCounter}-${Date.now()}`;

/** A connected seat that records every frame of the given events, latest first at `.latest`. */
export async function seatedSocket(partner: Partner) {
  const socket = connectSocket(partner);
  const frames: Array<{ event: string; payload: unknown }> = [];
  const latest: Record<string, any> = {};
  socket.onAny((event: string, payload: unknown) => {
    frames.push({ event, payload });
    latest[event] = payload;
  });
  await waitFor(() => latest['session:view'] && latest['game:view'], 'initial views');
  return { socket, frames, latest };
}
