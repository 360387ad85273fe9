import { describe, expect, it } from 'vitest';
import { otherSeat, SEATS, type Seat } from '../seats.ts';
import type { ErrorCode } from '../errors.ts';
import type { ConnectFourState } from './connectFour.ts';
import {
  applyGameRoomAction,
  answererOf,
  EMPTY_GAME_ROOM,
  GAME_OP_IDS_KEPT,
  GAME_RESULTS_KEPT,
  gameRoomActionSchema,
  gameRoomClientActionSchema,
  roomView,
  type GameRoomAction,
  type GameRoomState
} from './gameRoom.ts';
import { deepFreeze, NOW, viaJson } from './gameTestKit.ts';
import { mulberry32, randomInt } from './random.ts';
import { GAME_CATALOGUE } from './catalogue.ts';
import { GAME_IDS, gameIdSchema, gameRules, GAMES, type GameId } from './registry.ts';
import type { TwoTruthsState } from './twoTruths.ts';

let op = 0;
const nextOp = () => `op-${++op}`;

type ActionBody = GameRoomAction extends infer A ? (A extends { opId: string } ? Omit<A, 'opId'> : never) : never;

function act(state: GameRoomState, body: ActionBody, actor: Seat, opId = nextOp()): GameRoomState {
  const r = applyGameRoomAction(deepFreeze(state), { ...body, opId } as GameRoomAction, actor, NOW);
  if (!r.ok) throw new Error(`${body.type} by ${actor}: ${r.code} ${r.message}`);
  return r.state;
}

function expectRefused(state: GameRoomState, body: ActionBody, actor: Seat, code: ErrorCode): void {
  const before = structuredClone(state);
  const r = applyGameRoomAction(deepFreeze(state), { ...body, opId: nextOp() } as GameRoomAction, actor, NOW);
  expect(r, `${body.type} by ${actor}`).toMatchObject({ ok: false, code });
  expect(state).toEqual(before);
}

function playing(gameId: GameId, by: Seat = 'mentor', options?: unknown, seed = 3): GameRoomState {
  const proposed = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId, options }, by);
  return act(proposed, { type: 'game:accept', seed }, otherSeat(by));
}

const move = (m: unknown): ActionBody => ({ type: 'game:move', move: m });

/** Mentor (the proposer, so the starter) wins Connect Four along the bottom row. */
function c4Won(): GameRoomState {
  let s = playing('connect-four');
  for (const [seat, column] of [
    ['mentor', 0],
    ['mentee', 0],
    ['mentor', 1],
    ['mentee', 1],
    ['mentor', 2],
    ['mentee', 2],
    ['mentor', 3]
  ] as const)
    s = act(s, move({ type: 'drop', column }), seat);
  return s;
}

describe('game registry', () => {
  it('[GAME10] offers the three games by id, each module agreeing with its key', () => {
    expect(GAME_IDS).toEqual(['two-truths', 'this-or-that', 'connect-four']);
    for (const id of GAME_IDS) {
      expect(GAMES[id].id).toBe(id);
      expect(GAMES[id].title.length).toBeGreaterThan(0);
      expect(GAMES[id].blurb).toMatch(/^[A-Z].{20,140}\.$/);
    }
    expect(GAME_CATALOGUE.map((g) => g.id)).toEqual(GAME_IDS);
    expect(gameIdSchema.safeParse('connect-four').success).toBe(true);
    expect(gameIdSchema.safeParse('chess').success).toBe(false);
  });
});

