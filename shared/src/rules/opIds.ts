import { fail, type Failure } from '../errors.ts';
import type { Seat } from '../seats.ts';

/**
 * Socket.IO is at-most-once; a client that retries after a lost ack makes it at-least-once. Each
 * action carries a client-made `opId`, and state remembers the last few, so a retry is a no-op
 * success instead of a second vote or an `AlreadyDone`. Kept per seat so one partner can never
 * swallow the other's action by reusing its id. Bounded: a retry comes within seconds, not after
 * dozens of other actions.
 */
export const RECENT_OPS_KEPT = 64;
export const OP_ID_MAX = 64;

export type RecentOps = string[];

function opKey(actor: Seat, opId: string): string {
  return `${actor}:${opId}`;
}

export function checkOpId(opId: unknown): Failure | null {
  if (typeof opId !== 'string' || opId.length === 0 || opId.length > OP_ID_MAX)
    return fail('BadRequest', `Every action needs an operation id of 1 to ${OP_ID_MAX} characters.`);
  return null;
}

export function seenOp(recent: readonly string[], actor: Seat, opId: string): boolean {
  return recent.includes(opKey(actor, opId));
}

/** The list with this op added at the end, oldest dropped beyond RECENT_OPS_KEPT. */
export function rememberOp(recent: readonly string[], actor: Seat, opId: string): RecentOps {
  return [...recent, opKey(actor, opId)].slice(-RECENT_OPS_KEPT);
}
