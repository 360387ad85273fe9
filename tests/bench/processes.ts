import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { hasTaskset } from './machine.ts';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A free loopback port (the kernel picks it; we release it straight away). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Runs node with the given args pinned to one core (when taskset exists), with an IPC channel. */
export function spawnNode(core: number | null, args: string[], env: Record<string, string> = {}): ChildProcess {
  const node = [process.execPath, ...args];
  const [cmd, ...rest] = core !== null && hasTaskset() ? ['taskset', '-c', String(core), ...node] : node;
  const child = spawn(cmd!, rest, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'pipe', 'ipc'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    if (stderr.length > 20_000) stderr = stderr.slice(-10_000);
  });
  (child as ChildProcess & { stderrText: () => string }).stderrText = () => stderr;
  return child;
}

export function stderrOf(child: ChildProcess): string {
  return (child as ChildProcess & { stderrText?: () => string }).stderrText?.() ?? '';
}

/** Sends one IPC request and waits (bounded) for the first reply that matches. */
export function request<T>(child: ChildProcess, message: object, timeoutMs: number, match: (reply: any) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`no reply to ${JSON.stringify(message).slice(0, 80)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: any) => {
      if (!match(reply)) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      if (reply && reply.ok === false) reject(new Error(reply.error));
      else resolve(reply as T);
    };
    child.on('message', onMessage);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`process exited (${code}) before replying:\n${stderrOf(child).slice(-2000)}`));
    });
    child.send(message);
  });
}

export function stopProcess(child: ChildProcess, timeoutMs = 5_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${stderrOf(child).slice(-2000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) {
        await res.arrayBuffer();
        return performance.now() - started;
      }
    } catch {
      // not listening yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`server not healthy after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export type ServerKind = 'pairboard' | 'baseline';
export type RunningServer = { kind: ServerKind; url: string; child: ChildProcess; dataDir: string | null; startMs: number };

/**
 * pairboard exactly as `pnpm start` runs it (production env, built app, SQLite in a temp
 * DATA_DIR, seat auth on), plus --expose-gc and the bench's stats preload; or the baseline relay.
 */
export async function startServer(kind: ServerKind, core: number | null, env: Record<string, string> = {}): Promise<RunningServer> {
  // Extra node flags for profiling the servers: BENCH_SERVER_FLAGS="--cpu-prof --cpu-prof-dir=/tmp/prof".
  const extra = (process.env.BENCH_SERVER_FLAGS ?? '').split(' ').filter(Boolean);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let child: ChildProcess;
  let dataDir: string | null = null;
  const spawned = performance.now();
  if (kind === 'pairboard') {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pairboard-bench-'));
    child = spawnNode(core, ['--expose-gc', ...extra, '--import', 'tsx', '--import', './tests/bench/serverStatsHook.ts', 'server/src/index.ts'], {
      NODE_ENV: 'production',
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      LOG_LEVEL: 'warn',
      ORIGIN: url,
      PAIRBOARD_BENCH_STATS: '1',
      ...env
    });
  } else {
    child = spawnNode(core, ['--expose-gc', ...extra, '--import', 'tsx', 'tests/bench/baselineServer.ts'], { PORT: String(port), HOST: '127.0.0.1', ...env });
  }
  await waitForHealth(url, child);
  return { kind, url, child, dataDir, startMs: performance.now() - spawned };
}

export async function stopServer(server: RunningServer): Promise<void> {
  await stopProcess(server.child);
  if (server.dataDir) fs.rmSync(server.dataDir, { recursive: true, force: true });
}

let statsId = 0;
export type ServerStats = { memory: NodeJS.MemoryUsage; gc: boolean };
export function serverStats(server: RunningServer): Promise<ServerStats> {
  const id = ++statsId;
  return request<ServerStats>(server.child, { type: 'stats', id }, 20_000, (r) => r?.type === 'stats' && r.id === id);
}

export async function roomsLoaded(server: RunningServer): Promise<number> {
  const res = await fetch(`${server.url}/healthz`);
  return ((await res.json()) as { rooms: number }).rooms;
}

/** Heap as a board costs it: the JS heap plus ArrayBuffer backing stores (binary updates live there). */
export function heapOf(stats: ServerStats): number {
  return stats.memory.heapUsed + stats.memory.arrayBuffers;
}
