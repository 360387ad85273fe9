import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, isPortOpen } from './ports.ts';

/**
 * HAProxy in front of test nodes, started with the config we ship (deploy/haproxy.cfg) and the
 * environment it documents. Missing binary FAILS with a clear message: never a silent skip.
 */
export const HAPROXY_CONFIG = path.resolve(import.meta.dirname, '../../deploy/haproxy.cfg');

export type TestHaproxy = { url: string; port: number; pid: number; stop(): Promise<void>; log(): string };

export function haproxyBinary(): string {
  const candidates = [process.env.HAPROXY_BIN, '/usr/sbin/haproxy', '/usr/local/sbin/haproxy'].filter(Boolean) as string[];
  const found = candidates.find((file) => fs.existsSync(file));
  if (!found) {
    throw new Error(`HAProxy was not found in ${candidates.join(', ')}. Install it with \`apt-get install -y haproxy\` (.ci/run does) or set HAPROXY_BIN.`);
  }
  return found;
}

export function haproxyEnv(port: number, node1: string, node2: string): Record<string, string> {
  return { PB_PROXY_PORT: String(port), PB_NODE1: node1, PB_NODE2: node2 };
}

/** `haproxy -c` on the shipped config: the exit code and what it said. */
export function checkHaproxyConfig(env: Record<string, string>): { ok: boolean; output: string } {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PB_'))) as Record<string, string>;
  const result = spawnSync(haproxyBinary(), ['-c', '-f', HAPROXY_CONFIG], { env: { ...clean, ...env }, encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}

/** Starts HAProxy (foreground, -db) for nodes given as host:port; resolves once it accepts. */
export async function startHaproxy(options: { node1: string; node2: string; port?: number }): Promise<TestHaproxy> {
  const binary = haproxyBinary();
  const port = options.port ?? (await freePort());
  const child = spawn(binary, ['-db', '-f', HAPROXY_CONFIG], {
    env: { ...process.env, ...haproxyEnv(port, options.node1, options.node2) },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stopNow = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  };
  process.once('exit', stopNow);

  const deadline = Date.now() + 10_000;
  while (!(await isPortOpen(port))) {
    if (child.exitCode !== null) throw new Error(`haproxy exited with ${child.exitCode}:\n${log}`);
    if (Date.now() > deadline) {
      stopNow();
      throw new Error(`haproxy did not listen on ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    log: () => log,
    async stop() {
      process.off('exit', stopNow);
      if (child.exitCode === null && child.signalCode === null) {
        // SIGUSR1 is HAProxy's soft stop; SIGTERM its hard stop: no need to wait for sessions here.
        child.kill('SIGTERM');
        await exited;
      }
    }
  };
}
