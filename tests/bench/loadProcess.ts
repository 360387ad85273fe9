import type { ChildProcess } from 'node:child_process';
import type { Command } from './loadClient.ts';
import { request, spawnNode, stopProcess } from './processes.ts';

/** The load generator as its own process (pinned to its own core), driven over IPC. */
export class LoadProcess {
  private constructor(readonly child: ChildProcess) {}

  static async start(core: number | null): Promise<LoadProcess> {
    const extra = (process.env.BENCH_CLIENT_FLAGS ?? '').split(' ').filter(Boolean);
    const child = spawnNode(core, ['--max-old-space-size=4096', ...extra, '--import', 'tsx', 'tests/bench/loadClient.ts']);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('load client did not start')), 30_000);
      child.once('message', () => {
        clearTimeout(timer);
        resolve();
      });
      child.once('exit', (code) => reject(new Error(`load client exited ${code}`)));
    });
    return new LoadProcess(child);
  }

  async send<T>(command: Command, timeoutMs: number): Promise<T> {
    const reply = await request<{ result: T }>(this.child, command, timeoutMs);
    return reply.result;
  }

  async stop(): Promise<void> {
    try {
      await request(this.child, { cmd: 'exit' }, 5_000);
    } catch {
      // already gone
    }
    await stopProcess(this.child, 2_000);
  }
}
