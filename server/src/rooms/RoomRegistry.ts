import { LIMITS, type DocName } from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { AppendOutcome, BoardStore } from '../persistence/BoardStore.ts';
import type { LossReason } from '../ownership/BoardOwnership.ts';
import { SlicedQueue } from '../timeSlices.ts';
import { DocRoom } from './DocRoom.ts';
import { foldTolerant } from './foldUpdates.ts';

/** Whoever sent an update, as the registry sees it: an opaque token handed back in events. */
export type Writer = object;

/** What the sync layer hears back from the registry. */
export type RoomListener = {
  /** [PERS1] An update is stored (committed): now it may be relayed. */
  stored(room: DocRoom, update: Uint8Array, from: Writer): void;
  /** Writing failed: nothing of the writer's batch is stored; it should reconnect and resend. */
  storeFailed(from: Writer): void;
  /** The room was dropped for good (board deleted); its connections should close with this. */
  closed(room: DocRoom, code: number, reason: string): void;
};

export type WriteRefusal = { ok: false; code: 'TooLarge' | 'Closed' };

type Pending = { room: DocRoom; update: Uint8Array; from: Writer };

/**
 * A map keyed `board/doc` that also counts its keys per board, so "is any document of this board
 * here?" is one lookup. The lease renewal asks it for every held board each round: a scan of
 * every room per board was O(boards × rooms), 6 million steps every 5 s at 1,000 boards.
 */
class PerBoardMap<V> extends Map<string, V> {
  private readonly perBoard = new Map<string, number>();
  override set(key: string, value: V): this {
    if (!this.has(key)) this.count(key, 1);
    return super.set(key, value);
  }
  override delete(key: string): boolean {
    const deleted = super.delete(key);
    if (deleted) this.count(key, -1);
    return deleted;
  }
  override clear(): void {
    this.perBoard?.clear();
    super.clear();
  }
  hasBoard(boardId: string): boolean {
    return this.perBoard.has(boardId);
  }
  private count(key: string, by: number): void {
    const boardId = key.slice(0, key.lastIndexOf('/'));
    const n = (this.perBoard.get(boardId) ?? 0) + by;
    if (n > 0) this.perBoard.set(boardId, n);
    else this.perBoard.delete(boardId);
  }
}

export type RoomRegistryOptions = {
  store: BoardStore;
  log: Logger;
  unloadAfterMs: number;
  metrics?: Metrics;
  /** [FENCE1] The epoch this node holds for a board (null: it does not serve it). */
  epochOf(boardId: string): number | null;
  /** The database refused a write of this board (stale epoch or deleted): let go of it. */
  onFenced(boardId: string, reason: LossReason): void;
};

/**
 * Loaded documents, write batching and persistence. Knows nothing of wire frames (sync/ does).
 *
 * Write path [PERS1][FENCE2]: an accepted update is queued, the queue is written in one
 * transaction at the end of the event-loop turn, each update fenced by its board's epoch, and only
 * then handed to the listener to relay. So a partner never sees an edit the server could lose to a
 * crash, and a burst of keystrokes from many pairs costs one commit. One batch is in flight at a
 * time (the next turn's queue waits for it), so updates are relayed in the order they committed.
 * A board whose update the database refused (another node owns it now, or it was deleted) is let
 * go: nothing of it is relayed, and its connections are closed so its clients reconnect.
 */
export class RoomRegistry {
  private readonly rooms = new PerBoardMap<DocRoom>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  /** The batch being written, if any; the next one waits for it. */
  private flushing: Promise<void> | null = null;
  /** Documents being read from the store; a second opener waits for the same load. */
  private readonly loading = new PerBoardMap<Promise<DocRoom>>();
  private readonly store: BoardStore;
  private readonly epochOf: (boardId: string) => number | null;
  private readonly onFenced: (boardId: string, reason: LossReason) => void;
  private readonly log: Logger;
  private readonly metrics: Metrics | undefined;
  private readonly unloadAfterMs: number;
  private readonly listeners = new Set<RoomListener>();
  /** Rooms with unfolded updates, folded once they have been quiet for a sweep. */
  private readonly unfolded = new Set<DocRoom>();
  /**
   * Quiet rooms are folded a slice at a time: rooms that went quiet together (1,000 boards after a
   * burst) folded in one callback held every relay ~120 ms, the worst of the p99.
   */
  private readonly folds = new SlicedQueue<DocRoom>((room) => {
    if (!room.closed) this.background('fold', () => void room.state());
  });
  private readonly compactionQueue = new Set<DocRoom>();
  private compactionsRunning = false;
  private readonly foldSweep: NodeJS.Timeout;
  private quarantined = 0;

