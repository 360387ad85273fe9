import * as Y from 'yjs';
import type { WebsocketProvider } from 'y-websocket';
import type { IndexeddbPersistence } from 'y-indexeddb';
import type { DocName, Seat } from '@pairboard/shared';
import { eraseLocalCopy, localDocName, locallyKeptDocs } from './localCopy.ts';

/** Opening the local copy should take milliseconds; a stuck IndexedDB must not keep the board offline. */
const LOCAL_LOAD_BOUND_MS = 2_000;

/**
 * [OFF1] The documents this seat writes, kept in IndexedDB (y-indexeddb): every local and remote
 * update is stored as it happens, so what was typed offline survives closing the tab. The partner's
 * seat document is not kept (it is theirs, read-only here, and always comes from the server).
 */
export class LocalDocs {
  readonly #boardId: string;
  #persistences: IndexeddbPersistence[] = [];
  #closed = false;
  /** Resolves once the kept documents hold their local copy (or the bound passed, or there is no IndexedDB). */
  readonly ready: Promise<void>;

  constructor(boardId: string, you: Seat, docs: Record<DocName, Y.Doc>) {
    this.#boardId = boardId;
    this.ready = typeof indexedDB === 'undefined' ? Promise.resolve() : this.#open(you, docs);
  }

  /** y-indexeddb loads on demand (it is not part of the page's first load). */
  async #open(you: Seat, docs: Record<DocName, Y.Doc>): Promise<void> {
    const loaded = (async () => {
      const { IndexeddbPersistence } = await import('y-indexeddb');
      if (this.#closed) return;
      this.#persistences = locallyKeptDocs(you).map((name) => new IndexeddbPersistence(localDocName(this.#boardId, name), docs[name]));
      await Promise.all(this.#persistences.map((p) => p.whenSynced));
    })();
    await Promise.race([loaded, new Promise<void>((resolve) => setTimeout(resolve, LOCAL_LOAD_BOUND_MS))]).catch(() => undefined);
  }

  /** [OFF6] The board is gone or the seat refused: nothing of it stays on this device. */
  async erase(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#persistences.map((p) => p.destroy().catch(() => undefined)));
    await eraseLocalCopy(this.#boardId);
  }

  destroy(): void {
    this.#closed = true;
    for (const persistence of this.#persistences) void persistence.destroy().catch(() => undefined);
  }
}

// y-protocols' sync message types; a frame starts with messageSync (0), then one of these.
const MESSAGE_SYNC = 0;
const SYNC_STEP_1 = 0;
const SYNC_STEP_2 = 1;
const PROBE_AFTER_MS = 300;

/**
 * [OFF5] Knows whether this document has local edits the server has not acknowledged.
 *
 * y-websocket sends updates without any acknowledgement, so the tracker asks: after local edits
 * reach an open, synced connection it sends a sync step 1 (our state vector), and the server
 * answers it with a step 2 only after handling every message sent before it on that connection
 * (one socket is read in order). That answer acknowledges the edits made before the question.
 * Edits made while disconnected go out in the provider's reply to the server's step 1 on
 * reconnect, before its `sync` event; the tracker asks again after that.
 */
export class AckTracker {
  #edits = 0;
  #acked = 0;
  #asked: number[] = [];
  #timer: ReturnType<typeof setTimeout> | null = null;
  readonly #provider: WebsocketProvider;
  readonly #doc: Y.Doc;
  readonly #onChange: () => void;
  readonly #onUpdate = (_update: Uint8Array, origin: unknown) => {
    if (origin === this.#provider) return;
    this.#edits++;
    this.#onChange();
    this.#askSoon();
  };

  constructor(provider: WebsocketProvider, doc: Y.Doc, onChange: () => void) {
    this.#provider = provider;
    this.#doc = doc;
    this.#onChange = onChange;
    doc.on('update', this.#onUpdate);
    // Count the server's step 2 answers: the first after a (re)connect answers the provider's own
    // step 1 (it sets `synced`); later ones answer ours, in order.
    const handleSync = provider.messageHandlers[MESSAGE_SYNC]!;
    provider.messageHandlers[MESSAGE_SYNC] = (encoder, decoder, prov, emitSynced, messageType) => {
      const wasSynced = prov.synced;
      const syncType = decoder.arr[decoder.pos];
      handleSync(encoder, decoder, prov, emitSynced, messageType);
      if (syncType === SYNC_STEP_2 && wasSynced) this.#answered();
    };
    provider.on('sync', (synced: boolean) => {
      if (synced) this.#askSoon();
    });
    provider.on('status', ({ status }: { status: string }) => {
      if (status !== 'connected') this.#asked = []; // answers to a closed socket never come
    });
  }

  get pending(): boolean {
    return this.#edits > this.#acked;
  }

  destroy(): void {
    this.#doc.off('update', this.#onUpdate);
    if (this.#timer) clearTimeout(this.#timer);
  }

  #askSoon(): void {
    if (this.#timer || !this.pending) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#ask();
    }, PROBE_AFTER_MS);
  }

  #ask(): void {
    const ws = this.#provider.ws;
    if (!this.pending || !this.#provider.synced || !ws || ws.readyState !== ws.OPEN) return;
    this.#asked.push(this.#edits);
    ws.send(syncStep1Frame(this.#doc));
  }

  #answered(): void {
    const upTo = this.#asked.shift();
    if (upTo === undefined) return;
    this.#acked = Math.max(this.#acked, upTo);
    this.#onChange();
    if (this.pending) this.#askSoon();
  }
}

/** messageSync, syncStep1, then the state vector as a length-prefixed byte array (lib0 varuints). */
function syncStep1Frame(doc: Y.Doc): Uint8Array {
  const stateVector = Y.encodeStateVector(doc);
  const length = varUint(stateVector.length);
  const frame = new Uint8Array(2 + length.length + stateVector.length);
  frame.set([MESSAGE_SYNC, SYNC_STEP_1], 0);
  frame.set(length, 2);
  frame.set(stateVector, 2 + length.length);
  return frame;
}

function varUint(value: number): number[] {
  const bytes: number[] = [];
  while (value > 0x7f) {
    bytes.push(0x80 | (value & 0x7f));
    value >>>= 7;
  }
  bytes.push(value);
  return bytes;
}
