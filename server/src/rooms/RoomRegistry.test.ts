import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as Y from 'yjs';
import { createLogger } from '../log.ts';
import { SqliteBoardStore } from '../persistence/SqliteBoardStore.ts';
import { RoomRegistry } from './RoomRegistry.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function registryWithBoards(count: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-rooms-'));
  dirs.push(dir);
  const store = new SqliteBoardStore(path.join(dir, 'boards.sqlite'), { nodeId: 'node1', backgroundCheckpoints: false });
  const epochs = new Map<string, number>();
  const ids = Array.from({ length: count }, (_, i) => `board${i}`);
  for (const id of ids) {
    await store.createBoard({ id, createdAt: Date.now(), seats: { mentor: null, mentee: null } });
    const claimed = await store.claimLease(id, 60_000);
    if (!claimed.ok) throw new Error(`no lease for ${id}`);
    epochs.set(id, claimed.lease.epoch);
  }
  const rooms = new RoomRegistry({
    store,
    log: createLogger('error'),
    unloadAfterMs: 60_000,
    epochOf: (boardId) => epochs.get(boardId) ?? null,
    onFenced: () => {}
  });
  return { rooms, ids, store, close: () => rooms.shutdown() };
}

/** A few keystrokes as separate updates, as a typing partner sends them. */
function keystrokes(n: number): Uint8Array[] {
  const doc = new Y.Doc();
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (let i = 0; i < n; i++) doc.getText('t').insert(i, 'x');
  return updates;
}

describe('RoomRegistry', () => {
  it('[LEASE3] knows whether any document of a board is here, and forgets a board whose rooms are gone', async () => {
    const { rooms, ids, close } = await registryWithBoards(3);
    const opened = await rooms.open(ids[0]!, 'mentor');
    await rooms.open(ids[0]!, 'shared');
    expect(rooms.hasBoard(ids[0]!)).toBe(true);
    expect(rooms.hasBoard(ids[1]!)).toBe(false);
    rooms.closeBoard(ids[0]!, 4000, 'gone');
    expect(opened.closed).toBe(true);
    expect(rooms.hasBoard(ids[0]!)).toBe(false);
    await close();
  });

  it('[PERS3] folds every room that went quiet, however many went quiet together', async () => {
    const { rooms, ids, close } = await registryWithBoards(40);
    const opened = await Promise.all(ids.map((id) => rooms.open(id, 'mentor')));
    const updates = keystrokes(5);
    for (const room of opened) for (const u of updates) expect(rooms.write(room, u, {}).ok).toBe(true);
    await rooms.flush();
    expect(opened.every((room) => room.hasTail)).toBe(true);
    rooms.foldIdleRooms(); // written since the last sweep: left for the next one
    expect(opened.every((room) => room.hasTail)).toBe(true);
    rooms.foldIdleRooms();
    await vi.waitFor(() => expect(opened.filter((room) => room.hasTail)).toHaveLength(0), { timeout: 10_000 });
    for (const room of opened) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, room.state());
      expect(doc.getText('t').toString()).toBe('xxxxx');
    }
    await close();
  });

  it('[PERS3] compacts rooms that crossed the row limit together one at a time after the flush, not inside it', async () => {
    const { rooms, ids, store, close } = await registryWithBoards(30);
    const compactions = vi.spyOn(store, 'compactDoc');
    const opened = await Promise.all(ids.map((id) => rooms.open(id, 'mentor')));
    const updates = keystrokes(501);
    for (const u of updates) for (const room of opened) expect(rooms.write(room, u, {}).ok).toBe(true);
    await rooms.flush();
    expect(compactions).not.toHaveBeenCalled();
    await vi.waitFor(() => expect(compactions).toHaveBeenCalledTimes(30), { timeout: 10_000 });
    await vi.waitFor(() => expect(opened.filter((room) => room.needsCompaction())).toHaveLength(0));
    for (const room of opened) {
      const doc = new Y.Doc();
      Y.applyUpdate(doc, room.state());
      expect(doc.getText('t').length).toBe(501);
    }
    await close();
  });
});
