import type { Component } from 'svelte';
import type { GameId, GameViewOf, Seat } from '@pairboard/shared';
import ConnectFourView from './ConnectFourView.svelte';
import ThisOrThatOptions, { describeThisOrThatOptions } from './ThisOrThatOptions.svelte';
import ThisOrThatView from './ThisOrThatView.svelte';
import TwoTruthsOptions, { describeTwoTruthsOptions } from './TwoTruthsOptions.svelte';
import TwoTruthsView from './TwoTruthsView.svelte';

/** What the game room hands every game's view component. */
export type GameViewProps<V> = {
  /** This seat's view of the game, exactly as the server sent it. */
  view: V;
  /** Display names of both seats (the partner's falls back to their role). */
  names: Record<Seat, string>;
  /** Sends one move; resolves true when the server took it (the room shows any refusal). */
  send: (move: unknown) => Promise<boolean>;
};

/** The read-out of a game's options form: what to propose, or why not yet. */
export type OptionsReading = { ok: true; options: unknown } | { ok: false; message: string };
export type OptionsExports = { read(): OptionsReading };
export type OptionsProps = { idPrefix: string };

export type GameUi<Id extends GameId> = {
  view: Component<GameViewProps<GameViewOf<Id>>>;
  /** A form for the game's proposal options; absent when the game has none. */
  options?: Component<OptionsProps, OptionsExports>;
  /** One line describing proposed options, for the partner deciding whether to accept. */
  describe?: (options: unknown) => string;
};

/**
 * [GAME10] gameId → its UI. Adding a game = one rules module in shared/src/games, one view
 * component here, and one line in this map (plus an options form if it has options).
 */
export const GAME_VIEWS: { [Id in GameId]: GameUi<Id> } = {
  'two-truths': { view: TwoTruthsView, options: TwoTruthsOptions, describe: describeTwoTruthsOptions },
  'this-or-that': { view: ThisOrThatView, options: ThisOrThatOptions, describe: describeThisOrThatOptions },
  'connect-four': { view: ConnectFourView }
};

/** For the room, which renders whichever game is on view without caring which one it is. */
export function gameUi(id: GameId): GameUi<GameId> {
  return GAME_VIEWS[id] as unknown as GameUi<GameId>;
}
