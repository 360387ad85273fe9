import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
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
/** An IPC reply as it arrives: only `ok` and `error` are read here; `match` looks at the rest. */
type Reply = { ok?: boolean; error?: string; type?: string; id?: number } | null;

export function request<T>(child: ChildProcess, message: object, timeoutMs: number, match: (reply: Reply) => boolean = () => true): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`no reply to ${JSON.stringify(message).slice(0, 80)} within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (reply: Reply) => {
      if (!match(reply)) return;
      done();
      if (reply && reply.ok === false) reject(new Error(reply.error));
      else resolve(reply as unknown as T);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`process exited (${code}) before replying:\n${stderrOf(child).slice(-2000)}`));
    };
    child.on('message', onMessage);
    child.once('exit', onExit);
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
