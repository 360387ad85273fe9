import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { SERVER_BUNDLE } from '../../server/scripts/buildServer.mjs';
import { TEST_EDGE_LIMITS } from './server.ts';

const root = path.resolve(import.meta.dirname, '../..');

export type ServerProcess = { url: string; child: ChildProcess; stop(signal?: NodeJS.Signals): Promise<void> };

/**
 * The production entry point as its own process, as `pnpm start` runs it (without the web build):
 * the compiled server, built by the integration project's globalSetup (buildServerOnce.ts).
 */
export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--enable-source-maps', SERVER_BUNDLE], {
    cwd: root,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'info', ...TEST_EDGE_LIMITS, ...env },
    stdio: ['ignore', 'ignore', 'pipe']
  });
  const url = await new Promise<string>((resolve, reject) => {
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${log}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const match = /"msg":"listening","url":"(http:\/\/[^"]+)"/.exec(log);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${log}`)));
  });
  return {
    url,
    child,
    stop: (signal = 'SIGTERM') =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill(signal);
      })
  };
}
