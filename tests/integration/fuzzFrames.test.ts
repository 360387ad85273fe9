import { expect, it } from 'vitest';
import WebSocket from 'ws';
import * as Y from 'yjs';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { seatDoc, type DocName } from '@pairboard/shared';
import { connectDoc, createBoard, joinBoard, waitFor, waitForSynced, type Partner } from '../helpers/clients.ts';
import { useCleanup } from '../helpers/fixtures.ts';
import { awarenessFrameOf, rawYjsUrl, syncFrame } from '../helpers/rawYjs.ts';
import { seededRandom, type Random } from '../helpers/seededRandom.ts';
import { startServer, tempDataDir, type TestServer } from '../helpers/server.ts';

/**
 * [HARD10] Seeded frame fuzzing of the Yjs endpoint, in the spirit of Yjs' own testHelper: a seated
 * client sends valid edits mixed with truncated, spliced, bit-flipped, garbage, oversized-claim,
 * unknown-type and odd-awareness frames to its own, the shared and the partner's document. Each
 * batch ends with a probe (a sync step 1); an answered probe means every frame of the batch was
 * taken, a close means its one bad frame was refused (the valid edits before it were taken).
 * A model Y.Doc per document applies exactly what was taken; after a real restart on the same
 * SQLite file each document must equal its model, and another pair typing throughout lost nothing.
 */
const FRAMES = Number(process.env.FUZZ_FRAMES ?? 10_000);
const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed2026);
/** Seeds that once failed; each replays a shorter run. */
const REGRESSION_SEEDS: number[] = [];

const onCleanup = useCleanup();

type Frame = Uint8Array | string;

/** What the server will make of a frame: a sync step 1 it answers, an update it may take, or other. */
function classify(frame: Frame): { step1: boolean; update: Uint8Array | null } {
  if (typeof frame === 'string') return { step1: false, update: null };
  try {
    const d = decoding.createDecoder(frame);
    if (decoding.readVarUint(d) !== 0) return { step1: false, update: null };
    const syncType = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    if (syncType === 0) return { step1: true, update: null };
    return { step1: false, update: syncType === 1 || syncType === 2 ? payload : null };
  } catch {
    return { step1: false, update: null };
  }
}

/** One raw connection that sends a batch and reports whether the server took all of it. */
const EMPTY_UPDATE = Y.encodeStateAsUpdate(new Y.Doc());

class FuzzConnection {
  private ws: WebSocket | null = null;
  private replies = 0;
  private closed = true;
  private wake: (() => void) | null = null;
  reconnects = 0;

  constructor(
    private readonly partner: Partner,
    private readonly doc: DocName
  ) {}

  private async open(): Promise<void> {
    for (;;) {
      const ws = new WebSocket(rawYjsUrl(this.partner, this.doc), { headers: { cookie: this.partner.cookie, origin: this.partner.origin } });
      ws.binaryType = 'nodebuffer';
      const ok = await new Promise<boolean>((resolve) => {
        ws.on('unexpected-response', (_req, res) => {
          res.resume();
          resolve(false);
        });
        ws.on('error', () => resolve(false));
        // The server speaks first (its sync step 1): from then on the connection is ready.
        ws.once('message', () => resolve(true));
      });
      if (!ok) {
        ws.terminate();
        // The per-seat cap counts sockets whose close the server has not seen yet: retry.
        await new Promise((r) => setTimeout(r, 5));
        continue;
      }
      this.ws = ws;
      this.closed = false;
      this.replies = 0;
      // As a provider does: answer the server's sync step 1 at once (nothing made offline), so
      // from here on an update missing a dependency is refused, never parked [HARD1].
      ws.send(syncFrame(1, EMPTY_UPDATE));
      ws.on('message', (data: Buffer) => {
        if (data[0] === 0 && data[1] === 1) this.replies++;
        this.wake?.();
      });
      ws.on('close', () => {
        this.closed = true;
        this.wake?.();
      });
      this.reconnects++;
      return;
    }
  }

  /** Sends the frames and a probe; true when all were taken, false when the connection was refused. */
  async send(frames: Frame[]): Promise<boolean> {
    if (this.closed) await this.open();
    const ws = this.ws!;
    const expected = this.replies + frames.filter((f) => classify(f).step1).length + 1;
    for (const frame of frames) ws.send(frame, { binary: typeof frame !== 'string' });
    ws.send(syncFrame(0, new Uint8Array([0])));
    while (!this.closed && this.replies < expected) await new Promise<void>((resolve) => (this.wake = resolve));
    this.wake = null;
    if (this.closed) return false;
    return true;
  }

  close(): void {
    this.ws?.terminate();
  }
}

