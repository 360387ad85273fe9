/**
 * [RECON2] How long to wait before the next attempt after `attempt` failed ones: exponential from
 * `baseMs`, never above `maxMs`, never sooner than the server's own `hintMs` (its Retry-After).
 * "Equal jitter": half the step is fixed, half random, so two partners dropped at once don't come
 * back in the same millisecond, and a server that keeps refusing is asked ever less often.
 */
export function backoffDelay(
  attempt: number,
  { baseMs = 500, maxMs = 30_000, hintMs = 0 }: { baseMs?: number; maxMs?: number; hintMs?: number } = {},
  random = Math.random
): number {
  const step = Math.min(maxMs, baseMs * 2 ** Math.max(0, Math.min(attempt, 30)));
  const jittered = step / 2 + (random() * step) / 2;
  return Math.round(Math.min(maxMs, Math.max(hintMs, jittered)));
}
