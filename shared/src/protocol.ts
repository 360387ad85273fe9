import { z } from 'zod';
import type { Result } from './errors.ts';
import type { GameRoomView } from './games/gameRoom.ts';
import type { SessionView } from './rules/sessionState.ts';
import { LIMITS } from './limits.ts';
import type { PresenceStatus } from './rules/presence.ts';
import { SEATS, type Seat } from './seats.ts';

/** Bumped on any incompatible change to the events below; the server refuses other versions. */
export const PROTOCOL_VERSION = 1;

/** Path prefixes of the realtime endpoints on the one HTTP server. */
export const YJS_PATH = '/yjs';
export const SOCKET_IO_PATH = '/socket.io';

/** Cookie holding a browser's seat secret for one board (never part of the link). */
export function seatCookieName(boardId: string): string {
  return `pb_seat_${boardId}`;
}

/** Board ids: 128 random bits, base64url. */
export const boardIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'Not a board link.');

export const seatSchema = z.enum(SEATS);

export const displayNameSchema = z
  .string()
  .transform((s) => s.replace(/\s+/g, ' ').trim())
  .pipe(
    z
      .string()
      .min(1, 'Please tell your partner your name.')
      .refine((s) => [...s].length <= LIMITS.displayNameMax, `Names can be at most ${LIMITS.displayNameMax} characters.`)
  );

// ---- REST: /api ----

export const createBoardBody = z.object({ name: displayNameSchema, seat: seatSchema });
export type CreateBoardBody = z.input<typeof createBoardBody>;

export const joinBoardBody = z.object({ name: displayNameSchema, seat: seatSchema.optional() });
export type JoinBoardBody = z.input<typeof joinBoardBody>;

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

export const handshakeAuthSchema = z.object({
  boardId: boardIdSchema,
  protocol: z.literal(PROTOCOL_VERSION)
});
export type HandshakeAuth = z.infer<typeof handshakeAuthSchema>;

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
