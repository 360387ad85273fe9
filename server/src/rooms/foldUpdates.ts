import * as Y from 'yjs';

export const EMPTY_UPDATE = new Uint8Array([0, 0]);

/**
 * Folds updates into one, in Yjs' compact encoding. `Y.mergeUpdates` keeps every keystroke as its
 * own struct (~10 bytes each; a typed board grew 10× its text and every later fold re-read all of
 * them, 7 ms per fold at 3,000 keystrokes). Applying to a throwaway Y.Doc lets Yjs join adjacent
 * items of one client, so the state stays near the text's own size and a fold costs ~0.1 ms.
 * Pending structs (updates whose dependencies are missing) are kept by encodeStateAsUpdate.
 * Throws if an update cannot be applied; see foldTolerant.
 */
export function fold(updates: readonly Uint8Array[]): Uint8Array {
  // A fixed guid: the default one costs ~32 crypto.getRandomValues calls, per fold.
  const doc = new Y.Doc({ guid: 'pairboard:fold' });
  try {
    Y.transact(doc, () => {
      for (const update of updates) Y.applyUpdate(doc, update);
    });
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}

export type FoldResult = { state: Uint8Array; rejected: number[] };

/**
 * [HARD3] A fold that never throws: the fast path folds everything at once; if that fails (a row
 * stored before validation existed, a damaged file), the updates are applied one by one and each
 * one that throws is left out (its index in `rejected`), the document rolled back to before it.
 * The slow path costs O(rows × document) and runs only when something is broken.
 */
export function foldTolerant(updates: readonly Uint8Array[]): FoldResult {
  if (updates.length === 0) return { state: EMPTY_UPDATE, rejected: [] };
  try {
    return { state: fold(updates), rejected: [] };
  } catch {
    // fall through to the careful path
  }
  const rejected: number[] = [];
  let state: Uint8Array = EMPTY_UPDATE;
  updates.forEach((update, index) => {
    try {
      state = fold([state, update]);
    } catch {
      rejected.push(index);
    }
  });
  return { state, rejected };
}
