import type { z } from 'zod';
import type { Result } from '../errors.ts';
import type { Seat } from '../seats.ts';

/** What a game is started with. Time and randomness come in here, never from inside the rules. */
export type GameInitContext = {
  /** Drawn by the server; never sent to a client (it would let a seat replay a shuffle). */
  seed: number;
  /** The seat that moves / writes / picks first. */
  starter: Seat;
  /** Already validated by `optionsSchema` (the room does it); undefined means defaults. */
  options?: unknown;
  now: number;
};

/**
 * One two-player game as a pure reducer. State is plain JSON (it is stored in SQLite and must
 * survive a restart); `view` is the only thing a seat ever receives, so it must strip what that
 * seat may not see yet.
 */
export interface GameRules<State, Move, View> {
  readonly id: string;
  readonly title: string;
  /** One warm sentence for the game picker. */
  readonly blurb: string;
  /** Validates (and normalises, e.g. trims) a move payload before `apply` sees it. */
  readonly moveSchema: z.ZodType<Move>;
  /** Validates a proposal's options and fills in defaults; absent when a game has none. */
  readonly optionsSchema?: z.ZodType;
  init(ctx: GameInitContext): State;
  apply(state: State, move: Move, actor: Seat, now: number): Result<{ state: State }>;
  view(state: State, seat: Seat): View;
  isOver(state: State): boolean;
  /** A short line for the meeting log once the game is over, else null. */
  resultLine(state: State): string | null;
}

/** Any game, for code that routes by id (method syntax keeps this assignable from concrete games). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any game's state, move and view
export type AnyGameRules = GameRules<any, any, any>;
