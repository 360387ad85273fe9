import { LIMITS, type DocName } from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { Store } from '../persistence/Store.ts';
import { DocRoom } from './DocRoom.ts';
import { foldTolerant } from './foldUpdates.ts';

/** Whoever sent an update, as the registry sees it: an opaque token handed back in events. */
export type Writer = object;

/** What the sync layer hears back from the registry. */
export type RoomListener = {
  /** [PERS1] An update is in SQLite: now it may be relayed. */
  stored(room: DocRoom, update: Uint8Array, from: Writer): void;
  /** Writing failed: nothing of the writer's batch is stored; it should reconnect and resend. */
  storeFailed(from: Writer): void;
  /** The room was dropped for good (board deleted); its connections should close with this. */
  closed(room: DocRoom, code: number, reason: string): void;
};

export type WriteRefusal = { ok: false; code: 'TooLarge' | 'Closed' };

type Pending = { room: DocRoom; update: Uint8Array; from: Writer };

export type RoomRegistryOptions = { store: Store; log: Logger; unloadAfterMs: number; metrics?: Metrics };

/**
 * Loaded documents, write batching and persistence. Knows nothing of wire frames (sync/ does).
 *
 * Write path [PERS1]: an accepted update is queued, the queue is written to SQLite in one
 * transaction at the end of the event-loop turn, and only then handed to the listener to relay.
 * So a partner never sees an edit the server could lose to a crash, and a burst of keystrokes
 * from many pairs costs one commit.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, DocRoom>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly store: Store;
  private readonly log: Logger;
  private readonly metrics: Metrics | undefined;
  private readonly unloadAfterMs: number;
  private readonly listeners = new Set<RoomListener>();
  /** Rooms with unfolded updates, folded once they have been quiet for a sweep. */
  private readonly unfolded = new Set<DocRoom>();
  private readonly foldSweep: NodeJS.Timeout;
  private quarantined = 0;

  constructor(options: RoomRegistryOptions) {
    this.store = options.store;
    this.log = options.log;
    this.metrics = options.metrics;
    this.unloadAfterMs = options.unloadAfterMs;
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
      this.background('fold', () => room.state());
    }
  }

  get loadedRooms(): number {
    return this.rooms.size;
  }

  /** [HARD8] Stored rows set aside as unreadable since this server started (for /readyz). */
  get quarantinedRows(): number {
    return this.quarantined;
  }

  /** Loads synchronously (so no one can sync against a half-loaded room) and holds the room. */
  open(boardId: string, doc: DocName): DocRoom {
    const key = `${boardId}/${doc}`;
    let room = this.rooms.get(key);
    if (!room) {
      room = this.load(boardId, doc);
      this.rooms.set(key, room);
      this.metrics?.roomsLoaded.set(this.rooms.size);
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
    this.pending.push({ room, update: update.slice(), from });
    room.pendingBytes += update.byteLength;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.background('flush', () => this.flush()));
    }
    return { ok: true };
  }

  /** Closes every connection of a board (deleted) and forgets its rooms without writing. */
  closeBoard(boardId: string, code: number, reason: string): void {
    this.pending = this.pending.filter((p) => p.room.boardId !== boardId);
    for (const room of [...this.rooms.values()]) {
      if (room.boardId !== boardId) continue;
      this.forget(room);
      for (const listener of this.listeners) listener.closed(room, code, reason);
    }
  }

  /** Writes everything queued; used by the flush timer and on shutdown. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.pending.filter((p) => !p.room.closed);
    this.pending = [];
    if (batch.length === 0) return;
    let seqs: number[];
    const started = performance.now();
    try {
      seqs = this.store.appendUpdates(batch.map(({ room, update }) => ({ boardId: room.boardId, doc: room.doc, update })));
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
    this.metrics?.updates.inc(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const { room, update, from } = batch[i]!;
      room.pendingBytes -= update.byteLength;
      room.appendPersisted(update, seqs[i]!);
      this.unfolded.add(room);
      for (const listener of this.listeners) listener.stored(room, update, from);
    }
    for (const room of new Set(batch.map((p) => p.room))) if (room.needsCompaction()) this.compact(room);
  }

  /** Flushes, compacts and drops every room (graceful shutdown). */
  shutdown(): void {
    clearInterval(this.foldSweep);
    this.flush();
    for (const room of [...this.rooms.values()]) this.unload(room);
  }

  /**
   * [HARD8] Loads a document; a stored row that cannot be read or merged is moved aside
   * (quarantined), logged and counted, and the rest of the document opens.
   */
  private load(boardId: string, doc: DocName): DocRoom {
    const stored = this.store.loadDoc(boardId, doc);
    const { state, rejected } = foldTolerant(stored.updates);
    if (rejected.length > 0) {
      const seqs = rejected.map((i) => stored.seqs?.[i]).filter((s): s is number => s !== undefined);
      try {
        this.store.quarantineRows?.(boardId, doc, seqs, 'unreadable at load');
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
  private background(task: string, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.log.error('background task failed', { task, error: String(error) });
      this.metrics?.backgroundErrors.inc({ task });
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

  /** [PERS3] Idle rooms leave memory: pending writes are flushed and storage compacted first. */
  private unload(room: DocRoom): void {
    if (room.closed) return;
    if (this.pending.some((p) => p.room === room)) this.flush();
    if (room.needsCompaction()) this.compact(room);
    this.forget(room);
    this.log.debug('room unloaded', { boardId: room.boardId, doc: room.doc });
  }

  private compact(room: DocRoom): void {
    if (room.closed) return;
    try {
      room.compact((merged, upTo) => this.store.compactDoc(room.boardId, room.doc, merged, upTo));
    } catch (error) {
      // The uncompacted rows are still there; compaction is only an optimisation.
      this.log.error('compaction failed', { boardId: room.boardId, doc: room.doc, error: String(error) });
      this.metrics?.backgroundErrors.inc({ task: 'compact' });
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