describe('game room', () => {
  it('[GAME1] starts idle with nothing on the board', () => {
    expect(EMPTY_GAME_ROOM).toEqual({ phase: 'idle', results: [], opIds: [] });
    expect(roomView(EMPTY_GAME_ROOM, 'mentor')).toEqual({ phase: 'idle', proposal: null, game: null, results: [] });
  });

  it('[GAME2] either seat proposes when idle; options are validated and filled in', () => {
    for (const seat of SEATS) {
      const s = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'two-truths', options: { rounds: 2 } }, seat);
      expect(s.phase).toBe('proposed');
      expect(s.proposal).toEqual({ gameId: 'two-truths', by: seat, options: { rounds: 2, theme: 'wildcard' }, at: NOW });
      expect(answererOf(s)).toBe(otherSeat(seat));
      expect(roomView(s, seat).proposal).toMatchObject({ title: 'Two Truths and a Lie', yours: true });
      expect(roomView(s, otherSeat(seat)).proposal).toMatchObject({ yours: false });
    }
    const tot = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'this-or-that' }, 'mentee');
    expect(tot.proposal?.options).toMatchObject({ rounds: 10, custom: [] });
    const c4 = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'connect-four', options: { anything: 1 } }, 'mentee');
    expect(c4.proposal?.options).toBeUndefined();
  });

  it('[GAME2] invalid options are refused with BadRequest; no proposal over a proposal or a game', () => {
    expectRefused(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'two-truths', options: { rounds: 99 } }, 'mentor', 'BadRequest');
    expectRefused(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'this-or-that', options: { custom: [{ a: '', b: 'x' }] } }, 'mentor', 'BadRequest');
    expectRefused(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'this-or-that', options: 'ten' }, 'mentor', 'BadRequest');
    const proposed = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'connect-four' }, 'mentor');
    for (const seat of SEATS) expectRefused(proposed, { type: 'game:propose', gameId: 'two-truths' }, seat, 'WrongPhase');
    const inPlay = playing('connect-four');
    for (const seat of SEATS) expectRefused(inPlay, { type: 'game:propose', gameId: 'two-truths' }, seat, 'WrongPhase');
  });

  it('[GAME3] only the other seat accepts or declines; only the proposer withdraws', () => {
    const s = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'connect-four' }, 'mentor');
    expectRefused(s, { type: 'game:accept', seed: 1 }, 'mentor', 'Forbidden');
    expectRefused(s, { type: 'game:decline' }, 'mentor', 'Forbidden');
    expectRefused(s, { type: 'game:withdraw' }, 'mentee', 'Forbidden');
    expect(act(s, { type: 'game:decline' }, 'mentee')).toMatchObject({ phase: 'idle', results: [] });
    expect(act(s, { type: 'game:decline' }, 'mentee')).not.toHaveProperty('proposal');
    expect(act(s, { type: 'game:withdraw' }, 'mentor')).not.toHaveProperty('proposal');
    for (const seat of SEATS) {
      for (const type of ['game:decline', 'game:withdraw'] as const) expectRefused(EMPTY_GAME_ROOM, { type }, seat, 'WrongPhase');
      expectRefused(EMPTY_GAME_ROOM, { type: 'game:accept', seed: 1 }, seat, 'WrongPhase');
    }
  });

  it('[GAME4] accepting starts the game with the given seed, the proposer starting', () => {
    const s = playing('this-or-that', 'mentee', { rounds: 5 }, 42);
    expect(s.phase).toBe('playing');
    expect(s).not.toHaveProperty('proposal');
    expect(s.game).toMatchObject({ gameId: 'this-or-that', startedAt: NOW });
    expect(s.game?.state).toEqual(GAMES['this-or-that'].init({ seed: 42, starter: 'mentee', options: { rounds: 5 }, now: NOW }));
    const c4 = playing('connect-four', 'mentee');
    expect((c4.game?.state as ConnectFourState).turn).toBe('mentee');
    // accepting twice (another opId) is refused
    expectRefused(c4, { type: 'game:accept', seed: 2 }, 'mentor', 'WrongPhase');
  });

  it('[GAME4] a client cannot choose the seed: the client schema strips it, the reducer schema needs it', () => {
    const fromClient = gameRoomClientActionSchema.parse({ type: 'game:accept', opId: 'x', seed: 123 });
    expect(fromClient).toEqual({ type: 'game:accept', opId: 'x' });
    expect(gameRoomActionSchema.safeParse(fromClient).success).toBe(false);
    expect(gameRoomActionSchema.safeParse({ ...fromClient, seed: 123 }).success).toBe(true);
    expect(gameRoomActionSchema.safeParse({ ...fromClient, seed: -1 }).success).toBe(false);
  });

  it('[GAME5] malformed actions fail the schema', () => {
    for (const bad of [
      { type: 'game:propose', opId: 'a', gameId: 'chess' },
      { type: 'game:propose', gameId: 'connect-four' },
      { type: 'game:move', opId: '', move: {} },
      { type: 'game:move', opId: 'x'.repeat(65), move: {} },
      { type: 'game:start', opId: 'a' },
      { opId: 'a' },
      null
    ])
      expect(gameRoomClientActionSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
  });

  it('[GAME5] moves are checked by the game\u2019s schema, then its rules; refusals change nothing', () => {
    const s = playing('connect-four', 'mentor');
    expectRefused(s, move({ type: 'drop', column: 9 }), 'mentor', 'BadRequest');
    expectRefused(s, move({ type: 'pick', choice: 'a' }), 'mentor', 'BadRequest');
    expectRefused(s, move(undefined), 'mentor', 'BadRequest');
    expectRefused(s, move({ type: 'drop', column: 0 }), 'mentee', 'NotYourTurn');
    expectRefused(EMPTY_GAME_ROOM, move({ type: 'drop', column: 0 }), 'mentor', 'WrongPhase');
    const proposed = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'connect-four' }, 'mentor');
    expectRefused(proposed, move({ type: 'drop', column: 0 }), 'mentor', 'WrongPhase');
    const moved = act(s, move({ type: 'drop', column: 0 }), 'mentor');
    expect((moved.game?.state as ConnectFourState).board[5]![0]).toBe('mentor');
  });

  it('[GAME6] a finished game logs its line and stays on view, idle, until closed', () => {
    const almost = (() => {
      let s = playing('connect-four');
      for (const [seat, column] of [
        ['mentor', 0],
        ['mentee', 0],
        ['mentor', 1],
        ['mentee', 1],
        ['mentor', 2],
        ['mentee', 2]
      ] as const)
        s = act(s, move({ type: 'drop', column }), seat);
      return s;
    })();
    const r = applyGameRoomAction(almost, { type: 'game:move', opId: 'win', move: { type: 'drop', column: 3 } }, 'mentor', NOW + 5);
    if (!r.ok) throw new Error(r.message);
    const line = 'Connect Four: Mentor won round 1 (Mentor 1 · Mentee 0)';
    expect(r.logged).toEqual({ gameId: 'connect-four', line, at: NOW + 5 });
    expect(r.state.phase).toBe('idle');
    expect(r.state.results).toEqual([{ gameId: 'connect-four', line, at: NOW + 5 }]);
    for (const seat of SEATS) {
      const v = roomView(r.state, seat);
      expect(v.game).toMatchObject({ gameId: 'connect-four', over: true });
      expect(v.results).toHaveLength(1);
    }
    expectRefused(r.state, move({ type: 'drop', column: 4 }), 'mentee', 'AlreadyDone');
    expectRefused(r.state, { type: 'game:abandon' }, 'mentee', 'WrongPhase');
    const closed = act(r.state, { type: 'game:close' }, 'mentee');
    expect(closed).not.toHaveProperty('game');
    expect(closed.results).toHaveLength(1);
    expectRefused(closed, { type: 'game:close' }, 'mentor', 'WrongPhase');
    expectRefused(playing('connect-four'), { type: 'game:close' }, 'mentor', 'WrongPhase');
  });

  it('[GAME6] proposing the next game clears the finished one', () => {
    const s = act(c4Won(), { type: 'game:propose', gameId: 'two-truths' }, 'mentee');
    expect(s.phase).toBe('proposed');
    expect(s).not.toHaveProperty('game');
    expect(s.results).toHaveLength(1);
  });

  it('[GAME6][C4-6] a rematch on a finished game plays on, and each round is logged', () => {
    const won = c4Won();
    const again = act(won, move({ type: 'rematch' }), 'mentee');
    expect(again.phase).toBe('playing');
    expect((again.game?.state as ConnectFourState).turn).toBe('mentee');
    expectRefused(again, move({ type: 'rematch' }), 'mentor', 'WrongPhase');
    let s = again;
    for (const [seat, column] of [
      ['mentee', 6],
      ['mentor', 0],
      ['mentee', 6],
      ['mentor', 0],
      ['mentee', 6],
      ['mentor', 0],
      ['mentee', 6]
    ] as const)
      s = act(s, move({ type: 'drop', column }), seat);
    expect(s.phase).toBe('idle');
    expect(s.results.map((r) => r.line)).toEqual([
      'Connect Four: Mentor won round 1 (Mentor 1 · Mentee 0)',
      'Connect Four: Mentee won round 2 (Mentor 1 · Mentee 1)'
    ]);
  });

  it('[GAME6] only the last 50 results are kept', () => {
    let s: GameRoomState = EMPTY_GAME_ROOM;
    for (let i = 0; i < GAME_RESULTS_KEPT + 5; i++) {
      s = act(s, { type: 'game:propose', gameId: 'connect-four' }, 'mentor');
      s = act(s, { type: 'game:accept', seed: i }, 'mentee');
      s = act(s, { type: 'game:abandon' }, 'mentee');
    }
    expect(s.results).toHaveLength(GAME_RESULTS_KEPT);
  });

  it('[GAME7] either seat abandons a game in play; it is recorded as abandoned', () => {
    for (const seat of SEATS) {
      const s = playing('two-truths');
      const r = applyGameRoomAction(s, { type: 'game:abandon', opId: 'ab' }, seat, NOW + 1);
      expect(r).toMatchObject({ ok: true, logged: { gameId: 'two-truths', line: 'Two Truths and a Lie: abandoned', at: NOW + 1 } });
      if (!r.ok) continue;
      expect(r.state.phase).toBe('idle');
      expect(r.state).not.toHaveProperty('game');
      expect(r.state.results.map((x) => x.line)).toEqual(['Two Truths and a Lie: abandoned']);
    }
    expectRefused(EMPTY_GAME_ROOM, { type: 'game:abandon' }, 'mentor', 'WrongPhase');
    expectRefused(act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'connect-four' }, 'mentor'), { type: 'game:abandon' }, 'mentee', 'WrongPhase');
  });

  it('[GAME8] re-applying an opId is an ok no-op; the same opId from the other seat is its own action', () => {
    const s = act(EMPTY_GAME_ROOM, { type: 'game:propose', gameId: 'connect-four' }, 'mentor', 'same');
    const again = applyGameRoomAction(s, { type: 'game:propose', opId: 'same', gameId: 'two-truths' }, 'mentor', NOW);
    expect(again).toEqual({ ok: true, state: s, duplicate: true, logged: null });
    if (again.ok) expect(again.state).toBe(s);
    const accepted = applyGameRoomAction(s, { type: 'game:accept', opId: 'same', seed: 1 }, 'mentee', NOW);
    expect(accepted).toMatchObject({ ok: true, duplicate: false });
    // a retried move is not played twice
    const p = playing('connect-four');
    const once = act(p, move({ type: 'drop', column: 0 }), 'mentor', 'm1');
    const twice = applyGameRoomAction(once, { type: 'game:move', opId: 'm1', move: { type: 'drop', column: 0 } }, 'mentor', NOW);
    expect(twice.ok && twice.state).toBe(once);
  });

  it('[GAME8] a refused action is not remembered, so its retry is judged again', () => {
    const s = playing('connect-four', 'mentor');
    const r = applyGameRoomAction(s, { type: 'game:move', opId: 'early', move: { type: 'drop', column: 0 } }, 'mentee', NOW);
    expect(r.ok).toBe(false);
    const s2 = act(s, move({ type: 'drop', column: 1 }), 'mentor');
    expect(applyGameRoomAction(s2, { type: 'game:move', opId: 'early', move: { type: 'drop', column: 0 } }, 'mentee', NOW)).toMatchObject({
      ok: true,
      duplicate: false
    });
  });

  it('[GAME8] only the last 64 opIds are kept', () => {
    let t: GameRoomState = EMPTY_GAME_ROOM;
    for (let i = 0; i < 100; i++) {
      t = act(t, { type: 'game:propose', gameId: 'connect-four' }, 'mentor', `p${i}`);
      t = act(t, { type: 'game:withdraw' }, 'mentor', `w${i}`);
    }
    expect(t.opIds).toHaveLength(GAME_OP_IDS_KEPT);
    expect(t.opIds.at(-1)).toBe('mentor:w99');
    // documented limit: an opId older than the last 64 would be applied again
    expect(t.opIds).not.toContain('mentor:p0');
  });

  it('[GAME9][TTL4] the room view composes each seat\u2019s own game view; the guesser never gets the lie', () => {
    let s = playing('two-truths', 'mentor');
    const statements = ['I sang in a choir', 'I have never seen snow', 'I built a treehouse'];
    const views = [0, 1, 2].map((lie) => {
      const w = act(s, move({ type: 'write', statements, lie }), 'mentor');
      return JSON.stringify(roomView(w, 'mentee'));
    });
    expect(new Set(views).size).toBe(1);
    s = act(s, move({ type: 'write', statements, lie: 1 }), 'mentor');
    const state = s.game?.state as TwoTruthsState;
    const writerView = roomView(s, 'mentor');
    expect(writerView.game?.gameId === 'two-truths' && writerView.game.view.yourLie).toBe(state.lie);
    const guesserView = roomView(s, 'mentee');
    expect(guesserView.game?.gameId === 'two-truths' && guesserView.game.view.yourLie).toBeNull();
    expect(JSON.stringify(guesserView)).not.toMatch(/"(seed|lie)"/);
  });

  it('[GAME9] room state is plain JSON and carries on after a round trip', () => {
    const s = viaJson(playing('this-or-that', 'mentor', { custom: [{ a: 'x', b: 'y' }] }));
    const a = act(s, move({ type: 'pick', choice: 'a' }), 'mentor');
    expect(viaJson(a)).toEqual(a);
  });

  it('[GAME1–9] 200 seeds of random room actions never break an invariant', () => {
    const seen = { started: 0, finished: 0, abandoned: 0, duplicates: 0, refused: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const rng = mulberry32(seed);
      let s: GameRoomState = EMPTY_GAME_ROOM;
      const opIds: string[] = [];
      for (let i = 0; i < 150; i++) {
        const label = `seed ${seed}, step ${i}`;
        const actor: Seat = rng() < 0.5 ? 'mentor' : 'mentee';
        const reuse = rng() < 0.08 && opIds.length > 0;
        const opId = reuse ? opIds[randomInt(rng, opIds.length)]! : `${seed}-${i}`;
        if (!reuse) opIds.push(opId);
        const action = { ...randomAction(rng, s, actor), opId } as GameRoomAction;
        const before = JSON.stringify(s);
        const r = applyGameRoomAction(deepFreeze(s), action, actor, NOW + i);
        if (!r.ok) {
          if (JSON.stringify(s) !== before) expect.fail(`${label}: refused ${JSON.stringify(action)} changed the state`);
          seen.refused++;
          continue;
        }
        const n = r.state;
        if (r.duplicate) {
          seen.duplicates++;
          if (n !== s) expect.fail(`${label}: a duplicate changed the state`);
        }
        const problems: string[] = [];
        if ((n.phase === 'proposed') !== (n.proposal !== undefined)) problems.push('proposal without proposed phase');
        if (n.phase === 'playing' && (!n.game || gameRules(n.game.gameId).isOver(n.game.state))) problems.push('playing without a live game');
        if (n.phase !== 'playing' && n.game && !gameRules(n.game.gameId).isOver(n.game.state)) problems.push('live game while not playing');
        if (n.phase === 'proposed' && n.game) problems.push('finished game left during a proposal');
        if (n.opIds.length > GAME_OP_IDS_KEPT || n.results.length > GAME_RESULTS_KEPT) problems.push('unbounded lists');
        if (r.logged && n.results.at(-1) !== r.logged) problems.push('logged is not the last result');
        if (JSON.stringify(viaJson(n)) !== JSON.stringify(n)) problems.push('not plain JSON');
        for (const seat of SEATS) {
          const v = roomView(n, seat);
          if (v.game?.gameId === 'two-truths' && v.game.view.phase === 'guessing' && v.game.view.role === 'guesser') {
            const g = n.game!.state as TwoTruthsState;
            const others = [0, 1, 2].map((lie) => JSON.stringify(roomView({ ...n, game: { ...n.game!, state: { ...g, lie } } }, seat)));
            if (new Set(others).size !== 1) problems.push('guesser room view depends on the lie');
          }
        }
        if (problems.length > 0) expect.fail(`${label}: ${problems.join('; ')}`);
        if (action.type === 'game:accept' && !r.duplicate) seen.started++;
        if (r.logged && action.type === 'game:move') seen.finished++;
        if (r.logged && action.type === 'game:abandon') seen.abandoned++;
        s = i % 3 === 0 ? viaJson(n) : n;
      }
    }
    expect(seen.started).toBeGreaterThan(200);
    expect(seen.finished).toBeGreaterThan(30);
    expect(seen.abandoned).toBeGreaterThan(50);
    expect(seen.duplicates).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(1000);
  });
});

