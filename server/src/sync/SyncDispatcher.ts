import { CLOSE_CODES } from '@pairboard/shared';
import type { Logger } from '../log.ts';
import type { Metrics, RefusalReason } from '../observability/metrics.ts';
import type { DocRoom } from '../rooms/DocRoom.ts';
import type { RoomRegistry } from '../rooms/RoomRegistry.ts';
import { AwarenessTable } from './awarenessRelay.ts';
import { awarenessFrame, readFrame, syncStep1Frame, syncStep2Frame, updateFrame, type IncomingFrame } from './wireProtocol.ts';

/** One end of a sync connection, as the dispatcher sees it. */
export interface SyncPeer {
  /** May read but never write this document (the partner's seat doc). */
  readonly readOnly: boolean;
  /** Awareness client ids this connection announced itself; removed when it closes. */
  readonly awarenessIds: Set<number>;
  send(frame: Uint8Array): void;
  close(code: number, reason: string): void;
}

/** [HARD4] A browser's awareness (name, colour, what it is typing in) is a few hundred bytes. */
export const AWARENESS_BYTES_MAX = 8 * 1024;

/**
 * The connections of one loaded document and who is present in it. `presenceFrame` is the
 * awareness snapshot as a frame, kept until presence changes: every connection gets it on each
 * heartbeat, and encoding it per connection was a third of that heartbeat's work.
 */
type Channel = { peers: Set<SyncPeer>; awareness: AwarenessTable; presenceFrame: Uint8Array | null };

function presenceFrameOf(channel: Channel): Uint8Array {
  channel.presenceFrame ??= awarenessFrame(channel.awareness.snapshot());
  return channel.presenceFrame;
}

/**
 * [HARD1] How long, and how much, a connection's updates may wait for its sync reply. A browser
 * that reconnects while typing sends a keystroke before the offline edits it builds on (they follow
 * in its reply to the server's sync step 1, a round trip later); the keystroke waits for them here.
 * Once the reply is in, nothing waits: an update still missing a dependency is refused.
 */
export type HoldLimits = { ms: number; bytes: number };
export const DEFAULT_HOLD_LIMITS: HoldLimits = { ms: 5_000, bytes: 256 * 1024 };

/** Updates of one connection waiting for their dependencies, in arrival order. */
type Held = { room: DocRoom; updates: Uint8Array[]; bytes: number; timer: NodeJS.Timeout };

export type SyncDispatcherDeps = { rooms: RoomRegistry; log: Logger; metrics?: Metrics; hold?: HoldLimits };

/**
 * The y-websocket protocol around loaded documents: reads each frame, answers sync, validates and
 * hands updates to the registry, relays what the registry has stored [PERS1], relays awareness.
 *
 * [HARD2] Every frame is handled behind a guard: whatever a frame makes throw closes that one
 * connection (logged once, counted), never the process or another room.
 */
export class SyncDispatcher {
  private readonly channels = new Map<DocRoom, Channel>();
  /** Peers already logged as refused: one line per connection, however much it keeps sending. */
  private readonly logged = new WeakSet<SyncPeer>();
  private readonly rooms: RoomRegistry;
  private readonly log: Logger;
  private readonly metrics: Metrics | undefined;
  private readonly holdLimits: HoldLimits;
  private readonly held = new Map<SyncPeer, Held>();
  /** Connections whose sync reply (their offline edits) has been handled. */
  private readonly replied = new WeakSet<SyncPeer>();

  constructor(deps: SyncDispatcherDeps) {
    this.holdLimits = deps.hold ?? DEFAULT_HOLD_LIMITS;
    this.rooms = deps.rooms;
    this.log = deps.log;
    this.metrics = deps.metrics;
    deps.rooms.subscribe({
      stored: (room, update, from) => this.channels.get(room) && this.broadcast(this.channels.get(room)!, updateFrame(update), from as SyncPeer),
      storeFailed: (from) => (from as SyncPeer).close(CLOSE_CODES.Unavailable, 'Saving failed; reconnecting.'),
      closed: (room, code, reason) => {
        const channel = this.channels.get(room);
        this.channels.delete(room);
        for (const peer of channel?.peers ?? []) peer.close(code, reason);
      }
    });
  }

  join(room: DocRoom, peer: SyncPeer): void {
    let channel = this.channels.get(room);
    if (!channel) {
      channel = { peers: new Set(), awareness: new AwarenessTable(), presenceFrame: null };
      this.channels.set(room, channel);
    }
    channel.peers.add(peer);
    this.guard(peer, () => {
      // Server speaks first: its state vector invites the client to send what the server lacks
      // (edits made offline), and the awareness snapshot shows who is already here.
      peer.send(syncStep1Frame(room.stateVector()));
      if (channel.awareness.size > 0) peer.send(presenceFrameOf(channel));
    });
  }

