import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { FIRST_SESSION_QUESTIONS, LIMITS, seatChannel, type Seat } from '@pairboard/shared';
import { apiCall, createBoard, joinBoard, socketClassFor, waitFor, type Partner } from '../../../../tests/helpers/clients.ts';
import { startServer, tempDataDir, type TestServer } from '../../../../tests/helpers/server.ts';
import { LiveBoard } from './LiveBoard.svelte.ts';
import { PendingAction } from './PendingAction.svelte.ts';

/**
 * The server's Socket.IO instance, to do what the server does on purpose (a server-side
 * disconnect, a refused handshake) at a moment the test chooses. Everything else is the real server.
 */
type TestIo = {
  in(room: string): { disconnectSockets(close: boolean): void };
  use(middleware: (socket: unknown, next: (error?: Error) => void) => void): void;
};
const realtimes = vi.hoisted(() => [] as Array<{ io: unknown }>);
vi.mock(import('../../../../server/src/realtime/socketServer.ts'), async (importOriginal) => {
  const actual = await importOriginal();
  return {
    ...actual,
    createRealtime: (deps: Parameters<typeof actual.createRealtime>[0]) => {
      const realtime = actual.createRealtime(deps);
      realtimes.push(realtime);
      return realtime;
    }
  };
});
const latestIo = () => realtimes.at(-1)!.io as TestIo;
/** A handshake refusal as the server's own middleware makes it (`connect_error` with data). */
function refusal(code: string, message: string, extra: Record<string, unknown> = {}): Error {
  return Object.assign(new Error(message), { data: { code, message, ...extra } });
}

/**
 * The page's live engine in node, against a real server on port 0 with a temp SQLite file: what
 * only the browser tests reached before. Writes go through the same attachment a <textarea> gets.
 */

