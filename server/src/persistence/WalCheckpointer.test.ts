import { expect, it } from 'vitest';
import { WalCheckpointer } from './WalCheckpointer.ts';

it('[OPS5] a checkpoint worker that dies is reported, not swallowed', async () => {
  const stopped: Error[] = [];
  // A file in a directory that does not exist: the worker cannot open it and exits.
  const checkpointer = new WalCheckpointer('/nonexistent-pairboard-dir/db.sqlite', 20, { onStopped: (e) => stopped.push(e) });
  for (let i = 0; i < 500 && stopped.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(stopped[0]?.message).toMatch(/WAL checkpoint worker stopped/);
  await checkpointer.stop(); // stopping a dead worker returns at once
});
