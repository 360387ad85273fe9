import { z } from 'zod';
import { fail, type Result } from '../errors.ts';
import { otherSeat, type Seat } from '../seats.ts';
import { deriveSeed, seededShuffle } from './random.ts';
import { THIS_OR_THAT_CATEGORIES, THIS_OR_THAT_DECK, type ThisOrThatCard, type ThisOrThatCategory } from './thisOrThatDeck.ts';
import type { GameInitContext, GameRules } from './types.ts';
import { GAME_INFO, THIS_OR_THAT_ROUNDS_MAX, THIS_OR_THAT_CUSTOM_MAX, THIS_OR_THAT_SIDE_MAX } from './catalogue.ts';

export type ThisOrThatChoice = 'a' | 'b';
export type ThisOrThatPhase = 'picking' | 'revealed' | 'done';

export type ThisOrThatRound = {
  /** 1-based. */
  round: number;
  card: ThisOrThatCard;
  picks: Record<Seat, ThisOrThatChoice>;
  match: boolean;
};

export type ThisOrThatState = {
  /** Drawn at the start (text included, so a stored game never depends on a later deck). */
  cards: ThisOrThatCard[];
  /** 0-based index of the current card. */
  index: number;
  phase: ThisOrThatPhase;
  /** Secret per seat until both are in. [TOT3] */
  picks: Record<Seat, ThisOrThatChoice | null>;
  matches: number;
  history: ThisOrThatRound[];
};

export type ThisOrThatMove = { type: 'pick'; choice: ThisOrThatChoice } | { type: 'next'; round: number };

export type ThisOrThatView = {
  you: Seat;
  /** 1-based. */
  round: number;
  rounds: number;
  phase: ThisOrThatPhase;
  card: ThisOrThatCard | null;
  yourPick: ThisOrThatChoice | null;
  /** Whether your partner has picked; what they picked stays hidden until both have. [TOT3] */
  partnerPicked: boolean;
  partnerPick: ThisOrThatChoice | null;
  match: boolean | null;
  /** Set after each reveal: a nudge to talk about it. [TOT4] */
  nudge: string | null;
  matches: number;
  played: number;
  history: ThisOrThatRound[];
};

const sideSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(1, 'Each side of a card needs a word or two.')
      .refine((s) => [...s].length <= THIS_OR_THAT_SIDE_MAX, `Each side of a card can be at most ${THIS_OR_THAT_SIDE_MAX} characters.`)
  );

export const thisOrThatCustomCardSchema = z
  .object({ a: sideSchema, b: sideSchema })
  .refine((c) => c.a.toLowerCase() !== c.b.toLowerCase(), 'The two sides of a card need to differ.');

export const thisOrThatOptionsSchema = z
  .object({
    rounds: z.number().int().min(1).max(THIS_OR_THAT_ROUNDS_MAX).default(10),
    /** Which built-in categories to draw from; empty means only the pair's own cards. */
    categories: z.array(z.enum(THIS_OR_THAT_CATEGORIES)).default([...THIS_OR_THAT_CATEGORIES]),
    /** The pair's own cards, mixed in. [TOT1] */
    custom: z.array(thisOrThatCustomCardSchema).max(THIS_OR_THAT_CUSTOM_MAX).default([])
  })
  .refine((o) => o.categories.length > 0 || o.custom.length > 0, 'Pick a category or add a card of your own.');
export type ThisOrThatOptions = z.infer<typeof thisOrThatOptionsSchema>;

export const thisOrThatMoveSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('pick'), choice: z.enum(['a', 'b']) }),
  z.object({ type: z.literal('next'), round: z.number().int().min(1) })
]);

const NUDGE_MATCH = 'Same pick! Tell each other why; the reasons may still differ.';
const NUDGE_SPLIT = 'Different picks! Tell each other why.';

/**
 * [TOT1] The pair's own cards always make it in (as many as the rounds allow), the deck fills the
 * rest, and the whole hand is shuffled so their cards are mixed in rather than bunched up.
 */
