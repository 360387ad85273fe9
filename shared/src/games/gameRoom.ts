import { z } from 'zod';
import { fail, type Result } from '../errors.ts';
import { otherSeat, type Seat } from '../seats.ts';
import { applyOnce, OP_ID_MAX, RECENT_OPS_KEPT } from '../rules/opIds.ts';
import { gameIdSchema, gameRules, type GameId, type GameViewOf } from './registry.ts';

/** How many applied opIds the room remembers for deduplication. [GAME8] */
export const GAME_OP_IDS_KEPT = RECENT_OPS_KEPT;
/** How many result lines the room keeps; the meeting log is the long-term record. [GAME6] */
export const GAME_RESULTS_KEPT = 50;

export type GameRoomPhase = 'idle' | 'proposed' | 'playing';
export type GameProposal = { gameId: GameId; by: Seat; options: unknown; at: number };
export type RoomGame = { gameId: GameId; state: unknown; startedAt: number };
export type GameResultEntry = { gameId: GameId; line: string; at: number };

/**
 * The game corner of a board. Plain JSON, kept by the server (never in the Yjs doc, which both
 * browsers receive in full). A finished game stays in `game` with phase 'idle' until someone
 * closes it or proposes the next one. [GAME1, GAME6]
 */
export type GameRoomState = {
  phase: GameRoomPhase;
  proposal?: GameProposal;
  game?: RoomGame;
  results: GameResultEntry[];
  /** `${seat}:${opId}` of the last applied actions, oldest first. [GAME8] */
  opIds: string[];
};

export const EMPTY_GAME_ROOM: GameRoomState = { phase: 'idle', results: [], opIds: [] };

const opIdSchema = z.string().min(1).max(OP_ID_MAX);
/** A 32-bit seed; the server draws it (crypto), a client never chooses it. [GAME4] */
const seedSchema = z.number().int().min(0).max(0xffffffff);

const propose = z.object({
  type: z.literal('game:propose'),
  opId: opIdSchema,
  gameId: gameIdSchema,
  options: z.unknown().optional()
});
const acceptFromClient = z.object({ type: z.literal('game:accept'), opId: opIdSchema });
const accept = acceptFromClient.extend({ seed: seedSchema });
const decline = z.object({ type: z.literal('game:decline'), opId: opIdSchema });
const withdraw = z.object({ type: z.literal('game:withdraw'), opId: opIdSchema });
/** The move is validated later, by the running game's own schema. */
const move = z.object({ type: z.literal('game:move'), opId: opIdSchema, move: z.unknown() });
const abandon = z.object({ type: z.literal('game:abandon'), opId: opIdSchema });
const close = z.object({ type: z.literal('game:close'), opId: opIdSchema });

/** A room action as the reducer takes it (accept carries the server's seed). */
export const gameRoomActionSchema = z.discriminatedUnion('type', [propose, accept, decline, withdraw, move, abandon, close]);
export type GameRoomAction = z.infer<typeof gameRoomActionSchema>;

/**
 * A room action as a client sends it: accept has no seed (a seed sent anyway is stripped). The
 * server adds `seed` from crypto before calling the reducer.
 */
export const gameRoomClientActionSchema = z.discriminatedUnion('type', [propose, acceptFromClient, decline, withdraw, move, abandon, close]);
export type GameRoomClientAction = z.infer<typeof gameRoomClientActionSchema>;

export type GameRoomOutcome = {
  state: GameRoomState;
  /** True when the opId was already applied: nothing changed, nothing to broadcast. [GAME8] */
  duplicate: boolean;
  /** The result line this action added (a game ended or was abandoned), for the meeting log. */
  logged: GameResultEntry | null;
};

type Step = Result<{ state: GameRoomState; logged: GameResultEntry | null }>;

/** The room with the proposal and game keys dropped (so JSON and deep-equality agree). */
function bare(state: GameRoomState, phase: GameRoomPhase): GameRoomState {
  return { phase, results: state.results, opIds: state.opIds };
}

function withResult(results: GameResultEntry[], entry: GameResultEntry): GameResultEntry[] {
  return [...results, entry].slice(-GAME_RESULTS_KEPT);
}

function firstIssue(error: z.ZodError, fallback: string): string {
  return error.issues[0]?.message ?? fallback;
}