  receive(room: DocRoom, peer: SyncPeer, data: Uint8Array): void {
    // A room that was deleted or unloaded takes nothing more, even from a socket still closing.
    if (room.closed) return;
    const channel = this.channels.get(room);
    if (!channel?.peers.has(peer)) return;
    this.guard(peer, () => this.dispatch(room, channel, peer, data));
  }

  leave(room: DocRoom, peer: SyncPeer): void {
    this.dropHeld(peer);
    const channel = this.channels.get(room);
    if (channel?.peers.delete(peer)) {
      this.guard(peer, () => {
        const removal = channel.awareness.remove(peer.awarenessIds);
        if (removal) {
          channel.presenceFrame = null;
          this.broadcast(channel, awarenessFrame(removal));
        }
      });
      if (channel.peers.size === 0) this.channels.delete(room);
    }
    this.rooms.release(room);
  }

  /** A keep-alive for one connection: the room's awareness, which it may as well be current on. */
  keepAlive(room: DocRoom, peer: SyncPeer): void {
    const channel = this.channels.get(room);
    if (!room.closed && channel) peer.send(presenceFrameOf(channel));
  }

  /** Closes one connection for a reason from the closed set, counted and logged once. */
  refuse(peer: SyncPeer, reason: RefusalReason, code: number, message: string, detail?: Record<string, unknown>): void {
    this.metrics?.refuse(reason);
    if (!this.logged.has(peer)) {
      this.logged.add(peer);
      // Never the frame's content: only why, and which rule.
      this.log.warn('yjs connection refused', { reason, ...detail });
    }
    peer.close(code, message);
  }

  private dispatch(room: DocRoom, channel: Channel, peer: SyncPeer, data: Uint8Array): void {
    let frame: IncomingFrame;
    try {
      frame = readFrame(data);
    } catch {
      return this.refuse(peer, 'bad-frame', CLOSE_CODES.BadMessage, 'Malformed message');
    }
    switch (frame.kind) {
      case 'syncStep1': {
        let missing: Uint8Array;
        try {
          missing = room.missingFor(frame.stateVector);
        } catch {
          return this.refuse(peer, 'bad-frame', CLOSE_CODES.BadMessage, 'Malformed state vector');
        }
        peer.send(syncStep2Frame(missing));
        return;
      }
      case 'syncStep2':
      case 'update':
        return this.acceptUpdate(room, peer, frame.update, frame.kind);
      case 'awareness': {
        if (frame.update.byteLength > AWARENESS_BYTES_MAX) {
          return this.refuse(peer, 'too-large', CLOSE_CODES.BadMessage, 'Awareness state too large');
        }
        let relay: Uint8Array | null;
        try {
          // A connection speaks only for the ids of its first message; others are dropped, so no
          // one can erase or fake the partner's presence.
          relay = channel.awareness.applyFrom(frame.update, peer.awarenessIds);
        } catch {
          return this.refuse(peer, 'bad-frame', CLOSE_CODES.BadMessage, 'Malformed awareness');
        }
        if (relay) {
          channel.presenceFrame = null;
          this.broadcast(channel, relay === frame.update ? data : awarenessFrame(relay), peer);
        }
        return;
      }
      case 'queryAwareness':
        peer.send(presenceFrameOf(channel));
        return;
    }
  }

  private acceptUpdate(room: DocRoom, peer: SyncPeer, update: Uint8Array, kind: 'syncStep2' | 'update'): void {
    // Updates commute once their dependencies are in, so a later one need not wait behind a
    // parked one: the sync reply that unblocks the parked ones is exactly such a later update.
    const outcome = this.tryStore(room, peer, update, kind);
    if (outcome === 'waits') return this.hold(room, peer, update);
    if (kind === 'syncStep2' && outcome === 'stored' && !this.replied.has(peer)) {
      this.replied.add(peer);
      // Everything the client had is in now: what still lacks a dependency never will have it.
      this.retryHeld(peer);
    }
  }