  constructor(options: RoomRegistryOptions) {
    this.store = options.store;
    this.log = options.log;
    this.metrics = options.metrics;
    this.unloadAfterMs = options.unloadAfterMs;
    this.epochOf = options.epochOf;
    this.onFenced = options.onFenced;
    this.foldSweep = setInterval(() => this.background('fold', () => this.foldIdleRooms()), 2_000);
    this.foldSweep.unref();
  }

  subscribe(listener: RoomListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * A room someone stopped typing in keeps up to MERGE_EVERY small updates, each a separate
   * allocation; folding them once the room is quiet brings its memory down to the document's size.
   */
  foldIdleRooms(): void {
    for (const room of this.unfolded) {
      if (room.recentlyWritten) {
        room.recentlyWritten = false;
        continue;
      }
      this.unfolded.delete(room);
      this.folds.push([room]);
    }
  }

  get loadedRooms(): number {
    return this.rooms.size;
  }

  /** [HARD8] Stored rows set aside as unreadable since this server started (for /readyz). */
  get quarantinedRows(): number {
    return this.quarantined;
  }

  /** True while any document of the board is loaded or loading here (its lease is in use). */
  hasBoard(boardId: string): boolean {
    return this.rooms.hasBoard(boardId) || this.loading.hasBoard(boardId);
  }

  /**
   * Loads the document (once, however many open it at the same moment) and holds the room. The
   * caller opens the connection only after this resolves, so no one can sync against a
   * half-loaded room. A room whose board was let go while it loaded comes back `closed`.
   */
  async open(boardId: string, doc: DocName): Promise<DocRoom> {
    const key = `${boardId}/${doc}`;
    let room = this.rooms.get(key);
    if (!room) {
      let loading = this.loading.get(key);
      if (!loading) {
        loading = this.load(boardId, doc);
        this.loading.set(key, loading);
        const settle = () => {
          if (this.loading.get(key) === loading) this.loading.delete(key);
        };
        loading.then((loaded) => {
          // Registered only if the board was not let go (closeBoard drops the loading entry).
          if (this.loading.get(key) === loading) {
            this.rooms.set(key, loaded);
            this.metrics?.roomsLoaded.set(this.rooms.size);
          } else loaded.closed = true;
          settle();
        }, settle);
      }
      room = await loading;
      // The registration above ran first (it was attached before this await).
    }
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
    }
    room.holders++;
    return room;
  }

  /** The holder is done with the room; it unloads after ROOM_UNLOAD_MS without holders. */
  release(room: DocRoom): void {
    room.holders = Math.max(0, room.holders - 1);
    if (room.holders === 0 && !room.closed) this.scheduleUnload(room);
  }

