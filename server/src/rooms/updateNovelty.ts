import * as Y from 'yjs';

type DeleteRanges = Map<number, Array<{ clock: number; len: number }>>;

function covered(ranges: DeleteRanges, client: number, clock: number, len: number): boolean {
  // Delete sets are sorted and merged by Yjs, so one range either covers the item or none does.
  return (ranges.get(client) ?? []).some((r) => r.clock <= clock && clock + len <= r.clock + r.len);
}

/**
 * Whether an update would change a document: new items, or deletions it does not have yet.
 * A sync reply always carries the sender's whole delete set, so "not empty" is not "new"; this
 * tells a reconnecting client's no-op reply from real offline edits. Cost is O(document): use it
 * on sync replies (once per connection), never on live updates.
 */
export function addsToState(update: Uint8Array, state: Uint8Array): boolean {
  const diff = Y.decodeUpdate(Y.diffUpdate(update, Y.encodeStateVectorFromUpdate(state)));
  if (diff.structs.length > 0) return true;
  const deletes = diff.ds.clients as DeleteRanges;
  if (deletes.size === 0) return false;
  const known = Y.decodeUpdate(state).ds.clients as DeleteRanges;
  for (const [client, items] of deletes) {
    for (const item of items) if (!covered(known, client, item.clock, item.len)) return true;
  }
  return false;
}
