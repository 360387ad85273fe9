import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, it } from 'vitest';
import { SqliteStore } from './SqliteStore.ts';

const waitFor = async (check: () => boolean) => {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
  return check();
};

it('[PERS1] checkpoints the WAL in the background, so writes never carry the fsync', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-store-'));
  const file = path.join(dir, 'pairboard.sqlite');
  const store = new SqliteStore(file);
  store.createBoard({ id: 'b', createdAt: 1, deletedAt: null, seats: { mentor: null, mentee: null } });
  const update = new Uint8Array(4000).fill(7);
  for (let i = 0; i < 300; i++) store.appendUpdates([{ boardId: 'b', doc: 'mentor', update }]);
  // Without the worker, auto-checkpoint is off: only the background checkpoint moves pages into
  // the main file. Its size growing past the schema's few pages proves the worker ran.
  expect(await waitFor(() => fs.statSync(file).size > 1_000_000)).toBe(true);
  expect(store.loadDoc('b', 'mentor').updates).toHaveLength(300);
  store.close();
});
