import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, encodeAwarenessUpdate, applyAwarenessUpdate } from 'y-protocols/awareness';
import { AwarenessTable, readAwarenessEntries } from './awarenessRelay.ts';

function client(id: number, state: object) {
  const doc = new Y.Doc();
  doc.clientID = id;
  const awareness = new Awareness(doc);
  awareness.setLocalState(state);
  return awareness;
}

describe('awareness relay', () => {
  it('reads what y-protocols writes, and writes what it reads', () => {
    const a = client(7, { typing: 'why-tech' });
    const update = encodeAwarenessUpdate(a, [7]);
    expect(readAwarenessEntries(update)).toEqual([[7, { clock: a.meta.get(7)!.clock, state: JSON.stringify({ typing: 'why-tech' }) }]]);
    const table = new AwarenessTable();
    table.apply(update);
    const b = client(9, {});
    applyAwarenessUpdate(b, table.snapshot(), 'server');
    expect(b.getStates().get(7)).toEqual({ typing: 'why-tech' });
    a.destroy();
    b.destroy();
  });

  it('removes only the ids a connection owns, with a clock that y-protocols accepts', () => {
    const a = client(1, { name: 'Ana' });
    const b = client(2, { name: 'Ben' });
    const table = new AwarenessTable();
    table.apply(encodeAwarenessUpdate(a, [1]));
    table.apply(encodeAwarenessUpdate(b, [2]));
    const observer = client(3, {});
    applyAwarenessUpdate(observer, table.snapshot(), 'server');
    const removal = table.remove([1])!;
    applyAwarenessUpdate(observer, removal, 'server');
    expect(observer.getStates().has(1)).toBe(false);
    expect(observer.getStates().get(2)).toEqual({ name: 'Ben' });
    expect(table.remove([1])).toBeNull();
    [a, b, observer].forEach((x) => x.destroy());
  });

  it('ignores an older clock for a known client', () => {
    const table = new AwarenessTable();
    const a = client(5, { v: 1 });
    const first = encodeAwarenessUpdate(a, [5]);
    a.setLocalState({ v: 2 });
    table.apply(encodeAwarenessUpdate(a, [5]));
    table.apply(first);
    expect(readAwarenessEntries(table.snapshot())[0]![1].state).toBe('{"v":2}');
    a.destroy();
  });
});
