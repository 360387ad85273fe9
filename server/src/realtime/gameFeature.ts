import { randomInt } from 'node:crypto';
import {
  applyGameRoomAction,
  EMPTY_GAME_ROOM,
  fail,
  gameRoomClientActionSchema,
  roomView,
  type GameRoomAction,
  type GameRoomState,
  type Result
} from '@pairboard/shared';
import { GAMES_STATE } from '../persistence/storedState.ts';
import { createDecidedState, type DecidedStateDeps } from './decidedState.ts';

/**
 * The game room. [GAME4] The seed of a game is drawn here, from crypto, when the partner accepts:
 * a client never chooses or sees it.
 */
export function createGameFeature(deps: DecidedStateDeps) {
  return createDecidedState<GameRoomState, GameRoomAction>(
    {
      key: 'games',
      actEvent: 'game:act',
      init: () => EMPTY_GAME_ROOM,
      stored: GAMES_STATE,
      parse(raw): Result<{ action: GameRoomAction }> {
        const parsed = gameRoomClientActionSchema.safeParse(raw);
        if (!parsed.success) return fail('BadRequest', parsed.error.issues[0]?.message ?? 'Not a game action.');
        const action = parsed.data.type === 'game:accept' ? { ...parsed.data, seed: randomInt(2 ** 32 - 1) } : parsed.data;
        return { ok: true, action };
      },
      apply: applyGameRoomAction,
      view: { event: 'game:view', of: roomView }
    },
    deps
  );
}
