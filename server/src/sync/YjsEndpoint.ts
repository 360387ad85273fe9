import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { boardIdSchema, canWrite, CLOSE_CODES, HTTP_STATUS, LIMITS, parseRoomName, YJS_PATH, type Failure } from '@pairboard/shared';
import type { BoardService } from '../boards/BoardService.ts';
import { readSeatSecret } from '../http/cookies.ts';
import { originAllowed } from '../http/origin.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Claimer } from '../boards/BoardService.ts';
import type { DocRoom } from '../rooms/DocRoom.ts';
import type { RoomRegistry } from '../rooms/RoomRegistry.ts';
import { DEFAULT_HOLD_LIMITS, SyncDispatcher, type HoldLimits, type SyncPeer } from './SyncDispatcher.ts';

/** [HARD5–7] Resource bounds of the endpoint; tests shorten them. */
export type YjsLimits = {
  /** Concurrent connections of one seat to one document (a few tabs; more is not a person). */
  connectionsPerSeatDoc: number;
  /** Bytes queued for a client before it counts as not reading: a whole document plus a frame. */
  sendBufferMax: number;
  /** A connection that has not sent its first frame by then is closed. */
  handshakeTimeoutMs: number;
  /** [HARD1] How long and how much a connection's updates may wait for their dependencies. */
  hold: HoldLimits;
};

export const DEFAULT_YJS_LIMITS: YjsLimits = {
  connectionsPerSeatDoc: 8,
  sendBufferMax: LIMITS.docBytesMax + LIMITS.frameBytesMax,
  handshakeTimeoutMs: 10_000,
  hold: DEFAULT_HOLD_LIMITS
};

export type YjsEndpointDeps = {
  boards: BoardService;
  /** [LEASE2] A document is served only by the node holding its board's lease. */
  ownership: Claimer;
  rooms: RoomRegistry;
  origins: readonly string[];
  log: Logger;
  metrics?: Metrics;
  limits?: Partial<YjsLimits>;
};

/**
 * Each socket is checked every HEARTBEAT_PERIOD_MS, in HEARTBEAT_SLOTS groups visited one per tick:
 * with 6,000 sockets a tick handles 60 of them (~1 ms), where ten groups a second blocked the event
 * loop 13–73 ms at once and showed up as the relay's p99 (profiled in the bench, issue 13).
 */
const HEARTBEAT_SLOTS = 100;
const HEARTBEAT_PERIOD_MS = 10_000;

const STATUS_TEXT: Record<number, string> = { 403: 'Forbidden', 410: 'Gone', 429: 'Too Many Requests', 503: 'Service Unavailable' };

