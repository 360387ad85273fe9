import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { addsToState } from './updateNovelty.ts';

describe('addsToState', () => {
  it('a reconnecting reader or writer whose reply adds nothing is recognised, deletions included', () => {
    const author = new Y.Doc();
    author.getText('t').insert(0, 'hello world');
    author.getText('t').delete(0, 6);
    const state = Y.encodeStateAsUpdate(author);
    const reader = new Y.Doc();
    Y.applyUpdate(reader, state);
    const reply = Y.encodeStateAsUpdate(reader, Y.encodeStateVectorFromUpdate(state));
    expect(addsToState(reply, state)).toBe(false);
  });

  it('new text or a new deletion is news', () => {
    const author = new Y.Doc();
    author.getText('t').insert(0, 'hello');
    const state = Y.encodeStateAsUpdate(author);
    const other = new Y.Doc();
    Y.applyUpdate(other, state);
    other.getText('t').delete(0, 1);
    expect(addsToState(Y.encodeStateAsUpdate(other, Y.encodeStateVectorFromUpdate(state)), state)).toBe(true);
    const writer = new Y.Doc();
    Y.applyUpdate(writer, state);
    writer.getText('t').insert(5, '!');
    expect(addsToState(Y.encodeStateAsUpdate(writer), state)).toBe(true);
  });
});
