import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
const EMPTY = new Uint8Array(0);

/**
 * A y-websocket provider reduced to what goes over the wire, so one process can hold thousands:
 * the same frames as `WebsocketProvider` (sync step 1 on open, step 2 answers, incremental updates,
 * its own awareness entry on open and renewed every 15 s), the same cookie and Origin headers as the
 * browser, a real Y.Doc on each end. It does not reconnect: a drop is a failure the bench reports.
 */
export class YjsConnection {
  readonly ws: WebSocket;
  synced = false;
  closed = false;
  closeCode = 0;
  /**
   * Capacity mode only: `hold` keeps this doc's outgoing updates (typed ahead of a step) to send one
   * by one with sendHeld(); `defer` stores incoming updates raw, to apply after the step, calling
   * onDeferred per frame. The wire traffic is unchanged; the client's Yjs work moves out of the
   * timed window, so one client core can drive the server harder.
   */
  hold = false;
  readonly held: Uint8Array[] = [];
  private heldNext = 0;
  defer = false;
  deferred: Uint8Array[] = [];
  onDeferred: (() => void) | null = null;
  private awarenessClock = 0;
  private renew: NodeJS.Timeout | null = null;

  constructor(
    url: string,
    readonly doc: Y.Doc,
    headers: Record<string, string>,
    private readonly onSynced?: () => void
  ) {
    this.ws = new WebSocket(url, { headers, perMessageDeflate: false });
    this.ws.binaryType = 'arraybuffer';
    this.ws.on('open', () => {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      syncProtocol.writeSyncStep1(encoder, doc);
      this.ws.send(encoding.toUint8Array(encoder));
      this.sendAwareness();
      // y-protocols renews a local state older than outdatedTimeout/2 (15 s).
      this.renew = setInterval(() => this.sendAwareness(), 15_000);
      this.renew.unref();
    });
    this.ws.on('message', (data: ArrayBuffer) => this.receive(new Uint8Array(data)));
    this.ws.on('close', (code) => {
      this.closed = true;
      this.closeCode = code;
      if (this.renew) clearInterval(this.renew);
    });
    this.ws.on('error', () => {});
    doc.on('update', this.onDocUpdate);
  }

  private readonly onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || this.ws.readyState !== WebSocket.OPEN) return;
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_SYNC);
    syncProtocol.writeUpdate(encoder, update);
    if (this.hold) this.held.push(encoding.toUint8Array(encoder));
    else this.ws.send(encoding.toUint8Array(encoder));
  };

  /** Sends the next held update; false when none is left. */
  sendHeld(): boolean {
    if (this.heldNext >= this.held.length) return false;
    this.ws.send(this.held[this.heldNext]!);
    this.held[this.heldNext++] = EMPTY;
    if (this.heldNext === this.held.length) {
      this.held.length = 0;
      this.heldNext = 0;
    }
    return true;
  }

  applyDeferred(): void {
    const frames = this.deferred;
    this.deferred = [];
    for (const frame of frames) this.receive(frame);
  }

  private receive(data: Uint8Array): void {
    // An incremental update (sync message type 2) while deferring: keep it for later.
    if (this.defer && data[0] === MESSAGE_SYNC && data[1] === syncProtocol.messageYjsUpdate) {
      this.deferred.push(data);
      this.onDeferred?.();
      return;
    }
    const decoder = decoding.createDecoder(data);
    const type = decoding.readVarUint(decoder);
    if (type === MESSAGE_SYNC) {
      const encoder = encoding.createEncoder();
      encoding.writeVarUint(encoder, MESSAGE_SYNC);
      const syncType = syncProtocol.readSyncMessage(decoder, encoder, this.doc, this);
      if (encoding.length(encoder) > 1) this.ws.send(encoding.toUint8Array(encoder));
      if (syncType === syncProtocol.messageYjsSyncStep2 && !this.synced) {
        this.synced = true;
        this.onSynced?.();
      }
    }
    // Awareness from the partner is read by the page only to draw presence; nothing to do here.
    else if (type !== MESSAGE_AWARENESS) throw new Error(`unexpected message type ${type}`);
  }

  /** The provider's own awareness entry: its client id, a clock, and its JSON state ("{}"). */
  private sendAwareness(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const entry = encoding.createEncoder();
    encoding.writeVarUint(entry, 1);
    encoding.writeVarUint(entry, this.doc.clientID);
    encoding.writeVarUint(entry, this.awarenessClock++);
    encoding.writeVarString(entry, '{}');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(entry));
    this.ws.send(encoding.toUint8Array(encoder));
  }

  close(): void {
    if (this.renew) clearInterval(this.renew);
    this.doc.off('update', this.onDocUpdate);
    this.ws.close();
  }
}
