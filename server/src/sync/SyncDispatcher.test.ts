import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from 'y-protocols/awareness';
import { createLogger } from '../log.ts';
import { DocRoom } from '../rooms/DocRoom.ts';
import type { RoomRegistry } from '../rooms/RoomRegistry.ts';
import { SyncDispatcher, type SyncPeer } from './SyncDispatcher.ts';
import { awarenessFrame, readFrame } from './wireProtocol.ts';

/** The dispatcher's view of the registry, enough for presence (no writes happen here). */
const noRooms = { subscribe: () => () => {}, release: () => {} } as unknown as RoomRegistry;

function peer(): SyncPeer & { frames: Uint8Array[] } {
  const frames: Uint8Array[] = [];
  return { readOnly: false, awarenessIds: new Set(), frames, send: (f) => frames.push(f), close: () => {} };
}

/** The names present according to the last awareness frame a peer received. */
function namesIn(frames: Uint8Array[]): string[] {
  const last = [...frames]
    .reverse()
    .map(readFrame)
    .find((f) => f.kind === 'awareness');
  const seen = new Awareness(new Y.Doc());
  if (last && last.kind === 'awareness') applyAwarenessUpdate(seen, last.update, 'test');
  return [...seen.getStates().entries()].filter(([id]) => id !== seen.clientID).map(([, s]) => (s as { name: string }).name);
}

describe('SyncDispatcher presence', () => {
  it('[HARD4] a keep-alive carries presence as it is now: after a change, and after someone left', () => {
    const sync = new SyncDispatcher({ rooms: noRooms, log: createLogger('error') });
    const room = DocRoom.fromUpdates('b', 'shared', []);
    const ana = peer();
    const ben = peer();
    sync.join(room, ana);
    const anaDoc = new Y.Doc();
    const anaAwareness = new Awareness(anaDoc);
    anaAwareness.setLocalState({ name: 'Ana' });
    sync.receive(room, ana, awarenessFrame(encodeAwarenessUpdate(anaAwareness, [anaDoc.clientID])));
    sync.join(room, ben);
    expect(namesIn(ben.frames)).toEqual(['Ana']);
    sync.keepAlive(room, ben);
    anaAwareness.setLocalState({ name: 'Ana (typing)' });
    sync.receive(room, ana, awarenessFrame(encodeAwarenessUpdate(anaAwareness, [anaDoc.clientID])));
    sync.keepAlive(room, ben);
    expect(namesIn(ben.frames)).toEqual(['Ana (typing)']);
    sync.leave(room, ana);
    sync.keepAlive(room, ben);
    expect(namesIn(ben.frames)).toEqual([]);
  });
});
