import { expect, it } from 'vitest';
import { RateLimiter } from './RateLimiter.ts';

it('[RATE1] allows a burst, then refills at the steady rate, per key', () => {
  let now = 0;
  const limiter = new RateLimiter({ perSecond: 10, burst: 3 }, () => now);
  expect([1, 2, 3, 4].map(() => limiter.take('a'))).toEqual([true, true, true, false]);
  expect(limiter.take('b')).toBe(true);
  now = 100; // one token back
  expect(limiter.take('a')).toBe(true);
  expect(limiter.take('a')).toBe(false);
});