/** A random action, biased towards ones that move the room along, with plenty of wrong ones. */
function randomAction(rng: () => number, s: GameRoomState, actor: Seat): ActionBody {
  const roll = rng();
  if (roll < 0.08) {
    const gameId = GAME_IDS[randomInt(rng, GAME_IDS.length)]!;
    const options = rng() < 0.2 ? { rounds: randomInt(rng, 40) } : rng() < 0.3 ? { rounds: 1 + randomInt(rng, 2) } : undefined;
    return { type: 'game:propose', gameId, options };
  }
  if (roll < 0.14) return { type: 'game:accept', seed: randomInt(rng, 1000) };
  if (roll < 0.16) return { type: 'game:decline' };
  if (roll < 0.18) return { type: 'game:withdraw' };
  if (roll < 0.2) return { type: 'game:abandon' };
  if (roll < 0.23) return { type: 'game:close' };
  if (rng() < 0.05) return move({ type: 'junk' });
  switch (s.game?.gameId) {
    case 'connect-four':
      return move(rng() < 0.1 ? { type: 'rematch' } : { type: 'drop', column: randomInt(rng, 8) });
    case 'two-truths': {
      const round = (s.game.state as TwoTruthsState).round + randomInt(rng, 2);
      const r2 = rng();
      return move(
        r2 < 0.4
          ? { type: 'write', statements: [`a${randomInt(rng, 9)}`, `b${actor}`, `c`], lie: randomInt(rng, 3) }
          : r2 < 0.8
            ? { type: 'guess', index: randomInt(rng, 3) }
            : { type: 'next', round }
      );
    }
    case 'this-or-that': {
      const round = (s.game.state as { index: number }).index + randomInt(rng, 2);
      return move(rng() < 0.75 ? { type: 'pick', choice: rng() < 0.5 ? 'a' : 'b' } : { type: 'next', round });
    }
    default:
      return move({ type: 'drop', column: 0 });
  }
}
