/**
 * The load process: thousands of seated partners connected as the board page connects (REST seat,
 * cookie + Origin, 3 y-websocket documents + 1 Socket.IO socket per partner), driven by the bench
 * over IPC. It is cheaper than the servers it drives: keystrokes are pre-encoded frames shared by
 * every connection (rawYjs.ts), there is no client-side Y.Doc, and one timer per tick sends every
 * keystroke that is due. Latency is measured on this process's one clock from each keystroke's
 * *scheduled* time, so a late send counts against the figure instead of hiding (see stats.ts).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import * as Y from 'yjs';
import { io, type Socket } from 'socket.io-client';
import { DOC_NAMES, PROTOCOL_VERSION, roomName, SOCKET_IO_PATH, YJS_PATH, seatDoc, type DocName, type Seat } from '@pairboard/shared';
import { createBoard, joinBoard } from '../helpers/clients.ts';
import { expectedAnswers, keystrokes, RawYjsConnection } from './rawYjs.ts';
import { LatenessCounter, summarize } from './stats.ts';

export type ServerKind = 'pairboard' | 'baseline';
export type Command =
  | { cmd: 'setup'; kind: ServerKind; url: string; pairs: number; warm?: boolean }
  | { cmd: 'run'; ratePerPair: number; durationMs: number; warmupMs: number; drainMs: number }
  | { cmd: 'type'; chars: number; window: number; timeoutMs: number; warm?: boolean }
  | { cmd: 'verify'; timeoutMs: number }
  | { cmd: 'disconnect' }
  | { cmd: 'exit' };

/** One timer tick sends every keystroke due in it: the schedule is a grid of TICK_MS steps. */
const TICK_MS = 1;
/** A send later than this behind its scheduled tick is reported as late. */
const LATE_MS = 2;

/**
 * The Socket.IO query the page sends (web/src/lib/realtime/LiveBoard.svelte.ts's io() call): the
 * board id, so a proxy can route the socket to the board's node [LEASE7].
 */
export const socketIoQuery = (boardId: string): Record<string, string> => ({ board: boardId });

const randomClientId = () => Math.floor(Math.random() * 0xffff_fff0) + 1;

class Grow {
  values = new Float64Array(64);
  set(i: number, v: number): void {
    if (i >= this.values.length) {
      const grown = new Float64Array(Math.max(i + 1, this.values.length * 2));
      grown.set(this.values);
      this.values = grown;
    }
    this.values[i] = v;
  }
}

class Partner {
  readonly conns = new Map<DocName, RawYjsConnection>();
  socket: Socket | null = null;
  other!: Partner;
  /** Keystrokes sent into my own seat doc; keystroke k's scheduled and actual send times. */
  typed = 0;
  readonly due = new Grow();
  readonly sentAt = new Grow();

  constructor(
    readonly seat: Seat,
    readonly boardId: string,
    readonly cookie: string
  ) {}

  get own(): RawYjsConnection {
    return this.conns.get(this.seat)!;
  }
  /** My connection to my partner's seat doc, where their keystrokes arrive. */
  get theirs(): RawYjsConnection {
    return this.conns.get(this.seat === 'mentor' ? 'mentee' : 'mentor')!;
  }
  /** How many of my partner's keystrokes I have received. */
  get seen(): number {
    return this.theirs.lastKeystroke + 1;
  }

  connect(kind: ServerKind, url: string): Promise<void> {
    const wsBase = url.replace(/^http/, 'ws') + YJS_PATH;
    const headers = { cookie: this.cookie, origin: url };
    const awarenessId = randomClientId();
    const waits = DOC_NAMES.map(
      (name) =>
        new Promise<void>((resolve) => {
          this.conns.set(name, new RawYjsConnection(`${wsBase}/${roomName(this.boardId, name)}`, headers, awarenessId, resolve));
        })
    );
    // BENCH_NO_SOCKETIO=1 (profiling only, tests/bench/heapProfile.ts): the Yjs sockets alone, to
    // split a board's heap between them and the Socket.IO socket.
    if (kind === 'pairboard' && process.env.BENCH_NO_SOCKETIO !== '1') {
      // The Socket.IO socket is a cost the baseline does not have: it is part of what the page opens.
      waits.push(
        new Promise<void>((resolve, reject) => {
          const socket = io(url, {
            path: SOCKET_IO_PATH,
            transports: ['websocket'],
            query: socketIoQuery(this.boardId),
            auth: { boardId: this.boardId, protocol: PROTOCOL_VERSION },
            extraHeaders: headers,
            reconnection: false
          });
          this.socket = socket;
          socket.once('board:snapshot', () => resolve());
          socket.once('connect_error', (error) => reject(error));
        })
      );
    }
    return Promise.all(waits).then(() => {});
  }

