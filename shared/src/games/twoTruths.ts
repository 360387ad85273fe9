import { z } from 'zod';
import { fail, type Result } from '../errors.ts';
import { LIMITS } from '../limits.ts';
import { otherSeat, SEAT_LABEL, type Seat } from '../seats.ts';
import { deriveSeed, seededShuffle } from './random.ts';
import { TWO_TRUTHS_THEME_IDS, TWO_TRUTHS_THEMES, type TwoTruthsTheme, type TwoTruthsThemeId } from './twoTruthsThemes.ts';
import type { GameInitContext, GameRules } from './types.ts';
import { GAME_INFO, TWO_TRUTHS_ROUNDS_MAX } from './catalogue.ts';

export type TwoTruthsPhase = 'writing' | 'guessing' | 'revealed' | 'done';

/** A round once its lie is out in the open. */
export type TwoTruthsRound = {
  /** 1-based. */
  round: number;
  writer: Seat;
  statements: string[];
  lie: number;
  guess: number;
  spotted: boolean;
};

export type TwoTruthsState = {
  /** Secret: it orders the statements, so it must never reach a view. [TTL3] */
  seed: number;
  rounds: number;
  theme: TwoTruthsThemeId;
  /** Writes first; roles swap every round. [TTL1] */
  starter: Seat;
  /** 0-based index of the current round. */
  round: number;
  phase: TwoTruthsPhase;
  /** The current round's statements in display order, once written. */
  statements: string[] | null;
  /** Index into `statements`. Secret from the guesser until the guess. [TTL4] */
  lie: number | null;
  history: TwoTruthsRound[];
  score: Record<Seat, number>;
};

export type TwoTruthsMove =
  { type: 'write'; statements: [string, string, string]; lie: number } | { type: 'guess'; index: number } | { type: 'next'; round: number };

export type TwoTruthsView = {
  you: Seat;
  role: 'writer' | 'guesser';
  writer: Seat;
  guesser: Seat;
  /** 1-based. */
  round: number;
  rounds: number;
  phase: TwoTruthsPhase;
  theme: TwoTruthsTheme;
  /** Null while the writer is still writing. */
  statements: string[] | null;
  /** The lie you marked: only ever set in the writer's view. */
  yourLie: number | null;
  /** The round just revealed (phase 'revealed' or 'done'). */
  reveal: TwoTruthsRound | null;
  history: TwoTruthsRound[];
  score: Record<Seat, number>;
};

const statementSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(1, 'Each statement needs a few words.')
      .refine((s) => [...s].length <= LIMITS.shortTextMax, `Statements can be at most ${LIMITS.shortTextMax} characters.`)
  );

const indexSchema = z.number().int().min(0, 'Pick one of the three statements.').max(2, 'Pick one of the three statements.');

export const twoTruthsMoveSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('write'),
    statements: z.tuple([statementSchema, statementSchema, statementSchema]),
    lie: indexSchema
  }),
  z.object({ type: z.literal('guess'), index: indexSchema }),
  z.object({ type: z.literal('next'), round: z.number().int().min(1) })
]);

export const twoTruthsOptionsSchema = z.object({
  rounds: z.number().int().min(1).max(TWO_TRUTHS_ROUNDS_MAX).default(4),
  theme: z.enum(TWO_TRUTHS_THEME_IDS).default('wildcard')
});
export type TwoTruthsOptions = z.infer<typeof twoTruthsOptionsSchema>;

export function writerOf(state: TwoTruthsState): Seat {
  return state.round % 2 === 0 ? state.starter : otherSeat(state.starter);
}

function phaseRefusal(state: TwoTruthsState): Result<{ state: TwoTruthsState }> {
  if (state.phase === 'done') return fail('AlreadyDone', 'This game is over.');
  if (state.phase === 'writing') return fail('WrongPhase', 'The three statements are still being written.');
  if (state.phase === 'guessing') return fail('WrongPhase', 'Waiting for the guess.');
  return fail('WrongPhase', 'The lie is out; move on to the next round.');
}

