import { z } from 'zod';
import { LIMITS } from './limits.ts';
import { PROTOCOL_VERSION } from './protocol.ts';
import { SEATS } from './seats.ts';

/** zod schemas of the HTTP bodies and the Socket.IO handshake (the server validates with them). */

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

export const joinBoardBody = z.object({ name: displayNameSchema, seat: seatSchema.optional() });

export const handshakeAuthSchema = z.object({
  boardId: boardIdSchema,
  protocol: z.literal(PROTOCOL_VERSION)
});