/** Just what bindTextarea uses of a <textarea>: value, selection and input events. */
class FakeField {
  value = '';
  selectionStart = 0;
  selectionEnd = 0;
  #listeners = new Map<string, Set<() => void>>();
  addEventListener(type: string, listener: () => void) {
    if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
    this.#listeners.get(type)!.add(listener);
  }
  removeEventListener(type: string, listener: () => void) {
    this.#listeners.get(type)?.delete(listener);
  }
  setSelectionRange(start: number, end: number) {
    this.selectionStart = start;
    this.selectionEnd = end;
  }
  /** Types at the end, as a person would. */
  type(text: string) {
    this.value += text;
    this.setSelectionRange(this.value.length, this.value.length);
    for (const listener of this.#listeners.get('input') ?? []) listener();
  }
}

beforeAll(() => {
  // bindTextarea asks which element has focus when a remote change lands; node has no DOM.
  (globalThis as { document?: unknown }).document ??= { activeElement: null };
});

const open: Array<{ destroy(): void } | TestServer> = [];
afterEach(async () => {
  for (const item of open.splice(0).reverse()) 'stop' in item ? await item.stop() : item.destroy();
});

function boardFor(partner: Partner, you: Seat): LiveBoard {
  const board = new LiveBoard(partner.boardId, you, {
    origin: partner.baseUrl,
    WebSocket: socketClassFor(partner),
    headers: { cookie: partner.cookie, origin: partner.origin },
    maxBackoffMs: 200
  });
  open.push(board);
  return board;
}

async function livePair(server: TestServer) {
  const ana = await createBoard(server.url, 'Ana', 'mentor');
  const ben = await joinBoard(server.url, ana.boardId, 'Ben');
  const anaBoard = boardFor(ana, 'mentor');
  const benBoard = boardFor(ben, 'mentee');
  await waitFor(() => anaBoard.connection === 'live' && benBoard.connection === 'live', 'both boards live');
  return { ana, ben, anaBoard, benBoard };
}

function bind(text: { bind(max: number): (field: HTMLTextAreaElement) => () => void }, max: number = LIMITS.answerMax) {
  const field = new FakeField();
  const unbind = text.bind(max)(field as unknown as HTMLTextAreaElement);
  open.push({ destroy: unbind });
  return field;
}

async function server() {
  const s = await startServer();
  open.push(s);
  return s;
}

const q = FIRST_SESSION_QUESTIONS[0]!.id;

describe('LiveBoard (the page engine)', () => {
  it('[WEB1] an answer typed on one board reaches the partner live, and both count it answered', async () => {
    const { anaBoard, benBoard } = await livePair(await server());
    expect(benBoard.seats.mentor?.name).toBe('Ana');
    bind(anaBoard.answers.of('mentor', q)).type('I love maps');
    bind(benBoard.answers.of('mentee', q)).type('Trains');
    await waitFor(() => benBoard.answers.of('mentor', q).value === 'I love maps', "Ana's answer on Ben's board");
    await waitFor(() => anaBoard.answers.bothAnswered(q), 'answered by both, on Ana’s board');
    expect(benBoard.answers.bothAnswered(q)).toBe(true);
  });

  it('[WEB2] goals: added, written and checked on one board, seen and removed on the other', async () => {
    const { anaBoard, benBoard } = await livePair(await server());
    const id = anaBoard.goals.add();
    const goal = anaBoard.goals.list.find((g) => g.id === id)!;
    bind(goal.text('title'), LIMITS.shortTextMax).type('Give a talk');
    goal.setSmart('specific', true);
    const seen = await waitFor(() => benBoard.goals.list.find((g) => g.id === id && g.text('title').value === 'Give a talk'), 'the goal on Ben’s board');
    expect(seen.createdBy).toBe('mentor');
    await waitFor(() => seen.smart.specific === true, 'the SMART check on Ben’s board');
    // [GUIDE17] Done on one board, done on the other; whose change it was is known on each.
    seen.setDone(true);
    await waitFor(() => goal.doneAt !== null, 'the goal done on Ana’s board');
    expect([seen.doneHere, goal.doneHere]).toEqual([true, false]);
    goal.setDone(false);
    await waitFor(() => seen.doneAt === null, 'the goal open again on Ben’s board');
    expect([seen.doneHere, goal.doneHere]).toEqual([false, true]);
    // [GUIDE11] Removing returns its undo; a goal already gone has none.
    expect(benBoard.goals.remove(id)).toBeTypeOf('function');
    await waitFor(() => anaBoard.goals.list.length === 0, 'the goal gone from Ana’s board');
    expect(anaBoard.goals.remove(id)).toBeNull();
  });

  it('[WEB3] server-decided commands: one send, both boards see the new view', async () => {
    const { anaBoard, benBoard } = await livePair(await server());
    await waitFor(() => benBoard.meetings.current, 'the first session view');
    expect(await anaBoard.send({ type: 'day:propose' })).toEqual({ ok: true });
    await waitFor(() => benBoard.meetings.current?.phase === 'proposed', 'the proposal on Ben’s board');
    expect(await benBoard.send({ type: 'prompts:add', id: 'own-1', text: 'Cats or dogs?' })).toEqual({ ok: true });
    await waitFor(() => anaBoard.ownPrompts.list.some((p) => p.text === 'Cats or dogs?'), 'the own prompt on Ana’s board');
    expect(await anaBoard.send({ type: 'game:propose', gameId: 'connect-four' })).toEqual({ ok: true });
    await waitFor(() => benBoard.games.current?.phase === 'proposed', 'the game proposal on Ben’s board');
  });

  it('[EXP2][SUM4] reveal together: hidden answers are in neither export nor counted; revealed, both exports carry both and both count them', async () => {
    const { anaBoard, benBoard } = await livePair(await server());
    await waitFor(() => anaBoard.meetings.current && benBoard.meetings.current, 'the first session views');
    const { exportMarkdown } = await import('@pairboard/shared/exportMarkdown');
    const exported = async (board: LiveBoard) => exportMarkdown(await board.collectExport());
    for (const [board, command] of [
      [anaBoard, { type: 'reveal:switch', promptId: q }],
      [anaBoard, { type: 'reveal:draft', promptId: q, text: 'Ana *hidden* words' }],
      [benBoard, { type: 'reveal:draft', promptId: q, text: 'Ben hidden words' }],
      [anaBoard, { type: 'reveal:ready', promptId: q }]
    ] as const)
      expect(await board.send(command), command.type).toEqual({ ok: true });
    await waitFor(() => benBoard.reveal.of(q)?.partner.status === 'ready', 'Ana ready, on Ben’s board');
    for (const board of [anaBoard, benBoard]) {
      expect(await exported(board), board.you).not.toContain('hidden');
      expect(board.answers.bothAnswered(q), board.you).toBe(false);
      expect((await board.meetings.countForVibe())?.promptsAnswered, board.you).toBe(0);
    }

    expect(await benBoard.send({ type: 'reveal:ready', promptId: q })).toEqual({ ok: true });
    await waitFor(() => [anaBoard, benBoard].every((board) => board.reveal.of(q)?.partner.text), 'revealed on both boards');
    for (const board of [anaBoard, benBoard]) {
      const md = await exported(board);
      expect(md, board.you).toContain('**Ana** (mentor):\n\n> Ana \\*hidden\\* words');
      expect(md, board.you).toContain('**Ben** (mentee):\n\n> Ben hidden words');
      expect(board.answers.bothAnswered(q), board.you).toBe(true);
      expect((await board.meetings.countForVibe())?.promptsAnswered, board.you).toBe(1);
    }
  });

  it('[WEB4] refusals come back as values, and PendingAction shows their sentence', async () => {
    const { anaBoard } = await livePair(await server());
    const refused = await anaBoard.send({ type: 'veto:cast', voteId: 1, ballot: 'veto' });
    expect(refused).toMatchObject({ ok: false, code: 'WrongPhase' });
    const action = new PendingAction(() => anaBoard);
    expect(await action.run({ type: 'veto:cancel', voteId: 9 })).toBe(false);
    expect(action.error).not.toBe('');
    expect(action.busy).toBe(false);
    expect(await action.run({ type: 'veto:call' })).toBe(true);
    expect(action.error).toBe('');
  });

  it('[WEB4] a browser without a seat is refused; a deleted board ends both boards', async () => {
    const s = await server();
    const { ana, anaBoard, benBoard } = await livePair(s);
    const stranger = boardFor({ ...ana, cookie: '' }, 'mentor');
    await waitFor(() => stranger.ended === 'refused', 'the stranger refused');
    expect(stranger.endMessage).not.toBe('');
    const deleted = await apiCall(s.url, 'DELETE', `/api/boards/${ana.boardId}`, undefined, ana.cookie);
    expect(deleted.status).toBeLessThan(300);
    await waitFor(() => anaBoard.ended === 'deleted' && benBoard.ended === 'deleted', 'both boards ended');
  });

  it('[WEB5] offline typing is kept and converges when the server comes back', async () => {
    const dataDir = tempDataDir();
    const first = await startServer({ dataDir });
    const { ana, ben } = await (async () => {
      const a = await createBoard(first.url, 'Ana', 'mentor');
      return { ana: a, ben: await joinBoard(first.url, a.boardId, 'Ben') };
    })();
    const anaBoard = boardFor(ana, 'mentor');
    const benBoard = boardFor(ben, 'mentee');
    await waitFor(() => anaBoard.connection === 'live' && benBoard.connection === 'live', 'both live');
    const field = bind(anaBoard.answers.of('mentor', q));
    field.type('before ');
    await waitFor(() => benBoard.answers.of('mentor', q).value === 'before ', 'first words through');

    await first.stop();
    await waitFor(() => anaBoard.connection === 'offline', 'Ana offline');
    field.type('and while offline');
    const second = await startServer({ dataDir, port: first.port });
    open.push(second);
    await waitFor(() => anaBoard.connection === 'live' && benBoard.connection === 'live', 'both live again', 15_000);
    await waitFor(() => benBoard.answers.of('mentor', q).value === 'before and while offline', 'offline words converged', 15_000);
  });

  it('[RECON1] a board the server disconnects on purpose shows "reconnecting" and comes back live by itself', async () => {
    const s = await server();
    const io = latestIo();
    const { ana, anaBoard, benBoard } = await livePair(s);
    // What the server does to kick a socket (Socket.IO reason "io server disconnect"): the client
    // library never reconnects after it on its own.
    io.in(ana.boardId).disconnectSockets(true);
    await waitFor(() => anaBoard.connection === 'offline' && anaBoard.reconnecting, 'Ana reconnecting');
    await waitFor(() => anaBoard.connection === 'live' && benBoard.connection === 'live', 'both live again');
    expect(anaBoard.reconnecting).toBe(false);
    expect(await anaBoard.send({ type: 'day:propose' })).toEqual({ ok: true });
    await waitFor(() => benBoard.meetings.current?.phase === 'proposed', 'the proposal on Ben’s board after the reconnect');
  });

  it('[RECON2] a server that keeps refusing a transient handshake is asked ever less often, within the ceiling, then the board is back', async () => {
    const s = await server();
    const io = latestIo();
    const { ana, anaBoard } = await livePair(s);
    const attempts: number[] = [];
    let refuseNext = 6;
    io.use((_socket, next) => {
      attempts.push(performance.now());
      // A board being handed over says "come back in 0 ms"; the page must still back off.
      next(refuseNext-- > 0 ? refusal('BoardMoved', 'Another server is serving this board now; reconnecting.', { retryAfterMs: 0 }) : undefined);
    });
    io.in(seatChannel(ana.boardId, 'mentor')).disconnectSockets(true);
    await waitFor(() => anaBoard.connection === 'live' && attempts.length === 7, 'live after six refusals', 15_000);
    const gaps = attempts.slice(1).map((at, i) => at - attempts[i]!);
    // maxBackoffMs 200 in these tests: steps 50, 100, 200, 200… each waited between half and all of it.
    const floors = [25, 50, 100, 100, 100, 100];
    gaps.forEach((gap, i) => expect(gap, `gap ${i} of ${gaps.map(Math.round).join(', ')} ms`).toBeGreaterThanOrEqual(floors[i]! - 5));
    // The ceiling holds (a loaded machine's handshake time on top of it).
    for (const gap of gaps) expect(gap).toBeLessThan(200 + 500);
  });

  it('[RECON3] a seat the server no longer admits stops reconnecting and says why', async () => {
    const s = await server();
    const io = latestIo();
    const { ana, anaBoard, benBoard } = await livePair(s);
    let handshakes = 0;
    io.use((_socket, next) => {
      handshakes++;
      next(refusal('NotSeated', 'This browser has no seat on this board any more.'));
    });
    io.in(ana.boardId).disconnectSockets(true);
    await waitFor(() => anaBoard.ended === 'refused' && benBoard.ended === 'refused', 'both boards refused');
    expect(anaBoard.endMessage).toBe('This browser has no seat on this board any more.');
    expect(anaBoard.reconnecting).toBe(false);
    const seen = handshakes;
    // Proving an absence needs a wait: several backoff ceilings (200 ms here) without a new handshake.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(handshakes).toBe(seen);
  });
});
