import { z } from 'zod';

/** REST bodies of the device endpoints (`/api/boards/<id>/devices…`), parsed by the server [DEV…]. */

/** A typed or scanned one-time code; its format is checked by `normaliseCode` after this. */
export const redeemDeviceBody = z.union([
  z.object({ code: z.string().max(64, 'That code is too long.') }).strict(),
  z.object({ recovery: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'That recovery link is cut short or changed; copy all of it.') }).strict()
]);
export type RedeemDeviceBody = z.infer<typeof redeemDeviceBody>;

export const renameDeviceBody = z.object({ name: z.string().max(200, 'That name is too long.') }).strict();

/** Device ids: `first` or 11 base64url characters (64 random bits). */
export const deviceIdSchema = z.string().regex(/^(first|[A-Za-z0-9_-]{11})$/, 'No such browser.');

export type DeviceCodeIssued = { code: string; expiresAt: number };
export type RecoveryIssued = { recovery: string };
