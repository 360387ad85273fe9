import { describe, expect, it } from 'vitest';
import { backoffDelay } from './backoff.ts';

describe('backoffDelay', () => {
  it('[RECON2] doubles from the base, stays between half and all of its step, and never passes the ceiling', () => {
    const low = (attempt: number) => backoffDelay(attempt, { baseMs: 500, maxMs: 30_000 }, () => 0);
    const high = (attempt: number) => backoffDelay(attempt, { baseMs: 500, maxMs: 30_000 }, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6, 7].map(high)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect([0, 1, 2, 6, 1_000].map(low)).toEqual([250, 500, 1_000, 15_000, 15_000]);
    for (let attempt = 0; attempt < 50; attempt++) {
      const delay = backoffDelay(attempt, { baseMs: 500, maxMs: 30_000 });
      expect(delay).toBeGreaterThanOrEqual(Math.min(15_000, 250 * 2 ** attempt));
      expect(delay).toBeLessThanOrEqual(30_000);
    }
  });

  it("[RECON2] waits at least the server's hint, but the ceiling still wins", () => {
    expect(backoffDelay(0, { baseMs: 500, maxMs: 30_000, hintMs: 2_000 }, () => 0)).toBe(2_000);
    expect(backoffDelay(0, { baseMs: 500, maxMs: 5_000, hintMs: 60_000 }, () => 0)).toBe(5_000);
  });
});