/** Makes real edits on its own Y.Doc and hands out each as an update. */
function editor(random: Random, clientID?: number) {
  const doc = new Y.Doc();
  if (clientID !== undefined) doc.clientID = clientID;
  const updates: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array) => updates.push(u));
  return {
    doc,
    edit(): Uint8Array {
      const before = updates.length;
      const text = doc.getText(random.pick(['fuzzA', 'fuzzB']));
      if (text.length > 3 && random.chance(0.3)) text.delete(random.int(text.length - 1), 1 + random.int(2));
      else if (random.chance(0.1)) doc.getMap('fuzzM').set(`k${random.int(5)}`, random.int(1000));
      else text.insert(random.int(text.length + 1), random.pick(['a', 'bc', 'é', '😀', ' word']));
      return updates.length > before ? Y.mergeUpdates(updates.slice(before)) : new Uint8Array([0, 0]);
    },
    history: updates
  };
}

function flipBits(random: Random, bytes: Uint8Array, flips: number): Uint8Array {
  const out = bytes.slice();
  for (let i = 0; i < flips && out.length > 0; i++) out[random.int(out.length)]! ^= 1 << random.int(8);
  return out;
}

function varUintFrame(parts: number[], tail: Uint8Array = new Uint8Array()): Uint8Array {
  const e = encoding.createEncoder();
  for (const p of parts) encoding.writeVarUint(e, p);
  encoding.writeUint8Array(e, tail);
  return encoding.toUint8Array(e);
}

/** One hostile or odd frame, built from the valid history so that many of them nearly decode. */
function mutant(random: Random, history: Uint8Array[], awarenessId: number): Frame {
  const someUpdate = history.length ? random.pick(history) : new Uint8Array([0, 0]);
  const valid = syncFrame(random.pick([1, 2]), someUpdate);
  switch (random.int(14)) {
    case 0:
      return valid.subarray(0, random.int(valid.length));
    case 1: {
      const other = syncFrame(2, random.pick(history.length ? history : [someUpdate]));
      return Uint8Array.from([...valid.subarray(0, random.int(valid.length)), ...other.subarray(random.int(other.length))]);
    }
    case 2:
      return flipBits(random, valid, 1 + random.int(3));
    case 3:
      return syncFrame(2, flipBits(random, someUpdate, 1 + random.int(2)));
    case 4:
      return syncFrame(random.pick([1, 2]), random.bytes(1 + random.int(48)));
    case 5:
      // A length claim far beyond the frame: 2^31 … 2^52.
      return varUintFrame([0, 2, 2 ** (31 + random.int(22))], random.bytes(random.int(8)));
    case 6:
      // An update that claims a huge number of clients or structs.
      return syncFrame(2, varUintFrame([2 ** (20 + random.int(30)), random.int(3)], random.bytes(random.int(8))));
    case 7:
      return random.pick<Frame>([
        new Uint8Array([2]),
        new Uint8Array([4, 1, 2]),
        varUintFrame([99]),
        varUintFrame([0, 7, 1, 0]),
        new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
        new Uint8Array(0),
        'text frame'
      ]);
    case 8:
      return syncFrame(0, random.bytes(random.int(24)));
    case 9:
      return awarenessFrameOf([[awarenessId, 1 + random.int(100), random.pick(['{not json', '[1,2]', '"str"', '42', 'null', '{"name":"x"}'])]]);
    case 10:
      return awarenessFrameOf(
        Array.from({ length: 1 + random.int(24) }, (_, i) => [awarenessId + i, random.int(2 ** 31), JSON.stringify({ i })] as [number, number, string])
      );
    case 11:
      return awarenessFrameOf([
        [
          random.pick([awarenessId, random.int(2 ** 31), 2 ** 53 - 1]),
          random.pick([0, 2 ** 53 - 1, random.int(50)]),
          JSON.stringify({ pad: 'x'.repeat(random.pick([10, 9_000])) })
        ]
      ]);
    case 12:
      return flipBits(random, awarenessFrameOf([[awarenessId, random.int(50), '{"name":"fuzz"}']]), 1 + random.int(2));
    default: {
      // A standalone valid update from a stranger's client id: no dependencies, so it is taken.
      const stranger = editor(random);
      stranger.edit();
      return syncFrame(2, Y.encodeStateAsUpdate(stranger.doc));
    }
  }
}

type DocModel = { name: DocName; writable: boolean; model: Y.Doc; conn: FuzzConnection; gen: ReturnType<typeof editor>; taken: number; refused: number };

