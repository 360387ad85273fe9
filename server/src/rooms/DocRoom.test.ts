import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { DocRoom } from './DocRoom.ts';

function typed(text: string, doc = new Y.Doc()) {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const ch of text) doc.getText('t').insert(doc.getText('t').length, ch);
  return { doc, updates };
}

describe('DocRoom', () => {
  it('answers a newcomer with exactly what it lacks, without a server-side Y.Doc', () => {
    const { updates } = typed('hello world');
    const room = DocRoom.fromUpdates('b', 'mentor', updates.slice(0, 5), 5);
    updates.slice(5).forEach((u, i) => room.appendPersisted(u, 6 + i));
    const fresh = new Y.Doc();
    Y.applyUpdate(fresh, room.missingFor(Y.encodeStateVector(fresh)));
    expect(fresh.getText('t').toString()).toBe('hello world');
    // A peer that has the first half receives only the second.
    const half = new Y.Doc();
    updates.slice(0, 5).forEach((u) => Y.applyUpdate(half, u));
    const diff = room.missingFor(Y.encodeStateVector(half));
    expect(diff.byteLength).toBeLessThan(room.state().byteLength);
    Y.applyUpdate(half, diff);
    expect(half.getText('t').toString()).toBe('hello world');
  });

  it('[PERS3] compaction replaces stored rows by one merged row that holds everything', () => {
    const { updates } = typed('keystrokes');
    const room = DocRoom.fromUpdates('b', 'mentor', updates, updates.length);
    expect(room.needsCompaction()).toBe(true); // no peers and more than one row
    let written: { merged: Uint8Array; upTo: number } | null = null;
    room.compact((merged, upTo) => {
      written = { merged, upTo };
      return 99;
    });
    expect(written!.upTo).toBe(updates.length);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, written!.merged);
    expect(doc.getText('t').toString()).toBe('keystrokes');
    expect(room.needsCompaction()).toBe(false);
  });

  it('keeps a document typed keystroke by keystroke near the size of its text', () => {
    const { updates } = typed('x'.repeat(1000));
    const room = DocRoom.fromUpdates('b', 'mentor', [], 0);
    updates.forEach((u, i) => room.appendPersisted(u, i + 1));
    const doc = new Y.Doc();
    Y.applyUpdate(doc, room.state());
    expect(doc.getText('t').toString()).toBe('x'.repeat(1000));
    // One struct for the run of keystrokes, not one per keystroke (mergeUpdates gave ~10 KB here).
    expect(room.state().byteLength).toBeLessThan(1100);
  });

  it('[PERS1] keeps its own copy of an appended update: the sender may reuse its buffer', () => {
    const { updates } = typed('abc');
    const room = DocRoom.fromUpdates('b', 'mentor', [], 0);
    updates.forEach((u, i) => {
      const buffer = u.slice();
      room.appendPersisted(buffer, i + 1);
      buffer.fill(0xff);
    });
    const doc = new Y.Doc();
    Y.applyUpdate(doc, room.state());
    expect(doc.getText('t').toString()).toBe('abc');
    expect(room.hasTail).toBe(false);
  });
});
