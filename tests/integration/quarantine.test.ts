import path from 'node:path';
import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { seatDoc } from '@pairboard/shared';
import { connectDoc, createBoard, joinBoard, waitFor, waitForSynced } from '../helpers/clients.ts';
import { useCleanup } from '../helpers/fixtures.ts';
import { SqliteStore } from '../../server/src/persistence/SqliteStore.ts';
import { startServer, tempDataDir } from '../helpers/server.ts';

/** The file as the next server will open it; the store API writes whatever bytes it is given. */
const openFile = (dataDir: string) => new SqliteStore(path.join(dataDir, 'pairboard.sqlite'), { backgroundCheckpoints: false });

const onCleanup = useCleanup();

it('[HARD8] a stored row that cannot be read is quarantined at load; the rest of the document opens', async () => {
  const dataDir = tempDataDir();
  const first = await startServer({ dataDir });
  onCleanup(() => first.stop());
  const ana = await createBoard(first.url, 'Ana', 'mentor');
  await joinBoard(first.url, ana.boardId, 'Ben');
  const writer = connectDoc(ana, 'mentor');
  await waitForSynced(writer);
  seatDoc.answer(writer.doc, 'journey').insert(0, 'kept words');
  await waitFor(async () => (await first.store.loadDoc(ana.boardId, 'mentor')).updates.length > 0, 'stored');
  writer.destroy();
  await first.stop();

  // Damage the file as a bad disk, an old bug or a hand edit would: a row of garbage and a
  // truncated copy of a real row, between good rows.
  const file = openFile(dataDir);
  const good = file.loadDoc(ana.boardId, 'mentor').updates;
  const insert = (data: Uint8Array) => file.appendUpdates([{ boardId: ana.boardId, doc: 'mentor', update: data }]);
  insert(new Uint8Array([1, 3, 250, 250, 250, 1, 7]));
  insert(good[0]!.subarray(0, Math.floor(good[0]!.length / 2)));
  const later = new Y.Doc();
  for (const u of good) Y.applyUpdate(later, u);
  const afterDamage: Uint8Array[] = [];
  later.on('update', (u: Uint8Array) => afterDamage.push(u));
  seatDoc.answer(later, 'journey').insert('kept words'.length, ' and more');
  for (const u of afterDamage) insert(u);
  file.close();

  const second = await startServer({ dataDir });
  onCleanup(() => second.stop());
  const reader = connectDoc({ ...ana, baseUrl: second.url, origin: second.url }, 'mentor');
  onCleanup(() => reader.destroy());
  await waitForSynced(reader);
  expect(seatDoc.answer(reader.doc, 'journey').toString()).toBe('kept words and more');
  expect(second.server.rooms.quarantinedRows).toBe(2);
  expect((await second.server.metrics.quarantinedRows.get()).values[0]?.value).toBe(2);
  expect(await second.store.quarantinedRowCount()).toBe(2);
  // Moved aside, not loaded again: a second load of the document quarantines nothing new.
  expect((await second.store.loadDoc(ana.boardId, 'mentor')).updates.length).toBe(good.length + afterDamage.length);
  expect((await fetch(`${second.url}/healthz`)).status).toBe(200);
});

it('[HARD8][DEL1] deleting a board erases its quarantined rows too', async () => {
  const dataDir = tempDataDir();
  const server = await startServer({ dataDir });
  onCleanup(() => server.stop());
  const ana = await createBoard(server.url, 'Ana', 'mentor');
  // A second handle on the live file, as an old release or a hand edit would write.
  const file = openFile(dataDir);
  file.appendUpdates([{ boardId: ana.boardId, doc: 'shared', update: new Uint8Array([9, 9, 9]) }]);
  file.close();
  const client = connectDoc(ana, 'shared');
  onCleanup(() => client.destroy());
  await waitForSynced(client);
  expect(await server.store.quarantinedRowCount()).toBe(1);
  const res = await fetch(`${server.url}/api/boards/${ana.boardId}`, { method: 'DELETE', headers: { cookie: ana.cookie, origin: server.url } });
  expect(res.status).toBeLessThan(300);
  expect(await server.store.quarantinedRowCount()).toBe(0);
});