/** Sends a plain HTTP refusal on a socket that asked to upgrade, then closes it. */
function refuseUpgrade(socket: Duplex, status: number, message: string, retryAfterSeconds?: number): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ ok: false, message });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
      (retryAfterSeconds ? `Retry-After: ${retryAfterSeconds}\r\n` : '') +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`
  );
  socket.destroy();
}

/**
 * The y-websocket endpoint: `/yjs/<boardId>/<doc>`. [SEAT3] The seat is checked before
 * `handleUpgrade`, so a refused browser never receives a byte of any document.
 */
export class YjsEndpoint {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: LIMITS.frameBytesMax });
  /** Open sockets in HEARTBEAT_SLOTS groups; one group is checked each tick, spreading the work. */
  private readonly slots: Array<Map<WebSocket, YjsConnection>> = Array.from({ length: HEARTBEAT_SLOTS }, () => new Map());
  readonly unanswered = new WeakSet<WebSocket>();
  private nextSlot = 0;
  private tick = 0;
  private readonly heartbeat: NodeJS.Timeout;
  readonly sync: SyncDispatcher;
  readonly limits: YjsLimits;
  /** Open (or opening) connections per `board/doc/seat`. */
  private readonly perSeatDoc = new Map<string, number>();
  /** [DEV7] Open sockets per `board/seat/device`, so a revoked browser's are closed at once. */
  private readonly perDevice = new Map<string, Set<WebSocket>>();
  /** Set by drain/close: an upgrade still authenticating or loading is not opened any more. */
  private closing = false;

  readonly log: Logger;

  constructor(private readonly deps: YjsEndpointDeps) {
    this.log = deps.log;
    this.limits = { ...DEFAULT_YJS_LIMITS, ...deps.limits };
    this.sync = new SyncDispatcher({ rooms: deps.rooms, log: deps.log, hold: this.limits.hold, ...(deps.metrics ? { metrics: deps.metrics } : {}) });
    // Each socket every HEARTBEAT_PERIOD_MS: one that did not answer the last ping is dead (a
    // laptop lid closed, a network gone) and is dropped, so its room can unload and its presence
    // clear; a live one gets a ping and a keep-alive frame (y-websocket reconnects after 30 s of
    // silence, which a partner alone on the board would otherwise do twice a minute).
    this.heartbeat = setInterval(() => {
      const slot = this.slots[this.tick++ % HEARTBEAT_SLOTS]!;
      for (const [ws, connection] of slot) {
        if (this.unanswered.has(ws)) {
          ws.terminate();
          continue;
        }
        this.unanswered.add(ws);
        ws.ping();
        this.sync.keepAlive(connection.room, connection);
      }
    }, HEARTBEAT_PERIOD_MS / HEARTBEAT_SLOTS);
    this.heartbeat.unref();
  }

  /** Returns false for upgrades that are not ours, so the caller can pass them on. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!(req.url ?? '').startsWith(`${YJS_PATH}/`)) return false;
    this.upgrade(req, socket, head).catch((error: unknown) => {
      // The database could not answer (or the request was not understood): refused, never thrown.
      this.deps.log.warn('upgrade failed', { error: String(error) });
      this.deps.metrics?.backgroundErrors.inc({ task: 'load' });
      refuseUpgrade(socket, 503, 'The board could not be opened; retrying.', 1);
    });
    return true;
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://internal');

    if (!originAllowed(req, this.deps.origins)) {
      refuseUpgrade(socket, 403, 'This connection came from another site.');
      return;
    }
    // Board ids are base64url and doc names plain words: nothing to percent-decode.
    const target = parseRoomName(url.pathname.slice(YJS_PATH.length + 1));
    if (!target || !boardIdSchema.safeParse(target.boardId).success) {
      refuseUpgrade(socket, 404, 'No such board document.');
      return;
    }
    const auth = await this.deps.boards.authenticate(target.boardId, readSeatSecret(req, target.boardId));
    if (socket.destroyed) return;
    if (!auth.ok) {
      refuseUpgrade(socket, HTTP_STATUS[(auth as Failure).code], auth.message);
      return;
    }

    // [HARD5] A seat's tabs need a connection or two per document; hundreds are an attack on
    // memory (each one is fanned out every awareness change). Counted from before the upgrade,
    // released when the raw socket closes, so a half-finished upgrade is released too.
    const seatKey = `${target.boardId}/${target.doc}/${auth.seat}`;
    const open = this.perSeatDoc.get(seatKey) ?? 0;
    if (open >= this.limits.connectionsPerSeatDoc) {
      this.deps.metrics?.refuse('too-many-connections');
      refuseUpgrade(socket, 429, 'Too many connections to this document from your seat.');
      return;
    }
    this.perSeatDoc.set(seatKey, open + 1);
    this.releaseOnClose(socket, seatKey);

    // [LEASE2][LEASE9] Served by the node holding the board's lease. Another node's board is
    // refused before the upgrade (HTTP 503 + Retry-After), so the client backs off and retries;
    // through the proxy its retry reaches the owner, or this node once the lease is released.
    const claim = await this.deps.ownership.claim(target.boardId, { routed: req.headers['x-forwarded-for'] !== undefined });
    if (!claim.ok) {
      const retryAfter = claim.code === 'BoardMoved' ? Math.max(1, Math.ceil(((claim as { retryAfterMs?: number }).retryAfterMs ?? 1_000) / 1000)) : undefined;
      refuseUpgrade(socket, HTTP_STATUS[claim.code], claim.message, retryAfter);
      return;
    }
    // Loaded before the connection opens: no one syncs against a half-loaded room.
    let room: DocRoom | null = null;
    let loadError: unknown = null;
    try {
      room = await this.deps.rooms.open(target.boardId, target.doc);
    } catch (error) {
      loadError = error;
    }
    if (socket.destroyed || this.closing || room?.closed) {
      if (room) this.deps.rooms.release(room);
      if (room?.closed) refuseUpgrade(socket, 503, 'This board moved to another server; retrying.', 1);
      else if (!socket.destroyed) socket.destroy();
      return;
    }

    const readOnly = !canWrite(target.doc, auth.seat);
    const deviceKey = `${target.boardId}/${auth.seat}/${auth.deviceId}`;
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      if (!room) {
        // The database could not be read: this connection is told to come back, the process lives on.
        this.deps.log.error('could not open document', { boardId: target.boardId, doc: target.doc, error: String(loadError) });
        this.deps.metrics?.backgroundErrors.inc({ task: 'load' });
        ws.close(CLOSE_CODES.Unavailable, 'The board could not be opened; retrying.');
        return;
      }
      this.open(ws, room, readOnly, deviceKey);
    });
  }

  /** Counts a seat's connection to a document until its raw socket closes (opened or not). */
  private releaseOnClose(socket: Duplex, seatKey: string): void {
    socket.once('close', () => {
      const left = (this.perSeatDoc.get(seatKey) ?? 1) - 1;
      if (left > 0) this.perSeatDoc.set(seatKey, left);
      else this.perSeatDoc.delete(seatKey);
    });
  }

  /** An upgraded socket joins its room; its events go to shared listeners, not per-socket closures. */
  private open(ws: WebSocket, room: DocRoom, readOnly: boolean, deviceKey: string): void {
    this.deps.metrics?.connections.inc({ kind: 'yjs' });
    const connection = new YjsConnection(this, ws, room, readOnly, deviceKey, this.slots[this.nextSlot++ % HEARTBEAT_SLOTS]!);
    // [HARD7] A connection that never speaks holds a socket and a room: it gets a few seconds.
    connection.silent = setTimeout(onSilent, this.limits.handshakeTimeoutMs, connection);
    connection.silent.unref();
    connection.slot.set(ws, connection);
    const ofDevice = this.perDevice.get(deviceKey) ?? new Set<WebSocket>();
    this.perDevice.set(deviceKey, ofDevice.add(ws));
    ws.binaryType = 'nodebuffer';
    (ws as SocketWithConnection)[CONNECTION] = connection;
    ws.on('pong', onPong);
    ws.on('message', onMessage);
    ws.on('close', onClose);
    ws.on('error', onError);
    this.sync.join(room, connection);
  }

  /** Called by a closing connection: forgets it everywhere. */
  forget(connection: YjsConnection): void {
    const { ws, deviceKey } = connection;
    const ofDevice = this.perDevice.get(deviceKey);
    ofDevice?.delete(ws);
    if (ofDevice?.size === 0) this.perDevice.delete(deviceKey);
    if (connection.silent) clearTimeout(connection.silent);
    connection.slot.delete(ws);
    this.deps.metrics?.connections.dec({ kind: 'yjs' });
    this.sync.leave(connection.room, connection);
  }

  /** [DEV7] Closes every document connection of one browser of a seat (it was revoked). */
  closeDevice(boardId: string, seat: string, deviceId: string, code: number, reason: string): void {
    for (const ws of this.perDevice.get(`${boardId}/${seat}/${deviceId}`) ?? []) ws.close(code, reason);
  }

  get connectionCount(): number {
    return this.slots.reduce((n, slot) => n + slot.size, 0);
  }

  /**
   * [OPS3] Graceful: closes every socket with `code` (e.g. ServerRestarting, which clients answer
   * by reconnecting at once), waits up to `waitMs` for the close handshakes, then cuts the rest.
   */
  async drain(code: number, reason: string, waitMs = 1_000): Promise<void> {
    this.closing = true;
    clearInterval(this.heartbeat);
    const sockets = this.slots.flatMap((slot) => [...slot.keys()]);
    const closed = sockets.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))));
    for (const ws of sockets) ws.close(code, reason);
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, waitMs)))]);
    clearTimeout(timer);
    this.close();
  }

  close(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const slot of this.slots) for (const ws of slot.keys()) ws.terminate();
    this.wss.close();
  }
}

/**
 * One open document socket, as the dispatcher's SyncPeer. Its state lives here and its socket's
 * events go to the module's shared listeners below: eight closures and their contexts per socket
 * (which also kept the upgrade's auth and seats alive) were ~1 KB of each of a board's six sockets.
 */
class YjsConnection implements SyncPeer {
  readonly awarenessIds = new Set<number>();
  silent: NodeJS.Timeout | null = null;

  constructor(
    readonly endpoint: YjsEndpoint,
    readonly ws: WebSocket,
    readonly room: DocRoom,
    readonly readOnly: boolean,
    readonly deviceKey: string,
    readonly slot: Map<WebSocket, YjsConnection>
  ) {}

  send(frame: Uint8Array): void {
    const { ws } = this;
    if (ws.readyState !== ws.OPEN) return;
    // [HARD6] A client that stopped reading would make us queue every frame for it:
    // once its backlog passes the bound it is dropped (it reconnects and syncs afresh).
    if (ws.bufferedAmount > this.endpoint.limits.sendBufferMax) {
      this.endpoint.sync.refuse(this, 'slow-reader', CLOSE_CODES.SlowReader, 'Too far behind; reconnect.');
      ws.terminate();
      return;
    }
    ws.send(frame);
  }

  close(code: number, reason: string): void {
    this.ws.close(code, reason);
  }
}

const CONNECTION = Symbol('yjs connection');
type SocketWithConnection = WebSocket & { [CONNECTION]: YjsConnection };
const connectionOf = (ws: WebSocket) => (ws as SocketWithConnection)[CONNECTION];

function onSilent(connection: YjsConnection): void {
  connection.silent = null;
  connection.endpoint.sync.refuse(connection, 'handshake-timeout', CLOSE_CODES.HandshakeTimeout, 'No sync started.');
  // A client that does not speak may not answer the close either: cut it soon after.
  setTimeout(() => connection.ws.terminate(), 1_000).unref();
}

function onPong(this: WebSocket): void {
  connectionOf(this).endpoint.unanswered.delete(this);
}

function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  // A closing socket may still deliver frames; they belong to a connection that is over.
  if (this.readyState !== this.OPEN) return;
  const connection = connectionOf(this);
  if (connection.silent) {
    clearTimeout(connection.silent);
    connection.silent = null;
  }
  const { sync } = connection.endpoint;
  if (!isBinary) return sync.refuse(connection, 'bad-frame', CLOSE_CODES.BadMessage, 'Binary frames only');
  sync.receive(connection.room, connection, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
}

function onClose(this: WebSocket): void {
  const connection = connectionOf(this);
  connection.endpoint.forget(connection);
}

function onError(this: WebSocket, error: Error): void {
  connectionOf(this).endpoint.log.warn('yjs socket error', { error: error.message });
}
