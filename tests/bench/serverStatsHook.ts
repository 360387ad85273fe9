/**
 * Bench-only statistics channel, preloaded into the production server with
 * `--expose-gc --import ./tests/bench/serverStatsHook.ts`: when the process was spawned with an IPC
 * channel, `{ type: 'stats' }` is answered with process.memoryUsage() after a full GC, and
 * `{ type: 'cpu' }` with process.cpuUsage() (µs, no GC: it is read around timed runs), and
 * `{ type: 'stalls' }` with the longest event-loop block and GC pause since the last such read,
 * `{ type: 'heapsnapshot', path }` by writing a heap snapshot there (for profiling).
 * Nothing in server/ knows about it; without the preload (every normal start) it does not exist.
 */
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';

/**
 * Where a tail comes from: the longest the event loop was blocked, and the longest GC pause, since
 * the last `stalls` read (a run resets them before it starts). The delay monitor samples every
 * 5 ms, a cost both servers pay alike.
 */
function watchStalls(): () => { maxStallMs: number; gcMaxMs: number } {
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  let gcMaxMs = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMaxMs = Math.max(gcMaxMs, entry.duration);
  }).observe({ entryTypes: ['gc'] });
  return () => {
    const read = { maxStallMs: loop.max / 1e6, gcMaxMs };
    loop.reset();
    gcMaxMs = 0;
    return read;
  };
}

export function installStatsChannel(extra: () => Record<string, unknown> = () => ({})): void {
  if (!process.send) return;
  // The bench (or heapProfile) that started this server is gone, however it ended (a SIGPIPE from
  // `| head` skips its cleanup): a server left running would be noise in every later run.
  process.on('disconnect', () => process.exit(0));
  const stalls = watchStalls();
  process.on('message', (message: { type?: string; id?: number }) => {
    if (message?.type === 'stalls') {
      process.send!({ type: 'stalls', id: message.id, ...stalls() });
      return;
    }
    if (message?.type === 'cpu') {
      const cpu = process.cpuUsage();
      process.send!({ type: 'cpu', id: message.id, micros: cpu.user + cpu.system });
      return;
    }
    if (message?.type === 'heapsnapshot') {
      // Where the heap goes, for profiling (tests/bench/heapProfile.ts): a full GC first, as for stats.
      (globalThis as { gc?: () => void }).gc?.();
      const file = v8.writeHeapSnapshot((message as { path?: string }).path);
      process.send!({ type: 'heapsnapshot', id: message.id, file });
      return;
    }
    if (message?.type !== 'stats') return;
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      // Twice: the first pass can leave weak-callback garbage for the second.
      gc();
      gc();
    }
    // Compiled code is reported apart: JIT code compiled while the measured boards typed is the
    // process warming up, not memory a board holds (at 10 boards it was most of the difference).
    const codeBytes = v8
      .getHeapSpaceStatistics()
      .filter((space) => space.space_name.includes('code'))
      .reduce((sum, space) => sum + space.space_used_size, 0);
    process.send!({ type: 'stats', id: message.id, memory: process.memoryUsage(), codeBytes, gc: Boolean(gc), ...extra() });
  });
}

if (process.env.PAIRBOARD_BENCH_STATS === '1') installStatsChannel();
