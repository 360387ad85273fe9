import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  CLOSE_CODES,
  DOC_NAMES,
  otherSeat,
  PROTOCOL_VERSION,
  roomName,
  seatDoc,
  SOCKET_IO_PATH,
  YJS_PATH,
  type ClientToServerEvents,
  type DocName,
  type GameRoomView,
  type Result,
  type SessionNotice,
  type SessionView,
  type PresenceMap,
  type Seat,
  type SeatSummary,
  type ReflectionVerdict,
  type ServerToClientEvents
} from '@pairboard/shared';
import { LOCAL_ORIGIN } from '@pairboard/shared';
import { LiveText } from './LiveText.svelte.ts';
import { LiveType } from './LiveType.svelte.ts';

export type ConnectionState = 'connecting' | 'live' | 'offline';
/** Why a session ended for good; the page shows a friendly screen for each. */
export type SessionEnd = 'deleted' | 'refused' | null;

const ACTIVITY_EVERY_MS = 15_000;
const DOC_ORDER: readonly DocName[] = DOC_NAMES;

/** 128 random bits; getRandomValues works on plain-http LAN addresses too, unlike randomUUID. */
export function newOpId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * One seated browser's live connection to a board: the Socket.IO channel for server-decided state
 * and one y-websocket provider per board document. Components read its $state fields and LiveText
 * values and never touch a socket or a Y.Doc themselves.
 */
export class BoardSession {
  presence = $state<PresenceMap>({ mentor: 'gone', mentee: 'gone' });
  seats = $state<Record<Seat, SeatSummary>>({ mentor: null, mentee: null });
  ended = $state<SessionEnd>(null);
  endMessage = $state('');
  /** A lasting problem the person must know about (typing that can no longer be saved). */
  problem = $state<string | null>(null);
  /** Server-decided state as this seat may see it (null until the first view arrives). */
  session = $state<SessionView | null>(null);
  games = $state<GameRoomView | null>(null);
  /** The latest one-off notice, for a toast. */
  notice = $state<{ id: number; notice: SessionNotice } | null>(null);

  readonly partner: Seat;
  readonly docs: Record<DocName, Y.Doc>;
  private readonly providers: WebsocketProvider[];
  private readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  private readonly texts = new Map<string, LiveText>();
  private readonly types = new Map<string, LiveType<unknown>>();
  private socketUp = $state(false);
  private providersUp = $state(0);
  private everLive = $state(false);
  private online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

  /** Honest connection state: live only when the socket and every document are connected and synced. */
  connection = $derived.by<ConnectionState>(() => {
    if (this.socketUp && this.providersUp === this.providers.length) return 'live';
    return this.everLive || !this.online ? 'offline' : 'connecting';
  });
  private lastActivity = 0;
  private readonly removeListeners: () => void;

