import type { IncomingMessage } from 'node:http';
import { fail, seatChannel, type Failure, type Seat } from '@pairboard/shared';
import { addressKey } from '../http/clientAddress.ts';
import type { AddressCounter } from '../http/connectionLimits.ts';
import type { Logger } from '../log.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { BoardIo, BoardSocket } from './socketServer.ts';

/** The parts of an engine.io connection we touch (engine.io is not a direct dependency). */
type EngineConnection = {
  request: IncomingMessage;
  close(): void;
  once(event: 'close', listener: () => void): unknown;
  prependListener(event: 'data', listener: (data: unknown) => void): unknown;
};

export type SocketEdgeDeps = {
  clientAddress: (req: IncomingMessage) => string;
  /** Shared with the Yjs endpoint: every websocket from an address counts. */
  socketsPerIp: AddressCounter;
  anonymousPerIp: AddressCounter;
  connectTimeoutMs: number;
  socketsPerSeat: number;
  metrics: Metrics;
  log: Logger;
};

/**
 * Connection-level bounds for Socket.IO, so a stranger holds at most a few KB for a few seconds:
 * [EDGE4] per-address caps on open and on not-yet-seated connections, [EDGE5] a seat or a close
 * within the connect timeout, [EDGE6] JSON only — any binary packet (the only way to make the
 * parser buffer attachments) closes the connection, and [EDGE7] a cap on connections per seat.
 */
export function createSocketEdges(deps: SocketEdgeDeps) {
  /** Gives back a connection's anonymous place once it has proved a seat. */
  const anonymous = new WeakMap<object, () => void>();

  function refuse(reason: Parameters<Metrics['refuse']>[0], conn: EngineConnection): void {
    deps.metrics.refuse(reason);
    conn.close();
  }

  return {
    /** Before the handshake (polling or upgrade): a cheap refusal while the address is at its caps. */
    allowRequest(req: IncomingMessage): boolean {
      const key = addressKey(deps.clientAddress(req));
      if (deps.socketsPerIp.hasRoom(key) && deps.anonymousPerIp.hasRoom(key)) return true;
      deps.metrics.refuse('too-many-connections');
      return false;
    },

    /** [EDGE11] Counts a handshake refused for its origin or its seat, by reason. */
    refused(code: 'BadOrigin' | Failure['code']): void {
      deps.metrics.refuse(REFUSAL_REASONS[code] ?? 'unauthenticated');
    },

    attach(io: BoardIo): void {
      io.engine.on('connection', (conn: EngineConnection) => {
        const key = addressKey(deps.clientAddress(conn.request));
        // allowRequest only looked; handshakes racing each other are settled here, by taking places.
        const releaseSocket = deps.socketsPerIp.take(key);
        const releaseAnonymous = deps.anonymousPerIp.take(key);
        if (!releaseSocket || !releaseAnonymous) {
          releaseSocket?.();
          releaseAnonymous?.();
          return refuse('too-many-connections', conn);
        }
        anonymous.set(conn, releaseAnonymous);
        const deadline = setTimeout(() => {
          if (anonymous.has(conn)) refuse('handshake-timeout', conn);
        }, deps.connectTimeoutMs);
        deadline.unref();
        // Runs before Socket.IO's decoder sees the frame. The page sends small JSON actions only.
        conn.prependListener('data', (data) => {
          if (typeof data !== 'string' || data.startsWith('5') || data.startsWith('6')) refuse('bad-frame', conn);
        });
        conn.once('close', () => {
          clearTimeout(deadline);
          releaseSocket();
          releaseAnonymous();
          anonymous.delete(conn);
        });
      });
    },

    /** After the seat is proved: refuses a seat already at its cap, else ends the anonymous period. */
    admitSeat(socket: BoardSocket, io: BoardIo, boardId: string, seat: Seat): Failure | null {
      if (seatConnections(io, boardId, seat) >= deps.socketsPerSeat) {
        deps.metrics.refuse('too-many-connections');
        return fail('RateLimited', `This board is already open in ${deps.socketsPerSeat} tabs of this browser. Close one of them, then reload this page.`);
      }
      const conn = socket.conn as unknown as object;
      anonymous.get(conn)?.();
      anonymous.delete(conn);
      return null;
    },

    /**
     * Admission and joining are a tick apart: a connection that raced past the cap is closed here,
     * before any handler is registered (false: the caller stops setting it up).
     */
    keepAfterJoin(socket: BoardSocket, io: BoardIo, boardId: string, seat: Seat): boolean {
      if (seatConnections(io, boardId, seat) <= deps.socketsPerSeat) return true;
      deps.metrics.refuse('too-many-connections');
      socket.disconnect(true);
      return false;
    }
  };
}

export type SocketEdges = ReturnType<typeof createSocketEdges>;

const REFUSAL_REASONS: Partial<Record<Failure['code'], Parameters<Metrics['refuse']>[0]>> = {
  BadOrigin: 'origin',
  BoardFull: 'board-full',
  BoardDeleted: 'board-deleted',
  ProtocolMismatch: 'bad-request',
  BadRequest: 'bad-request',
  BoardMoved: 'board-moved'
};

function seatConnections(io: BoardIo, boardId: string, seat: Seat): number {
  return io.sockets.adapter.rooms.get(seatChannel(boardId, seat))?.size ?? 0;
}
