import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import {
  handshakeAuthSchema,
  LIMITS,
  SOCKET_IO_PATH,
  seatChannel,
  type ClientToServerEvents,
  type Seat,
  type SeatsState,
  type ServerToClientEvents
} from '@pairboard/shared';
import type { BoardService, Claimer } from '../boards/BoardService.ts';
import { seatNames } from '../boards/BoardService.ts';
import { readSeatSecret } from '../http/cookies.ts';
import { originAllowed } from '../http/origin.ts';
import type { Logger } from '../log.ts';
import { PresenceTracker } from './PresenceTracker.ts';
import type { SocketEdges } from './socketEdges.ts';

export type SocketData = { boardId: string; seat: Seat; seats: SeatsState; deviceId: string };

/** [DEV7] Every socket of one browser of one seat: closed together when that browser is revoked. */
const deviceChannel = (boardId: string, seat: Seat, deviceId: string) => `${boardId}:${seat}:device:${deviceId}`;
export type BoardSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type BoardIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

/** A feature's Socket.IO handlers, registered for every seated connection. */
export type SocketFeature = (socket: BoardSocket, io: BoardIo) => void;

export type RealtimeDeps = {
  httpServer: HttpServer;
  boards: BoardService;
  /** [LEASE2] A board's sockets are served by the node holding its lease. */
  ownership: Claimer;
  origins: readonly string[];
  log: Logger;
  features?: SocketFeature[];
  /** Connection-level bounds (socketEdges.ts); absent, only the origin is checked. */
  edges?: SocketEdges;
  /** Largest message accepted; the page sends small JSON actions. */
  maxMessageBytes?: number;
  connectTimeoutMs?: number;
  /** [DEV6] A browser's seat was proven (its last-seen time). */
  onSeated?: (boardId: string, seat: Seat, deviceId: string) => void;
};

