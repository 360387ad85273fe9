import {
  fail,
  SEATS,
  seatRoom,
  type ClientToServerEvents,
  type Failure,
  type Result,
  type Seat,
  type ServerToClientEvents
} from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { StateKey, Store } from '../persistence/Store.ts';
import { decodeStoredState, encodeStoredState, type StoredStateCodec } from '../persistence/storedState.ts';
import type { BoardIo, BoardSocket, SocketFeature } from './socketServer.ts';
import type { RateLimiter } from './RateLimiter.ts';

/**
 * Server-decided state (votes, meetings, agreement, games) follows one path, whatever the feature:
 * validate → apply the pure rule → persist → ack → send each seat its own view. The rules live in
 * shared/; this module only routes, stores and broadcasts.
 */
export type ActEvent = 'session:act' | 'game:act';
export type ViewEvent = 'session:view' | 'game:view';
/** A view event's payload, as the event map declares it. */
export type ViewOf<E extends ViewEvent> = Parameters<ServerToClientEvents[E]>[0];
/** Which event carries the per-seat view, and how to make it: checked against the event map. */
export type ViewSpec<S> = { [E in ViewEvent]: { event: E; of(state: S, seat: Seat): ViewOf<E> } }[ViewEvent];

export type DecidedStateSpec<S, A> = {
  key: StateKey;
  actEvent: ActEvent;
  view: ViewSpec<S>;
  init(now: number): S;
  /** [OPS6] How the state is versioned, migrated and validated in storage. */
  stored: StoredStateCodec<S>;
  /** Every payload is parsed: the event map's type is what an honest client sends, not a promise. */
  parse(raw: unknown): Result<{ action: A }>;
  apply(state: S, action: A, actor: Seat, now: number): Result<{ state: S; duplicate?: boolean }>;
  /** After a change was stored and broadcast: notices, logs. */
  afterApply?(result: { state: S } & Record<string, unknown>, ctx: { boardId: string; actor: Seat; io: BoardIo }): void;
};

export type DecidedStateDeps = {
  store: Store;
  log: Logger;
  /** [RATE1] One budget per seat, shared by every feature. */
  limiter: RateLimiter;
  now?: () => number;
  /** [OPS6] A stored state row could not be read (the feature is paused for that board). */
  onUnreadableState?: (boardId: string, key: StateKey) => void;
};

export function createDecidedState<S, A>(spec: DecidedStateSpec<S, A>, deps: DecidedStateDeps) {
  const now = deps.now ?? Date.now;
  /** `unreadable`: the stored row failed its migration or schema; kept as is, the feature paused. */
  const loaded = new Map<string, { state: S; unreadable: Failure | null; sockets: number }>();

  function load(boardId: string) {
    let entry = loaded.get(boardId);
    if (!entry) {
      const json = deps.store.loadState(boardId, spec.key);
      // [OPS6] Read through the version's migrations and the schema, never cast. An unreadable row
      // is never overwritten: the feature refuses actions for this board until it can be read.
      const decoded = json === null ? null : decodeStoredState(spec.stored, json);
      if (decoded && !decoded.ok) {
        deps.log.error('stored state unreadable; feature paused for this board', { boardId, key: spec.key, ...decoded.problem });
        deps.onUnreadableState?.(boardId, spec.key);
      }
      entry = {
        state: decoded?.ok ? decoded.state : spec.init(now()),
        unreadable: decoded && !decoded.ok ? fail(decoded.code, decoded.message) : null,
        sockets: 0
      };
      loaded.set(boardId, entry);
    }
    return entry;
  }

  function broadcast(io: BoardIo, boardId: string, state: S) {
    for (const seat of SEATS) emitView(io.to(seatRoom(boardId, seat)), spec.view, state, seat);
  }

  const feature: SocketFeature = (socket: BoardSocket, io: BoardIo) => {
    const { boardId, seat } = socket.data;
    const entry = load(boardId);
    entry.sockets++;
    if (!entry.unreadable) emitView(socket, spec.view, entry.state, seat);

    const onAct: ClientToServerEvents[ActEvent] = (raw: unknown, ack: unknown) => {
      // A client may leave the ack out; the reply then goes nowhere.
      const reply = (result: Result) => {
        if (typeof ack === 'function') ack(result);
      };
      let applied: ({ state: S } & Record<string, unknown>) | null = null;
      try {
        if (!deps.limiter.take(`${boardId}:${seat}`)) return reply(fail('RateLimited', 'Slow down a little: too many actions at once.'));
        const parsed = spec.parse(raw);
        if (!parsed.ok) return reply(parsed);
        const current = load(boardId);
        if (current.unreadable) return reply(current.unreadable);
        const result = spec.apply(current.state, parsed.action, seat, now());
        if (!result.ok) return reply(result);
        if (result.duplicate) return reply({ ok: true });
        // Stored before anyone hears of it; the in-memory state follows only a successful write.
        deps.store.saveState(boardId, spec.key, encodeStoredState(spec.stored, result.state));
        current.state = result.state;
        applied = result as { state: S } & Record<string, unknown>;
      } catch (error) {
        deps.log.error('action failed', { boardId, key: spec.key, error: String((error as Error)?.stack ?? error) });
        return reply(fail('Internal', 'Something went wrong on our side; nothing was changed.'));
      }
      reply({ ok: true });
      try {
        broadcast(io, boardId, applied.state);
        spec.afterApply?.(applied, { boardId, actor: seat, io });
      } catch (error) {
        deps.log.error('broadcast failed', { boardId, key: spec.key, error: String((error as Error)?.stack ?? error) });
      }
    };
    socket.on(spec.actEvent, onAct);

    socket.on('disconnect', () => {
      const current = loaded.get(boardId);
      if (current && --current.sockets <= 0) loaded.delete(boardId);
    });
  };

  return {
    feature,
    forget(boardId: string) {
      loaded.delete(boardId);
    }
  };
}

/** Anything that emits the server's events: one socket, or the Socket.IO room of a seat. */
type ViewTarget = Pick<BoardSocket, 'emit'> | Pick<ReturnType<BoardIo['to']>, 'emit'>;

/** Narrowed on the event, so each view is checked against its event's payload type (no casts). */
function emitView<S>(target: ViewTarget, view: ViewSpec<S>, state: S, seat: Seat): void {
  if (view.event === 'session:view') target.emit('session:view', view.of(state, seat));
  else target.emit('game:view', view.of(state, seat));
}
