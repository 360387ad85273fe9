/**
 * The load process: thousands of seated partners connected exactly as the board page connects
 * (3 y-websocket documents + 1 Socket.IO socket per seat, cookie + Origin headers), driven by the
 * bench over IPC. It both sends an edit and sees the partner receive it, so every latency is
 * measured on this process's one `performance.now()` clock.
 */
import * as Y from 'yjs';
import { io, type Socket } from 'socket.io-client';
import { DOC_NAMES, PROTOCOL_VERSION, roomName, SOCKET_IO_PATH, YJS_PATH, seatDoc, type DocName, type Seat } from '@pairboard/shared';
import { FIRST_SESSION_QUESTIONS } from '@pairboard/shared';
import { createBoard, joinBoard } from '../helpers/clients.ts';
import { YjsConnection } from './yjsClient.ts';

export type ServerKind = 'pairboard' | 'baseline';
export type Command =
  | { cmd: 'setup'; kind: ServerKind; url: string; pairs: number }
  | { cmd: 'run'; ratePerPair: number; durationMs: number; warmupMs: number; drainMs: number; light?: boolean }
  | { cmd: 'type'; chars: number; window: number; timeoutMs: number }
  | { cmd: 'verify'; fresh: boolean; timeoutMs: number }
  | { cmd: 'disconnect' }
  | { cmd: 'exit' };

const QUESTION_IDS = FIRST_SESSION_QUESTIONS.map((q) => q.id);
const CHARS_PER_ANSWER = 500;

/** The k-th keystroke (0-based) of a partner goes to this answer and types this character. */
const questionOf = (k: number) => QUESTION_IDS[Math.floor(k / CHARS_PER_ANSWER) % QUESTION_IDS.length]!;
const charOf = (k: number) => String.fromCharCode(97 + (k % 26));

export function expectedAnswers(typed: number): Map<string, string> {
  const texts = new Map(QUESTION_IDS.map((id) => [id, '']));
  for (let k = 0; k < typed; k++) texts.set(questionOf(k), texts.get(questionOf(k))! + charOf(k));
  return texts;
}

class Partner {
  readonly docs: Record<DocName, Y.Doc> = { mentor: new Y.Doc(), mentee: new Y.Doc(), shared: new Y.Doc() };
  readonly conns: YjsConnection[] = [];
  socket: Socket | null = null;
  /** Keystrokes typed into my own seat doc, with the time each was sent (index = count after it). */
  typed = 0;
  sendTimes = new Float64Array(64);
  /** How many of the partner's keystrokes my copy of their seat doc holds. */
  seen = 0;
  other!: Partner;
  private readonly theirTexts: Y.Text[];

  constructor(
    readonly seat: Seat,
    readonly boardId: string,
    readonly cookie: string
  ) {
    const theirs = this.docs[seat === 'mentor' ? 'mentee' : 'mentor'];
    this.theirTexts = QUESTION_IDS.map((id) => seatDoc.answer(theirs, id));
    theirs.on('update', () => this.onPartnerText());
  }

