/**
 * `pnpm bench -- --nodes 2`: pairboard as a cluster, through the test cluster helper's processes
 * (tests/helpers/cluster.ts: a throw-away Postgres, two real nodes, HAProxy with deploy/haproxy.cfg),
 * answering as one RunningTarget: its url is the proxy's; its CPU is every process of the cluster
 * (both nodes, HAProxy, Postgres and the backends it forked); its heap is both nodes' summed.
 * On a 2-core machine this is a correctness run (the same load goes through the proxy and the shared
 * database, nothing is lost), not a scaling figure: every process shares the same cores.
 */
import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { startCluster, type TestCluster } from '../helpers/cluster.ts';
import { hasTaskset } from './machine.ts';
import { request, stopProcess } from './processes.ts';
import { LOAD_TEST_LIMITS, type RunningTarget, type ServerStats } from './targets.ts';

/** Clock ticks per second for /proc/<pid>/stat. */
const HZ = 100;

/** Fields after the command name of /proc/<pid>/stat (index 1 = ppid, 11/12 = utime/stime, 13/14 = waited-for children's). */
function statFields(pid: number): string[] | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

function childrenOf(parent: number): number[] {
  const found: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const fields = statFields(Number(entry));
    if (fields && Number(fields[1]) === parent) found.push(Number(entry));
  }
  return found;
}

/** Pins a process and all its threads to one core (children forked later inherit it). */
function pin(pid: number, core: number): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', String(core), String(pid)], { stdio: 'ignore' });
  } catch {
    // gone already, or not allowed: the run says taskset per rig, not per process
  }
}

class ClusterTarget implements RunningTarget {
  readonly kind = 'pairboard' as const;
  private nextId = 0;
  constructor(
    private readonly cluster: TestCluster,
    readonly startMs: number,
    /** Postgres' postmaster: its live children are the backends, checkpointer, WAL writer, … */
    private readonly postmaster: number
  ) {}
  get url() {
    return this.cluster.url;
  }
  get children(): ChildProcess[] {
    return this.cluster.nodes.map((n) => n.process()).filter((c): c is ChildProcess => c !== null);
  }
  private get postgresPids(): number[] {
    return [this.postmaster, ...childrenOf(this.postmaster)];
  }
  get pids(): number[] {
    return [...this.children.map((c) => c.pid!), this.cluster.proxy.pid, ...this.postgresPids];
  }
  async stats(): Promise<ServerStats> {
    const each = await Promise.all(
      this.children.map((child) => {
        const id = ++this.nextId;
        return request<ServerStats>(child, { type: 'stats', id }, 20_000, (r) => r?.type === 'stats' && r.id === id);
      })
    );
    const memory = { ...each[0]!.memory };
    for (const key of Object.keys(memory) as Array<keyof NodeJS.MemoryUsage>) memory[key] = each.reduce((s, x) => s + x.memory[key], 0);
    return { memory, codeBytes: each.reduce((s, x) => s + (x.codeBytes ?? 0), 0), gc: each.every((x) => x.gc) };
  }
  /** The nodes run without the bench's stats preload: their stalls are not measured. */
  async stalls(): Promise<null> {
    return null;
  }
  /**
   * From /proc (10 ms ticks; runs last seconds): the nodes, HAProxy, and Postgres as the
   * postmaster's own time, its live children's, and the time of children it has already reaped.
   */
  async cpuMicros(): Promise<number> {
    const ticks = (pid: number, withReaped: boolean) => {
      const f = statFields(pid);
      if (!f) return 0;
      return Number(f[11]) + Number(f[12]) + (withReaped ? Number(f[13]) + Number(f[14]) : 0);
    };
    let total = ticks(this.postmaster, true);
    for (const pid of childrenOf(this.postmaster)) total += ticks(pid, false);
    for (const pid of [...this.children.map((c) => c.pid!), this.cluster.proxy.pid]) total += ticks(pid, false);
    return (total / HZ) * 1e6;
  }
  async rooms(): Promise<number> {
    const health = await Promise.all(this.cluster.nodes.map((n) => n.health()));
    return health.reduce((s, h) => s + h.loadedRooms, 0);
  }
  async spread(): Promise<string> {
    const health = await Promise.all(this.cluster.nodes.map((n) => n.health()));
    return this.cluster.nodes.map((n, i) => `${n.id} ${health[i]!.loadedRooms} rooms`).join(', ');
  }
  async stop(): Promise<void> {
    // SIGTERM first: a node drains, and --cpu-prof writes its profile only on a clean exit.
    await Promise.all(this.children.map((c) => stopProcess(c, 10_000)));
    await this.cluster.stop();
  }
}

/**
 * Two pairboard nodes on Postgres behind HAProxy, as the bench's stats preload sees them; with a
 * core, every process of the cluster is pinned to it (the load generator has the other one).
 */
export async function startClusterTarget(core: number | null): Promise<RunningTarget> {
  const extra = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const started = performance.now();
  const cluster = await startCluster({
    store: 'postgres',
    nodeArgs: ['--expose-gc', ...extra, '--import', './tests/bench/serverStatsHook.ts'],
    ipc: true,
    env: { NODE_ENV: 'production', PAIRBOARD_BENCH_STATS: '1', ...LOAD_TEST_LIMITS }
  });
  try {
    const [backend] = await cluster.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const postmaster = Number(statFields(backend!.pid)![1]);
    const target = new ClusterTarget(cluster, performance.now() - started, postmaster);
    if (core !== null && hasTaskset()) for (const p of target.pids) pin(p, core);
    return target;
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