function step(state: GameRoomState, action: GameRoomAction, actor: Seat, now: number): Step {
  switch (action.type) {
    case 'game:propose': {
      // [GAME2] one thing at a time: no proposal over a pending one or a game in play.
      if (state.phase === 'proposed') return fail('WrongPhase', 'A game is already proposed.');
      if (state.phase === 'playing') return fail('WrongPhase', 'Finish or abandon the current game first.');
      const rules = gameRules(action.gameId);
      let options: unknown = undefined;
      if (rules.optionsSchema) {
        const parsed = rules.optionsSchema.safeParse(action.options ?? {});
        if (!parsed.success) return fail('BadRequest', firstIssue(parsed.error, 'Those game options do not fit.'));
        options = parsed.data;
      }
      const proposal: GameProposal = { gameId: action.gameId, by: actor, options, at: now };
      // Proposing clears a finished game left on view. [GAME6]
      return { ok: true, state: { ...bare(state, 'proposed'), proposal }, logged: null };
    }

    case 'game:accept':
    case 'game:decline': {
      if (state.phase !== 'proposed' || !state.proposal) return fail('WrongPhase', 'There is no game proposal to answer.');
      // [GAME3] the proposer has said yes already; only the partner answers.
      if (actor === state.proposal.by) return fail('Forbidden', 'You proposed this game; your partner answers.');
      if (action.type === 'game:decline') return { ok: true, state: bare(state, 'idle'), logged: null };
      const { gameId, by, options } = state.proposal;
      // [GAME4] the proposer starts; the seed came from the server.
      const game = gameRules(gameId).init({ seed: action.seed, starter: by, options, now });
      return { ok: true, state: { ...bare(state, 'playing'), game: { gameId, state: game, startedAt: now } }, logged: null };
    }

    case 'game:withdraw': {
      if (state.phase !== 'proposed' || !state.proposal) return fail('WrongPhase', 'There is no game proposal to withdraw.');
      if (actor !== state.proposal.by) return fail('Forbidden', 'Only the partner who proposed a game can withdraw it.');
      return { ok: true, state: bare(state, 'idle'), logged: null };
    }

    case 'game:move': {
      const running = state.game;
      // A finished game (phase idle) still takes moves: its own rules refuse them or, like
      // Connect Four's rematch, start it again.
      if (!running) return fail('WrongPhase', 'No game is on the board.');
      const rules = gameRules(running.gameId);
      const parsed = rules.moveSchema.safeParse(action.move);
      if (!parsed.success) return fail('BadRequest', firstIssue(parsed.error, 'That move does not fit this game.'));
      const wasOver = rules.isOver(running.state);
      const applied = rules.apply(running.state, parsed.data, actor, now);
      if (!applied.ok) return applied;
      const over = rules.isOver(applied.state);
      let results = state.results;
      let logged: GameResultEntry | null = null;
      if (over && !wasOver) {
        const line = rules.resultLine(applied.state);
        if (line !== null) {
          logged = { gameId: running.gameId, line, at: now };
          results = withResult(results, logged);
        }
      }
      return {
        ok: true,
        state: { ...bare({ ...state, results }, over ? 'idle' : 'playing'), game: { ...running, state: applied.state } },
        logged
      };
    }

    case 'game:abandon': {
      // [GAME7]
      if (state.phase !== 'playing' || !state.game) return fail('WrongPhase', 'There is no game in play to abandon.');
      const logged: GameResultEntry = { gameId: state.game.gameId, line: `${gameRules(state.game.gameId).title}: abandoned`, at: now };
      return { ok: true, state: bare({ ...state, results: withResult(state.results, logged) }, 'idle'), logged };
    }

    case 'game:close': {
      if (state.phase !== 'idle' || !state.game) return fail('WrongPhase', 'There is no finished game to close.');
      return { ok: true, state: bare(state, 'idle'), logged: null };
    }
  }
}

/**
 * The room reducer. Validate the action with `gameRoomActionSchema` first; the running game's
 * move is validated here with that game's own schema. A refusal never changes the state. [GAME5]
 */
export function applyGameRoomAction(state: GameRoomState, action: GameRoomAction, actor: Seat, now: number): Result<GameRoomOutcome> {
  // [GAME8] at-least-once delivery: a retried action is acknowledged again, not applied again.
  // Keyed per seat (applyOnce) so the two browsers' opIds can never collide.
  const r = applyOnce(state.opIds, actor, action.opId, () => step(state, action, actor, now));
  if (!r.ok) return r;
  if (r.duplicate) return { ok: true, state, duplicate: true, logged: null };
  return { ok: true, state: { ...r.state, opIds: r.recentOps }, duplicate: false, logged: r.logged };
}

export type RoomGameView = {
  [Id in GameId]: { gameId: Id; title: string; startedAt: number; over: boolean; view: GameViewOf<Id> };
}[GameId];

export type GameRoomView = {
  phase: GameRoomPhase;
  proposal: (GameProposal & { title: string; yours: boolean }) | null;
  game: RoomGameView | null;
  results: GameResultEntry[];
};

/** [GAME9] What one seat receives: the game part is that seat's view only. */
export function roomView(state: GameRoomState, seat: Seat): GameRoomView {
  const proposal = state.proposal ? { ...state.proposal, title: gameRules(state.proposal.gameId).title, yours: state.proposal.by === seat } : null;
  let game: RoomGameView | null = null;
  if (state.game) {
    const rules = gameRules(state.game.gameId);
    game = {
      gameId: state.game.gameId,
      title: rules.title,
      startedAt: state.game.startedAt,
      over: rules.isOver(state.game.state),
      view: rules.view(state.game.state, seat)
    } as RoomGameView;
  }
  return { phase: state.phase, proposal, game, results: state.results };
}

/** Who may answer a pending proposal (the UI's "accept / decline" buttons). */
export function answererOf(state: GameRoomState): Seat | null {
  return state.proposal ? otherSeat(state.proposal.by) : null;
}
