import { z } from 'zod';
import { fail, type Result } from '../errors.ts';
import { otherSeat, SEAT_LABEL, type Seat } from '../seats.ts';
import type { GameInitContext, GameRules } from './types.ts';
import { GAME_INFO, C4_COLUMNS, C4_ROWS } from './catalogue.ts';

export type C4Cell = Seat | null;
export type C4Pos = { row: number; col: number };
export type C4Status = 'playing' | 'won' | 'draw';

export type ConnectFourState = {
  /** board[row][col]; row 0 is the top row as drawn, so pieces settle at the highest row index. */
  board: C4Cell[][];
  turn: Seat;
  /** Who opened this round; a rematch hands the opening to the other seat. [C4-6] */
  starter: Seat;
  /** 1-based round number within this game. */
  round: number;
  status: C4Status;
  winner: Seat | null;
  /** Every cell that is part of a winning line, for highlighting. [C4-3] */
  winningCells: C4Pos[];
  lastMove: (C4Pos & { by: Seat }) | null;
  score: { mentor: number; mentee: number; draws: number };
};

export type ConnectFourMove = { type: 'drop'; column: number } | { type: 'rematch' };

/** No hidden information in Connect Four: the view is the state plus whose turn it is for you. */
export type ConnectFourView = ConnectFourState & { you: Seat; yourTurn: boolean };

export const connectFourMoveSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('drop'),
    column: z
      .number()
      .int()
      .min(0, 'Pick one of the 7 columns.')
      .max(C4_COLUMNS - 1, 'Pick one of the 7 columns.')
  }),
  z.object({ type: z.literal('rematch') })
]);

function emptyBoard(): C4Cell[][] {
  return Array.from({ length: C4_ROWS }, () => Array.from({ length: C4_COLUMNS }, (): C4Cell => null));
}

function newRound(starter: Seat, round: number, score: ConnectFourState['score']): ConnectFourState {
  return {
    board: emptyBoard(),
    turn: starter,
    starter,
    round,
    status: 'playing',
    winner: null,
    winningCells: [],
    lastMove: null,
    score
  };
}

const DIRECTIONS: ReadonlyArray<readonly [number, number]> = [
  [0, 1], // horizontal
  [1, 0], // vertical
  [1, 1], // diagonal ↘
  [1, -1] // diagonal ↙
];

/** Cells in every line of ≥ 4 through the piece just placed (a single drop can complete two lines). */
function winningCellsThrough(board: C4Cell[][], at: C4Pos): C4Pos[] {
  const who = board[at.row]?.[at.col];
  if (!who) return [];
  const cells: C4Pos[] = [];
  for (const [dr, dc] of DIRECTIONS) {
    const run: C4Pos[] = [at];
    for (const sign of [1, -1]) {
      let r = at.row + sign * dr;
      let c = at.col + sign * dc;
      while (board[r]?.[c] === who) {
        run.push({ row: r, col: c });
        r += sign * dr;
        c += sign * dc;
      }
    }
    if (run.length >= 4) cells.push(...run);
  }
  const seen = new Set<string>();
  return cells
    .filter((p) => {
      const key = `${p.row},${p.col}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.row - b.row || a.col - b.col);
}

function drop(state: ConnectFourState, column: number, actor: Seat): Result<{ state: ConnectFourState }> {
  // [C4-5] the order of checks matters: a finished round answers AlreadyDone to anyone.
  if (state.status !== 'playing') return fail('AlreadyDone', 'This round is over. Start a rematch to play again.');
  if (actor !== state.turn) return fail('NotYourTurn', "It's your partner's turn.");
  if (!Number.isInteger(column) || column < 0 || column >= C4_COLUMNS) return fail('IllegalMove', 'Pick one of the 7 columns.');

  let row = -1;
  for (let r = C4_ROWS - 1; r >= 0; r--) {
    if (state.board[r]![column] === null) {
      row = r;
      break;
    }
  }
  if (row < 0) return fail('IllegalMove', 'That column is full. Try another one.');

  const board = state.board.map((cells, r) => (r === row ? cells.map((c, col) => (col === column ? actor : c)) : cells));
  const at = { row, col: column };
  const lastMove = { ...at, by: actor };
  const winningCells = winningCellsThrough(board, at);
  if (winningCells.length > 0) {
    return {
      ok: true,
      state: {
        ...state,
        board,
        lastMove,
        status: 'won',
        winner: actor,
        winningCells,
        score: { ...state.score, [actor]: state.score[actor] + 1 }
      }
    };
  }
  // [C4-4] the top row is the last to fill, so a full top row means a full board.
  if (board[0]!.every((c) => c !== null)) {
    return {
      ok: true,
      state: { ...state, board, lastMove, status: 'draw', score: { ...state.score, draws: state.score.draws + 1 } }
    };
  }
  return { ok: true, state: { ...state, board, lastMove, turn: otherSeat(actor) } };
}

function scoreLine(score: ConnectFourState['score']): string {
  const draws = score.draws === 0 ? '' : ` · ${score.draws} ${score.draws === 1 ? 'draw' : 'draws'}`;
  return `${SEAT_LABEL.mentor} ${score.mentor} · ${SEAT_LABEL.mentee} ${score.mentee}${draws}`;
}

export const connectFour: GameRules<ConnectFourState, ConnectFourMove, ConnectFourView> = {
  id: 'connect-four',
  ...GAME_INFO['connect-four'],
  moveSchema: connectFourMoveSchema,

  init(ctx: GameInitContext): ConnectFourState {
    return newRound(ctx.starter, 1, { mentor: 0, mentee: 0, draws: 0 });
  },

  apply(state, move, actor) {
    if (move.type === 'drop') return drop(state, move.column, actor);
    // [C4-6] either seat may call the rematch, but only once the round has ended.
    if (state.status === 'playing') return fail('WrongPhase', 'Finish this round first.');
    const starter = otherSeat(state.starter);
    return { ok: true, state: newRound(starter, state.round + 1, state.score) };
  },

  view(state, seat) {
    return { ...state, you: seat, yourTurn: state.status === 'playing' && state.turn === seat };
  },

  isOver(state) {
    return state.status !== 'playing';
  },

  resultLine(state) {
    if (state.status === 'playing') return null;
    const what = state.winner ? `${SEAT_LABEL[state.winner]} won round ${state.round}` : `round ${state.round} was a draw`;
    return `Connect Four: ${what} (${scoreLine(state.score)})`;
  }
};
