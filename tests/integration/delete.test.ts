import fs from 'node:fs';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { CLOSE_CODES, seatDoc } from '@pairboard/shared';
import { startServer } from '../helpers/server.ts';
import { act, apiCall, connectDoc, createBoard, joinBoard, op, seatedSocket, waitFor, waitForSynced, type DocClient } from '../helpers/clients.ts';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn();
});

const CANARY = 'zebra-canary-7f3k';

function filesContain(dir: string, needle: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.startsWith('pairboard.sqlite'))
    .filter((f) => fs.readFileSync(path.join(dir, f)).includes(Buffer.from(needle)));
}

it('[DEL1][DEL2] deleting erases every byte of the board, tells both partners, and the link answers 410', async () => {
  const server = await startServer();
  cleanups.push(() => server.stop());
  const ana = await createBoard(server.url, 'Ana', 'mentor');
  const ben = await joinBoard(server.url, ana.boardId, 'Ben');
  const own: DocClient = connectDoc(ana, 'mentor');
  cleanups.push(() => own.destroy());
  await waitForSynced(own);
  seatDoc.answer(own.doc, 'why-tech').insert(0, `I love ${CANARY} stripes`);
  const a = await seatedSocket(ana);
  const b = await seatedSocket(ben);
  cleanups.push(
    () => a.socket.close(),
    () => b.socket.close()
  );
  await act(a.socket, 'session:act', { type: 'agreement:edit', opId: op(), field: 'confidentiality', value: `Keep ${CANARY} between us` });
  await waitFor(async () => (await server.store.loadDoc(ana.boardId, 'mentor')).updates.length > 0, 'answer stored');
  await waitFor(() => filesContain(server.dataDir, CANARY).length > 0, 'canary on disk');

  const closed = new Promise<number>((resolve) => own.provider.on('connection-close', (e) => resolve(e?.code ?? 0)));
  const bTold = new Promise<void>((resolve) => b.socket.on('board:deleted', () => resolve()));
  // Only a seated partner may delete.
  expect((await apiCall(server.url, 'DELETE', `/api/boards/${ana.boardId}`)).status).toBe(403);
  const deleted = await apiCall(server.url, 'DELETE', `/api/boards/${ana.boardId}`, undefined, ben.cookie);
  expect(deleted.status).toBe(200);
  await bTold;
  expect(await closed).toBe(CLOSE_CODES.BoardDeleted);
  own.provider.disconnect();

  expect(filesContain(server.dataDir, CANARY)).toEqual([]);
  const look = await apiCall(server.url, 'GET', `/api/boards/${ana.boardId}`, undefined, ana.cookie);
  expect(look.status).toBe(410);
  expect(look.json).toMatchObject({ code: 'BoardDeleted' });
  // Nothing can write it back: a returning partner is refused.
  const again = await apiCall(server.url, 'POST', `/api/boards/${ana.boardId}/seats`, { name: 'Ana' }, ana.cookie);
  expect(again.status).toBe(410);
});

it('[DEL2] the board link itself answers HTTP 410 once deleted, 404 when it never existed', async () => {
  const server = await startServer({ withWeb: true });
  cleanups.push(() => server.stop());
  const ana = await createBoard(server.url, 'Ana', 'mentor');
  expect((await fetch(`${server.url}/b/${ana.boardId}`)).status).toBe(200);
  await apiCall(server.url, 'DELETE', `/api/boards/${ana.boardId}`, undefined, ana.cookie);
  const gone = await fetch(`${server.url}/b/${ana.boardId}`);
  expect(gone.status).toBe(410);
  expect(await gone.text()).toContain('<html');
  expect((await fetch(`${server.url}/b/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
});
