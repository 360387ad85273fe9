/** What readiness asks of the store: one real query. */
export type Pingable = { ping(): Promise<void> };
import type { BackgroundErrors } from './BackgroundErrors.ts';

/** How long a background failure keeps showing in /healthz and /readyz. */
export const RECENT_FAILURE_WINDOW_MS = 5 * 60_000;

export type HealthSources = {
  store: Pingable;
  /** Boards whose lease this node holds [LEASE1] (when it serves boards by lease). */
  leasedBoards?(): number;
  background: BackgroundErrors;
  loadedRooms(): number;
  connections(): { yjs: number; socketio: number };
  /** Stored rows set aside because they could not be read (when the store or rooms count them). */
  quarantinedRows(): number | undefined;
  draining(): boolean;
  startedAt: number;
};

export type Report = { status: 200 | 503; body: Record<string, unknown> };

/**
 * Who asks. `public`: anyone who can reach the app's port (a load balancer, an uptime check, a
 * stranger) gets states and counts only. `operator`: the loopback metrics port [OPS9] also gets the
 * failure messages, which are internal detail (paths, SQL errors, peer addresses).
 */
export type HealthAudience = 'public' | 'operator';

function counters(s: HealthSources) {
  const quarantined = s.quarantinedRows();
  return {
    loadedRooms: s.loadedRooms(),
    connections: s.connections(),
    ...(s.leasedBoards ? { leasedBoards: s.leasedBoards() } : {}),
    ...(quarantined === undefined ? {} : { quarantinedRows: quarantined })
  };
}

/** [OPS5][OPS9] Recent background failures: how many tasks failed lately for all; their messages for the operator. */
function failures(s: HealthSources, audience: HealthAudience) {
  const recent = s.background.recent(RECENT_FAILURE_WINDOW_MS);
  return audience === 'operator' ? { recentFailureCount: recent.length, recentFailures: recent } : { recentFailureCount: recent.length };
}

/**
 * [OPS1] Alive: the process answers. Always 200 while it can answer at all; it carries the counters
 * and how many background tasks failed recently [OPS5] so a person looking sees it. `rooms` stays for
 * old callers.
 */
export function liveness(s: HealthSources, audience: HealthAudience = 'public'): Report {
  const c = counters(s);
  return {
    status: 200,
    body: {
      ok: true,
      draining: s.draining(),
      uptimeSeconds: Math.round((Date.now() - s.startedAt) / 1000),
      rooms: c.loadedRooms,
      yjsConnections: c.connections.yjs,
      ...c,
      ...failures(s, audience)
    }
  };
}

/**
 * [OPS1] Ready to take traffic: the database answers a real query and the server is not draining;
 * else 503, so a load balancer sends new pairs elsewhere. A recent background failure is reported
 * but does not by itself make the node unready: the database check decides whether it can serve.
 * [OPS9] Why the database is unreachable is the operator's to read, not the public's.
 */
export async function readiness(s: HealthSources, audience: HealthAudience = 'public'): Promise<Report> {
  let databaseError: string | null = null;
  try {
    await s.store.ping();
  } catch (error) {
    databaseError = error instanceof Error ? error.message : String(error);
  }
  const draining = s.draining();
  const ready = databaseError === null && !draining;
  return {
    status: ready ? 200 : 503,
    body: {
      ok: ready,
      database: databaseError === null ? 'ok' : 'unreachable',
      ...(audience === 'operator' && databaseError !== null ? { databaseError } : {}),
      draining,
      ...counters(s),
      ...failures(s, audience)
    }
  };
}
