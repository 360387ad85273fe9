/**
 * What the bench runs against: a target starts its server process(es) and answers for them as one
 * (its url, its pids for CPU accounting, heap after a forced GC, CPU time). pairboard and the
 * baseline are single processes; the "cluster" target (clusterTarget.ts: two pairboard nodes behind
 * HAProxy, on Postgres) implements the same interface and sums over its processes.
 */
import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bundleNodeModule, buildServer } from '../../server/scripts/buildServer.mjs';
import { freePort, request, ROOT, spawnNode, stopProcess, waitForHealth } from './processes.ts';

export type ServerKind = 'pairboard' | 'baseline';
export type Stalls = { maxStallMs: number; gcMaxMs: number };
/**
 * A column of the bench: pairboard on one node, the baseline relay, or (with --nodes 2) pairboard
 * as two nodes on Postgres behind HAProxy. The load process drives a cluster as it drives pairboard.
 */
export type Side = ServerKind | 'cluster';
export const loadKindOf = (side: Side): ServerKind => (side === 'baseline' ? 'baseline' : 'pairboard');
/** `codeBytes`: V8's code spaces (JIT-compiled code), part of heapUsed; absent in old results. */
export type ServerStats = { memory: NodeJS.MemoryUsage; codeBytes?: number; gc: boolean };

/** Per-address limits raised for a load test from one address (names as in .env.example). */
export const LOAD_TEST_LIMITS = {
  RATE_LIMIT_API_PER_MINUTE: '1000000',
  RATE_LIMIT_SEAT_PER_MINUTE: '1000000',
  RATE_LIMIT_BOARDS_PER_HOUR: '1000000',
  MAX_ANONYMOUS_SOCKETS_PER_IP: '100000',
  MAX_SOCKETS_PER_IP: '100000'
};

export interface RunningTarget {
  readonly kind: ServerKind;
  readonly url: string;
  readonly startMs: number;
  /** Every server process of the target (for /proc CPU and the noise check). */
  readonly pids: number[];
  readonly children: ChildProcess[];
  /** Heap after a forced full GC, summed over the target's processes. */
  stats(): Promise<ServerStats>;
  /** CPU time (user + system, µs) the target's processes have used so far. */
  cpuMicros(): Promise<number>;
  /** Longest event-loop block and GC pause since the last call (null: not measured for this target). */
  stalls(): Promise<Stalls | null>;
  /** Rooms (documents) loaded, from /healthz. */
  rooms(): Promise<number>;
  /** For a target of several nodes: how the rooms are spread over them, for the log. */
  spread?(): Promise<string>;
  stop(): Promise<void>;
}

/** One node process with the bench's stats channel (serverStatsHook.ts). */
class NodeProcessTarget implements RunningTarget {
  private nextId = 0;
  constructor(
    readonly kind: ServerKind,
    readonly url: string,
    readonly child: ChildProcess,
    readonly startMs: number,
    private readonly dataDir: string | null
  ) {}
  get pids() {
    return [this.child.pid!];
  }
  get children() {
    return [this.child];
  }
  stats(): Promise<ServerStats> {
    const id = ++this.nextId;
    return request<ServerStats>(this.child, { type: 'stats', id }, 20_000, (r) => r?.type === 'stats' && r.id === id);
  }
  async stalls(): Promise<Stalls> {
    const id = ++this.nextId;
    return request<Stalls>(this.child, { type: 'stalls', id }, 10_000, (r) => r?.type === 'stalls' && r.id === id);
  }
  async cpuMicros(): Promise<number> {
    const id = ++this.nextId;
    const reply = await request<{ micros: number }>(this.child, { type: 'cpu', id }, 10_000, (r) => r?.type === 'cpu' && r.id === id);
    return reply.micros;
  }
  async rooms(): Promise<number> {
    const res = await fetch(`${this.url}/healthz`);
    return ((await res.json()) as { rooms: number }).rooms;
  }
  async stop(): Promise<void> {
    await stopProcess(this.child);
    if (this.dataDir) fs.rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/**
 * Both servers compiled the same way, once per bench process: pairboard exactly as `pnpm start`
 * builds it (server/dist/index.mjs), the baseline and the stats preload with the same esbuild
 * settings, so neither pays for tsx's on-the-fly compilation (its keepNames) and the other not.
 */
let compiled: Promise<{ pairboard: string; baseline: string; statsHook: string }> | null = null;
function compileServers() {
  compiled ??= (async () => {
    const dist = path.join(ROOT, 'tests/bench/dist');
    const testsPackage = path.join(ROOT, 'tests/package.json');
    const [pairboard, baseline, statsHook] = await Promise.all([
      buildServer(),
      bundleNodeModule({ entry: path.join(ROOT, 'tests/bench/baselineServer.ts'), outfile: path.join(dist, 'baseline.mjs'), packageJson: testsPackage }),
      bundleNodeModule({ entry: path.join(ROOT, 'tests/bench/serverStatsHook.ts'), outfile: path.join(dist, 'statsHook.mjs'), packageJson: testsPackage })
    ]);
    return { pairboard, baseline, statsHook };
  })();
  return compiled;
}

/**
 * pairboard as `pnpm start` runs it (the compiled server, production env, SQLite in a temp
 * DATA_DIR, seat auth on), plus --expose-gc and the bench's stats preload; or the baseline relay.
 * Extra node flags for profiling: BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
 */
export async function startTarget(kind: ServerKind, core: number | null, env: Record<string, string> = {}): Promise<RunningTarget> {
  const extra = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const entries = await compileServers();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawned = performance.now();
  let child: ChildProcess;
  let dataDir: string | null = null;
  if (kind === 'pairboard') {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-bench-'));
    child = spawnNode(core, ['--expose-gc', ...extra, '--import', entries.statsHook, entries.pairboard], {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ORIGIN: url,
      PAIRBOARD_BENCH_STATS: '1',
      // Thousands of simulated browsers share one address here; in production each has its own.
      // The per-address caps stay in the code path (checked on every request), just not binding.
      ...LOAD_TEST_LIMITS,
      METRICS_PORT: '0',
      ...env
    });
  } else {
    child = spawnNode(core, ['--expose-gc', ...extra, entries.baseline], { PORT: String(port), HOST: '127.0.0.1', ...env });
  }
  try {
    await waitForHealth(url, child);
  } catch (error) {
    child.kill('SIGKILL');
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return new NodeProcessTarget(kind, url, child, performance.now() - spawned, dataDir);
}

/**
 * Heap as a board costs it: the JS heap plus ArrayBuffer backing stores (binary updates live
 * there), without compiled code (the JIT's warm-up, not a board's data; both servers alike).
 */
export function heapOf(stats: ServerStats): number {
  return stats.memory.heapUsed + stats.memory.arrayBuffers - (stats.codeBytes ?? 0);
}
