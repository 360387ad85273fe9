import type { Result } from './errors.ts';
import type { GameRoomView } from './games/gameRoom.ts';
import type { SessionView } from './rules/sessionState.ts';
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
}

export interface ClientToServerEvents {
  /** A throttled "I'm still here": keys, pointer, focus. Drives online vs idle. */
  'presence:active': () => void;
  /** A veto, call-it-a-day, agreement or own-prompt action (sessionActionSchema). */
  'session:act': (action: unknown, ack: Ack) => void;
  /** A game-room action (gameRoomClientActionSchema). */
  'game:act': (action: unknown, ack: Ack) => void;
}

/** Socket.IO room of one seat of one board: per-seat views go there. */
export function seatRoom(boardId: string, seat: Seat): string {
  return `${boardId}:${seat}`;
}