  /** Sends my next keystroke, due at `due`, now. */
  sendNext(due: number, now: number): void {
    const k = this.typed++;
    this.due.set(k, due);
    this.sentAt.set(k, now);
    this.own.send(keystrokes.frame(k));
  }

  close(): void {
    for (const c of this.conns.values()) c.close();
    this.socket?.close();
  }

  get connected(): boolean {
    return [...this.conns.values()].every((c) => !c.closed) && (this.socket === null || this.socket.connected);
  }
}

// --- commands ---------------------------------------------------------------------------------

const pairs: Array<[Partner, Partner]> = [];
/** Pairs connected before the heap baseline: they stay, idle, so the baseline has warm code paths. */
const warmPairs: Array<[Partner, Partner]> = [];
let kind: ServerKind = 'pairboard';
let url = '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(command: Extract<Command, { cmd: 'setup' }>) {
  kind = command.kind;
  url = command.url;
  const started = performance.now();
  const batch = 25;
  const made: Array<[Partner, Partner]> = [];
  for (let i = 0; i < command.pairs; i += batch) {
    const some = await Promise.all(
      Array.from({ length: Math.min(batch, command.pairs - i) }, async () => {
        let mentor: Partner, mentee: Partner;
        if (kind === 'pairboard') {
          const a = await createBoard(url, 'Ana', 'mentor');
          const b = await joinBoard(url, a.boardId, 'Ben');
          mentor = new Partner('mentor', a.boardId, a.cookie);
          mentee = new Partner(b.seat, b.boardId, b.cookie);
        } else {
          const boardId = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64url');
          mentor = new Partner('mentor', boardId, '');
          mentee = new Partner('mentee', boardId, '');
        }
        mentor.other = mentee;
        mentee.other = mentor;
        await Promise.all([mentor.connect(kind, url), mentee.connect(kind, url)]);
        return [mentor, mentee] as [Partner, Partner];
      })
    );
    made.push(...some);
  }
  (command.warm ? warmPairs : pairs).push(...made);
  const yjs = made.length * 2 * DOC_NAMES.length;
  return { setupMs: performance.now() - started, yjsSockets: yjs, socketIoSockets: kind === 'pairboard' ? made.length * 2 : 0 };
}

/**
 * Mentors type `ratePerPair` keystrokes/s each, spread evenly over pairs on one schedule; mentees
 * receive. One timer per tick sends every keystroke due by then.
 */
async function run(command: Extract<Command, { cmd: 'run' }>) {
  const n = pairs.length;
  const step = 1000 / (command.ratePerPair * n);
  const start = Math.ceil(performance.now()) + 5;
  const end = start + command.warmupMs + command.durationMs;
  const measureFrom = start + command.warmupMs;
  const typedBefore = pairs.reduce((s, [m]) => s + m.typed, 0);
  const seenBefore = pairs.reduce((s, [, e]) => s + e.seen, 0);
  const fromSchedule: number[] = [];
  const fromSend: number[] = [];
  // Each keystroke that arrives: timed from its schedule (headline) and from its actual send.
  for (const [mentor, mentee] of pairs) {
    mentee.theirs.onKeystroke = (k) => {
      const due = mentor.due.values[k]!;
      if (due < measureFrom || due >= end) return;
      const now = performance.now();
      fromSchedule.push(now - due);
      fromSend.push(now - mentor.sentAt.values[k]!);
    };
  }
  const lateness = new LatenessCounter(LATE_MS);
  const lags: number[] = [];
  const cpu0 = process.cpuUsage();
  const stalls = monitorEventLoopDelay({ resolution: 5 });
  stalls.enable();
  let g = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // The tick this keystroke belongs to is its scheduled time: a grid of TICK_MS steps.
      while (start + g * step < end) {
        const due = start + Math.ceil((g * step) / TICK_MS) * TICK_MS;
        if (due > now) break;
        lateness.note(due, now);
        lags.push(now - due);
        pairs[g % n]![0].sendNext(due, now);
        g++;
      }
      if (start + g * step >= end) return resolve();
      setTimeout(tick, Math.max(0, Math.floor(start + g * step - performance.now())));
    };
    setTimeout(tick, Math.max(0, start - performance.now()));
  });
  const sendEnd = performance.now();
  const sent = pairs.reduce((s, [m]) => s + m.typed, 0) - typedBefore;
  const drainDeadline = performance.now() + command.drainMs;
  while (pairs.some(([m, e]) => e.seen < m.typed) && performance.now() < drainDeadline) await sleep(10);
  for (const [, mentee] of pairs) mentee.theirs.onKeystroke = null;
  const relayed = pairs.reduce((s, [, e]) => s + e.seen, 0) - seenBefore;
  const cpu = process.cpuUsage(cpu0);
  stalls.disable();
  const s = summarize(fromSchedule);
  return {
    ...s,
    p50FromSend: summarize(fromSend).p50,
    sent,
    relayed,
    lost: sent - relayed,
    lateSends: lateness.count,
    maxLateMs: lateness.maxMs,
    medianSendLagMs: summarize(lags).p50,
    achievedPerSec: sent / ((sendEnd - start) / 1000),
    loadCpu: (cpu.user + cpu.system) / 1e3 / (performance.now() - start),
    disconnected: pairs.filter(([m, e]) => !m.connected || !e.connected).length,
    loadMaxStallMs: stalls.max / 1e6
  };
}

