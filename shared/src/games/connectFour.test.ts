import { describe, expect, it } from 'vitest';
import { otherSeat, SEATS, type Seat } from '../seats.ts';
import { C4_COLUMNS, C4_ROWS } from './catalogue.ts';
import { connectFour, type C4Cell, type C4Pos, type ConnectFourMove, type ConnectFourState } from './connectFour.ts';
import { applyOk, deepFreeze, expectMalformed, expectRefused, NOW, viaJson } from './gameTestKit.ts';
import { mulberry32, randomInt } from './random.ts';

function start(starter: Seat = 'mentor'): ConnectFourState {
  return connectFour.init({ seed: 1, starter, now: NOW });
}

/** Plays columns alternately from the current turn. */
function play(state: ConnectFourState, columns: number[]): ConnectFourState {
  let s = state;
  for (const column of columns) s = applyOk(connectFour, s, { type: 'drop', column }, s.turn);
  return s;
}

/** From scratch, independent of the rules: every 4-window of one seat. */
function fours(board: C4Cell[][]): { seat: Seat; cells: C4Pos[] }[] {
  const out: { seat: Seat; cells: C4Pos[] }[] = [];
  for (let r = 0; r < C4_ROWS; r++)
    for (let c = 0; c < C4_COLUMNS; c++)
      for (const [dr, dc] of [
        [0, 1],
        [1, 0],
        [1, 1],
        [1, -1]
      ] as const) {
        const cells = [0, 1, 2, 3].map((k) => ({ row: r + k * dr, col: c + k * dc }));
        const who = board[r]?.[c];
        if (who && cells.every((p) => board[p.row]?.[p.col] === who)) out.push({ seat: who, cells });
      }
  return out;
}

const key = (p: C4Pos) => `${p.row},${p.col}`;

/** Every broken invariant, described; empty when all hold. Plain checks so 30k steps stay fast. */
function problems(s: ConnectFourState): string[] {
  const out: string[] = [];
  if (s.board.length !== C4_ROWS || s.board.some((row) => row.length !== C4_COLUMNS)) out.push('board is not 7 × 6');
  const count = (seat: Seat) => s.board.flat().filter((c) => c === seat).length;
  const diff = count(s.starter) - count(otherSeat(s.starter));
  // [C4-1] piece counts differ by at most one, the starter being the one ahead.
  if (diff !== 0 && diff !== 1) out.push(`piece counts differ by ${diff}`);
  for (let r = 0; r < C4_ROWS - 1; r++)
    for (let c = 0; c < C4_COLUMNS; c++) if (s.board[r]![c] !== null && s.board[r + 1]![c] === null) out.push(`floating piece at ${r},${c}`);
  // [C4-3] winner iff four in a row; the winning cells are exactly those lines.
  const lines = fours(s.board);
  if ((s.status === 'won') !== lines.length > 0) out.push(`status ${s.status} with ${lines.length} fours`);
  if (s.status === 'won') {
    if (!lines.every((l) => l.seat === s.winner)) out.push('a four of the loser');
    const expected = [...new Set(lines.flatMap((l) => l.cells.map(key)))].sort().join(' ');
    const listed = s.winningCells.map(key).sort().join(' ');
    if (expected !== listed) out.push(`winning cells ${listed}, expected ${expected}`);
  } else if (s.winner !== null || s.winningCells.length > 0) out.push('winner or winning cells without a win');
  // [C4-4] draw iff full with no four.
  const full = s.board.flat().every((c) => c !== null);
  if ((s.status === 'draw') !== (full && lines.length === 0)) out.push(`status ${s.status}, full ${full}`);
  if (s.status === 'playing' && s.turn !== (diff === 0 ? s.starter : otherSeat(s.starter))) out.push('wrong turn');
  const finished = s.status === 'playing' ? s.round - 1 : s.round;
  if (s.score.mentor + s.score.mentee + s.score.draws !== finished) out.push('score does not add up to rounds');
  return out;
}

function checkInvariants(s: ConnectFourState, label: string): void {
  expect(problems(s), label).toEqual([]);
}

