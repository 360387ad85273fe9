import { describe, expect, it } from 'vitest';
import { clipEdit, diffText, type TextEdit } from './textDiff.ts';

const apply = (text: string, e: TextEdit) => text.slice(0, e.index) + e.insert + text.slice(e.index + e.remove);

describe('diffText', () => {
  it('finds the smallest edit for typing, deleting and replacing', () => {
    expect(diffText('hello', 'hello!')).toEqual({ index: 5, remove: 0, insert: '!' });
    expect(diffText('hello', 'hllo')).toEqual({ index: 1, remove: 1, insert: '' });
    expect(diffText('hi all', 'hi you all')).toEqual({ index: 3, remove: 0, insert: 'you ' });
  });

  it('never splits an emoji when one replaces another', () => {
    const before = 'hi 😀!';
    const after = 'hi 😢!';
    const edit = diffText(before, after);
    expect(edit.insert).toBe('😢');
    expect(edit.remove).toBe(2);
    expect(apply(before, edit)).toBe(after);
  });

  it('round-trips random edits, surrogates included', () => {
    const alphabet = ['a', 'b', '😀', '😢', ' ', '\n'];
    let seed = 7;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      const make = () => Array.from({ length: rnd(8) }, () => alphabet[rnd(alphabet.length)]).join('');
      const before = make();
      const after = make();
      const edit = diffText(before, after);
      expect(apply(before, edit), `seed ${i}`).toBe(after);
      expect(edit.insert).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
    }
  });
});

describe('clipEdit', () => {
  it('clips only what is pasted, never the text already there', () => {
    const before = 'x'.repeat(1990);
    const edit = clipEdit({ index: 0, remove: 0, insert: 'y'.repeat(50) }, before.length, 2000);
    expect(edit.insert).toBe('y'.repeat(10));
    expect(apply(before, edit)).toBe('y'.repeat(10) + before);
  });

  it('does not leave half an emoji at the cut', () => {
    const edit = clipEdit({ index: 0, remove: 0, insert: 'a😀' }, 8, 10);
    expect(edit.insert).toBe('a');
  });
});
