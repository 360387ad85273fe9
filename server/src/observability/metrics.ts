import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per server instance (tests build several servers in one process, so no
 * global default registry). Every module records into the handle it is given; `/metrics` on the
 * loopback-only METRICS_PORT serves `registry.metrics()`.
 */
export type Metrics = ReturnType<typeof createMetrics>;

/** Why something from the network was refused; one label value per reason, a closed set. */
export type RefusalReason =
  | 'bad-frame'
  | 'bad-update'
  | 'read-only'
  | 'too-large'
  | 'rate-limited'
  | 'too-many-connections'
  | 'slow-reader'
  | 'handshake-timeout'
  | 'unauthenticated'
  | 'origin'
  | 'board-full'
  | 'board-deleted'
  | 'bad-request'
  | 'board-moved'
  | 'handler-error';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'pairboard_process_', eventLoopMonitoringPrecision: 20 });
  return {
    registry,
    connections: new Gauge({
      name: 'pairboard_connections',
      help: 'Open connections by kind',
      labelNames: ['kind'] as const,
      registers: [registry]
    }),
    roomsLoaded: new Gauge({ name: 'pairboard_rooms_loaded', help: 'Documents held in memory', registers: [registry] }),
    updates: new Counter({ name: 'pairboard_updates_total', help: 'Document updates accepted and stored', registers: [registry] }),
    flushSeconds: new Histogram({
      name: 'pairboard_flush_seconds',
      help: 'Time to write one event-loop turn of updates to the store',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
      registers: [registry]
    }),
    refusals: new Counter({
      name: 'pairboard_refusals_total',
      help: 'Inputs refused, by reason',
      labelNames: ['reason'] as const,
      registers: [registry]
    }),
    backgroundErrors: new Counter({
      name: 'pairboard_background_errors_total',
      help: 'Errors in background work (checkpoint, flush, unload), by task',
      labelNames: ['task'] as const,
      registers: [registry]
    }),
    quarantinedRows: new Counter({
      name: 'pairboard_quarantined_rows_total',
      help: 'Stored rows that could not be read and were set aside',
      registers: [registry]
    }),
    refuse(reason: RefusalReason): void {
      this.refusals.inc({ reason });
    }
  };
}