async function fuzzRun(seed: number, frames: number): Promise<void> {
  const random = seededRandom(seed);
  const dataDir = tempDataDir();
  let server: TestServer = await startServer({ dataDir });
  onCleanup(() => server.stop());
  const ana = await createBoard(server.url, 'Ana', 'mentor');
  await joinBoard(server.url, ana.boardId, 'Ben');

  // Another pair types throughout; nothing of theirs may be lost.
  const carol = await createBoard(server.url, 'Carol', 'mentor');
  const dan = await joinBoard(server.url, carol.boardId, 'Dan');
  const carolDoc = connectDoc(carol, 'mentor');
  const danDoc = connectDoc(dan, 'mentor');
  onCleanup(() => carolDoc.destroy());
  onCleanup(() => danDoc.destroy());
  await Promise.all([carolDoc, danDoc].map(waitForSynced));
  const carolText = seatDoc.answer(carolDoc.doc, 'journey');
  let typed = '';
  const typing = setInterval(() => {
    const ch = String.fromCharCode(97 + (typed.length % 26));
    carolText.insert(carolText.length, ch);
    typed += ch;
  }, 3);
  onCleanup(() => clearInterval(typing));

  const docs: DocModel[] = (['mentor', 'shared', 'mentee'] as const).map((name) => ({
    name,
    writable: name !== 'mentee',
    model: new Y.Doc(),
    conn: new FuzzConnection(ana, name),
    gen: editor(random),
    taken: 0,
    refused: 0
  }));
  onCleanup(() => docs.forEach((d) => d.conn.close()));

  let sent = 0;
  const log: string[] = [];
  const runDoc = async (d: DocModel, budget: number) => {
    let used = 0;
    while (used < budget) {
      const batch: Frame[] = [];
      // Valid edits first (on the partner's document they would be refused: none there).
      if (d.writable) for (let i = random.int(4); i > 0; i--) batch.push(syncFrame(random.pick([1, 2]), d.gen.edit()));
      if (!d.writable && random.chance(0.1)) batch.push(syncFrame(1, new Uint8Array([0, 0]))); // a reader's empty sync reply
      if (random.chance(0.85) || batch.length === 0) batch.push(mutant(random, d.gen.history, 1_000 + random.int(1_000)));
      used += batch.length;
      const all = await d.conn.send(batch);
      const taken = all ? batch : batch.slice(0, -1);
      for (const frame of taken) {
        const { update } = classify(frame);
        if (update) {
          try {
            Y.applyUpdate(d.model, update);
          } catch (error) {
            throw new Error(`the server took an update its model cannot apply (${d.name}): ${String(error)}`);
          }
        }
      }
      d.taken += taken.length;
      if (!all) d.refused++;
      if (log.length < 5 && !all && batch.length > 1 && random.chance(0.001)) log.push(`${d.name}: refused after ${batch.length - 1} valid`);
    }
    sent += used;
  };
  await Promise.all(docs.map((d) => runDoc(d, Math.ceil(frames / docs.length))));
  clearInterval(typing);

  // The server is up and the other pair's typing all arrived.
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  await waitFor(() => seatDoc.answer(danDoc.doc, 'journey').toString() === typed, 'the other pair lost nothing', 15_000);
  expect(sent).toBeGreaterThanOrEqual(frames);
  for (const d of docs) {
    expect(d.refused, `${d.name}: some frames refused`).toBeGreaterThan(0);
    expect(d.model.store.pendingStructs, `${d.name}: nothing left pending`).toBeNull();
    d.conn.close();
  }
  expect(docs[0]!.model.getText('fuzzA').length + docs[0]!.model.getText('fuzzB').length, 'own document took edits').toBeGreaterThan(0);

  // A real restart on the same SQLite file; every document equals its model.
  carolDoc.destroy();
  danDoc.destroy();
  await server.stop();
  server = await startServer({ dataDir });
  for (const d of docs) {
    const check = connectDoc({ ...ana, baseUrl: server.url, origin: server.url }, d.name);
    onCleanup(() => check.destroy());
    await waitForSynced(check);
    expect(Y.equalSnapshots(Y.snapshot(check.doc), Y.snapshot(d.model)), `${d.name} equals its model`).toBe(true);
    for (const root of ['fuzzA', 'fuzzB']) expect(check.doc.getText(root).toString()).toBe(d.model.getText(root).toString());
    expect(check.doc.getMap('fuzzM').toJSON()).toEqual(d.model.getMap('fuzzM').toJSON());
    check.destroy();
  }
  const again = connectDoc({ ...dan, baseUrl: server.url, origin: server.url }, 'mentor');
  onCleanup(() => again.destroy());
  await waitForSynced(again);
  expect(seatDoc.answer(again.doc, 'journey').toString()).toBe(typed);
}

async function withSeed(seed: number, frames: number): Promise<void> {
  try {
    await fuzzRun(seed, frames);
  } catch (error) {
    // The seed replays the failure: FUZZ_SEED=<seed> npx vitest run tests/integration/fuzzFrames.test.ts
    (error as Error).message = `[fuzz seed ${seed}] ${(error as Error).message}`;
    throw error;
  }
}

it(`[HARD10] ${FRAMES} seeded hostile frames leave the server up, every document equal to its model after a restart, another pair unharmed`, async () => {
  await withSeed(SEED, FRAMES);
}, 120_000);

it.each(REGRESSION_SEEDS)(
  '[HARD10] regression seed %i',
  async (seed) => {
    await withSeed(seed, 1_500);
  },
  60_000
);
