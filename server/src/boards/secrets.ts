import { createHash, randomBytes } from 'node:crypto';

/** [SEAT3] 256-bit seat secrets; only their SHA-256 is stored. */
export function newSeatSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** Board ids: 128 random bits, unguessable and URL-safe (22 characters). */
export function newBoardId(): string {
  return randomBytes(16).toString('base64url');
}
