import * as Y from 'yjs';

/** Highest clock + 1 per client that a document holds (a Yjs state vector as a map). */
export type KnownClocks = Map<number, number>;

export type UpdateCheck = { ok: true; clocks: Array<[client: number, next: number]> } | { ok: false; reason: string };

export function knownClocksOf(state: Uint8Array): KnownClocks {
  return Y.decodeStateVector(Y.encodeStateVectorFromUpdate(state));
}

type DeleteRanges = Map<number, Array<{ clock: number; len: number }>>;

/**
 * [HARD1] Decides whether an update may be stored, without a Y.Doc: it is decoded in full
 * (every struct and its content; anything malformed throws here), and every reference it makes
 * must resolve against what the document holds plus the update itself:
 * - each client's structs continue that client's clock without a gap (no `Skip`, no jump ahead);
 * - every origin, right origin and parent item is already known;
 * - every deletion names items that are known.
 * An update that passes integrates into the document completely: it can neither throw on a later
 * fold nor leave structs pending forever (what a bit-flipped clock or client id would do). Cost:
 * O(update), ~1 µs for a keystroke, so it runs on every update; a Y.Doc of the current state
 * would cost O(document) per keystroke (measured 0.06–1.3 ms).
 * Returns the clocks the document will know after it, for the caller to record once accepted.
 */
export function checkUpdate(update: Uint8Array, known: KnownClocks): UpdateCheck {
  let decoded: { structs: Array<Y.Item | Y.GC | Y.Skip>; ds: { clients: DeleteRanges } };
  try {
    decoded = Y.decodeUpdate(update) as typeof decoded;
  } catch {
    return { ok: false, reason: 'undecodable' };
  }
  // Pass 1: how far each client's clock reaches with this update (structs come grouped by client,
  // contiguous within a group by construction of the encoding).
  const next = new Map<number, number>();
  for (const struct of decoded.structs) {
    const { client, clock } = struct.id;
    if (!Number.isSafeInteger(clock) || !Number.isSafeInteger(struct.length) || struct.length < 0) return { ok: false, reason: 'bad-clock' };
    if (struct instanceof Y.Skip) return { ok: false, reason: 'gap' };
    const reach = next.get(client) ?? known.get(client) ?? 0;
    if (clock > reach) return { ok: false, reason: 'missing-dependency' };
    next.set(client, Math.max(reach, clock + struct.length));
  }
  if (!integratesInOrder(decoded.structs, known)) return { ok: false, reason: 'missing-dependency' };
  for (const [client, ranges] of decoded.ds.clients) {
    const reach = next.get(client) ?? known.get(client) ?? 0;
    for (const { clock, len } of ranges) if (clock + len > reach) return { ok: false, reason: 'unknown-deletion' };
  }
  return { ok: true, clocks: [...next] };
}

/**
 * Whether Yjs can integrate every struct: it goes through each client's structs in clock order
 * and may switch to another client's to satisfy a reference. So a reference to the same client
 * must point before the struct itself, one to another client at something known or reachable
 * without a cycle. Simulated here (a few structs per keystroke, so ~O(structs)).
 */
function integratesInOrder(structs: Array<Y.Item | Y.GC | Y.Skip>, known: KnownClocks): boolean {
  const queues = new Map<number, Array<Y.Item | Y.GC>>();
  for (const struct of structs) {
    const queue = queues.get(struct.id.client);
    if (queue) queue.push(struct as Y.Item | Y.GC);
    else queues.set(struct.id.client, [struct as Y.Item | Y.GC]);
  }
  const reached = new Map(known);
  const refsOf = (s: Y.Item | Y.GC): Y.ID[] => {
    if (!(s instanceof Y.Item)) return [];
    const parent = s.parent as unknown;
    return [s.origin, s.rightOrigin, parent instanceof Y.ID ? parent : null].filter((id): id is Y.ID => id !== null);
  };
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const [client, queue] of queues) {
      while (queue.length > 0) {
        const struct = queue[0]!;
        let ready = true;
        for (const ref of refsOf(struct)) {
          if (ref.client === client) {
            if (ref.clock >= struct.id.clock && ref.clock >= (known.get(client) ?? 0)) return false;
          } else if (ref.clock >= (reached.get(ref.client) ?? 0)) {
            ready = false;
          }
        }
        if (!ready) break;
        queue.shift();
        reached.set(client, Math.max(reached.get(client) ?? 0, struct.id.clock + struct.length));
        progressed = true;
      }
      if (queue.length === 0) queues.delete(client);
    }
  }
  return queues.size === 0;
}

/** Records the clocks of an accepted update (see checkUpdate). */
export function recordClocks(known: KnownClocks, clocks: UpdateCheck & { ok: true }): void {
  for (const [client, clock] of clocks.clocks) if (clock > (known.get(client) ?? 0)) known.set(client, clock);
}
