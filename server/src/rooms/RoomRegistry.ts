import * as Y from 'yjs';
import { CLOSE_CODES, LIMITS, type DocName } from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { Store } from '../persistence/Store.ts';
import { readFrame, awarenessFrame, syncStep1Frame, syncStep2Frame, updateFrame } from '../sync/wireProtocol.ts';
import { DocRoom, type SyncPeer } from './DocRoom.ts';
import { addsToState } from './updateNovelty.ts';

type Pending = { room: DocRoom; update: Uint8Array; from: SyncPeer };

export type RoomRegistryOptions = { store: Store; log: Logger; unloadAfterMs: number };

/**
 * Loaded documents and the y-websocket protocol around them.
 *
 * Write path [PERS1]: an accepted update is queued, the queue is written to SQLite in one
 * transaction at the end of the event-loop turn, and only then relayed. So a partner never sees an
 * edit the server could lose to a crash, and a burst of keystrokes from many pairs costs one commit.
 */
export class RoomRegistry {
  private readonly rooms = new Map<string, DocRoom>();
  private pending: Pending[] = [];
  private flushScheduled = false;
  private readonly store: Store;
  private readonly log: Logger;
  private readonly unloadAfterMs: number;
  /** Rooms with unfolded updates, folded once they have been quiet for a sweep. */
  private readonly unfolded = new Set<DocRoom>();
  private readonly foldSweep: NodeJS.Timeout;

