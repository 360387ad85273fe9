import { expect, it } from 'vitest';
import * as Y from 'yjs';
import { CLOSE_CODES, seatDoc } from '@pairboard/shared';
import { connectDoc, createBoard, joinBoard, waitFor, waitForSynced } from '../helpers/clients.ts';
import { usePair } from '../helpers/fixtures.ts';
import { awarenessFrameOf, frameKind, openRawYjs, syncFrame, upgradeStatus } from '../helpers/rawYjs.ts';
import type { TestServer } from '../helpers/server.ts';

const { pair, onCleanup } = usePair();

/** Polls an async condition (waitFor takes a synchronous one). */
async function waitForAsync(check: () => Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function refusals(server: TestServer, reason: string): Promise<number> {
  const metric = await server.server.metrics.refusals.get();
  return metric.values.find((v) => v.labels.reason === reason)?.value ?? 0;
}

/** A second pair on the same server, typing; returns a check that everything arrived. */
async function typingPair(server: TestServer) {
  const carol = await createBoard(server.url, 'Carol', 'mentor');
  const dan = await joinBoard(server.url, carol.boardId, 'Dan');
  const writer = connectDoc(carol, 'mentor');
  const reader = connectDoc(dan, 'mentor');
  onCleanup(() => writer.destroy());
  onCleanup(() => reader.destroy());
  await Promise.all([writer, reader].map(waitForSynced));
  const text = seatDoc.answer(writer.doc, 'why-tech');
  let typed = '';
  return {
    type(chars: string) {
      for (const ch of chars) {
        text.insert(text.length, ch);
        typed += ch;
      }
    },
    /** [HARD9] Delivery, not wall-clock: every character reached the partner. */
    arrived: () => waitFor(() => seatDoc.answer(reader.doc, 'why-tech').toString() === typed, 'the other pair’s typing arrives', 15_000)
  };
}

function keystrokes(text: string, doc = new Y.Doc()): Uint8Array[] {
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  for (const ch of text) seatDoc.answer(doc, 'journey').insert(seatDoc.answer(doc, 'journey').length, ch);
  return updates;
}

it('[HARD2] a malformed sync step 1 closes that connection only; the process and other rooms go on', async () => {
  const { server, ana } = await pair();
  const other = await typingPair(server);
  const raw = await openRawYjs(ana, 'mentor');
  // A state vector claiming 2^40 entries: Y.diffUpdate throws on it.
  raw.send(syncFrame(0, new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x20])));
  expect(await raw.closed).toBe(CLOSE_CODES.BadMessage);
  other.type('still here');
  await other.arrived();
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  expect(await refusals(server, 'bad-frame')).toBeGreaterThanOrEqual(1);
});

it('[HARD1] an update whose dependency never arrives, or a flipped bit, is refused with BadUpdate and nothing is stored', async () => {
  const { server, ana } = await pair({ yjsLimits: { hold: { ms: 300, bytes: 64 * 1024 } } });
  const updates = keystrokes('hello');
  const stored = async () => (await server.store.loadDoc(ana.boardId, 'mentor')).updates.length;

  // Keystroke 3 without 1 and 2: its origin is unknown to the document, and stays unknown.
  let raw = await openRawYjs(ana, 'mentor');
  raw.send(syncFrame(2, updates[2]!));
  expect(await raw.closed).toBe(CLOSE_CODES.BadUpdate);
  expect(await stored()).toBe(0);

  // A well-framed update whose bytes are garbage: refused at once.
  raw = await openRawYjs(ana, 'mentor');
  raw.send(syncFrame(2, new Uint8Array([1, 1, 200, 1, 0, 9, 9, 9])));
  expect(await raw.closed).toBe(CLOSE_CODES.BadUpdate);
  expect(await stored()).toBe(0);

  // The same keystrokes in order are accepted, and the document opens after that.
  raw = await openRawYjs(ana, 'mentor');
  for (const u of updates) raw.send(syncFrame(2, u));
  await waitFor(async () => (await stored()) === updates.length, 'keystrokes stored');
  raw.ws.close();
  const check = connectDoc(ana, 'mentor');
  onCleanup(() => check.destroy());
  await waitForSynced(check);
  expect(seatDoc.answer(check.doc, 'journey').toString()).toBe('hello');
  expect(await refusals(server, 'bad-update')).toBe(2);
});

it('[HARD1] a keystroke sent before the offline edits it builds on waits for them; nothing is refused or lost', async () => {
  const { server, ana } = await pair();
  const doc = new Y.Doc();
  const offline = Y.encodeStateAsUpdate(doc);
  const updates = keystrokes('offline', doc);
  const typedAfterReconnect = updates.pop()!;
  const offlineEdits = Y.mergeUpdates([offline, ...updates]);
  const raw = await openRawYjs(ana, 'mentor');
  // What a browser does when it types in the instant after reconnecting: the live keystroke
  // (message type 2) goes out before its sync reply (type 1) carrying the edits made offline.
  raw.send(syncFrame(2, typedAfterReconnect));
  raw.send(syncFrame(1, offlineEdits));
  const check = connectDoc(ana, 'mentor');
  onCleanup(() => check.destroy());
  await waitFor(() => seatDoc.answer(check.doc, 'journey').toString() === 'offline', 'both reached a reader');
  expect(raw.isClosed()).toBe(false);
  expect(await refusals(server, 'bad-update')).toBe(0);
  raw.ws.close();
});

