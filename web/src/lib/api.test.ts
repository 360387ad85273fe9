import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectDoc, createBoard, joinBoard, waitForSynced } from '../../../tests/helpers/clients.ts';
import { startServer, tempDataDir, type TestServer } from '../../../tests/helpers/server.ts';
import { api } from './api.ts';

/**
 * The page's REST join against two real nodes on one SQLite file: node A serves the board (it holds
 * its lease), node B answers a seat write with a genuine 503 `BoardMoved`. The page's `fetch` is
 * routed as a proxy in the middle of a handover would: the first requests reach B, the rest A.
 */
const cleanup: Array<() => unknown> = [];
afterEach(async () => {
  vi.unstubAllGlobals();
  for (const undo of cleanup.splice(0).reverse()) await undo();
});

async function handover() {
  const dataDir = tempDataDir();
  const a = await startServer({ dataDir, env: { NODE_ID: 'node-a' } });
  cleanup.push(() => a.stop());
  const b = await startServer({ dataDir, env: { NODE_ID: 'node-b' }, takeOverLeases: false });
  cleanup.push(() => b.stop());
  const ana = await createBoard(a.url, 'Ana', 'mentor');
  const doc = connectDoc(ana, 'mentor'); // node A claims the board's lease
  cleanup.push(() => doc.destroy());
  await waitForSynced(doc);
  return { a, b, boardId: ana.boardId };
}

/** The page's relative fetch, sent to B for the first `toMovedNode` requests, then to A; counts what reached each. */
function routeFetch(a: TestServer, b: TestServer, toMovedNode: number) {
  const reached: string[] = [];
  const realFetch = globalThis.fetch;
  vi.stubGlobal('fetch', (path: string, init: RequestInit = {}) => {
    const node = reached.length < toMovedNode ? b : a;
    reached.push(node === a ? 'A' : 'B');
    return realFetch(node.url + path, { ...init, headers: { ...(init.headers as Record<string, string>), origin: node.url } });
  });
  return reached;
}

describe('the page’s REST join while a board moves between nodes', () => {
  it('[RECON4] a 503 BoardMoved is retried with a short backoff, and the join lands on the node that serves the board', async () => {
    const { a, b, boardId } = await handover();
    const reached = routeFetch(a, b, 2);
    const started = performance.now();
    const result = await api.joinBoard(boardId, { name: 'Ben' });
    expect(result).toEqual({ ok: true, seat: 'mentee' });
    expect(reached).toEqual(['B', 'B', 'A']);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect((await a.store.getBoard(boardId))!.seats.mentee).not.toBeNull();
  });

  it('[RECON4] a board that stays moved is tried a few times, then the person gets a friendly sentence', async () => {
    const { a, b, boardId } = await handover();
    const reached = routeFetch(a, b, Infinity);
    const result = await api.joinBoard(boardId, { name: 'Ben' });
    expect(result).toEqual({ ok: false, code: 'BoardMoved', message: 'The board is moving to another server right now. Please try again in a moment.' });
    expect(reached).toEqual(['B', 'B', 'B', 'B']);
    expect((await a.store.getBoard(boardId))!.seats.mentee).toBeNull();
  });

  it('[RECON4] other refusals are not retried and keep their own sentence', async () => {
    const { a, b, boardId } = await handover();
    await joinBoard(a.url, boardId, 'Ben');
    const reached = routeFetch(a, b, 0);
    const result = await api.joinBoard(boardId, { name: 'Cleo' });
    expect(result).toMatchObject({ ok: false, code: 'BoardFull' });
    expect(result.ok ? '' : result.message).not.toMatch(/moving/);
    expect(reached).toEqual(['A']);
  });
});
