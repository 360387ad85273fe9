import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { boardIdSchema, canWrite, CLOSE_CODES, HTTP_STATUS, LIMITS, parseRoomName, YJS_PATH, type Failure } from '@pairboard/shared';
import type { BoardService } from '../boards/BoardService.ts';
import { readSeatSecret } from '../http/cookies.ts';
import { originAllowed } from '../http/origin.ts';
import type { Logger } from '../log.ts';
import type { SyncPeer } from '../rooms/DocRoom.ts';
import type { RoomRegistry } from '../rooms/RoomRegistry.ts';

export type YjsEndpointDeps = {
  boards: BoardService;
  rooms: RoomRegistry;
  origins: readonly string[];
  log: Logger;
};

const HEARTBEAT_SLOTS = 10;

/** Sends a plain HTTP refusal on a socket that asked to upgrade, then closes it. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ ok: false, message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 403 ? 'Forbidden' : status === 410 ? 'Gone' : 'Refused'}\r\n` +
      'Connection: close\r\nContent-Type: application/json\r\n' +
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
  /** Open sockets in HEARTBEAT_SLOTS groups; one group is checked each second, spreading the work. */
  private readonly slots: Array<Map<WebSocket, () => void>> = Array.from({ length: HEARTBEAT_SLOTS }, () => new Map());
  private readonly unanswered = new WeakSet<WebSocket>();
  private nextSlot = 0;
  private tick = 0;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(private readonly deps: YjsEndpointDeps) {
    // Each socket every HEARTBEAT_SLOTS seconds: one that did not answer the last ping is dead (a
    // laptop lid closed, a network gone) and is dropped, so its room can unload and its presence
    // clear; a live one gets a ping and a keep-alive frame (y-websocket reconnects after 30 s of
    // silence, which a partner alone on the board would otherwise do twice a minute).
    this.heartbeat = setInterval(() => {
      const slot = this.slots[this.tick++ % HEARTBEAT_SLOTS]!;
      for (const [ws, keepAlive] of slot) {
        if (this.unanswered.has(ws)) {
          ws.terminate();
          continue;
        }
        this.unanswered.add(ws);
        ws.ping();
        keepAlive();
      }
    }, 1_000);
    this.heartbeat.unref();
  }

  /** Returns false for upgrades that are not ours, so the caller can pass them on. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if (!(req.url ?? '').startsWith(`${YJS_PATH}/`)) return false;
    try {
      this.upgrade(req, socket, head);
    } catch (error) {
      this.deps.log.warn('bad upgrade request', { error: String(error) });
      refuseUpgrade(socket, 400, 'That request was not understood.');
    }
    return true;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
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
    const auth = this.deps.boards.authenticate(target.boardId, readSeatSecret(req, target.boardId));
    if (!auth.ok) {
      refuseUpgrade(socket, HTTP_STATUS[(auth as Failure).code], auth.message);
      return;
    }

    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const room = this.deps.rooms.open(target.boardId, target.doc);
      const peer: SyncPeer = {
        readOnly: !canWrite(target.doc, auth.seat),
        awarenessIds: new Set(),
        send: (frame) => {
          if (ws.readyState === ws.OPEN) ws.send(frame);
        },
        close: (code, reason) => ws.close(code, reason)
      };
      const slot = this.slots[this.nextSlot++ % HEARTBEAT_SLOTS]!;
      slot.set(ws, () => this.deps.rooms.keepAlive(room, peer));
      ws.binaryType = 'nodebuffer';
      ws.on('pong', () => this.unanswered.delete(ws));
      ws.on('message', (data: Buffer, isBinary) => {
        // A closing socket may still deliver frames; they belong to a connection that is over.
        if (ws.readyState !== ws.OPEN) return;
        if (!isBinary) return peer.close(CLOSE_CODES.BadMessage, 'Binary frames only');
        this.deps.rooms.receive(room, peer, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
      ws.on('close', () => {
        slot.delete(ws);
        this.deps.rooms.leave(room, peer);
      });
      ws.on('error', (error) => this.deps.log.warn('yjs socket error', { error: error.message }));
      this.deps.rooms.join(room, peer);
    });
  }

  get connectionCount(): number {
    return this.slots.reduce((n, slot) => n + slot.size, 0);
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const slot of this.slots) for (const ws of slot.keys()) ws.terminate();
    this.wss.close();
  }
}