/** Socket.IO: server-decided state (seats, presence, and the features' votes and games). */
export function createRealtime(deps: RealtimeDeps) {
  const io: BoardIo = new Server(deps.httpServer, {
    path: SOCKET_IO_PATH,
    serveClient: false,
    // The Yjs endpoint shares this HTTP server; engine.io must not kill its upgrades.
    destroyUpgrade: false,
    maxHttpBufferSize: deps.maxMessageBytes ?? LIMITS.frameBytesMax,
    // socketEdges closes seatless connections at connectTimeoutMs (and counts it); this is a backstop.
    ...(deps.connectTimeoutMs ? { connectTimeout: deps.connectTimeoutMs * 2 } : {}),
    // A dropped network shows the partner as gone within ~10 s instead of the default ~45 s.
    pingInterval: 5_000,
    pingTimeout: 5_000,
    allowRequest: (req, callback) => {
      if (originAllowed(req, deps.origins)) return callback(null, deps.edges?.allowRequest(req) ?? true);
      deps.edges?.refused('BadOrigin');
      callback(null, false);
    }
  });
  deps.edges?.attach(io);

  const presence = new PresenceTracker((boardId, map) => io.to(boardId).emit('presence:update', map));

  // [SEAT3] Every connection proves its seat with the cookie before any handler runs.
  io.use((socket, next) => {
    admit(socket).then(next, (error: unknown) => {
      deps.log.error('handshake failed', { error: String(error) });
      next(refusal('Internal', 'The board could not be opened; retrying.'));
    });
  });

  async function admit(socket: BoardSocket): Promise<Error | undefined> {
    const auth = handshakeAuthSchema.safeParse(socket.handshake.auth);
    if (!auth.success) {
      deps.edges?.refused('ProtocolMismatch');
      return refusal('ProtocolMismatch', 'Please reload the page: pairboard was updated.');
    }
    // [LEASE7] The proxy routes on the URL's `board`; a connection routed for one board may not
    // speak for another (absent: a client that does not route, e.g. a single node's tests).
    const routedFor = socket.handshake.query.board;
    if (routedFor !== undefined && routedFor !== auth.data.boardId) {
      deps.edges?.refused('BadRequest');
      return refusal('BadRequest', 'This connection was opened for another board.');
    }
    const seat = await deps.boards.authenticate(auth.data.boardId, readSeatSecret(socket.request, auth.data.boardId));
    if (!seat.ok) {
      deps.edges?.refused(seat.code);
      return refusal(seat.code, seat.message);
    }
    // [LEASE9] Another node serves this board: the client retries (the proxy sends it there).
    const lease = await deps.ownership.claim(auth.data.boardId, { routed: socket.request.headers['x-forwarded-for'] !== undefined });
    if (!lease.ok) {
      deps.edges?.refused(lease.code);
      return refusal(
        lease.code,
        lease.message,
        lease.code === 'BoardMoved' ? { retryAfterMs: (lease as { retryAfterMs?: number }).retryAfterMs ?? 1_000 } : {}
      );
    }
    const capped = deps.edges?.admitSeat(socket, io, auth.data.boardId, seat.seat);
    if (capped) return refusal(capped.code, capped.message);
    socket.data = { boardId: auth.data.boardId, seat: seat.seat, seats: seat.seats, deviceId: seat.deviceId };
    return undefined;
  }

  io.on('connection', (socket) => {
    const { boardId, seat, deviceId } = socket.data;
    forgetUpgradeRequest(socket);
    void socket.join([boardId, seatChannel(boardId, seat), deviceChannel(boardId, seat, deviceId)]);
    deps.onSeated?.(boardId, seat, deviceId);
    if (deps.edges && !deps.edges.keepAfterJoin(socket, io, boardId, seat)) return;
    presence.connect(boardId, seat);
    const seats = seatNames(socket.data.seats);
    socket.emit('board:snapshot', { you: seat, seats, presence: presence.current(boardId) });
    // The partner may not know the newcomer's name yet.
    socket.to(boardId).emit('board:seats', seats);
    socket.on('presence:active', () => presence.touch(boardId, seat));
    for (const feature of deps.features ?? []) feature(socket, io);
    socket.on('disconnect', () => presence.disconnect(boardId, seat));
  });

  return {
    io,
    presence,
    /** Sockets of a board open here (its lease is in use). */
    hasBoard(boardId: string): boolean {
      return (io.sockets.adapter.rooms.get(boardId)?.size ?? 0) > 0;
    },
    /**
     * [LEASE3] Another node serves the board now: its transports close (not a server-side
     * disconnect), so the clients reconnect by themselves and the proxy sends them there.
     */
    boardMoved(boardId: string): void {
      // Each connection's transport, not its socket: `disconnectSockets` sends a DISCONNECT
      // packet first, and socket.io-client never reconnects after a server-side disconnect.
      const ids = [...(io.sockets.adapter.rooms.get(boardId) ?? [])];
      for (const id of ids) io.sockets.sockets.get(id)?.conn.close();
      presence.forget(boardId);
    },
    /** [DEV7][DEV8] Tells a revoked browser so and closes its sockets (it must not reconnect). */
    deviceRevoked(boardId: string, seat: Seat, deviceId: string, message: string): void {
      const channel = deviceChannel(boardId, seat, deviceId);
      io.to(channel).emit('seat:revoked', { message });
      io.in(channel).disconnectSockets(true);
    },
    /** Tells both partners the board is gone and closes their connections. */
    boardDeleted(boardId: string): void {
      io.to(boardId).emit('board:deleted');
      io.in(boardId).disconnectSockets(true);
      presence.forget(boardId);
    },
    async close(): Promise<void> {
      presence.stop();
      await io.close();
    }
  };
}

/**
 * engine.io keeps the upgrade request for the socket's life, raw header list included: that copy
 * of every header (strings and all) goes. The parsed headers stay, since a namespace connecting
 * again over the same connection is admitted from them (its cookie). Heap snapshots, issue 13.
 */
function forgetUpgradeRequest(socket: BoardSocket): void {
  const request = (socket.conn as unknown as { request: IncomingMessage | null }).request;
  if (request) request.rawHeaders = [];
}

function refusal(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  const error = new Error(message) as Error & { data: { code: string; message: string } };
  error.data = { code, message, ...extra };
  return error;
}