function write(state: TwoTruthsState, move: Extract<TwoTruthsMove, { type: 'write' }>, actor: Seat): Result<{ state: TwoTruthsState }> {
  if (state.phase === 'guessing' && actor === writerOf(state)) return fail('AlreadyDone', 'Your three statements are already in.');
  if (state.phase !== 'writing') return phaseRefusal(state);
  if (actor !== writerOf(state)) return fail('NotYourTurn', 'Your partner is writing this round; you guess.');
  const normalised = move.statements.map((s) => s.replace(/\s+/g, ' ').trim());
  if (normalised.some((s) => s.length === 0 || [...s].length > LIMITS.shortTextMax))
    return fail('BadRequest', `Each statement needs 1 to ${LIMITS.shortTextMax} characters.`);
  if (new Set(normalised.map((s) => s.toLowerCase())).size !== 3) return fail('IllegalMove', 'The three statements need to be different.');
  if (!Number.isInteger(move.lie) || move.lie < 0 || move.lie > 2) return fail('BadRequest', 'Mark one of the three statements as the lie.');

  // [TTL3] mix the order with the secret seed so position never hints at the lie; the permutation
  // depends only on seed and round, not on which statement was marked.
  const order = seededShuffle([0, 1, 2], deriveSeed(state.seed, state.round));
  const statements = order.map((i) => normalised[i]!);
  const lie = order.indexOf(move.lie);
  return { ok: true, state: { ...state, phase: 'guessing', statements, lie } };
}

function guess(state: TwoTruthsState, index: number, actor: Seat): Result<{ state: TwoTruthsState }> {
  const writer = writerOf(state);
  if (state.phase !== 'guessing') {
    return state.phase === 'revealed' && actor !== writer ? fail('AlreadyDone', 'You already guessed this round.') : phaseRefusal(state);
  }
  if (actor === writer) return fail('NotYourTurn', 'You wrote these; your partner guesses.');
  if (!Number.isInteger(index) || index < 0 || index > 2) return fail('BadRequest', 'Pick one of the three statements.');
  const lie = state.lie!;
  const spotted = index === lie;
  const scorer = spotted ? actor : writer;
  const entry: TwoTruthsRound = {
    round: state.round + 1,
    writer,
    statements: state.statements!,
    lie,
    guess: index,
    spotted
  };
  const last = state.round + 1 >= state.rounds;
  return {
    ok: true,
    state: {
      ...state,
      phase: last ? 'done' : 'revealed',
      history: [...state.history, entry],
      score: { ...state.score, [scorer]: state.score[scorer] + 1 }
    }
  };
}

function next(state: TwoTruthsState, round: number): Result<{ state: TwoTruthsState }> {
  if (state.phase === 'done') return phaseRefusal(state);
  // [TTL6] the round named is the one the sender saw revealed, so two presses move on only once.
  if (round <= state.round) return fail('AlreadyDone', 'You have already moved on to the next round.');
  if (round > state.round + 1) return fail('WrongPhase', 'That round has not been played yet.');
  if (state.phase !== 'revealed') return phaseRefusal(state);
  return { ok: true, state: { ...state, round: state.round + 1, phase: 'writing', statements: null, lie: null } };
}

export const twoTruths: GameRules<TwoTruthsState, TwoTruthsMove, TwoTruthsView> = {
  id: 'two-truths',
  ...GAME_INFO['two-truths'],
  moveSchema: twoTruthsMoveSchema,
  optionsSchema: twoTruthsOptionsSchema,

  init(ctx: GameInitContext): TwoTruthsState {
    const options = twoTruthsOptionsSchema.parse(ctx.options ?? {});
    return {
      seed: ctx.seed >>> 0,
      rounds: options.rounds,
      theme: options.theme,
      starter: ctx.starter,
      round: 0,
      phase: 'writing',
      statements: null,
      lie: null,
      history: [],
      score: { mentor: 0, mentee: 0 }
    };
  },

  apply(state, move, actor) {
    if (move.type === 'write') return write(state, move, actor);
    if (move.type === 'guess') return guess(state, move.index, actor);
    return next(state, move.round);
  },

  view(state, seat) {
    const writer = writerOf(state);
    const revealed = state.phase === 'revealed' || state.phase === 'done';
    // [TTL4] built field by field, never by spreading the state, so the seed and the lie cannot slip in.
    return {
      you: seat,
      role: seat === writer ? 'writer' : 'guesser',
      writer,
      guesser: otherSeat(writer),
      round: Math.min(state.round + 1, state.rounds),
      rounds: state.rounds,
      phase: state.phase,
      theme: TWO_TRUTHS_THEMES[state.theme],
      statements: state.statements,
      yourLie: seat === writer ? state.lie : null,
      reveal: revealed ? (state.history[state.history.length - 1] ?? null) : null,
      history: state.history,
      score: state.score
    };
  },

  isOver(state) {
    return state.phase === 'done';
  },

  resultLine(state) {
    if (state.phase !== 'done') return null;
    const spotted = state.history.filter((r) => r.spotted).length;
    const lies = state.rounds === 1 ? 'lie' : 'lies';
    return `Two Truths and a Lie: ${spotted} of ${state.rounds} ${lies} spotted (${SEAT_LABEL.mentor} ${state.score.mentor} · ${SEAT_LABEL.mentee} ${state.score.mentee})`;
  }
};
