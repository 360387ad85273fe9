import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { foldTolerant } from './foldUpdates.ts';
import { checkUpdate, knownClocksOf, recordClocks } from './updateValidation.ts';

function typed(text: string, doc = new Y.Doc()) {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const ch of text) doc.getText('t').insert(doc.getText('t').length, ch);
  return { doc, updates };
}

describe('checkUpdate', () => {
  it('[HARD1] takes keystrokes in order, each building on the one before', () => {
    const { updates } = typed('hello');
    const known = knownClocksOf(new Uint8Array([0, 0]));
    for (const u of updates) {
      const check = checkUpdate(u, known);
      expect(check.ok).toBe(true);
      if (check.ok) recordClocks(known, check);
    }
  });

  it('[HARD1] refuses a gap, an unknown origin, an unknown deletion and undecodable bytes', () => {
    const { doc, updates } = typed('hello');
    const empty = knownClocksOf(new Uint8Array([0, 0]));
    expect(checkUpdate(updates[2]!, empty)).toEqual({ ok: false, reason: 'missing-dependency' });
    // A delete of items the document does not have.
    const known = knownClocksOf(Y.encodeStateAsUpdate(doc));
    const deleter = new Y.Doc();
    Y.applyUpdate(deleter, Y.encodeStateAsUpdate(doc));
    const deletes: Uint8Array[] = [];
    deleter.on('update', (u: Uint8Array) => deletes.push(u));
    deleter.getText('t').delete(0, 2);
    expect(checkUpdate(deletes[0]!, known).ok).toBe(true);
    expect(checkUpdate(deletes[0]!, empty)).toEqual({ ok: false, reason: 'unknown-deletion' });
    expect(checkUpdate(new Uint8Array([1, 1, 200, 1, 0, 9, 9, 9]), known)).toEqual({ ok: false, reason: 'undecodable' });
  });

  it('[HARD1] takes a whole document from a new client and a sync reply that repeats known structs', () => {
    const { doc } = typed('offline words');
    const known = knownClocksOf(new Uint8Array([0, 0]));
    expect(checkUpdate(Y.encodeStateAsUpdate(doc), known).ok).toBe(true);
    const state = Y.encodeStateAsUpdate(doc);
    expect(checkUpdate(state, knownClocksOf(state)).ok).toBe(true);
  });
});

describe('foldTolerant', () => {
  it('[HARD3][HARD8] leaves out what cannot be folded and keeps the rest', () => {
    const { updates } = typed('abc');
    const { state, rejected } = foldTolerant([updates[0]!, new Uint8Array([1, 3, 250, 250, 250, 1, 7]), updates[1]!, updates[2]!]);
    expect(rejected).toEqual([1]);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    expect(doc.getText('t').toString()).toBe('abc');
  });
});
