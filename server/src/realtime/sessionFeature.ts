import {
  applySessionAction,
  initialSessionState,
  otherSeat,
  parseSessionAction,
  partnerGate,
  SEATS,
  seatChannel,
  sessionView,
  type SessionAction,
  type SessionState
} from '@pairboard/shared';
import { SESSION_STATE } from '../persistence/storedState.ts';
import { createDecidedState, type DecidedStateDeps } from './decidedState.ts';
import type { SocketFeature } from './socketServer.ts';

/** Goal veto, call it a day, the agreement and the pair's own prompts. */
export function createSessionFeature(deps: DecidedStateDeps) {
  const decided = createDecidedState<SessionState, SessionAction>(
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
          io.to(seatChannel(boardId, actor))
            .to(seatChannel(boardId, otherSeat(actor)))
            .emit('session:notice', { kind: 'signaturesCleared', by: actor });
        }
      }
    },
    deps
  );

  /**
   * [GUIDE2] Whether each loaded board has both seats taken. Seats are only ever taken, so any
   * connection whose handshake saw both settles it (the joiner's does). A vote or "call it a day"
   * before that is refused by the shared rule, before it reaches the dispatcher.
   */
  const seated = new Map<string, { both: boolean; sockets: number }>();
  const feature: SocketFeature = (socket, io) => {
    const { boardId, seats } = socket.data;
    const entry = seated.get(boardId) ?? { both: false, sockets: 0 };
    seated.set(boardId, entry);
    entry.sockets++;
    if (SEATS.every((seat) => seats?.[seat])) entry.both = true;
    socket.on('disconnect', () => {
      if (--entry.sockets <= 0 && seated.get(boardId) === entry) seated.delete(boardId);
    });
    socket.use(([event, payload, ack], next) => {
      const refusal = event === 'session:act' ? partnerGate(payload, { partnerJoined: entry.both }) : null;
      if (!refusal) return next();
      if (typeof ack === 'function') ack(refusal);
    });
    decided.feature(socket, io);
  };
  return { ...decided, feature };
}
