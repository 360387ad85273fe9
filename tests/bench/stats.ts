/**
 * The bench's pure statistics: latency from the scheduled send time, percentiles, the median and
 * min–max spread over repetitions, capacity and which side saturated. No I/O, no clocks: unit-tested.
 */

export type LatencySummary = { count: number; p50: number; p95: number; p99: number; max: number };

/** Nearest-rank percentile of an ascending array (q in 0..1); NaN when empty. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil(q * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))]!;
}

export function summarize(latencies: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(latencies).sort();
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : NaN
  };
}

/**
 * Latency as the user feels it: from when the keystroke was *due* (its scheduled time), not from
 * when a busy load generator got round to sending it. A send that left late carries its lateness
 * into the figure instead of hiding the queueing (coordinated omission).
 */
export function latencyFromSchedule(scheduledAt: number, receivedAt: number): number {
  return receivedAt - scheduledAt;
}

/** Late sends: a send that left more than `toleranceMs` after its scheduled time. */
export class LatenessCounter {
  count = 0;
  maxMs = 0;
  constructor(readonly toleranceMs = 1) {}
  note(scheduledAt: number, sentAt: number): void {
    const late = sentAt - scheduledAt;
    if (late > this.maxMs) this.maxMs = late;
    if (late > this.toleranceMs) this.count++;
  }
}

export type Spread = { median: number; min: number; max: number; n: number };

/** Median (mean of the middle two for an even count) with the min and max; NaNs ignored. */
export function spread(values: number[]): Spread {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return { median: NaN, min: NaN, max: NaN, n: 0 };
  const mid = xs.length >> 1;
  const median = xs.length % 2 ? xs[mid]! : (xs[mid - 1]! + xs[mid]!) / 2;
  return { median, min: xs[0]!, max: xs[xs.length - 1]!, n: xs.length };
}

/** Alternating order per repetition so neither server always runs first (A B, B A, A B, …). */
export function orderFor<T>(repetition: number, kinds: readonly T[]): T[] {
  return repetition % 2 === 0 ? [...kinds] : [...kinds].reverse();
}

/** A step passes when every repetition kept p99 under the limit and lost nothing. */
export type CapacityStep = { rate: number; p99s: number[]; lost: number; achieved: number[] };
export function capacityOf(steps: CapacityStep[], p99LimitMs = 50, minRepetitions = 3): { editsPerSec: number; passing: number[] } {
  const passing = steps.filter((s) => s.p99s.length >= minRepetitions && s.lost === 0 && s.p99s.every((p) => p < p99LimitMs)).map((s) => s.rate);
  const best = steps.filter((s) => passing.includes(s.rate)).map((s) => spread(s.achieved).median);
  return { editsPerSec: best.length ? Math.max(...best) : 0, passing };
}

/**
 * Which process ran out of CPU: the one near a full core. If the load generator saturated first,
 * the latency measures the generator, not the server, and the table must say so.
 */
export function saturatedSide(serverCores: number, loadCores: number, full = 0.9): 'server' | 'load' | 'both' | 'neither' {
  const server = serverCores >= full;
  const load = loadCores >= full;
  return server && load ? 'both' : server ? 'server' : load ? 'load' : 'neither';
}

/** Server CPU per relayed edit in microseconds: survives a noisy machine better than latency. */
export function cpuMicrosPerEdit(cpuMicros: number, editsRelayed: number): number {
  return editsRelayed > 0 ? cpuMicros / editsRelayed : NaN;
}

/** Other processes' CPU (cores) in one window: the machine's busy time minus our own processes'. */
export function othersCores(machineBusySeconds: number, ownSeconds: number, windowSeconds: number): number {
  return windowSeconds > 0 ? Math.max(0, (machineBusySeconds - ownSeconds) / windowSeconds) : 0;
}