  constructor(
    readonly boardId: string,
    readonly you: Seat
  ) {
    this.partner = otherSeat(you);
    this.docs = { mentor: new Y.Doc(), mentee: new Y.Doc(), shared: new Y.Doc() };

    const wsBase = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${YJS_PATH}`;
    this.providers = DOC_ORDER.map((name) => {
      const provider = new WebsocketProvider(wsBase, roomName(boardId, name), this.docs[name], { disableBc: true, maxBackoffTime: 5_000 });
      provider.on('sync', () => this.countProviders());
      provider.on('status', () => this.countProviders());
      provider.on('connection-close', (event) => {
        if (event?.code === CLOSE_CODES.BoardDeleted) this.end('deleted', 'This board was deleted.');
        // Refusals that a retry would only repeat: stop, and say so instead of looping.
        if (event?.code === CLOSE_CODES.TooLarge || event?.code === CLOSE_CODES.ReadOnly) {
          provider.disconnect();
          this.problem = event.reason || 'The server refused a change; new typing here is not being saved.';
        }
      });
      return provider;
    });

    this.socket = io({
      path: SOCKET_IO_PATH,
      transports: ['websocket'],
      auth: { boardId, protocol: PROTOCOL_VERSION }
    });
    this.socket.on('connect', () => {
      this.socketUp = true;
      this.noteLive();
    });
    this.socket.on('disconnect', () => (this.socketUp = false));
    this.socket.on('connect_error', (error) => {
      const data = (error as Error & { data?: { code: string; message: string } }).data;
      if (data?.code === 'BoardDeleted') this.end('deleted', data.message);
      else if (data && data.code !== 'Internal') this.end('refused', data.message);
    });
    this.socket.on('board:snapshot', (snapshot) => {
      this.seats = snapshot.seats;
      this.presence = snapshot.presence;
    });
    this.socket.on('board:seats', (seats) => (this.seats = seats));
    this.socket.on('presence:update', (presence) => (this.presence = presence));
    this.socket.on('board:deleted', () => this.end('deleted', 'This board was deleted.'));
    this.socket.on('session:view', (view) => (this.session = view));
    this.socket.on('game:view', (view) => (this.games = view));
    this.socket.on('session:notice', (notice) => (this.notice = { id: Date.now(), notice }));

    const onActivity = () => this.reportActivity();
    const onNetwork = () => (this.online = navigator.onLine);
    for (const type of ['keydown', 'pointerdown', 'focus']) window.addEventListener(type, onActivity, { passive: true });
    window.addEventListener('online', onNetwork);
    window.addEventListener('offline', onNetwork);
    this.removeListeners = () => {
      for (const type of ['keydown', 'pointerdown', 'focus']) window.removeEventListener(type, onActivity);
      window.removeEventListener('online', onNetwork);
      window.removeEventListener('offline', onNetwork);
    };
  }

  /** A live view of one seat's answer to one prompt. */
  answer(seat: Seat, promptId: string): LiveText {
    const key = `${seat}:${promptId}`;
    let text = this.texts.get(key);
    if (!text) {
      text = new LiveText(seatDoc.answer(this.docs[seat], promptId), () => this.isSynced(seat));
      this.texts.set(key, text);
    }
    return text;
  }

  /**
   * Sends a server-decided action and resolves with the server's verdict. The op id stays the same
   * across retries, so an action whose ack was lost is applied once (the server dedupes by it).
   */
  async act(event: 'session:act' | 'game:act', action: Record<string, unknown> & { type: string }): Promise<Result> {
    const withOp = { ...action, opId: newOpId() };
    for (let attempt = 0; attempt < 4; attempt++) {
      if (this.ended) break;
      if (!this.socket.connected) await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      try {
        return (await this.socket.timeout(5_000).emitWithAck(event, withOp)) as Result;
      } catch {
        // Timed out: the action may or may not have landed. Retrying with the same op id is safe.
      }
    }
    return { ok: false, code: 'Internal', message: 'Could not reach pairboard, so your action may not have gone through. Check again when you are back online.' };
  }

  /** My reflection ("what I heard") of my partner's answer to a prompt. */
  heard(seat: Seat, promptId: string): LiveText {
    const key = `heard:${seat}:${promptId}`;
    let text = this.texts.get(key);
    if (!text) {
      text = new LiveText(seatDoc.heard(this.docs[seat], promptId), () => this.isSynced(seat));
      this.texts.set(key, text);
    }
    return text;
  }

  /** Reflection verdicts a seat gave on its partner's reflections, live. */
  verdicts(seat: Seat): LiveType<Record<string, ReflectionVerdict>> {
    const key = `verdicts:${seat}`;
    let live = this.types.get(key) as LiveType<Record<string, ReflectionVerdict>> | undefined;
    if (!live) {
      const map = seatDoc.verdicts(this.docs[seat]);
      live = new LiveType(map, () => map.toJSON() as Record<string, ReflectionVerdict>);
      this.types.set(key, live);
    }
    return live;
  }

  /** Records my verdict on my partner's reflection of my answer. */
  judgeReflection(promptId: string, verdict: ReflectionVerdict['verdict']): void {
    const heard = seatDoc.heard(this.docs[this.partner], promptId).toString();
    const doc = this.docs[this.you];
    doc.transact(() => seatDoc.verdicts(doc).set(promptId, { verdict, heard, at: Date.now() }), LOCAL_ORIGIN);
  }

  destroy(): void {
    this.removeListeners();
    for (const provider of this.providers) provider.destroy();
    this.socket.close();
    for (const doc of Object.values(this.docs)) doc.destroy();
  }

  private countProviders(): void {
    this.providersUp = this.providers.filter((p) => p.wsconnected && p.synced).length;
    this.noteLive();
  }

  /** True once the seat's document has caught up with the server (y-websocket sets it after step 2). */
  private isSynced(seat: Seat): boolean {
    return this.providers[DOC_ORDER.indexOf(seat)]?.synced ?? false;
  }

  private noteLive(): void {
    if (this.socketUp && this.providersUp === this.providers.length) this.everLive = true;
  }

  private reportActivity(): void {
    const now = Date.now();
    if (now - this.lastActivity < ACTIVITY_EVERY_MS) return;
    this.lastActivity = now;
    if (this.socket.connected) this.socket.emit('presence:active');
  }

  private end(reason: Exclude<SessionEnd, null>, message: string): void {
    if (this.ended) return;
    this.ended = reason;
    this.endMessage = message;
    for (const provider of this.providers) provider.disconnect();
    this.socket.close();
  }
}
