import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/**
 * Awareness (who is here, what they focus) is relayed, not interpreted. The server only remembers
 * the latest entry per client id so a newcomer gets everyone's current state, and which ids each
 * connection owns so that closing it removes exactly those ids — never the partner's.
 *
 * Wire format (y-protocols/awareness): varUint count, then per entry varUint clientID,
 * varUint clock, varString JSON state ("null" = removed).
 */
export type AwarenessEntry = { clock: number; state: string };

export function readAwarenessEntries(update: Uint8Array): Array<[clientId: number, entry: AwarenessEntry]> {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: Array<[number, AwarenessEntry]> = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state = decoding.readVarString(decoder);
    entries.push([clientId, { clock, state }]);
  }
  return entries;
}

export function writeAwarenessEntries(entries: Iterable<[number, AwarenessEntry]>): Uint8Array {
  const list = [...entries];
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, list.length);
  for (const [clientId, { clock, state }] of list) {
    encoding.writeVarUint(encoder, clientId);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarString(encoder, state);
  }
  return encoding.toUint8Array(encoder);
}

/** One connection speaks for a few ids; a frame naming more is not a browser's. */
const AWARENESS_ENTRIES_MAX = 16;

/** A state y-protocols can read back: JSON of an object, or "null" for a removal. */
function isAwarenessState(state: string): boolean {
  try {
    const value: unknown = JSON.parse(state);
    return value === null || (typeof value === 'object' && !Array.isArray(value));
  } catch {
    return false;
  }
}

/** Per-room awareness memory. */
export class AwarenessTable {
  private readonly entries = new Map<number, AwarenessEntry>();

  /**
   * Records the entries of a connection's update that it may speak for: the ids of its first
   * message (at most `maxIds`), claimed into `owned`. Returns the update to relay — the original
   * when nothing was dropped — or null when nothing is left.
   */
  applyFrom(update: Uint8Array, owned: Set<number>, maxIds = 4): Uint8Array | null {
    const entries = readAwarenessEntries(update);
    // [HARD4] Partners' browsers JSON.parse every state we relay: only well-formed ones pass.
    if (entries.length > AWARENESS_ENTRIES_MAX) throw new Error('too many awareness entries');
    for (const [, { state }] of entries) if (!isAwarenessState(state)) throw new Error('malformed awareness state');
    if (owned.size === 0) for (const [id] of entries.slice(0, maxIds)) owned.add(id);
    const mine = entries.filter(([id]) => owned.has(id));
    if (mine.length === 0) return null;
    this.record(mine);
    return mine.length === entries.length ? update : writeAwarenessEntries(mine);
  }

  /** Records an update whatever ids it names (trusted input); returns them. */
  apply(update: Uint8Array): number[] {
    const entries = readAwarenessEntries(update);
    this.record(entries);
    return entries.map(([id]) => id);
  }

  private record(entries: Array<[number, AwarenessEntry]>): void {
    for (const [clientId, entry] of entries) {
      const known = this.entries.get(clientId);
      if (known && known.clock > entry.clock) continue;
      if (entry.state === 'null') this.entries.delete(clientId);
      else this.entries.set(clientId, entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** Everyone's current state, for a newcomer. */
  snapshot(): Uint8Array {
    return writeAwarenessEntries(this.entries);
  }

  /** Forgets the given ids and returns the removal update to broadcast. */
  remove(clientIds: Iterable<number>): Uint8Array | null {
    const removed: Array<[number, AwarenessEntry]> = [];
    for (const id of clientIds) {
      const known = this.entries.get(id);
      if (!known) continue;
      this.entries.delete(id);
      removed.push([id, { clock: known.clock + 1, state: 'null' }]);
    }
    return removed.length ? writeAwarenessEntries(removed) : null;
  }
}
