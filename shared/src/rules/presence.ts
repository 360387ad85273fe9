/** [PRES1–3] Presence is derived, never stored: connections plus the last sign of activity. */
export type PresenceStatus = 'online' | 'idle' | 'gone';

export const IDLE_AFTER_MS = 60_000;

export function presenceOf(openConnections: number, lastActiveAt: number, now: number): PresenceStatus {
  if (openConnections === 0) return 'gone';
  return now - lastActiveAt >= IDLE_AFTER_MS ? 'idle' : 'online';
}
