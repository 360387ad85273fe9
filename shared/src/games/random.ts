/**
 * Seeded randomness for the games. Reducers never call Math.random(): the server draws a seed when
 * a game starts and everything "random" afterwards is replayable from it.
 */

/** mulberry32: a tiny 32-bit PRNG, plenty for shuffling cards (never for secrets). Returns [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(next: () => number, n: number): number {
  return Math.floor(next() * n);
}

/**
 * Derives an independent seed for a sub-stream (e.g. one per round), so that a round's shuffle
 * does not depend on how many numbers earlier rounds consumed. murmur3's finaliser.
 */
export function deriveSeed(seed: number, salt: number): number {
  let h = (seed >>> 0) ^ Math.imul((salt >>> 0) + 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Fisher–Yates over a copy; the input is left alone. */
export function seededShuffle<T>(items: readonly T[], seed: number): T[] {
  const out = items.slice();
  const next = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = randomInt(next, i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
