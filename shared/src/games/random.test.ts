import { describe, expect, it } from 'vitest';
import { deriveSeed, mulberry32, randomInt, seededShuffle } from './random.ts';

describe('seeded randomness', () => {
  it('the same seed gives the same sequence, another seed another one', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 20 }, () => a());
    expect(Array.from({ length: 20 }, () => b())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => c())).not.toEqual(xs);
    for (const x of xs) expect(x >= 0 && x < 1).toBe(true);
  });

  it('randomInt stays in range and reaches every value', () => {
    const next = mulberry32(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const n = randomInt(next, 5);
      expect(n >= 0 && n < 5 && Number.isInteger(n)).toBe(true);
      seen.add(n);
    }
    expect(seen.size).toBe(5);
  });

  it('seededShuffle is a deterministic permutation and leaves its input alone', () => {
    const items = Object.freeze(Array.from({ length: 30 }, (_, i) => i));
    const s1 = seededShuffle(items, 1);
    expect(seededShuffle(items, 1)).toEqual(s1);
    expect([...s1].sort((x, y) => x - y)).toEqual(items);
    expect(s1).not.toEqual(items);
    expect(seededShuffle(items, 2)).not.toEqual(s1);
    expect(seededShuffle([], 3)).toEqual([]);
  });

  it('seededShuffle of three is roughly uniform over seeds', () => {
    const counts = new Map<string, number>();
    for (let seed = 0; seed < 6000; seed++) {
      const key = seededShuffle([0, 1, 2], deriveSeed(seed, 0)).join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });

  it('deriveSeed gives distinct unsigned 32-bit seeds per salt', () => {
    const seeds = new Set<number>();
    for (let salt = 0; salt < 100; salt++) {
      const s = deriveSeed(123, salt);
      expect(s >>> 0).toBe(s);
      seeds.add(s);
    }
    expect(seeds.size).toBe(100);
    expect(deriveSeed(123, 5)).toBe(deriveSeed(123, 5));
  });
});
