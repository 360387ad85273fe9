import { afterEach, expect, it } from 'vitest';
import { seatDoc } from '@pairboard/shared';
import { connectDoc, createBoard, joinBoard, waitFor, waitForSynced, type DocClient } from '../helpers/clients.ts';
import { tempDataDir } from '../helpers/server.ts';
import { spawnServer, type ServerProcess } from '../helpers/serverProcess.ts';

const open: Array<ServerProcess | DocClient> = [];
afterEach(async () => {
  for (const item of open.splice(0)) 'child' in item ? await item.stop('SIGKILL') : item.destroy();
});

it('[PERS1] kill -9 right after an edit the partner saw keeps that edit', async () => {
  const dataDir = tempDataDir();
  const first = await spawnServer(dataDir);
  open.push(first);
  const ana = await createBoard(first.url, 'Ana', 'mentor');
  const ben = await joinBoard(first.url, ana.boardId, 'Ben');
  const own = connectDoc(ana, 'mentor');
  const reader = connectDoc(ben, 'mentor');
  open.push(own, reader);
  await Promise.all([own, reader].map(waitForSynced));

  const text = seatDoc.answer(own.doc, 'journey');
  for (const ch of 'typed right before the crash') text.insert(text.length, ch);
  await waitFor(() => seatDoc.answer(reader.doc, 'journey').toString() === 'typed right before the crash', 'partner sees it');
  await first.stop('SIGKILL');
  own.provider.disconnect();
  reader.provider.disconnect();

  const second = await spawnServer(dataDir);
  open.push(second);
  const check = connectDoc({ ...ben, baseUrl: second.url, origin: second.url }, 'mentor');
  open.push(check);
  await waitForSynced(check);
  expect(seatDoc.answer(check.doc, 'journey').toString()).toBe('typed right before the crash');
});
