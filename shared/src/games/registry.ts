import { z } from 'zod';
import { connectFour } from './connectFour.ts';
import { thisOrThat } from './thisOrThat.ts';
import { twoTruths } from './twoTruths.ts';
import { GAME_IDS, type GameId } from './catalogue.ts';
import type { AnyGameRules, GameRules } from './types.ts';

/** [GAME10] Every game the board offers. Adding one = one rules module + one line here. */
export const GAMES = {
  'two-truths': twoTruths,
  'this-or-that': thisOrThat,
  'connect-four': connectFour
} as const satisfies Record<GameId, AnyGameRules>;

export { GAME_IDS, type GameId };
export const gameIdSchema = z.enum(GAME_IDS);

type RulesOf<Id extends GameId> = (typeof GAMES)[Id];
export type GameStateOf<Id extends GameId> = RulesOf<Id> extends GameRules<infer S, unknown, unknown> ? S : never;
export type GameMoveOf<Id extends GameId> = RulesOf<Id> extends GameRules<unknown, infer M, unknown> ? M : never;
export type GameViewOf<Id extends GameId> = RulesOf<Id> extends GameRules<unknown, unknown, infer V> ? V : never;

/** For code that routes by id without caring which game it is. */
export function gameRules(id: GameId): AnyGameRules {
  return GAMES[id];
}