/**
 * Both partners type `chars` keystrokes each, as fast as a window of `window` unacknowledged
 * keystrokes per partner allows, so the server is never flooded.
 */
async function typeAll(command: Extract<Command, { cmd: 'type' }>) {
  const started = performance.now();
  const deadline = started + command.timeoutMs;
  const partners = (command.warm ? warmPairs : pairs).flat();
  let done = false;
  await new Promise<void>((resolve) => {
    let scheduled = false;
    const pump = () => {
      scheduled = false;
      if (done) return;
      let pending = false;
      const now = performance.now();
      for (const p of partners) {
        while (p.typed < command.chars && p.typed - p.other.seen < command.window) p.sendNext(now, now);
        if (p.typed < command.chars || p.other.seen < p.typed) pending = true;
      }
      if (!pending || performance.now() > deadline) {
        done = true;
        resolve();
      }
    };
    const onProgress = () => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    };
    for (const p of partners) p.theirs.onKeystroke = onProgress;
    const timer = setInterval(() => (done ? clearInterval(timer) : pump()), 50);
    pump();
  });
  for (const p of partners) p.theirs.onKeystroke = null;
  const typed = partners.reduce((s, p) => s + p.typed, 0);
  const missing = partners.reduce((s, p) => s + (p.typed - p.other.seen), 0);
  return { ms: performance.now() - started, typed, missing, complete: partners.every((p) => p.typed >= command.chars) };
}

/**
 * Nothing lost: every partner's seat doc, read back through a fresh connection (a fresh tab with
 * the same cookie), holds exactly what that partner typed.
 */
async function verify(command: Extract<Command, { cmd: 'verify' }>) {
  let checked = 0;
  let mismatches = 0;
  const deadline = performance.now() + command.timeoutMs;
  const batch = 50;
  const partners = pairs.flat();
  const wsBase = url.replace(/^http/, 'ws') + YJS_PATH;
  for (let i = 0; i < partners.length && performance.now() < deadline; i += batch) {
    await Promise.all(
      partners.slice(i, i + batch).map(async (p) => {
        let conn!: RawYjsConnection;
        const ok = await Promise.race([
          new Promise<boolean>((resolve) => {
            conn = new RawYjsConnection(`${wsBase}/${roomName(p.boardId, p.seat)}`, { cookie: p.cookie, origin: url }, randomClientId(), () => resolve(true));
          }),
          sleep(10_000).then(() => false)
        ]);
        let same = false;
        if (ok && conn.initialState) {
          const doc = new Y.Doc();
          Y.applyUpdate(doc, conn.initialState);
          same = [...expectedAnswers(p.typed)].every(([id, text]) => seatDoc.answer(doc, id).toString() === text);
          doc.destroy();
        }
        checked++;
        if (!same) mismatches++;
        conn.close();
      })
    );
  }
  return { checked, of: partners.length, mismatches };
}

async function disconnect() {
  for (const [m, e] of pairs) {
    m.close();
    e.close();
  }
  const deadline = performance.now() + 10_000;
  while (pairs.some(([m, e]) => [...m.conns.values(), ...e.conns.values()].some((c) => !c.closed)) && performance.now() < deadline) await sleep(20);
  return { closed: true };
}

// The bench that started this process is gone (however it ended): so is its load.
process.on('disconnect', () => process.exit(0));
process.on('message', async (command: Command) => {
  try {
    let result: unknown;
    if (command.cmd === 'setup') result = await setup(command);
    else if (command.cmd === 'run') result = await run(command);
    else if (command.cmd === 'type') result = await typeAll(command);
    else if (command.cmd === 'verify') result = await verify(command);
    else if (command.cmd === 'disconnect') result = await disconnect();
    else {
      process.send!({ ok: true }, () => process.exit(0));
      return;
    }
    process.send!({ ok: true, result });
  } catch (error) {
    process.send!({ ok: false, error: String((error as Error)?.stack ?? error) });
  }
});
process.send!({ ready: true });
