import {
  applySessionAction,
  initialSessionState,
  otherSeat,
  parseSessionAction,
  seatRoom,
  sessionView,
  type SessionAction,
  type SessionState
} from '@pairboard/shared';
import { SESSION_STATE } from '../persistence/storedState.ts';
import { createDecidedState, type DecidedStateDeps } from './decidedState.ts';

/** Goal veto, call it a day, the agreement and the pair's own prompts. */
export function createSessionFeature(deps: DecidedStateDeps) {
  return createDecidedState<SessionState, SessionAction>(
    {
      key: 'session',
      actEvent: 'session:act',
      init: initialSessionState,
      stored: SESSION_STATE,
      parse: parseSessionAction,
      apply: applySessionAction,
      view: { event: 'session:view', of: sessionView },
      afterApply(result, { boardId, actor, io }) {
        // [AGR2] Both partners are told that an edit cleared the signatures.
        if (result.clearedSignatures) {
          io.to(seatRoom(boardId, actor)).to(seatRoom(boardId, otherSeat(actor))).emit('session:notice', { kind: 'signaturesCleared', by: actor });
        }
      }
    },
    deps
  );
}
