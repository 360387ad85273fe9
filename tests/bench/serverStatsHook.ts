/**
 * Bench-only statistics channel, preloaded into the production server with
 * `--expose-gc --import ./tests/bench/serverStatsHook.ts`: when the process was spawned with an IPC
 * channel, `{ type: 'stats' }` is answered with process.memoryUsage() after a full GC, and
 * `{ type: 'cpu' }` with process.cpuUsage() (µs, no GC: it is read around timed runs).
 * Nothing in server/ knows about it; without the preload (every normal start) it does not exist.
 */
export function installStatsChannel(extra: () => Record<string, unknown> = () => ({})): void {
  if (!process.send) return;
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type === 'cpu') {
      const cpu = process.cpuUsage();
      process.send!({ type: 'cpu', id: message.id, micros: cpu.user + cpu.system });
      return;
    }
    if (message?.type !== 'stats') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      // Twice: the first pass can leave weak-callback garbage for the second.
      gc();
      gc();
    }
    process.send!({ type: 'stats', id: message.id, memory: process.memoryUsage(), gc: Boolean(gc), ...extra() });
  });
}

if (process.env.PAIRBOARD_BENCH_STATS === '1') installStatsChannel();
