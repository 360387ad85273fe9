import { fail, SEATS, seatChannel, type ClientToServerEvents, type Failure, type Result, type Seat, type ServerToClientEvents } from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { BoardStore, StateKey } from '../persistence/BoardStore.ts';
import type { LossReason } from '../ownership/BoardOwnership.ts';
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
  store: BoardStore;
  /** [FENCE1] The epoch this node holds for a board (null: it does not serve it). */
  epochOf(boardId: string): number | null;
  /** The database refused a save (stale epoch or deleted board): let go of the board. */
  onFenced(boardId: string, reason: LossReason): void;
  log: Logger;
  /** [RATE1] One budget per seat, shared by every feature. */
  limiter: RateLimiter;
  now?: () => number;
  /** [OPS6] A stored state row could not be read (the feature is paused for that board). */
  onUnreadableState?: (boardId: string, key: StateKey) => void;
};

/** A save that lost a race with another save is computed again on the fresh state, this many times. */
const SAVE_ATTEMPTS = 3;

type Entry<S> = { state: S; version: number; unreadable: Failure | null };

export function createDecidedState<S, A>(spec: DecidedStateSpec<S, A>, deps: DecidedStateDeps) {
  const now = deps.now ?? Date.now;
  /** `unreadable`: the stored row failed its migration or schema; kept as is, the feature paused. */
  const loaded = new Map<string, Entry<S>>();
  const sockets = new Map<string, number>();
  /** Everything of one board (load, each action) runs one after another: actions see each other's state. */
  const chains = new Map<string, Promise<unknown>>();

  function serial<T>(boardId: string, work: () => Promise<T>): Promise<T> {
    const next = (chains.get(boardId) ?? Promise.resolve()).then(work, work);
    const tail = next.then(
      () => undefined,
      () => undefined
    );
    chains.set(boardId, tail);
    void tail.then(() => {
      if (chains.get(boardId) === tail) chains.delete(boardId);
    });
    return next;
  }

  async function read(boardId: string): Promise<Entry<S>> {
    const stored = await deps.store.loadState(boardId, spec.key);
    // [OPS6] Read through the version's migrations and the schema, never cast. An unreadable row
    // is never overwritten: the feature refuses actions for this board until it can be read.
    const decoded = stored === null ? null : decodeStoredState(spec.stored, stored.json);
    if (decoded && !decoded.ok) {
      deps.log.error('stored state unreadable; feature paused for this board', { boardId, key: spec.key, ...decoded.problem });
      deps.onUnreadableState?.(boardId, spec.key);
    }
    return {
      state: decoded?.ok ? decoded.state : spec.init(now()),
      // [FENCE4] 0: nothing stored yet, so the first save inserts.
      version: stored?.version ?? 0,
      unreadable: decoded && !decoded.ok ? fail(decoded.code, decoded.message) : null
    };
  }

  /** Runs inside the board's chain. Kept in memory only while a socket of the board is here. */
  async function load(boardId: string): Promise<Entry<S>> {
    const cached = loaded.get(boardId);
    if (cached) return cached;
    const entry = await read(boardId);
    if ((sockets.get(boardId) ?? 0) > 0) loaded.set(boardId, entry);
    return entry;
  }

  function broadcast(io: BoardIo, boardId: string, state: S) {
    for (const seat of SEATS) emitView(io.to(seatChannel(boardId, seat)), spec.view, state, seat);
  }

  /**
   * validate → rule → persist (fenced, from the version it was computed on) → memory. A save that
   * lost a race is judged again on the state the database has now [FENCE4].
   */
  async function act(boardId: string, seat: Seat, action: A): Promise<Result & { applied?: { state: S } & Record<string, unknown> }> {
    let entry = await load(boardId);
    for (let attempt = 0; ; attempt++) {
      if (entry.unreadable) return entry.unreadable;
      const result = spec.apply(entry.state, action, seat, now());
      if (!result.ok) return result;
      if (result.duplicate) return { ok: true };
      const epoch = deps.epochOf(boardId);
      if (epoch === null) {
        deps.onFenced(boardId, 'moved');
        return fail('BoardMoved', 'Another server is serving this board now; reconnecting.');
      }
      // Stored before anyone hears of it; the in-memory state follows only a successful write.
      const saved = await deps.store.saveState(boardId, spec.key, encodeStoredState(spec.stored, result.state), entry.version, epoch);
      if (saved.ok) {
        entry.state = result.state;
        entry.version = saved.version;
        return { ok: true, applied: result as { state: S } & Record<string, unknown> };
      }
      if (saved.code === 'StaleEpoch' || saved.code === 'BoardGone') {
        deps.onFenced(boardId, saved.code === 'BoardGone' ? 'deleted' : 'moved');
        return saved.code === 'BoardGone'
          ? fail('BoardDeleted', 'This board was deleted by its partners.')
          : fail('BoardMoved', 'Another server is serving this board now; reconnecting.');
      }
      if (attempt + 1 >= SAVE_ATTEMPTS) return fail('Internal', 'Something went wrong on our side; nothing was changed.');
      entry = await read(boardId);
      if (loaded.has(boardId)) loaded.set(boardId, entry);
    }
  }

  const feature: SocketFeature = (socket: BoardSocket, io: BoardIo) => {
    const { boardId, seat } = socket.data;
    sockets.set(boardId, (sockets.get(boardId) ?? 0) + 1);
    serial(boardId, async () => {
      const entry = await load(boardId);
      if (!entry.unreadable && socket.connected) emitView(socket, spec.view, entry.state, seat);
    }).catch((error: unknown) => deps.log.error('state load failed', { boardId, key: spec.key, error: String(error) }));

    const onAct: ClientToServerEvents[ActEvent] = (raw: unknown, ack: unknown) => {
      // A client may leave the ack out; the reply then goes nowhere.
      const reply = (result: Result) => {
        if (typeof ack === 'function') ack(result);
      };
      // Counted and parsed as it arrives; applied in turn with the board's other actions.
      if (!deps.limiter.take(`${boardId}:${seat}`)) return reply(fail('RateLimited', 'Slow down a little: too many actions at once.'));
      const parsed = spec.parse(raw);
      if (!parsed.ok) return reply(parsed);
      serial(boardId, () => act(boardId, seat, parsed.action)).then(
        (outcome) => {
          const { applied, ...result } = outcome;
          reply(result as Result);
          if (!applied) return;
          try {
            broadcast(io, boardId, applied.state);
            spec.afterApply?.(applied, { boardId, actor: seat, io });
          } catch (error) {
            deps.log.error('broadcast failed', { boardId, key: spec.key, error: String((error as Error)?.stack ?? error) });
          }
        },
        (error: unknown) => {
          deps.log.error('action failed', { boardId, key: spec.key, error: String((error as Error)?.stack ?? error) });
          reply(fail('Internal', 'Something went wrong on our side; nothing was changed.'));
        }
      );
    };
    socket.on(spec.actEvent, onAct);

    socket.on('disconnect', () => {
      const left = (sockets.get(boardId) ?? 1) - 1;
      if (left > 0) sockets.set(boardId, left);
      else {
        sockets.delete(boardId);
        loaded.delete(boardId);
      }
    });
  };

  return {
    feature,
    forget(boardId: string) {
      loaded.delete(boardId);
    },
    /** Server-decided state of the board held here (its lease is in use). */
    hasBoard(boardId: string): boolean {
      return (sockets.get(boardId) ?? 0) > 0;
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
