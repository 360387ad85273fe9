/**
 * The cheap side of the load generator: y-websocket frames without a client-side Y.Doc.
 *
 * Every partner types the same keystrokes into its own seat doc, so one template Y.Doc (a fixed
 * client id) encodes the k-th keystroke once, and every connection sends that same frame: a board
 * is its own set of documents, so the shared client id never meets itself. The k-th keystroke
 * carries Yjs clock k; a receiver reads the clock from the relayed frame's header to know which
 * keystroke arrived, without applying it.
 */
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as encoding from 'lib0/encoding';
import * as decoding from 'lib0/decoding';
import * as syncProtocol from 'y-protocols/sync';
import { FIRST_SESSION_QUESTIONS, seatDoc } from '@pairboard/shared';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;
/** The template's client id (any fixed 32-bit number; one per writer of a document is enough). */
export const TEMPLATE_CLIENT_ID = 0x5ea7_b0a2;
const QUESTION_IDS = FIRST_SESSION_QUESTIONS.map((q) => q.id);
const CHARS_PER_ANSWER = 500;

/**
 * The k-th keystroke (0-based) goes to this answer and types this character (as the page would).
 * 500 per answer round the six questions keeps every answer under LIM2's 2,000 characters for the
 * first 12,000 keystrokes of a partner, more than a full bench with --find-capacity sends.
 */
export const questionOf = (k: number) => QUESTION_IDS[Math.floor(k / CHARS_PER_ANSWER) % QUESTION_IDS.length]!;
export const charOf = (k: number) => String.fromCharCode(97 + (k % 26));

export function expectedAnswers(typed: number): Map<string, string> {
  const texts = new Map(QUESTION_IDS.map((id) => [id, '']));
  for (let k = 0; k < typed; k++) texts.set(questionOf(k), texts.get(questionOf(k))! + charOf(k));
  return texts;
}

function syncFrame(write: (e: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

/** Keystroke frames, encoded once on first need and shared by every connection. */
class Keystrokes {
  private readonly doc = new Y.Doc();
  private readonly frames: Uint8Array[] = [];
  constructor() {
    this.doc.clientID = TEMPLATE_CLIENT_ID;
    this.doc.on('update', (update: Uint8Array) => this.frames.push(syncFrame((e) => syncProtocol.writeUpdate(e, update))));
  }
  frame(k: number): Uint8Array {
    while (this.frames.length <= k) {
      const i = this.frames.length;
      const text = seatDoc.answer(this.doc, questionOf(i));
      text.insert(text.length, charOf(i));
    }
    return this.frames[k]!;
  }
}
export const keystrokes = new Keystrokes();

/** Sync step 1 of an empty document and sync step 2 "I have nothing": what a fresh tab sends. */
const EMPTY_STEP1 = syncFrame((e) => syncProtocol.writeSyncStep1(e, new Y.Doc()));
const EMPTY_STEP2 = syncFrame((e) => syncProtocol.writeSyncStep2(e, new Y.Doc()));

/**
 * The template's clock carried by a relayed update frame: `[0 sync][2 update][len][numClients]
 * [numStructs][client][clock]…`, or -1 when the frame is anything else (then it is not counted).
 */
export function keystrokeOfFrame(data: Uint8Array): number {
  if (data[0] !== MESSAGE_SYNC || data[1] !== syncProtocol.messageYjsUpdate) return -1;
  try {
    const d = decoding.createDecoder(data);
    decoding.readVarUint(d);
    decoding.readVarUint(d);
    decoding.readVarUint(d); // update length
    if (decoding.readVarUint(d) !== 1) return -1; // one writing client
    decoding.readVarUint(d); // structs
    if (decoding.readVarUint(d) !== TEMPLATE_CLIENT_ID) return -1;
    return decoding.readVarUint(d);
  } catch {
    return -1;
  }
}

/**
 * One y-websocket connection as the page opens it (cookie + Origin headers, sync step 1 and its
 * awareness entry on open, renewed every 15 s), but holding bytes, not a Y.Doc. It does not
 * reconnect: a drop is a failure the bench reports.
 */
export class RawYjsConnection {
  readonly ws: WebSocket;
  synced = false;
  closed = false;
  /** Highest keystroke index received on this document (-1: none yet). */
  lastKeystroke = -1;
  /** The sync step 2 the server answered with: the document as it was on connect. */
  initialState: Uint8Array | null = null;
  onKeystroke: ((k: number) => void) | null = null;
  private awarenessClock = 0;
  private renew: NodeJS.Timeout | null = null;

  constructor(
    url: string,
    headers: Record<string, string>,
    private readonly awarenessId: number,
    private readonly onSynced?: () => void
  ) {
    // A zero mask skips the client's XOR pass: the frames' bytes are the same, the generator cheaper.
    this.ws = new WebSocket(url, { headers, perMessageDeflate: false, generateMask: () => {} });
    this.ws.binaryType = 'nodebuffer';
    this.ws.on('open', () => {
      this.ws.send(EMPTY_STEP1);
      this.sendAwareness();
      this.renew = setInterval(() => this.sendAwareness(), 15_000);
      this.renew.unref();
    });
    this.ws.on('message', (data: Buffer) => this.receive(data));
    this.ws.on('close', () => {
      this.closed = true;
      if (this.renew) clearInterval(this.renew);
    });
    this.ws.on('error', () => {});
  }

  send(frame: Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
  }

  private receive(data: Buffer): void {
    const k = keystrokeOfFrame(data);
    if (k >= 0) {
      if (k > this.lastKeystroke) this.lastKeystroke = k;
      this.onKeystroke?.(k);
      return;
    }
    if (data[0] !== MESSAGE_SYNC) return; // awareness: the page only draws presence from it
    if (data[1] === syncProtocol.messageYjsSyncStep1) this.send(EMPTY_STEP2);
    else if (data[1] === syncProtocol.messageYjsSyncStep2 && !this.synced) {
      const d = decoding.createDecoder(data);
      decoding.readVarUint(d);
      decoding.readVarUint(d);
      this.initialState = decoding.readVarUint8Array(d);
      this.synced = true;
      this.onSynced?.();
    }
  }

  private sendAwareness(): void {
    if (this.ws.readyState !== WebSocket.OPEN) return;
    const entry = encoding.createEncoder();
    encoding.writeVarUint(entry, 1);
    encoding.writeVarUint(entry, this.awarenessId);
    encoding.writeVarUint(entry, this.awarenessClock++);
    encoding.writeVarString(entry, '{}');
    const encoder = encoding.createEncoder();
    encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
    encoding.writeVarUint8Array(encoder, encoding.toUint8Array(entry));
    this.ws.send(encoding.toUint8Array(encoder));
  }

  close(): void {
    if (this.renew) clearInterval(this.renew);
    this.ws.close();
  }
}
