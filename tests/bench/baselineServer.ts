/**
 * The baseline: a minimal y-protocols relay in the shape of y-websocket's own server
 * (`bin/utils`): one Y.Doc + Awareness per room, sync step 1/2 and updates applied to that doc and
 * rebroadcast, awareness relayed. No auth, no persistence, no Socket.IO. Written here with
 * yjs + y-protocols + ws instead of @y/websocket-server or y-websocket@2's bin (see STACK.md).
 *
 * Difference on purpose: y-websocket's server echoes each update back to its sender too; this one
 * skips the sender, like pairboard, so both sides do the same relay work per edit.
 *
 * Run: node --expose-gc --import tsx tests/bench/baselineServer.ts (PORT, HOST from env).
 */
import http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import * as awarenessProtocol from 'y-protocols/awareness';
import { installStatsChannel } from './serverStatsHook.ts';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

class Room extends Y.Doc {
  readonly conns = new Map<WebSocket, Set<number>>();
  readonly awareness = new awarenessProtocol.Awareness(this);

  constructor(readonly name: string) {
    super({ gc: true });
    this.awareness.setLocalState(null);
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: WebSocket | null) => {
      const changed = [...added!, ...updated!, ...removed!];
      if (origin) {
        const owned = this.conns.get(origin);
        if (owned) for (const id of [...added!, ...updated!]) owned.add(id);
      }
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed));
      const frame = encoding.toUint8Array(encoder);
      for (const conn of this.conns.keys()) send(conn, frame);
    });
    this.on('update', (update: Uint8Array, origin: unknown) => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeUpdate(encoder, update);
      const frame = encoding.toUint8Array(encoder);
      for (const conn of this.conns.keys()) if (conn !== origin) send(conn, frame);
    });
  }
}

const rooms = new Map<string, Room>();

function send(conn: WebSocket, frame: Uint8Array): void {
  if (conn.readyState === conn.OPEN) conn.send(frame);
}

const server = http.createServer((req, res) => {
  if (req.url?.startsWith('/healthz')) {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ ok: true, rooms: rooms.size }));
    return;
  }
  res.statusCode = 404;
  res.end();
});
const wss = new WebSocketServer({ noServer: true });

server.on('upgrade', (req, socket, head) => {
  const name = decodeURIComponent((req.url ?? '/').split('?')[0]!.replace(/^\/yjs\//, ''));
  wss.handleUpgrade(req, socket, head, (conn) => {
    conn.binaryType = 'arraybuffer';
    let room = rooms.get(name);
    if (!room) {
      room = new Room(name);
      rooms.set(name, room);
    }
    const doc = room;
    doc.conns.set(conn, new Set());
    conn.on('message', (data: ArrayBuffer) => {
      const decoder = decoding.createDecoder(new Uint8Array(data));
      const encoder = encoding.createEncoder();
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        encoding.writeVarUint(encoder, MESSAGE_SYNC);
        syncProtocol.readSyncMessage(decoder, encoder, doc, conn);
        if (encoding.length(encoder) > 1) send(conn, encoding.toUint8Array(encoder));
      } else if (type === MESSAGE_AWARENESS) {
        awarenessProtocol.applyAwarenessUpdate(doc.awareness, decoding.readVarUint8Array(decoder), conn);
      }
    });
    conn.on('close', () => {
      const owned = doc.conns.get(conn);
      doc.conns.delete(conn);
      if (owned) awarenessProtocol.removeAwarenessStates(doc.awareness, [...owned], null);
      // Like y-websocket without persistence: the doc stays in memory (unloading would lose it).
    });
    // Server speaks first: step 1, then everyone's awareness.
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, doc);
    send(conn, encoding.toUint8Array(step1));
    const states = doc.awareness.getStates();
    if (states.size > 0) {
      const aw = encoding.createEncoder();
      encoding.writeVarUint(aw, MESSAGE_AWARENESS);
      encoding.writeVarUint8Array(aw, awarenessProtocol.encodeAwarenessUpdate(doc.awareness, [...states.keys()]));
      send(conn, encoding.toUint8Array(aw));
    }
  });
});

installStatsChannel(() => ({ rooms: rooms.size }));
server.listen(Number(process.env.PORT ?? 0), process.env.HOST ?? '127.0.0.1');
process.on('SIGTERM', () => process.exit(0));