  /**
   * Queues a validated update (DocRoom.checkIncoming) for this turn's write. Refuses a room that
   * was dropped, or a write past the document's size limit [LIM4].
   */
  write(room: DocRoom, update: Uint8Array, from: Writer): { ok: true } | WriteRefusal {
    if (room.closed) return { ok: false, code: 'Closed' };
    if (room.byteSize + room.pendingBytes + update.byteLength > LIMITS.docBytesMax) return { ok: false, code: 'TooLarge' };
    // Copy: the frame is a view into the socket's read buffer, which we must not pin in memory.
    // No copy here: the frame's buffer is the socket's own and never reused; the room copies
    // what it keeps (DocRoom.appendPersisted), the store and the relay frame copy what they send.
    this.pending.push({ room, update, from });
    room.pendingBytes += update.byteLength;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.background('flush', () => this.flush()));
    }
    return { ok: true };
  }

  /** Closes every connection of a board (deleted, or served elsewhere now) and forgets its rooms without writing. */
  closeBoard(boardId: string, code: number, reason: string): void {
    this.pending = this.pending.filter((p) => p.room.boardId !== boardId);
    for (const key of [...this.loading.keys()]) if (key.startsWith(`${boardId}/`)) this.loading.delete(key);
    for (const room of [...this.rooms.values()]) {
      if (room.boardId !== boardId) continue;
      this.forget(room);
      for (const listener of this.listeners) listener.closed(room, code, reason);
    }
  }

  /** Writes everything queued, one batch at a time; resolves once the queue is empty. */
  flush(): Promise<void> {
    this.flushScheduled = false;
    if (!this.flushing) {
      const run = (async () => {
        while (this.pending.length > 0) await this.flushBatch();
      })();
      this.flushing = run;
      void run.finally(() => {
        if (this.flushing === run) this.flushing = null;
        // Queued in the instant between the last batch and this line: written by the next run.
        if (this.pending.length > 0) void this.flush();
      });
    }
    return this.flushing;
  }

  private async flushBatch(): Promise<void> {
    const queued = this.pending.filter((p) => !p.room.closed);
    this.pending = [];
    // [FENCE1] Each update carries its board's epoch; a board this node no longer serves is let go.
    const batch: Array<Pending & { epoch: number }> = [];
    for (const p of queued) {
      const epoch = this.epochOf(p.room.boardId);
      if (epoch === null) {
        p.room.pendingBytes -= p.update.byteLength;
        this.onFenced(p.room.boardId, 'moved');
      } else batch.push({ ...p, epoch });
    }
    if (batch.length === 0) return;
    let outcomes: AppendOutcome[];
    const started = performance.now();
    try {
      outcomes = await this.store.appendUpdates(batch.map(({ room, update, epoch }) => ({ boardId: room.boardId, doc: room.doc, update, epoch })));
    } catch (error) {
      // Nothing of the batch is stored or relayed. Closing its senders makes their providers
      // reconnect and send the same edits again, so nothing typed is lost.
      this.log.error('could not store updates', { error: String(error), updates: batch.length });
      this.metrics?.backgroundErrors.inc({ task: 'flush' });
      for (const { room } of batch) room.pendingBytes = 0;
      for (const room of new Set(batch.map((p) => p.room))) room.resetKnown();
      for (const from of new Set(batch.map((p) => p.from))) for (const listener of this.listeners) listener.storeFailed(from);
      return;
    }
    this.metrics?.flushSeconds.observe((performance.now() - started) / 1000);
    const fenced = new Map<string, LossReason>();
    let stored = 0;
    for (let i = 0; i < batch.length; i++) {
      const { room, update, from } = batch[i]!;
      const outcome = outcomes[i]!;
      room.pendingBytes -= update.byteLength;
      if (!outcome.ok) {
        fenced.set(room.boardId, outcome.code === 'BoardGone' ? 'deleted' : 'moved');
        continue;
      }
      stored++;
      room.appendPersisted(update, outcome.seq);
      this.unfolded.add(room);
      // A board let go of while this batch was written relays nothing more.
      if (room.closed || fenced.has(room.boardId)) continue;
      for (const listener of this.listeners) listener.stored(room, update, from);
    }
    this.metrics?.updates.inc(stored);
    for (const [boardId, reason] of fenced) {
      this.log.warn('write refused by the fence; letting the board go', { boardId, reason });
      this.onFenced(boardId, reason);
    }
    for (const room of new Set(batch.map((p) => p.room))) if (room.needsCompaction()) this.queueCompaction(room);
  }

  /** Flushes, compacts and drops every room (graceful shutdown). */
  async shutdown(): Promise<void> {
    clearInterval(this.foldSweep);
    await this.flush();
    await Promise.all([...this.rooms.values()].map((room) => this.unload(room, true)));
  }

  /**
   * [HARD8] Loads a document; a stored row that cannot be read or merged is moved aside
   * (quarantined), logged and counted, and the rest of the document opens.
   */
  private async load(boardId: string, doc: DocName): Promise<DocRoom> {
    const stored = await this.store.loadDoc(boardId, doc);
    const { state, rejected } = foldTolerant(stored.updates);
    if (rejected.length > 0) {
      const seqs = rejected.map((i) => stored.seqs?.[i]).filter((s): s is number => s !== undefined);
      const epoch = this.epochOf(boardId);
      try {
        // [FENCE1] Fenced like every write: only the node serving the board moves its rows.
        const moved = epoch === null ? null : await this.store.quarantineRows(boardId, doc, seqs, 'unreadable at load', epoch);
        if (!moved?.ok) this.log.error('could not quarantine rows', { boardId, doc, why: moved?.code ?? 'not served here' });
      } catch (error) {
        this.log.error('could not quarantine rows', { boardId, doc, error: String(error) });
      }
      this.quarantined += rejected.length;
      this.metrics?.quarantinedRows.inc(rejected.length);
      this.log.error('stored rows quarantined', { boardId, doc, rows: rejected.length, seqs });
    }
    return new DocRoom(boardId, doc, { state, rows: stored.updates.length - rejected.length, lastSeq: stored.lastSeq });
  }

  /** Background work (timers) never throws out: it is logged and counted instead. */
  private background(task: string, work: () => void | Promise<void>): void {
    const failed = (error: unknown) => {
      this.log.error('background task failed', { task, error: String(error) });
      this.metrics?.backgroundErrors.inc({ task });
    };
    try {
      const running = work();
      if (running) running.catch(failed);
    } catch (error) {
      failed(error);
    }
  }

  private scheduleUnload(room: DocRoom): void {
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null;
      if (room.holders === 0) this.background('unload', () => this.unload(room));
    }, this.unloadAfterMs);
    room.unloadTimer.unref();
  }

  /**
   * [PERS3] Idle rooms leave memory: pending writes are flushed and storage compacted first. A
   * room someone opened again meanwhile stays (unless the server is stopping: `force`).
   */
  private async unload(room: DocRoom, force = false): Promise<void> {
    if (room.closed) return;
    if (this.flushing || this.pending.some((p) => p.room === room)) await this.flush();
    if (room.needsCompaction()) await this.compact(room);
    if (room.closed || (room.holders > 0 && !force)) return;
    this.forget(room);
    this.log.debug('room unloaded', { boardId: room.boardId, doc: room.doc });
  }

  /** [FENCE3] Replaces the rows folded so far by one; rows appended meanwhile stay. */
  /**
   * Compactions wait their turn, one per event-loop turn: each rewrites ~500 rows (~3 ms), and
   * rooms typed in together reach the threshold together; run inline in the flush that crossed
   * it, a burst of them blocked the relay for 90–150 ms (bench at 5,000 edits/s, issue 13).
   */
  private queueCompaction(room: DocRoom): void {
    this.compactionQueue.add(room);
    if (this.compactionsRunning) return;
    this.compactionsRunning = true;
    const next = () => {
      const room = this.compactionQueue.values().next().value;
      if (!room) {
        this.compactionsRunning = false;
        return;
      }
      this.compactionQueue.delete(room);
      const resume = () => void setImmediate(next);
      this.compact(room).then(resume, resume);
    };
    setImmediate(next);
  }

  private async compact(room: DocRoom): Promise<void> {
    if (room.closed || room.compacting) return;
    const epoch = this.epochOf(room.boardId);
    if (epoch === null) return;
    room.compacting = true;
    try {
      const snapshot = room.compaction();
      const result = await this.store.compactDoc(room.boardId, room.doc, snapshot.merged, snapshot.upToSeq, epoch);
      if (result.ok) room.compacted(snapshot, result.seq);
      else this.onFenced(room.boardId, result.code === 'BoardGone' ? 'deleted' : 'moved');
    } catch (error) {
      // The uncompacted rows are still there; compaction is only an optimisation.
      this.log.error('compaction failed', { boardId: room.boardId, doc: room.doc, error: String(error) });
      this.metrics?.backgroundErrors.inc({ task: 'compact' });
    } finally {
      room.compacting = false;
    }
  }

  /** Drops a room from memory for good: nothing it receives afterwards is written. */
  private forget(room: DocRoom): void {
    room.closed = true;
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    this.unfolded.delete(room);
    const key = `${room.boardId}/${room.doc}`;
    if (this.rooms.get(key) === room) this.rooms.delete(key);
    this.metrics?.roomsLoaded.set(this.rooms.size);
  }
}