  /**
   * Validates and stores one update. 'waits' when it only lacks something the document does not
   * hold yet; every other refusal closes the connection here.
   */
  private tryStore(room: DocRoom, peer: SyncPeer, update: Uint8Array, kind: 'syncStep2' | 'update'): 'stored' | 'waits' | 'refused' {
    // [HARD1] Validated against the document before anything is stored or relayed.
    const check = room.checkIncoming(update, kind);
    if (!check.ok) {
      const mayWait = !peer.readOnly && kind === 'update' && !this.replied.has(peer);
      if (mayWait && (check.reason === 'missing-dependency' || check.reason === 'unknown-deletion')) return 'waits';
      this.refuse(peer, 'bad-update', CLOSE_CODES.BadUpdate, 'That change does not fit this document.', {
        boardId: room.boardId,
        doc: room.doc,
        why: check.reason
      });
      return 'refused';
    }
    if (peer.readOnly) {
      // [DOC2] The partner's seat doc is read-only. A sync reply that adds nothing is the normal
      // handshake of a reader; anything that would change the doc is an attempt to write: refused.
      if (check.news) {
        this.refuse(peer, 'read-only', CLOSE_CODES.ReadOnly, "You can read your partner's answers but not change them.", {
          boardId: room.boardId,
          doc: room.doc
        });
        return 'refused';
      }
      return 'stored';
    }
    if (!check.news) return 'stored';
    const written = this.rooms.write(room, update, peer);
    if (!written.ok) {
      if (written.code === 'TooLarge') this.refuse(peer, 'too-large', CLOSE_CODES.TooLarge, 'This board has reached its size limit.');
      return 'refused';
    }
    check.accept();
    // Something new is known: updates waiting on it may fit now.
    if (this.held.has(peer)) this.retryHeld(peer);
    return 'stored';
  }

  /** [HARD1] Parks an update until its dependencies arrive, within a time and byte budget. */
  private hold(room: DocRoom, peer: SyncPeer, update: Uint8Array): void {
    let held = this.held.get(peer);
    if (!held) {
      const timer = setTimeout(() => {
        if (!this.held.has(peer)) return;
        this.dropHeld(peer);
        this.refuse(peer, 'bad-update', CLOSE_CODES.BadUpdate, 'That change does not fit this document.', {
          boardId: room.boardId,
          doc: room.doc,
          why: 'dependency never arrived'
        });
      }, this.holdLimits.ms);
      timer.unref();
      held = { room, updates: [], bytes: 0, timer };
      this.held.set(peer, held);
    }
    held.updates.push(update);
    held.bytes += update.byteLength;
    if (held.bytes > this.holdLimits.bytes) {
      this.dropHeld(peer);
      this.refuse(peer, 'bad-update', CLOSE_CODES.BadUpdate, 'That change does not fit this document.', {
        boardId: room.boardId,
        doc: room.doc,
        why: 'too much waiting on a dependency'
      });
    }
  }

  /** Stores waiting updates, in order, as far as their dependencies now allow. */
  private retryHeld(peer: SyncPeer): void {
    const held = this.held.get(peer);
    if (!held) return;
    this.held.delete(peer); // while they are stored below, a nested retry finds nothing to do
    const stillWaiting: Uint8Array[] = [];
    for (const update of held.updates) {
      // Checked for novelty: the sync reply that unblocked it may already have carried it.
      const outcome = this.tryStore(held.room, peer, update, this.replied.has(peer) ? 'syncStep2' : 'update');
      if (outcome === 'refused') return clearTimeout(held.timer);
      if (outcome === 'waits') stillWaiting.push(update);
    }
    if (stillWaiting.length === 0) return clearTimeout(held.timer);
    // Parked again under the first deadline: waiting can't be stretched by sending more.
    held.updates = stillWaiting;
    held.bytes = stillWaiting.reduce((n, u) => n + u.byteLength, 0);
    this.held.set(peer, held);
  }

  private dropHeld(peer: SyncPeer): void {
    const held = this.held.get(peer);
    if (!held) return;
    clearTimeout(held.timer);
    this.held.delete(peer);
  }

  /** Each peer on its own: one failing socket must not stop the relay to the others. */
  private broadcast(channel: Channel, frame: Uint8Array, except?: SyncPeer): void {
    for (const peer of channel.peers) if (peer !== except) this.guard(peer, () => peer.send(frame));
  }

  /** [HARD2] The per-connection guard. */
  private guard(peer: SyncPeer, work: () => void): void {
    try {
      work();
    } catch (error) {
      this.metrics?.refuse('handler-error');
      if (!this.logged.has(peer)) {
        this.logged.add(peer);
        this.log.error('yjs handler failed; connection closed', {
          error: error instanceof Error ? error.name + ': ' + error.message.slice(0, 200) : 'unknown'
        });
      }
      try {
        peer.close(CLOSE_CODES.BadMessage, 'That message could not be handled.');
      } catch {
        // the socket is gone already
      }
    }
  }
}
