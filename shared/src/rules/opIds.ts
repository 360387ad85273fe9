import { fail, type Failure, type Success } from '../errors.ts';
import type { Seat } from '../seats.ts';

/**
 * Socket.IO is at-most-once; a client that retries after a lost ack makes it at-least-once. Each
 * action carries a client-made `opId`, and state remembers the last few, so a retry is a no-op
 * success instead of a second vote or an `AlreadyDone`. Kept per seat so one partner can never
 * swallow the other's action by reusing its id. Bounded: a retry comes within seconds, not after
 * dozens of other actions. [OPID1] Every server-decided feature dedupes through `applyOnce`, and
 * each feature's state stores its recent ops once.
 */
export const RECENT_OPS_KEPT = 64;
export const OP_ID_MAX = 64;

export type RecentOps = string[];

function opKey(actor: Seat, opId: string): string {
  return `${actor}:${opId}`;
}

export function isOpId(opId: unknown): opId is string {
  return typeof opId === 'string' && opId.length > 0 && opId.length <= OP_ID_MAX;
}

export function seenOp(recent: readonly string[], actor: Seat, opId: string): boolean {
  return recent.includes(opKey(actor, opId));
}

/** The list with this op added at the end, oldest dropped beyond RECENT_OPS_KEPT. */
export function rememberOp(recent: readonly string[], actor: Seat, opId: string): RecentOps {
  return [...recent, opKey(actor, opId)].slice(-RECENT_OPS_KEPT);
}

/** What `applyOnce` answers: a refusal, a retry of an applied op, or the rule's result plus the ops to store. */
export type Once<R extends object> = Failure | Success<{ duplicate: true }> | Success<R & { duplicate?: never; recentOps: RecentOps }>;

/**
 * [OPID1] The one op-id dedupe: refuse an unusable id, answer a retry of an applied op as a no-op
 * success, else run the rule and hand back the ops list to store with its new state. A refused op
 * is not remembered, so a corrected retry still counts.
 */
export function applyOnce<R extends object>(recent: readonly string[], actor: Seat, opId: unknown, apply: () => Failure | Success<R>): Once<R> {
  if (!isOpId(opId)) return fail('BadRequest', `Every action needs an operation id of 1 to ${OP_ID_MAX} characters.`);
  if (seenOp(recent, actor, opId)) return { ok: true, duplicate: true };
  const applied = apply();
  if (!applied.ok) return applied;
  return { ...applied, recentOps: rememberOp(recent, actor, opId) };
}
