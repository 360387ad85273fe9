import type { Result } from './errors.ts';
import type { GameRoomClientAction, GameRoomView } from './games/gameRoom.ts';
import type { SessionAction, SessionCommand, SessionView } from './rules/sessionState.ts';
import type { PresenceStatus } from './rules/presence.ts';
import type { Seat } from './seats.ts';
import type { createBoardBody, handshakeAuthSchema, joinBoardBody } from './schemas.ts';
import type { z } from 'zod';

/** Bumped on any incompatible change to the events below; the server refuses other versions. */
export const PROTOCOL_VERSION = 1;

/** Path prefixes of the realtime endpoints on the one HTTP server. */
export const YJS_PATH = '/yjs';
export const SOCKET_IO_PATH = '/socket.io';

/** Cookie holding a browser's seat secret for one board (never part of the link). */
export function seatCookieName(boardId: string): string {
  return `pb_seat_${boardId}`;
}

export type CreateBoardBody = z.input<typeof createBoardBody>;
export type JoinBoardBody = z.input<typeof joinBoardBody>;
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

export type SeatSummary = { name: string } | null;

/** What GET /api/boards/:id tells a browser. A browser without a seat on a full board gets BoardFull. */
export type BoardView = {
  id: string;
  createdAt: number;
  /** The seat this browser holds, or null for a visitor who may still take the free seat. */
  you: Seat | null;
  seats: Record<Seat, SeatSummary>;
};

// ---- Socket.IO ----

export type Ack<T extends object = object> = (result: Result<T>) => void;

export type PresenceMap = Record<Seat, PresenceStatus>;

/** Sent to a seat when it connects and whenever something server-decided changes. */
export type BoardSnapshot = {
  you: Seat;
  seats: Record<Seat, SeatSummary>;
  presence: PresenceMap;
};

/** One-off news that the views alone would not make obvious. */
export type SessionNotice = { kind: 'signaturesCleared'; by: Seat };

export interface ServerToClientEvents {
  'board:snapshot': (snapshot: BoardSnapshot) => void;
  'session:view': (view: SessionView) => void;
  'session:notice': (notice: SessionNotice) => void;
  'game:view': (view: GameRoomView) => void;
  'board:seats': (seats: Record<Seat, SeatSummary>) => void;
  'presence:update': (presence: PresenceMap) => void;
  'board:deleted': () => void;
  /** [DEV8] Sent to the browser its seat holder just removed, right before its sockets close. */
  'seat:revoked': (notice: { message: string }) => void;
}

/**
 * What a client sends. The payload types are inferred from the zod schemas that the server parses
 * every payload with (the types say what an honest client sends; the schemas check it).
 */
export interface ClientToServerEvents {
  /** A throttled "I'm still here": keys, pointer, focus. Drives online vs idle. */
  'presence:active': () => void;
  /** A veto, call-it-a-day, agreement or own-prompt action (sessionActionSchema). */
  'session:act': (action: SessionAction, ack: Ack) => void;
  /** A game-room action (gameRoomClientActionSchema). */
  'game:act': (action: GameRoomClientAction, ack: Ack) => void;
}

/** Omit over each member of a union (TypeScript's Omit would merge the members). */
type OmitEach<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A game-room action as the web's `send()` takes it: the op id is added by the sender. */
export type GameCommand = OmitEach<GameRoomClientAction, 'opId'>;

/** Everything a page can ask the server to decide: a misspelt `type` does not compile. */
export type Command = SessionCommand | GameCommand;

/** Game-room commands go on `game:act`, the rest on `session:act`: game actions are namespaced `game:`. */
export function isGameCommand(command: Command): command is GameCommand {
  return command.type.startsWith('game:');
}

/**
 * The seat channel: the Socket.IO room every socket of one seat of one board joins, so per-seat
 * views reach all of that seat's tabs. Called a channel, not a room: a room is a loaded document.
 */
export function seatChannel(boardId: string, seat: Seat): string {
  return `${boardId}:${seat}`;
}