  connect(kind: ServerKind, url: string): Promise<void> {
    const wsBase = url.replace(/^http/, 'ws') + YJS_PATH;
    const headers = { cookie: this.cookie, origin: url };
    const waits = DOC_NAMES.map(
      (name) =>
        new Promise<void>((resolve) => {
          this.conns.push(new YjsConnection(`${wsBase}/${roomName(this.boardId, name)}`, this.docs[name], headers, resolve));
        })
    );
    if (kind === 'pairboard') {
      waits.push(
        new Promise<void>((resolve, reject) => {
          const socket = io(url, {
            path: SOCKET_IO_PATH,
            transports: ['websocket'],
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

  /** One keystroke at the end of the current answer; the provider sends it inside insert(). */
  type(): void {
    const k = this.typed;
    if (k + 1 >= this.sendTimes.length) {
      const grown = new Float64Array(this.sendTimes.length * 2);
      grown.set(this.sendTimes);
      this.sendTimes = grown;
    }
    const text = seatDoc.answer(this.docs[this.seat], questionOf(k));
    this.typed = k + 1;
    this.sendTimes[k + 1] = performance.now();
    text.insert(text.length, charOf(k));
  }

  /** Capacity mode: my keystrokes typed ahead (held), and the partner's frames counted on arrival. */
  conn(doc: DocName): YjsConnection {
    return this.conns[DOC_NAMES.indexOf(doc)]!;
  }
  lightSent = 0;
  lightSeen = 0;

  prepare(count: number): void {
    const own = this.conn(this.seat);
    own.hold = true;
    for (let i = 0; i < count; i++) this.type();
    this.typed -= count;
  }

  sendPrepared(): void {
    const k = ++this.typed;
    if (k >= this.sendTimes.length) this.growTimes();
    this.sendTimes[k] = performance.now();
    this.conn(this.seat).sendHeld();
  }

  private growTimes(): void {
    const grown = new Float64Array(this.sendTimes.length * 2);
    grown.set(this.sendTimes);
    this.sendTimes = grown;
  }

  /** Every relayed update is its own frame, in order: the k-th frame carries keystroke k. */
  countFrames(on: boolean): void {
    const theirs = this.conn(this.seat === 'mentor' ? 'mentee' : 'mentor');
    theirs.defer = on;
    this.lightSeen = this.seen;
    theirs.onDeferred = on
      ? () => {
          const k = ++this.lightSeen;
          recordLatency(this.other.sendTimes[k]!, performance.now());
        }
      : null;
    if (!on) theirs.applyDeferred();
  }

  private onPartnerText(): void {
    let total = 0;
    for (const t of this.theirTexts) total += t.length;
    if (total <= this.seen) return;
    const now = performance.now();
    const sender = this.other;
    for (let k = this.seen + 1; k <= total; k++) recordLatency(sender.sendTimes[k]!, now);
    this.seen = total;
    onProgress?.();
  }

  close(): void {
    for (const c of this.conns) c.close();
    this.socket?.close();
  }

  get connected(): boolean {
    return this.conns.every((c) => !c.closed) && (this.socket === null || this.socket.connected);
  }
}

// --- latency samples --------------------------------------------------------------------------

let samples = new Float64Array(1 << 16);
let sampleCount = 0;
let measureFrom = Infinity;
let onProgress: (() => void) | null = null;

function recordLatency(sentAt: number, receivedAt: number): void {
  if (sentAt < measureFrom) return;
  if (sampleCount === samples.length) {
    const grown = new Float64Array(samples.length * 2);
    grown.set(samples);
    samples = grown;
  }
  samples[sampleCount++] = receivedAt - sentAt;
}

function summary(values: Float64Array) {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]! : NaN);
  return { count: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.length ? sorted[sorted.length - 1]! : NaN };
}

// --- commands ---------------------------------------------------------------------------------

let pairs: Array<[Partner, Partner]> = [];
let kind: ServerKind = 'pairboard';
let url = '';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setup(command: Extract<Command, { cmd: 'setup' }>) {
  kind = command.kind;
  url = command.url;
  const started = performance.now();
  const batch = 25;
  for (let i = 0; i < command.pairs; i += batch) {
    const made = await Promise.all(
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
    pairs.push(...made);
  }
  const yjs = pairs.length * 2 * DOC_NAMES.length;
  return { setupMs: performance.now() - started, yjsSockets: yjs, socketIoSockets: kind === 'pairboard' ? pairs.length * 2 : 0 };
}

/** Mentors type at `ratePerPair` keystrokes/s, evenly spread over pairs; mentees receive. */
async function run(command: Extract<Command, { cmd: 'run' }>) {
  const n = pairs.length;
  const step = 1000 / (command.ratePerPair * n);
  const start = performance.now();
  const end = start + command.warmupMs + command.durationMs;
  const typedBefore = pairs.reduce((s, [m]) => s + m.typed, 0);
  sampleCount = 0;
  measureFrom = start + command.warmupMs;
  const planned = Math.ceil((command.warmupMs + command.durationMs) / step) + n;
  if (command.light) {
    // Type ahead, outside the timed window; the sending editors stop only when their hold is off.
    for (let i = 0; i < n; i++) pairs[i]![0].prepare(Math.ceil(planned / n) + 1);
    for (const [, mentee] of pairs) mentee.countFrames(true);
  }
  const edit = command.light ? (p: Partner) => p.sendPrepared() : (p: Partner) => p.type();
  const cpu0 = process.cpuUsage();
  let g = 0;
  let late = 0;
  let maxLag = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      if (now >= end) return resolve();
      // Every keystroke that is due; a client that falls behind catches up but says so.
      while (start + g * step <= now) {
        const due = start + g * step;
        if (now - due > 5) late++;
        maxLag = Math.max(maxLag, now - due);
        edit(pairs[g % n]![0]);
        g++;
      }
      setTimeout(tick, 1);
    };
    tick();
  });
  const sendEnd = performance.now();
  const sent = pairs.reduce((s, [m]) => s + m.typed, 0) - typedBefore;
  if (command.light) {
    measureFrom = Infinity;
    // Typed ahead but not due before the end: send now, unmeasured, so nothing stays behind.
    for (const [m] of pairs) {
      while (m.conn(m.seat).sendHeld()) m.typed++;
      m.conn(m.seat).hold = false;
    }
    const until = performance.now() + command.drainMs;
    while (pairs.some(([m, e]) => e.lightSeen < m.typed) && performance.now() < until) await sleep(20);
    for (const [, mentee] of pairs) mentee.countFrames(false);
  }
  // Drain: wait (bounded) until every mentee holds everything its mentor typed.
  const drainDeadline = performance.now() + command.drainMs;
  while (pairs.some(([m, e]) => e.seen < m.typed) && performance.now() < drainDeadline) await sleep(20);
  const lost = pairs.reduce((s, [m, e]) => s + (m.typed - e.seen), 0);
  const cpu = process.cpuUsage(cpu0);
  const measured = samples.subarray(0, sampleCount);
  measureFrom = Infinity;
  return {
    ...summary(measured),
    sent,
    lost,
    lateSends: late,
    maxSendLagMs: maxLag,
    achievedPerSec: sent / ((sendEnd - start) / 1000),
    clientCpu: (cpu.user + cpu.system) / 1e3 / (performance.now() - start),
    disconnected: pairs.filter(([m, e]) => !m.connected || !e.connected).length
  };
}

/**
 * Both partners type every answer in full (6 × `chars`/6 keystrokes each) as fast as the pair's
 * window allows: at most `window` keystrokes on the wire, so the server is never flooded.
 */
async function typeAll(command: Extract<Command, { cmd: 'type' }>) {
  const started = performance.now();
  const deadline = started + command.timeoutMs;
  const partners = pairs.flat();
  let done = false;
  await new Promise<void>((resolve) => {
    let scheduled = false;
    const pump = () => {
      scheduled = false;
      if (done) return;
      let pending = false;
      for (const p of partners) {
        while (p.typed < command.chars && p.typed - p.other.seen < command.window) p.type();
        if (p.typed < command.chars || p.other.seen < p.typed) pending = true;
      }
      if (!pending || performance.now() > deadline) {
        done = true;
        onProgress = null;
        resolve();
      }
    };
    onProgress = () => {
      if (!scheduled) {
        scheduled = true;
        setImmediate(pump);
      }
    };
    // A safety net so the pump also runs if no progress event comes (and so the deadline holds).
    const timer = setInterval(() => (done ? clearInterval(timer) : pump()), 50);
    pump();
  });
  const typed = partners.reduce((s, p) => s + p.typed, 0);
  const missing = partners.reduce((s, p) => s + (p.typed - p.other.seen), 0);
  return { ms: performance.now() - started, typed, missing, complete: partners.every((p) => p.typed >= command.chars) };
}

/**
 * Nothing lost: every partner's seat doc, read back through a fresh connection (a fresh browser
 * tab with the same cookie), equals exactly what that partner typed.
 */
async function verify(command: Extract<Command, { cmd: 'verify' }>) {
  let checked = 0;
  let mismatches = 0;
  const deadline = performance.now() + command.timeoutMs;
  const batch = 50;
  const partners = pairs.flat();
  for (let i = 0; i < partners.length && performance.now() < deadline; i += batch) {
    await Promise.all(
      partners.slice(i, i + batch).map(async (p) => {
        const doc = new Y.Doc();
        const wsBase = url.replace(/^http/, 'ws') + YJS_PATH;
        let conn!: YjsConnection;
        const ok = await Promise.race([
          new Promise<boolean>((resolve) => {
            conn = new YjsConnection(`${wsBase}/${roomName(p.boardId, p.seat)}`, doc, { cookie: p.cookie, origin: url }, () => resolve(true));
          }),
          sleep(10_000).then(() => false)
        ]);
        const expected = expectedAnswers(p.typed);
        const same = ok && [...expected].every(([id, text]) => seatDoc.answer(doc, id).toString() === text);
        checked++;
        if (!same) mismatches++;
        conn.close();
        doc.destroy();
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
  while (pairs.some(([m, e]) => m.conns.some((c) => !c.closed) || e.conns.some((c) => !c.closed)) && performance.now() < deadline) await sleep(20);
  return { closed: true };
}

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
