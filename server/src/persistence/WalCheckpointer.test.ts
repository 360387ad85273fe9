import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { SqliteBoardStore } from './SqliteBoardStore.ts';
import { WalCheckpointer } from './WalCheckpointer.ts';

it('[OPS5] a checkpoint worker that dies is reported, not swallowed', async () => {
  const stopped: Error[] = [];
  // A file in a directory that does not exist: the worker cannot open it and exits.
  const checkpointer = new WalCheckpointer('/nonexistent-pairboard-dir/db.sqlite', 20, { onStopped: (e) => stopped.push(e) });
  for (let i = 0; i < 500 && stopped.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  expect(stopped[0]?.message).toMatch(/WAL checkpoint worker stopped/);
  await checkpointer.stop(); // stopping a dead worker returns at once
});

it('[OPS5] under steady writes the log is rewound and cut back once past its limit, not left to grow', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-wal-'));
  const file = path.join(dir, 'boards.sqlite');
  // A 1 MB limit (256 frames); the writes below put ~50 MB through the log.
  const store = new SqliteBoardStore(file, { nodeId: 'node1', walRewindAtFrames: 256 });
  try {
    const boards: { boardId: string; epoch: number }[] = [];
    for (let i = 0; i < 200; i++) {
      const boardId = `board${i}`;
      await store.createBoard({ id: boardId, createdAt: Date.now(), seats: { mentor: null, mentee: null } });
      const claimed = await store.claimLease(boardId, 600_000);
      if (!claimed.ok) throw new Error('no lease');
      boards.push({ boardId, epoch: claimed.lease.epoch });
    }
    const update = new Uint8Array(30).fill(7);
    const walBytes = () => (fs.existsSync(`${file}-wal`) ? fs.statSync(`${file}-wal`).size : 0);
    let previous = 0;
    let cutBackWhileWriting = 0;
    // A commit a millisecond, each touching a few pages (a busy server's flushes), for as long as
    // a few checkpoint rounds take. Without the rewind the log file only grows (~25 MB a second here).
    const until = performance.now() + 2_000;
    for (let n = 0; performance.now() < until; n++) {
      await store.appendUpdates(Array.from({ length: 5 }, (_, j) => ({ ...boards[(n * 5 + j) % boards.length]!, doc: 'mentor' as const, update })));
      const now = walBytes();
      if (now < previous) cutBackWhileWriting++;
      previous = now;
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(cutBackWhileWriting).toBeGreaterThan(0);
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
