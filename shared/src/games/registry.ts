import { z } from 'zod';
import { connectFour } from './connectFour.ts';
import { thisOrThat } from './thisOrThat.ts';
import { twoTruths } from './twoTruths.ts';
import type { AnyGameRules, GameRules } from './types.ts';

/** [GAME10] Every game the board offers. Adding one = one rules module + one line here. */
export const GAMES = {
  'two-truths': twoTruths,
  'this-or-that': thisOrThat,
  'connect-four': connectFour
} as const satisfies Record<string, AnyGameRules>;

export type GameId = keyof typeof GAMES;
export const GAME_IDS = Object.keys(GAMES) as [GameId, ...GameId[]];
export const gameIdSchema = z.enum(GAME_IDS);

type RulesOf<Id extends GameId> = (typeof GAMES)[Id];
export type GameStateOf<Id extends GameId> = RulesOf<Id> extends GameRules<infer S, unknown, unknown> ? S : never;
export type GameMoveOf<Id extends GameId> = RulesOf<Id> extends GameRules<unknown, infer M, unknown> ? M : never;
export type GameViewOf<Id extends GameId> = RulesOf<Id> extends GameRules<unknown, unknown, infer V> ? V : never;

/** For code that routes by id without caring which game it is. */
export function gameRules(id: GameId): AnyGameRules {
  return GAMES[id];
}

/** What the game picker shows. */
export const GAME_CATALOGUE: ReadonlyArray<{ id: GameId; title: string; blurb: string }> = GAME_IDS.map((id) => ({
  id,
  title: GAMES[id].title,
  blurb: GAMES[id].blurb
}));
