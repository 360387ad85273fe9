import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { encodeAwarenessUpdate, Awareness } from 'y-protocols/awareness';
import * as encoding from 'lib0/encoding';
import { seatDoc } from '@pairboard/shared';
import { apiCall, connectDoc, waitFor, waitForSynced } from '../helpers/clients.ts';
import { usePair } from '../helpers/fixtures.ts';

const { pair, onCleanup } = usePair();

/** Sends raw bytes as an HTTP upgrade and returns what the server answered (or 'open'/'closed'). */
function rawUpgrade(port: number, target: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(
        `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`
      );
    });
    let answer = '';
    socket.on('data', (d) => (answer += d.toString()));
    socket.on('close', () => resolve(answer.split('\r\n')[0] || 'closed'));
    setTimeout(() => {
      socket.destroy();
      resolve(answer.split('\r\n')[0] || 'open');
    }, 1_500);
  });
}

it('[ORIG1] a malformed or unknown upgrade is answered and closed; the server lives on', async () => {
  const { server } = await pair();
  expect(await rawUpgrade(server.port, '/yjs/%E0%A4%A')).toMatch(/^HTTP\/1.1 40\d/);
  expect(await rawUpgrade(server.port, '/nothing-here')).toBe('closed');
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

it('[DEL1] keystrokes still in flight while the board is deleted are never written back', async () => {
  const { server, ana, ben } = await pair();
  const own = connectDoc(ana, 'mentor');
  onCleanup(() => own.destroy());
  await waitForSynced(own);
  const text = seatDoc.answer(own.doc, 'why-tech');
  text.insert(0, 'SECRET-CANARY-123');
  await waitFor(async () => (await server.store.loadDoc(ana.boardId, 'mentor')).updates.length > 0, 'stored');
  // Keep typing through the deletion, as a partner mid-sentence would.
  const typing = setInterval(() => text.insert(text.length, ' late'), 5);
  await apiCall(server.url, 'DELETE', `/api/boards/${ana.boardId}`, undefined, ben.cookie);
  await new Promise((r) => setTimeout(r, 300));
  clearInterval(typing);
  own.provider.disconnect();
  await new Promise((r) => setTimeout(r, 200));
  expect((await server.store.loadDoc(ana.boardId, 'mentor')).updates).toHaveLength(0);
  const files = fs.readdirSync(server.dataDir).filter((f) => f.startsWith('pairboard.sqlite'));
  for (const f of files) expect(fs.readFileSync(path.join(server.dataDir, f)).includes('SECRET-CANARY-123')).toBe(false);
});

it('[PRES3] a connection speaks only for its own awareness ids: it cannot erase the partner', async () => {
  const { ana, ben } = await pair();
  const anaShared = connectDoc(ana, 'shared');
  const benShared = connectDoc(ben, 'shared');
  onCleanup(() => anaShared.destroy());
  onCleanup(() => benShared.destroy());
  await Promise.all([anaShared, benShared].map(waitForSynced));
  anaShared.provider.awareness.setLocalStateField('name', 'Ana');
  const anaId = anaShared.doc.clientID;
  await waitFor(() => benShared.provider.awareness.getStates().get(anaId)?.name === 'Ana', 'Ben sees Ana');

  // A third connection of Ben's seat claims its own id, then tries to remove Ana's.
  const rogueDoc = new Y.Doc();
  const rogue = new Awareness(rogueDoc);
  rogue.setLocalState({ name: 'rogue' });
  const frame = (update: Uint8Array) => {
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 1);
    encoding.writeVarUint8Array(e, update);
    return encoding.toUint8Array(e);
  };
  const ws = new WebSocket(`${ben.baseUrl.replace('http', 'ws')}/yjs/${ben.boardId}/shared`, { headers: { cookie: ben.cookie, origin: ben.origin } });
  await new Promise((r) => ws.on('open', r));
  ws.send(frame(encodeAwarenessUpdate(rogue, [rogueDoc.clientID])));
  // Forge "Ana left": her id with a newer clock and a null state.
  const forged = encoding.createEncoder();
  encoding.writeVarUint(forged, 1);
  encoding.writeVarUint(forged, anaId);
  encoding.writeVarUint(forged, 999);
  encoding.writeVarString(forged, 'null');
  ws.send(frame(encoding.toUint8Array(forged)));
  await waitFor(() => benShared.provider.awareness.getStates().get(rogueDoc.clientID)?.name === 'rogue', 'rogue relayed');
  await new Promise((r) => setTimeout(r, 200));
  expect(benShared.provider.awareness.getStates().get(anaId)?.name).toBe('Ana');
  ws.close();
  rogue.destroy();
});
