import { io, type Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import {
  canWrite,
  CLOSE_CODES,
  DOC_NAMES,
  isGameCommand,
  otherSeat,
  PROTOCOL_VERSION,
  roomName,
  SOCKET_IO_PATH,
  YJS_PATH,
  type BoardExport,
  type ClientToServerEvents,
  type Command,
  type DocName,
  type GameRoomView,
  type PresenceMap,
  type Result,
  type Seat,
  type SeatSummary,
  type ServerToClientEvents,
  type SessionNotice,
  type SessionView
} from '@pairboard/shared';
import { AckTracker, LocalDocs } from './offlineSync.ts';
import { backoffDelay } from './backoff.ts';
import { TimeCapsule } from './timeCapsule.svelte.ts';
import { RevealTogether } from './revealTogether.svelte.ts';
import { Agenda, Agreement, Answers, Games, Goals, Listening, Meetings, newOpId, NextSteps, OwnPrompts, type DocAccess } from './boardFeatures.svelte.ts';

export type ConnectionState = 'connecting' | 'live' | 'offline';
/** Why the live board ended for good; the page shows a friendly screen for each. */
export type BoardEnd = 'deleted' | 'refused' | null;

/**
 * How the engine reaches the server. A browser needs none of it (same origin, its own WebSocket
 * and cookies); node (the engine's unit tests) passes the server's origin, a WebSocket class and
 * the headers a browser would send.
 */
export type LiveBoardTransport = {
  origin?: string;
  WebSocket?: unknown;
  headers?: Record<string, string>;
  /** Reconnect backoff ceiling (the providers', Socket.IO's and the page's own); tests shorten it. */
  maxBackoffMs?: number;
};

const ACTIVITY_EVERY_MS = 15_000;
/** [OFF6] Refusals that mean this browser has no seat here (any more): its local copy goes. */
const ERASING_REFUSALS = new Set(['BoardFull', 'NotSeated', 'NotFound', 'DeviceRevoked']);
const SEND_ATTEMPTS = 4;
const REVOKED_SENTENCE = 'This browser was removed from your seat, from another of your browsers. Nothing of the board is kept here.';
const ACK_TIMEOUT_MS = 5_000;

/**
 * The page's live engine for one seated browser: the Socket.IO channel for server-decided state
 * and one y-websocket provider per board document, all #private. Components get feature handles
 * (answers, listening, goals, meetings, agreement, ownPrompts, games) with live fields and
 * commands, and `send()` for server-decided actions; they never touch a socket or a Y.Doc.
 */
export class LiveBoard {
  presence = $state<PresenceMap>({ mentor: 'gone', mentee: 'gone' });
  seats = $state<Record<Seat, SeatSummary>>({ mentor: null, mentee: null });
  ended = $state<BoardEnd>(null);
  endMessage = $state('');
  /** A lasting problem the person must know about (typing that can no longer be saved). */
  problem = $state<string | null>(null);
  /** [OFF5] Local edits the server has not acknowledged yet (the page warns before closing). */
  unsynced = $state(false);
  /** The latest one-off notice, for a toast. */
  notice = $state<{ id: number; notice: SessionNotice } | null>(null);

  readonly partner: Seat;
  readonly answers: Answers;
  readonly listening: Listening;
  readonly goals: Goals;
  readonly meetings: Meetings;
  readonly agreement: Agreement;
  readonly ownPrompts: OwnPrompts;
  readonly games: Games;
  readonly agenda: Agenda;
  readonly nextSteps: NextSteps;
  readonly timeCapsule: TimeCapsule;
  readonly reveal: RevealTogether;

  readonly #docs: Record<DocName, Y.Doc>;
  readonly #providers: WebsocketProvider[];
  readonly #socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly #localDocs: LocalDocs;
  readonly #ackTrackers: AckTracker[] = [];
  #destroyed = false;
  /** Server-decided state as this seat may see it (null until the first view arrives). */
  #session = $state<SessionView | null>(null);
  #games = $state<GameRoomView | null>(null);
  #socketUp = $state(false);
  #providersUp = $state(0);
  #everLive = $state(false);
  /** The socket could not reach the server at all (no answer, not a refusal). */
  #unreachable = $state(false);
  #online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);
  #lastActivity = 0;
  #deletingHere = false;
  #removeListeners: () => void = () => {};
  /** [RECON1][RECON2] The page's own socket reconnect: one timer at a time, its attempts since the last connect. */
  #reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  #reconnectAttempts = 0;
  readonly #reconnectBackoff: { baseMs?: number; maxMs?: number };

  /** Honest connection state: live only when the socket and every document are connected and synced. */
  connection = $derived.by<ConnectionState>(() => {
    if (this.#socketUp && this.#providersUp === this.#providers.length) return 'live';
    return this.#everLive || !this.#online || this.#unreachable ? 'offline' : 'connecting';
  });

  /** [RECON1] Was live, the browser is online, and the board is on its way back (not ended): the badge says "reconnecting". */
  reconnecting = $derived(this.ended === null && this.#everLive && this.#online && this.connection !== 'live');

  constructor(
    readonly boardId: string,
    readonly you: Seat,
    transport: LiveBoardTransport = {}
  ) {
    this.partner = otherSeat(you);
    this.#reconnectBackoff = transport.maxBackoffMs ? { baseMs: transport.maxBackoffMs / 4, maxMs: transport.maxBackoffMs } : {};
    this.#docs = { mentor: new Y.Doc(), mentee: new Y.Doc(), shared: new Y.Doc() };

    const access: DocAccess = { docs: this.#docs, you, partner: this.partner, isSynced: (seat) => this.#isSynced(seat) };
    this.answers = new Answers(access, () => this.#session?.reveal);
    this.listening = new Listening(access);
    this.goals = new Goals(access);
    this.games = new Games(() => this.#games);
    this.meetings = new Meetings(
      () => this.#session,
      access,
      () => this.games.results
    );
    this.agreement = new Agreement(() => this.#session);
    this.ownPrompts = new OwnPrompts(() => this.#session);
    this.reveal = new RevealTogether(() => this.#session);
    this.agenda = new Agenda(access);
    this.nextSteps = new NextSteps(access);
    this.timeCapsule = new TimeCapsule(
      access,
      () => this.#session,
      () => this.#providers[DOC_NAMES.indexOf('shared')]?.synced ?? false
    );

    const origin = transport.origin ?? location.origin;
    const wsBase = `${origin.replace(/^http/, 'ws')}${YJS_PATH}`;
    // [OFF2] The local copy loads first, so what was typed offline goes out in the first sync.
    this.#localDocs = new LocalDocs(boardId, you, this.#docs);
    this.#providers = DOC_NAMES.map((name) => {
      const provider = new WebsocketProvider(wsBase, roomName(boardId, name), this.#docs[name], {
        connect: false,
        disableBc: true,
        maxBackoffTime: transport.maxBackoffMs ?? 5_000,
        ...(transport.WebSocket ? { WebSocketPolyfill: transport.WebSocket as typeof WebSocket } : {})
      });
      provider.on('sync', () => {
        this.#countProviders();
        this.timeCapsule.capture(this.goals);
      });
      provider.on('status', () => this.#countProviders());
      provider.on('connection-close', (event) => {
        // [OPS3] A restart or deploy: nothing was lost; the provider keeps retrying from its
        // shortest backoff (0.1 s, doubling to the cap) and resyncs whatever was typed meanwhile.
        if (event?.code === CLOSE_CODES.ServerRestarting) return;
        if (event?.code === CLOSE_CODES.BoardDeleted) this.#end('deleted', this.#deletedSentence());
        // [DEV8] This browser was removed from its seat: stop, say so, keep nothing of the board.
        if (event?.code === CLOSE_CODES.DeviceRevoked) this.#end('refused', REVOKED_SENTENCE, true);
        // Refusals that a retry would only repeat: stop, and say so instead of looping.
        if (event?.code === CLOSE_CODES.TooLarge || event?.code === CLOSE_CODES.ReadOnly) {
          provider.disconnect();
          this.problem = event.reason || 'The server refused a change; new typing here is not being saved.';
        }
      });
      if (canWrite(name, you)) this.#ackTrackers.push(new AckTracker(provider, this.#docs[name], () => this.#noteUnsynced()));
      return provider;
    });
    void this.#localDocs.ready.then(() => {
      if (this.#destroyed || this.ended) return;
      for (const provider of this.#providers) provider.connect();
    });

    this.#socket = io(transport.origin ?? '', {
      path: SOCKET_IO_PATH,
      transports: ['websocket'],
      // [LEASE7] The proxy routes a board's every URL by its id, this one by `board`.
      query: { board: boardId },
      auth: { boardId, protocol: PROTOCOL_VERSION },
      ...(transport.headers ? { extraHeaders: transport.headers } : {}),
      ...(transport.maxBackoffMs ? { reconnectionDelayMax: transport.maxBackoffMs, reconnectionDelay: transport.maxBackoffMs / 2 } : {})
    });
    this.#listen();
    if (typeof window !== 'undefined') this.#watchActivity();
  }

  /**
   * Sends a server-decided action and resolves with the server's verdict. The op id stays the same
   * across retries, so an action whose ack was lost is applied once (the server dedupes by it).
   */
  async send(command: Command): Promise<Result> {
    const opId = newOpId();
    for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
      if (this.ended) break;
      if (!this.#socket.connected) await new Promise((r) => setTimeout(r, 500 * (attempt + 1)));
      try {
        const timed = this.#socket.timeout(ACK_TIMEOUT_MS);
        return isGameCommand(command)
          ? await timed.emitWithAck('game:act', { ...command, opId })
          : await timed.emitWithAck('session:act', { ...command, opId });
      } catch {
        // Timed out: the action may or may not have landed. Retrying with the same op id is safe.
      }
    }
    return {
      ok: false,
      code: 'Internal',
      message: 'Could not reach pairboard, so your action may not have gone through. Check again when you are back online.'
    };
  }

  /**
   * Deletes the board for both. Only the two seats can delete, so when the news arrives the page
   * knows who did it: us if we asked, else the partner [GUIDE12].
   */
  async deleteForBoth(): Promise<Result> {
    this.#deletingHere = true;
    const { api } = await import('$lib/api');
    const result = await api.deleteBoard(this.boardId);
    if (!result.ok) this.#deletingHere = false;
    return result;
  }

  /** Everything the page knows of the board, for the Markdown export (its code loads on demand). */
  async collectExport(): Promise<BoardExport> {
    const { collectBoardExport } = await import('./boardExport.ts');
    return collectBoardExport({
      you: this.you,
      docs: this.#docs,
      goals: this.goals,
      seats: this.seats,
      session: this.#session,
      gameResults: this.games.results,
      nextSteps: this.nextSteps
    });
  }

  destroy(): void {
    this.#destroyed = true;
    this.#removeListeners();
    for (const tracker of this.#ackTrackers) tracker.destroy();
    this.#localDocs.destroy();
    for (const provider of this.#providers) provider.destroy();
    clearTimeout(this.#reconnectTimer);
    this.#socket.close();
    for (const doc of Object.values(this.#docs)) doc.destroy();
  }

  #listen(): void {
    const socket = this.#socket;
    socket.on('connect', () => {
      this.#socketUp = true;
      this.#unreachable = false;
      this.#reconnectAttempts = 0;
      this.#noteLive();
    });
    socket.on('disconnect', (reason) => {
      this.#socketUp = false;
      // [RECON1] The server closed this socket on purpose (a kick, a board handed over, too many
      // tabs racing): Socket.IO never reconnects after that by itself, so the page does. A deleted
      // board or a revoked seat was said just before (board:deleted, seat:revoked) and has ended
      // the board; a seat that is gone is refused at the next handshake, which ends it for good.
      if (reason === 'io server disconnect') this.#reconnectSoon();
    });
    socket.on('connect_error', (error) => {
      const data = (error as Error & { data?: { code: string; message: string; retryAfterMs?: number } }).data;
      // [OFF4] Opened without a network (a board from its local copy): offline, not "connecting".
      if (!data) this.#unreachable = true;
      // [LEASE9] Another server holds the board for a moment (a failover) or could not answer:
      // Socket.IO does not retry a refused handshake by itself, so try again shortly.
      if (data?.code === 'BoardMoved' || data?.code === 'Internal') {
        this.#reconnectSoon(data.retryAfterMs);
        return;
      }
      // Deleted while this page was away: who did it is not known here, only that it is gone.
      if (data?.code === 'BoardDeleted') this.#end('deleted', 'Everything on it was erased, for both of you.');
      else if (data && data.code !== 'Internal') this.#end('refused', data.message, ERASING_REFUSALS.has(data.code));
    });
    socket.on('board:snapshot', (snapshot) => {
      this.seats = snapshot.seats;
      this.presence = snapshot.presence;
    });
    socket.on('board:seats', (seats) => (this.seats = seats));
    socket.on('presence:update', (presence) => (this.presence = presence));
    socket.on('board:deleted', () => this.#end('deleted', this.#deletedSentence()));
    socket.on('seat:revoked', () => this.#end('refused', REVOKED_SENTENCE, true));
    socket.on('session:view', (view) => {
      this.#session = view;
      this.timeCapsule.capture(this.goals); // [CAPS1] the snapshot moment is server-decided
    });
    socket.on('game:view', (view) => (this.#games = view));
    socket.on('session:notice', (notice) => (this.notice = { id: Date.now(), notice }));
  }

  /**
   * [RECON2] One reconnect, after a bounded exponential backoff with jitter (never sooner than the
   * server's hint): a server that keeps refusing is asked ever less often, at most every `maxMs`.
   */
  #reconnectSoon(hintMs = 0): void {
    if (this.#reconnectTimer !== undefined || this.#destroyed || this.ended) return;
    const delay = backoffDelay(this.#reconnectAttempts++, { ...this.#reconnectBackoff, hintMs });
    this.#reconnectTimer = setTimeout(() => {
      this.#reconnectTimer = undefined;
      if (!this.#destroyed && !this.ended && !this.#socket.active) this.#socket.connect();
    }, delay);
  }

  /** Keys, pointer and focus say "still here" (throttled); the network events feed `connection`. */
  #watchActivity(): void {
    const onActivity = () => this.#reportActivity();
    const onNetwork = () => (this.#online = navigator.onLine);
    // [OFF5] Closing with edits the server has not acknowledged: the browser asks first.
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!this.unsynced || this.ended) return;
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    for (const type of ['keydown', 'pointerdown', 'focus']) window.addEventListener(type, onActivity, { passive: true });
    window.addEventListener('online', onNetwork);
    window.addEventListener('offline', onNetwork);
    this.#removeListeners = () => {
      for (const type of ['keydown', 'pointerdown', 'focus']) window.removeEventListener(type, onActivity);
      window.removeEventListener('online', onNetwork);
      window.removeEventListener('offline', onNetwork);
      window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }

  #countProviders(): void {
    this.#providersUp = this.#providers.filter((p) => p.wsconnected && p.synced).length;
    this.#noteLive();
  }

  /** True once the seat's document has caught up with the server (y-websocket sets it after step 2). */
  #isSynced(seat: Seat): boolean {
    return this.#providers[DOC_NAMES.indexOf(seat)]?.synced ?? false;
  }

  #noteLive(): void {
    if (this.#socketUp && this.#providersUp === this.#providers.length) this.#everLive = true;
  }

  #reportActivity(): void {
    const now = Date.now();
    if (now - this.#lastActivity < ACTIVITY_EVERY_MS) return;
    this.#lastActivity = now;
    if (this.#socket.connected) this.#socket.emit('presence:active');
  }

  /** [GUIDE12] One sentence: who deleted the board and when (the title already says it was deleted). */
  #deletedSentence(): string {
    const time = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit', day: 'numeric', month: 'short' }).format(Date.now());
    const who = this.#deletingHere ? 'You' : (this.seats[this.partner]?.name ?? 'Your partner');
    return `${who} deleted it on ${time}, and everything on it was erased for both of you.`;
  }

  #noteUnsynced(): void {
    this.unsynced = this.#ackTrackers.some((tracker) => tracker.pending);
  }

  #end(reason: Exclude<BoardEnd, null>, message: string, eraseLocal = reason === 'deleted'): void {
    if (this.ended) return;
    this.ended = reason;
    this.endMessage = message;
    // [OFF6] A deleted board or a refused seat leaves nothing of the board on this device.
    if (eraseLocal) void this.#localDocs.erase();
    for (const provider of this.#providers) provider.disconnect();
    clearTimeout(this.#reconnectTimer);
    this.#socket.close();
  }
}
export { newOpId, type ActionItem, type Goal } from './boardFeatures.svelte.ts';
