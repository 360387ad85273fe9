/**
 * What the page needs to know about the games without their rules: names, blurbs and limits. Kept
 * free of zod and of the reducers, so the board page does not ship the rules it never runs.
 */
export const GAME_INFO = {
  'two-truths': {
    title: 'Two Truths and a Lie',
    blurb: 'Share three little stories about yourself and see if your partner can spot the one you made up.'
  },
  'this-or-that': {
    title: 'This or That',
    blurb: 'Pick a side in secret, reveal together, and find out how alike you are.'
  },
  'connect-four': {
    title: 'Connect Four',
    blurb: 'A quick, friendly duel: drop your pieces and be first to line up four.'
  }
} as const;

export type GameId = keyof typeof GAME_INFO;
export const GAME_IDS = Object.keys(GAME_INFO) as [GameId, ...GameId[]];

/** What the game picker shows. */
export const GAME_CATALOGUE: ReadonlyArray<{ id: GameId; title: string; blurb: string }> = GAME_IDS.map((id) => ({
  id,
  ...GAME_INFO[id]
}));

export const C4_COLUMNS = 7;
export const C4_ROWS = 6;
export const THIS_OR_THAT_ROUNDS_MAX = 30;
export const THIS_OR_THAT_CUSTOM_MAX = 30;
export const THIS_OR_THAT_SIDE_MAX = 60;
export const TWO_TRUTHS_ROUNDS_MAX = 10;