  constructor(options: RoomRegistryOptions) {
    this.store = options.store;
    this.log = options.log;
    this.unloadAfterMs = options.unloadAfterMs;
    this.foldSweep = setInterval(() => this.foldIdleRooms(), 2_000);
    this.foldSweep.unref();
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
      room.state();
      this.unfolded.delete(room);
    }
  }

  get loadedRooms(): number {
    return this.rooms.size;
  }

  /** Loads synchronously, so no peer can sync against a half-loaded room. */
  open(boardId: string, doc: DocName): DocRoom {
    const key = `${boardId}/${doc}`;
    let room = this.rooms.get(key);
    if (!room) {
      room = new DocRoom(boardId, doc, this.store.loadDoc(boardId, doc));
      this.rooms.set(key, room);
    }
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = null;
    }
    return room;
  }

  join(room: DocRoom, peer: SyncPeer): void {
    room.peers.add(peer);
    // Server speaks first: its state vector invites the client to send what the server lacks
    // (edits made offline), and the awareness snapshot shows who is already here.
    peer.send(syncStep1Frame(room.stateVector()));
    if (room.awareness.size > 0) peer.send(awarenessFrame(room.awareness.snapshot()));
  }

  receive(room: DocRoom, peer: SyncPeer, data: Uint8Array): void {
    // A room that was deleted or unloaded takes nothing more, even from a socket still closing.
    if (room.closed) return;
    let frame;
    try {
      frame = readFrame(data);
    } catch {
      peer.close(CLOSE_CODES.BadMessage, 'Malformed message');
      return;
    }
    switch (frame.kind) {
      case 'syncStep1':
        peer.send(syncStep2Frame(room.missingFor(frame.stateVector)));
        return;
      case 'syncStep2':
      case 'update':
        this.acceptUpdate(room, peer, frame.update, frame.kind);
        return;
      case 'awareness': {
        let relay: Uint8Array | null;
        try {
          // A connection speaks only for the ids of its first message; others are dropped, so no
          // one can erase or fake the partner's presence.
          relay = room.awareness.applyFrom(frame.update, peer.awarenessIds);
        } catch {
          peer.close(CLOSE_CODES.BadMessage, 'Malformed awareness');
          return;
        }
        if (relay) room.broadcast(relay === frame.update ? data : awarenessFrame(relay), peer);
        return;
      }
      case 'queryAwareness':
        peer.send(awarenessFrame(room.awareness.snapshot()));
        return;
    }
  }

  leave(room: DocRoom, peer: SyncPeer): void {
    if (!room.peers.delete(peer)) return;
    const removal = room.awareness.remove(peer.awarenessIds);
    if (removal) room.broadcast(awarenessFrame(removal));
    if (room.peers.size === 0) this.scheduleUnload(room);
  }

  /** Closes every connection of a board (deleted) and forgets its rooms without writing. */
  closeBoard(boardId: string, code: number, reason: string): void {
    this.pending = this.pending.filter((p) => p.room.boardId !== boardId);
    for (const room of [...this.rooms.values()]) {
      if (room.boardId !== boardId) continue;
      const peers = [...room.peers];
      this.forget(room);
      for (const peer of peers) peer.close(code, reason);
    }
  }

  /** A keep-alive for one connection: the room's awareness, which it may as well be current on. */
  keepAlive(room: DocRoom, peer: SyncPeer): void {
    if (!room.closed) peer.send(awarenessFrame(room.awareness.snapshot()));
  }

  /** Writes everything queued; used by the flush timer and on shutdown. */
  flush(): void {
    this.flushScheduled = false;
    const batch = this.pending.filter((p) => !p.room.closed);
    this.pending = [];
    if (batch.length === 0) return;
    let seqs: number[];
    try {
      seqs = this.store.appendUpdates(batch.map(({ room, update }) => ({ boardId: room.boardId, doc: room.doc, update })));
    } catch (error) {
      // Nothing of the batch is stored or relayed. Closing its senders makes their providers
      // reconnect and send the same edits again, so nothing typed is lost.
      this.log.error('could not store updates', { error: String(error), updates: batch.length });
      for (const { from } of batch) from.close(CLOSE_CODES.Unavailable, 'Saving failed; reconnecting.');
      return;
    }
    for (let i = 0; i < batch.length; i++) {
      const { room, update, from } = batch[i]!;
      room.pendingBytes -= update.byteLength;
      room.appendPersisted(update, seqs[i]!);
      this.unfolded.add(room);
      room.broadcast(updateFrame(update), from);
    }
    for (const room of new Set(batch.map((p) => p.room))) if (room.needsCompaction()) this.compact(room);
  }

  /** Flushes, compacts and drops every room (graceful shutdown). */
  shutdown(): void {
    clearInterval(this.foldSweep);
    this.flush();
    for (const room of [...this.rooms.values()]) this.unload(room);
  }

  private acceptUpdate(room: DocRoom, peer: SyncPeer, update: Uint8Array, kind: 'syncStep2' | 'update'): void {
    if (!isWellFormedUpdate(update)) {
      peer.close(CLOSE_CODES.BadMessage, 'Malformed update');
      return;
    }
    // A sync reply (once per connection) often repeats what the room has: nothing to store.
    const isNews = kind === 'update' || addsToState(update, room.state());
    if (peer.readOnly) {
      // [DOC2] The partner's seat doc is read-only. A sync reply that adds nothing is the normal
      // handshake of a reader; anything that would change the doc is an attempt to write: refused.
      if (isNews) {
        this.log.warn('write to read-only doc refused', { boardId: room.boardId, doc: room.doc });
        peer.close(CLOSE_CODES.ReadOnly, "You can read your partner's answers but not change them.");
      }
      return;
    }
    if (!isNews) return;
    if (room.byteSize + room.pendingBytes + update.byteLength > LIMITS.docBytesMax) {
      peer.close(CLOSE_CODES.TooLarge, 'This board has reached its size limit.');
      return;
    }
    // Copy: the frame is a view into the socket's read buffer, which we must not pin in memory.
    this.pending.push({ room, update: update.slice(), from: peer });
    room.pendingBytes += update.byteLength;
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private scheduleUnload(room: DocRoom): void {
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.unloadTimer = setTimeout(() => {
      room.unloadTimer = null;
      if (room.peers.size === 0) this.unload(room);
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
    }
  }

  /** Drops a room from memory for good: nothing it receives afterwards is written. */
  private forget(room: DocRoom): void {
    room.closed = true;
    if (room.unloadTimer) clearTimeout(room.unloadTimer);
    room.peers.clear();
    this.unfolded.delete(room);
    const key = `${room.boardId}/${room.doc}`;
    if (this.rooms.get(key) === room) this.rooms.delete(key);
  }
}

function isWellFormedUpdate(update: Uint8Array): boolean {
  try {
    Y.parseUpdateMeta(update);
    return true;
  } catch {
    return false;
  }
}
