import type { Logger } from '../log.ts';
import type { Metrics } from '../observability/metrics.ts';

/** Work nobody awaits: a failure there has no caller to throw to. */
export type BackgroundTask = 'checkpoint' | 'flush' | 'compact' | 'unload' | 'state-load' | 'metrics' | 'unhandled' | 'signals' | 'lease';

export type RecentFailure = { task: string; message: string; at: string; count: number };

/**
 * [OPS5] Failures of background work are logged once each, counted in
 * `pairboard_background_errors_total{task}` and kept (last per task) so /healthz and /readyz can
 * report a recent failure. Never swallowed, never thrown into the event loop.
 */
export class BackgroundErrors {
  private readonly last = new Map<string, { message: string; at: number; count: number }>();

  constructor(
    private readonly log: Logger,
    private readonly metrics: Metrics,
    private readonly now: () => number = Date.now
  ) {}

  record(task: BackgroundTask, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    const previous = this.last.get(task);
    this.last.set(task, { message, at: this.now(), count: (previous?.count ?? 0) + 1 });
    this.metrics.backgroundErrors.inc({ task });
    this.log.error('background task failed', { task, error: message });
  }

  /** Failures within the last `windowMs`, newest first. */
  recent(windowMs: number): RecentFailure[] {
    const since = this.now() - windowMs;
    return [...this.last.entries()]
      .filter(([, f]) => f.at >= since)
      .sort((a, b) => b[1].at - a[1].at)
      .map(([task, f]) => ({ task, message: f.message, at: new Date(f.at).toISOString(), count: f.count }));
  }
}