it('[HARD1] updates waiting on a dependency are bounded in bytes', async () => {
  const { server, ana } = await pair({ yjsLimits: { hold: { ms: 60_000, bytes: 2_048 } } });
  const updates = keystrokes('x'.repeat(200));
  const raw = await openRawYjs(ana, 'mentor');
  // Everything after the first keystroke waits for it; past the byte budget the connection goes.
  for (const u of updates.slice(1)) raw.send(syncFrame(2, u));
  expect(await raw.closed).toBe(CLOSE_CODES.BadUpdate);
  expect((await server.store.loadDoc(ana.boardId, 'mentor')).updates.length).toBe(0);
});

it('[HARD4] awareness larger than the cap, or not JSON, closes the connection; normal presence passes', async () => {
  const { server, ben } = await pair();
  let raw = await openRawYjs(ben, 'shared');
  raw.send(awarenessFrameOf([[7, 1, JSON.stringify({ name: 'x'.repeat(9_000) })]]));
  expect(await raw.closed).toBe(CLOSE_CODES.BadMessage);
  raw = await openRawYjs(ben, 'shared');
  raw.send(awarenessFrameOf([[7, 1, '{not json']]));
  expect(await raw.closed).toBe(CLOSE_CODES.BadMessage);
  raw = await openRawYjs(ben, 'shared');
  raw.send(awarenessFrameOf([[7, 1, JSON.stringify({ name: 'Ben' })]]));
  raw.send(new Uint8Array([3])); // query awareness: answered with Ben's entry
  await waitFor(() => raw.received.some((f) => frameKind(f).type === 1 && Buffer.from(f).includes('Ben')), 'awareness echo');
  expect(raw.isClosed()).toBe(false);
  raw.ws.close();
  expect(await refusals(server, 'too-large')).toBe(1);
});

it('[HARD5] a seat gets at most 8 connections to one document; the 9th is refused with 429 before the upgrade', async () => {
  const { server, ana, ben } = await pair();
  const open: Array<{ ws: { close(): void } }> = [];
  for (let i = 0; i < 8; i++) open.push(await openRawYjs(ana, 'shared'));
  onCleanup(() => open.forEach((r) => r.ws.close()));
  expect((await upgradeStatus(ana, 'shared')).status).toBe(429);
  // Another seat, or another document of the same seat, is not affected.
  const benOk = await upgradeStatus(ben, 'shared');
  const ownOk = await upgradeStatus(ana, 'mentor');
  expect([benOk.status, ownOk.status]).toEqual([101, 101]);
  benOk.ws!.close();
  ownOk.ws!.close();
  // Closing one frees a place.
  open.pop()!.ws.close();
  await waitForAsync(async () => {
    const next = await upgradeStatus(ana, 'shared');
    if (next.ws) open.push({ ws: next.ws });
    return next.status === 101;
  }, 'a place is free');
  expect(await refusals(server, 'too-many-connections')).toBeGreaterThanOrEqual(1);
});

it('[HARD7] a connection that never speaks is closed after the handshake timeout', async () => {
  const { server, ana } = await pair({ yjsLimits: { handshakeTimeoutMs: 300 } });
  const silent = await openRawYjs(ana, 'mentor');
  expect(await silent.closed).toBe(CLOSE_CODES.HandshakeTimeout);
  // A client that speaks at once is not affected.
  const client = connectDoc(ana, 'mentor');
  onCleanup(() => client.destroy());
  await waitForSynced(client);
  seatDoc.answer(client.doc, 'journey').insert(0, 'hi');
  await waitFor(async () => (await server.store.loadDoc(ana.boardId, 'mentor')).updates.length > 0, 'stored');
  expect(client.provider.wsconnected).toBe(true);
  expect(await refusals(server, 'handshake-timeout')).toBe(1);
});

it('[HARD6] a client that stops reading is dropped once its send buffer passes the bound; another pair keeps typing', async () => {
  const { server, ana, ben } = await pair({ yjsLimits: { sendBufferMax: 256 * 1024 } });
  const other = await typingPair(server);
  const stalled = await openRawYjs(ben, 'shared');
  // Stop reading: the kernel buffers fill, then ws queues in server memory.
  (stalled.ws as unknown as { _socket: { pause(): void } })._socket.pause();
  const flooder = await openRawYjs(ana, 'shared');
  onCleanup(() => flooder.ws.close());
  const big = JSON.stringify({ name: 'Ana', pad: 'x'.repeat(7_000) });
  let clock = 1;
  let round = 0;
  await waitForAsync(
    async () => {
      for (let i = 0; i < 50; i++) flooder.send(awarenessFrameOf([[4242, clock++, big]]));
      other.type(String(round++ % 10));
      return (await refusals(server, 'slow-reader')) >= 1;
    },
    'the stalled reader is dropped',
    20_000
  );
  expect(round).toBeGreaterThan(1);
  expect(flooder.isClosed()).toBe(false);
  await other.arrived();
  void ana;
});

it('[HARD2] a document that cannot be loaded (database error) closes that connection with Unavailable; the server lives on', async () => {
  const { server, ana } = await pair();
  const loadDoc = server.store.loadDoc.bind(server.store);
  server.store.loadDoc = () => {
    throw new Error('disk I/O error');
  };
  const { status, ws } = await upgradeStatus(ana, 'mentor');
  expect(status).toBe(101);
  const code = await new Promise<number>((resolve) => ws!.on('close', resolve));
  expect(code).toBe(CLOSE_CODES.Unavailable);
  server.store.loadDoc = loadDoc;
  const client = connectDoc(ana, 'mentor');
  onCleanup(() => client.destroy());
  await waitForSynced(client);
});