export function drawThisOrThatCards(options: ThisOrThatOptions, seed: number): ThisOrThatCard[] {
  const custom: ThisOrThatCard[] = options.custom.map((c, i) => ({ id: `custom-${i + 1}`, category: 'custom', a: c.a, b: c.b }));
  const wanted = new Set<ThisOrThatCategory>(options.categories);
  const deck = THIS_OR_THAT_DECK.filter((c) => c.category !== 'custom' && wanted.has(c.category));
  const ownCards = seededShuffle(custom, deriveSeed(seed, 1)).slice(0, options.rounds);
  const fill = seededShuffle(deck, deriveSeed(seed, 2)).slice(0, options.rounds - ownCards.length);
  return seededShuffle([...ownCards, ...fill], deriveSeed(seed, 3));
}

function pick(state: ThisOrThatState, choice: ThisOrThatChoice, actor: Seat): Result<{ state: ThisOrThatState }> {
  if (state.phase === 'done') return fail('AlreadyDone', 'This game is over.');
  if (state.phase === 'revealed') return fail('WrongPhase', 'Both picks are in; move on to the next card.');
  if (state.picks[actor] !== null) return fail('AlreadyDone', 'You already picked for this card.');
  if (choice !== 'a' && choice !== 'b') return fail('BadRequest', 'Pick one side of the card.');

  const picks = { ...state.picks, [actor]: choice };
  const partner = picks[otherSeat(actor)];
  if (partner === null) return { ok: true, state: { ...state, picks } };

  // [TOT3] both are in: reveal together. [TOT4] count the match.
  const match = partner === choice;
  const entry: ThisOrThatRound = {
    round: state.index + 1,
    card: state.cards[state.index]!,
    picks: { mentor: picks.mentor!, mentee: picks.mentee! },
    match
  };
  const last = state.index + 1 >= state.cards.length;
  return {
    ok: true,
    state: {
      ...state,
      picks,
      phase: last ? 'done' : 'revealed',
      matches: state.matches + (match ? 1 : 0),
      history: [...state.history, entry]
    }
  };
}

function next(state: ThisOrThatState, round: number): Result<{ state: ThisOrThatState }> {
  if (state.phase === 'done') return fail('AlreadyDone', 'This game is over.');
  // [TOT5] the round named is the one the sender saw revealed, so two presses move on only once.
  if (round <= state.index) return fail('AlreadyDone', 'You have already moved on to the next card.');
  if (round > state.index + 1) return fail('WrongPhase', 'That card has not been played yet.');
  if (state.phase !== 'revealed') return fail('WrongPhase', 'Both of you pick first.');
  return { ok: true, state: { ...state, index: state.index + 1, phase: 'picking', picks: { mentor: null, mentee: null } } };
}

export const thisOrThat: GameRules<ThisOrThatState, ThisOrThatMove, ThisOrThatView> = {
  id: 'this-or-that',
  ...GAME_INFO['this-or-that'],
  moveSchema: thisOrThatMoveSchema,
  optionsSchema: thisOrThatOptionsSchema,

  init(ctx: GameInitContext): ThisOrThatState {
    const options = thisOrThatOptionsSchema.parse(ctx.options ?? {});
    return {
      cards: drawThisOrThatCards(options, ctx.seed),
      index: 0,
      phase: 'picking',
      picks: { mentor: null, mentee: null },
      matches: 0,
      history: []
    };
  },

  apply(state, move, actor) {
    if (move.type === 'pick') return pick(state, move.choice, actor);
    return next(state, move.round);
  },

  view(state, seat) {
    const partner = otherSeat(seat);
    const revealed = state.phase !== 'picking';
    const match = revealed ? state.picks.mentor === state.picks.mentee : null;
    // Built field by field: the partner's pick and the cards still to come stay on the server.
    return {
      you: seat,
      round: state.index + 1,
      rounds: state.cards.length,
      phase: state.phase,
      card: state.cards[state.index] ?? null,
      yourPick: state.picks[seat],
      partnerPicked: state.picks[partner] !== null,
      partnerPick: revealed ? state.picks[partner] : null,
      match,
      nudge: match === null ? null : match ? NUDGE_MATCH : NUDGE_SPLIT,
      matches: state.matches,
      played: state.history.length,
      history: state.history
    };
  },

  isOver(state) {
    return state.phase === 'done';
  },

  resultLine(state) {
    if (state.phase !== 'done') return null;
    return `This or That: ${state.matches} of ${state.history.length} alike`;
  }
};
