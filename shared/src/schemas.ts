import { z } from 'zod';
import { PROTOCOL_VERSION } from './protocol.ts';
import { normaliseName } from './rules/seatRules.ts';
import { SEATS } from './seats.ts';

/** zod schemas of the HTTP bodies and the Socket.IO handshake (the server validates with them). */

/** Board ids: 128 random bits, base64url. */
export const boardIdSchema = z.string().regex(/^[A-Za-z0-9_-]{22}$/, 'Not a board link.');

export const seatSchema = z.enum(SEATS);

/** [SEAT6] The one name rule is `normaliseName`; the schema only carries its verdict to zod. */
export const displayNameSchema = z.string().transform((raw, ctx) => {
  const named = normaliseName(raw);
  if (named.ok) return named.name;
  ctx.addIssue({ code: 'custom', message: named.message });
  return z.NEVER;
});

// ---- REST: /api ----

export const createBoardBody = z.object({ name: displayNameSchema, seat: seatSchema });

export const joinBoardBody = z.object({ name: displayNameSchema, seat: seatSchema.optional() });

export const handshakeAuthSchema = z.object({
  boardId: boardIdSchema,
  protocol: z.literal(PROTOCOL_VERSION)
});
