import WebSocket from 'ws';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { YJS_PATH, type DocName } from '@pairboard/shared';
import type { Partner } from './clients.ts';

/**
 * A y-websocket connection without a provider: sends exactly the bytes a test gives it and
 * records what comes back, for tests of what the server does with frames no browser would send.
 */
export type RawYjs = {
  ws: WebSocket;
  received: Uint8Array[];
  /** Resolves with the close code once the server (or the test) closed the connection. */
  closed: Promise<number>;
  isClosed(): boolean;
  send(frame: Uint8Array | string): void;
};

export function rawYjsUrl(partner: Pick<Partner, 'baseUrl' | 'boardId'>, doc: DocName): string {
  return `${partner.baseUrl.replace(/^http/, 'ws')}${YJS_PATH}/${partner.boardId}/${doc}`;
}

/** Opens a raw connection; resolves once the server's first frame (its sync step 1) arrived. */
export function openRawYjs(partner: Partner, doc: DocName): Promise<RawYjs> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(rawYjsUrl(partner, doc), { headers: { cookie: partner.cookie, origin: partner.origin } });
    ws.binaryType = 'nodebuffer';
    const received: Uint8Array[] = [];
    let isClosed = false;
    const closed = new Promise<number>((done) =>
      ws.on('close', (code) => {
        isClosed = true;
        done(code);
      })
    );
    ws.on('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    ws.on('error', (error) => reject(error));
    ws.on('message', (data: Buffer) => {
      received.push(new Uint8Array(data));
      if (received.length === 1) {
        resolve({
          ws,
          received,
          closed,
          isClosed: () => isClosed,
          send: (frame) => {
            if (ws.readyState === ws.OPEN) ws.send(frame);
          }
        });
      }
    });
  });
}

/** The HTTP status an upgrade is answered with (101 when it opened). */
export function upgradeStatus(partner: Partner, doc: DocName): Promise<{ status: number; ws?: WebSocket }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(rawYjsUrl(partner, doc), { headers: { cookie: partner.cookie, origin: partner.origin } });
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('error', () => resolve({ status: 0 }));
  });
}

/** [type, syncType?] of a frame the server sent. */
export function frameKind(frame: Uint8Array): { type: number; sync?: number } {
  const decoder = decoding.createDecoder(frame);
  const type = decoding.readVarUint(decoder);
  return type === 0 ? { type, sync: decoding.readVarUint(decoder) } : { type };
}

export function syncFrame(syncType: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  encoding.writeVarUint(e, syncType);
  encoding.writeVarUint8Array(e, payload);
  return encoding.toUint8Array(e);
}

export function awarenessFrameOf(entries: Array<[clientId: number, clock: number, state: string]>): Uint8Array {
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, entries.length);
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(inner, id);
    encoding.writeVarUint(inner, clock);
    encoding.writeVarString(inner, state);
  }
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
  return encoding.toUint8Array(e);
}
