import { Router } from 'express';
import type { Logger } from '../log.ts';
import type { Metrics } from '../observability/metrics.ts';
import type { BoardStore } from '../persistence/BoardStore.ts';
import { BackgroundErrors, type BackgroundTask } from './BackgroundErrors.ts';
import { liveness, readiness, type HealthAudience, type HealthSources, type Report } from './health.ts';

export type OperationsDeps = {
  store: BoardStore;
  /** Boards this node holds the lease of (shown by /healthz and /readyz). */
  leasedBoards?(): number;
  metrics: Metrics;
  log: Logger;
  /** Loaded documents, and (once the registry counts them) rows quarantined at load. */
  rooms: { readonly loadedRooms: number; readonly quarantinedRows?: number };
  connections(): { yjs: number; socketio: number };
};

export type Operations = ReturnType<typeof createOperations>;

/**
 * The operator's view of one server [OPS1, OPS2, OPS5]: /healthz and /readyz, the draining flag,
 * the gauges read at scrape time, and the sink for background failures.
 */
export function createOperations(deps: OperationsDeps) {
  const background = new BackgroundErrors(deps.log, deps.metrics);
  const unsubscribe = deps.store.onBackgroundError?.((task, error) => background.record(task as BackgroundTask, error));
  let draining = false;
  const sources: HealthSources = {
    store: deps.store,
    background,
    loadedRooms: () => deps.rooms.loadedRooms,
    connections: deps.connections,
    quarantinedRows: () => deps.rooms.quarantinedRows,
    draining: () => draining,
    ...(deps.leasedBoards ? { leasedBoards: deps.leasedBoards } : {}),
    startedAt: Date.now()
  };

  /** Background errors counted anywhere (some modules count into the metric directly), by task. */
  async function backgroundErrorTotals(): Promise<Record<string, number>> {
    const totals: Record<string, number> = {};
    for (const value of (await deps.metrics.backgroundErrors.get()).values) totals[String(value.labels.task)] = value.value;
    return totals;
  }

  const reports = { '/healthz': liveness, '/readyz': readiness } as const;
  /** A health report for one audience, with the background error totals by task (counts only). */
  async function health(path: keyof typeof reports, audience: HealthAudience): Promise<Report> {
    const { status, body } = await reports[path](sources, audience);
    return { status, body: { ...body, backgroundErrors: await backgroundErrorTotals() } };
  }

  const routes = Router();
  for (const path of Object.keys(reports) as Array<keyof typeof reports>) {
    routes.get(path, async (_req, res) => {
      const { status, body } = await health(path, 'public');
      // Never cached: a proxy must not answer a health check from yesterday.
      res.set('cache-control', 'no-store').status(status).json(body);
    });
  }

  return {
    routes,
    background,
    /**
     * [OPS9] /healthz and /readyz in full (failure messages, why the database is unreachable), for
     * the loopback metrics port only; null for any other path.
     */
    async operatorHealth(path: string): Promise<Report | null> {
      return Object.hasOwn(reports, path) ? health(path as keyof typeof reports, 'operator') : null;
    },
    get draining() {
      return draining;
    },
    /** [OPS3] From now on /readyz answers 503, so balancers stop sending new pairs here. */
    startDraining(): void {
      draining = true;
    },
    /** Gauges that are cheaper to read when scraped than to keep current on every change. */
    refreshGauges(): void {
      const c = deps.connections();
      deps.metrics.connections.set({ kind: 'yjs' }, c.yjs);
      deps.metrics.connections.set({ kind: 'socketio' }, c.socketio);
      deps.metrics.roomsLoaded.set(deps.rooms.loadedRooms);
    },
    dispose(): void {
      unsubscribe?.();
    }
  };
}