describe('Connect Four', () => {
  it('[C4-1] starts empty, 7 × 6, with the starting seat to move', () => {
    const s = start('mentee');
    expect(s.board.flat().every((c) => c === null)).toBe(true);
    expect(s.turn).toBe('mentee');
    expect(s.status).toBe('playing');
    checkInvariants(s, 'init');
  });

  it('[C4-1] pieces drop to the lowest free cell and turns alternate', () => {
    const s = play(start(), [3, 3, 3]);
    expect(s.board[5]![3]).toBe('mentor');
    expect(s.board[4]![3]).toBe('mentee');
    expect(s.board[3]![3]).toBe('mentor');
    expect(s.lastMove).toEqual({ row: 3, col: 3, by: 'mentor' });
    expect(s.turn).toBe('mentee');
  });

  it('[C4-1] a move out of turn is refused with NotYourTurn and changes nothing', () => {
    const s = start('mentor');
    expectRefused(connectFour, s, { type: 'drop', column: 0 }, 'mentee', 'NotYourTurn');
    const s2 = play(s, [0]);
    expectRefused(connectFour, s2, { type: 'drop', column: 1 }, 'mentor', 'NotYourTurn');
  });

  it('[C4-2] a full column is refused with IllegalMove and changes nothing', () => {
    const s = play(start(), [2, 2, 2, 2, 2, 2]);
    expect(s.board.every((row) => row[2] !== null)).toBe(true);
    expectRefused(connectFour, s, { type: 'drop', column: 2 }, s.turn, 'IllegalMove');
  });

  it('[C4-2] columns outside 0–6 and malformed moves fail the schema; apply refuses them too', () => {
    for (const bad of [
      { type: 'drop', column: -1 },
      { type: 'drop', column: 7 },
      { type: 'drop', column: 1.5 },
      { type: 'drop', column: '3' },
      { type: 'drop' },
      { type: 'place', column: 1 },
      null,
      'drop'
    ])
      expectMalformed(connectFour, bad);
    expectRefused(connectFour, start(), { type: 'drop', column: 7 }, 'mentor', 'IllegalMove');
    expectRefused(connectFour, start(), { type: 'drop', column: Number.NaN }, 'mentor', 'IllegalMove');
  });

  it('[C4-3] four in a row horizontally wins and lists the winning cells', () => {
    const s = play(start(), [0, 0, 1, 1, 2, 2, 3]);
    expect(s.status).toBe('won');
    expect(s.winner).toBe('mentor');
    expect(s.winningCells).toEqual([0, 1, 2, 3].map((col) => ({ row: 5, col })));
    expect(s.score).toEqual({ mentor: 1, mentee: 0, draws: 0 });
    checkInvariants(s, 'horizontal');
  });

  it('[C4-3] four in a column wins', () => {
    const s = play(start('mentee'), [4, 5, 4, 5, 4, 5, 4]);
    expect(s.winner).toBe('mentee');
    expect(s.winningCells).toEqual([2, 3, 4, 5].map((row) => ({ row, col: 4 })));
  });

  it('[C4-3] both diagonals win', () => {
    // ↗ for mentor: (5,0) (4,1) (3,2) (2,3)
    const up = play(start(), [0, 1, 1, 2, 2, 3, 2, 3, 3, 6, 3]);
    expect(up.winner).toBe('mentor');
    expect(up.winningCells.map(key).sort()).toEqual(['2,3', '3,2', '4,1', '5,0']);
    checkInvariants(up, 'diag up');
    // ↘ mirror image
    const down = play(start(), [6, 5, 5, 4, 4, 3, 4, 3, 3, 0, 3]);
    expect(down.winner).toBe('mentor');
    expect(down.winningCells.map(key).sort()).toEqual(['2,3', '3,4', '4,5', '5,6']);
    checkInvariants(down, 'diag down');
  });

  it('[C4-3] a line longer than four highlights all of it', () => {
    const s = play(start(), [0, 0, 1, 1, 4, 4, 5, 5, 3, 3, 2]);
    expect(s.winner).toBe('mentor');
    expect(s.winningCells.map(key).sort()).toEqual(['5,0', '5,1', '5,2', '5,3', '5,4', '5,5']);
    checkInvariants(s, 'long line');
  });

  it('[C4-3] a drop that completes two lines at once highlights both', () => {
    // Found by seeded search: mentee's last piece at (4,3) completes row 4 and the ↗ diagonal.
    const s = play(start(), [5, 5, 1, 2, 5, 5, 3, 4, 2, 4, 2, 4, 6, 6, 5, 3]);
    expect(s.winner).toBe('mentee');
    expect(s.lastMove).toEqual({ row: 4, col: 3, by: 'mentee' });
    expect(s.winningCells).toEqual([
      { row: 2, col: 5 },
      { row: 3, col: 4 },
      { row: 4, col: 3 },
      { row: 4, col: 4 },
      { row: 4, col: 5 },
      { row: 4, col: 6 },
      { row: 5, col: 2 }
    ]);
    checkInvariants(s, 'two lines');
  });

  it('[C4-4] a full board with no four in a row is a draw', () => {
    // Columns filled in pairs so no line of four ever forms.
    const order = [0, 1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 2, 3, 2, 3, 2, 3, 3, 2, 3, 2, 3, 2, 4, 5, 4, 5, 4, 5, 5, 4, 5, 4, 5, 4, 6, 6, 6, 6, 6, 6];
    const s = play(start(), order);
    expect(s.status).toBe('draw');
    expect(s.winner).toBeNull();
    expect(s.score).toEqual({ mentor: 0, mentee: 0, draws: 1 });
    expect(connectFour.resultLine(s)).toBe('Connect Four: round 1 was a draw (Mentor 0 · Mentee 0 · 1 draw)');
    checkInvariants(s, 'draw');
  });

  it('[C4-5] after the end, drops by either seat are refused with AlreadyDone and change nothing', () => {
    const s = play(start(), [0, 0, 1, 1, 2, 2, 3]);
    for (const seat of SEATS) for (let column = 0; column < C4_COLUMNS; column++) expectRefused(connectFour, s, { type: 'drop', column }, seat, 'AlreadyDone');
    expect(connectFour.isOver(s)).toBe(true);
  });

  it('[C4-6] rematch is refused while a round is in play', () => {
    expectRefused(connectFour, start(), { type: 'rematch' }, 'mentor', 'WrongPhase');
    expectRefused(connectFour, play(start(), [1]), { type: 'rematch' }, 'mentee', 'WrongPhase');
  });

  it('[C4-6] rematch starts a new round, the other seat opening, with the running score', () => {
    const won = play(start('mentor'), [0, 0, 1, 1, 2, 2, 3]);
    expect(connectFour.resultLine(won)).toBe('Connect Four: Mentor won round 1 (Mentor 1 · Mentee 0)');
    const again = applyOk(connectFour, won, { type: 'rematch' }, 'mentee');
    expect(again.round).toBe(2);
    expect(again.starter).toBe('mentee');
    expect(again.turn).toBe('mentee');
    expect(again.status).toBe('playing');
    expect(again.board.flat().every((c) => c === null)).toBe(true);
    expect(again.score).toEqual({ mentor: 1, mentee: 0, draws: 0 });
    expect(connectFour.isOver(again)).toBe(false);
    expect(connectFour.resultLine(again)).toBeNull();
    // a second rematch press (the partner's, a moment later) is refused, not a third round
    expectRefused(connectFour, again, { type: 'rematch' }, 'mentor', 'WrongPhase');
    const won2 = play(again, [6, 0, 6, 0, 6, 0, 6]);
    expect(won2.winner).toBe('mentee');
    expect(connectFour.resultLine(won2)).toBe('Connect Four: Mentee won round 2 (Mentor 1 · Mentee 1)');
    const third = applyOk(connectFour, won2, { type: 'rematch' }, 'mentor');
    expect(third.starter).toBe('mentor');
  });

  it('[GAME9] the view carries everything (no secrets) plus whose turn it is for you', () => {
    const s = play(start('mentor'), [3]);
    const v = connectFour.view(s, 'mentee');
    expect(v).toMatchObject({ you: 'mentee', yourTurn: true, board: s.board, score: s.score });
    expect(connectFour.view(s, 'mentor').yourTurn).toBe(false);
    const over = play(start(), [0, 0, 1, 1, 2, 2, 3]);
    expect(connectFour.view(over, 'mentee').yourTurn).toBe(false);
  });

  it('[C4-1..6][GAME9] 200 seeds of random legal and illegal moves never break an invariant', () => {
    const seen = { won: 0, rematch: 0, refused: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const rng = mulberry32(seed);
      let s = connectFour.init({ seed, starter: rng() < 0.5 ? 'mentor' : 'mentee', now: NOW });
      for (let i = 0; i < 150; i++) {
        const label = `seed ${seed}, step ${i}`;
        const actor: Seat = rng() < 0.75 ? s.turn : otherSeat(s.turn);
        const roll = rng();
        const move: unknown =
          roll < 0.8
            ? { type: 'drop', column: randomInt(rng, C4_COLUMNS) }
            : roll < 0.88
              ? { type: 'rematch' }
              : roll < 0.94
                ? { type: 'drop', column: randomInt(rng, 11) - 2 }
                : { type: 'drop', column: 'x' };
        const parsed = connectFour.moveSchema.safeParse(move);
        if (!parsed.success) continue;
        const before = JSON.stringify(s);
        const r = connectFour.apply(deepFreeze(s), parsed.data as ConnectFourMove, actor, NOW);
        if (!r.ok) {
          if (JSON.stringify(s) !== before) expect.fail(`${label}: refused ${JSON.stringify(move)} changed the state`);
          seen.refused++;
          continue;
        }
        if (r.state.status === 'won' && s.status === 'playing') seen.won++;
        if (r.state.round > s.round) seen.rematch++;
        const broken = problems(r.state);
        if (broken.length > 0) expect.fail(`${label}: ${broken.join('; ')}`);
        if (JSON.stringify(viaJson(r.state)) !== JSON.stringify(r.state)) expect.fail(`${label}: not plain JSON`);
        s = i % 2 === 0 ? viaJson(r.state) : r.state;
      }
    }
    // the fuzz really reaches the interesting places
    expect(seen.won).toBeGreaterThan(100);
    expect(seen.rematch).toBeGreaterThan(100);
    expect(seen.refused).toBeGreaterThan(1000);
  });
});
