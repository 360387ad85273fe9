import { expect, it, vi } from 'vitest';
import { SlicedQueue } from './timeSlices.ts';

it('works through every item in slices, takes items added meanwhile, and lets I/O in between', async () => {
  const done: number[] = [];
  // Each item takes ~0.5 ms: 40 of them cannot fit one 2 ms slice.
  const queue = new SlicedQueue<number>((n) => {
    const until = performance.now() + 0.5;
    while (performance.now() < until);
    done.push(n);
  });
  queue.push(Array.from({ length: 40 }, (_, i) => i));
  expect(queue.busy).toBe(true);
  expect(done.length).toBeLessThan(40);
  queue.push([40]);
  let ioRan = false;
  setImmediate(() => (ioRan = true));
  await vi.waitFor(() => expect(queue.busy).toBe(false));
  expect(ioRan).toBe(true);
  expect(done).toEqual(Array.from({ length: 41 }, (_, i) => i));
});
