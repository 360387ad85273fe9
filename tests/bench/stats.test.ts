import { describe, expect, it } from 'vitest';
import { renderChart } from './chart.ts';
import { keystrokeOfFrame, keystrokes, TEMPLATE_CLIENT_ID } from './rawYjs.ts';
import { renderMarkdown, renderResultsChart, type BenchResults, type RunSample, type SidePoint } from './report.ts';
import { capacityOf, LatenessCounter, latencyFromSchedule, orderFor, othersCores, percentile, saturatedSide, spread, summarize } from './stats.ts';

// Pure statistics and report code of the bench; the bench itself is a separate command and no test
// here looks at a clock.

describe('bench statistics', () => {
  it('[BENCH1] times latency from the scheduled send, so a late send carries its lateness', () => {
    // Due at 100, sent late at 130, received at 131: 31 ms, not the 1 ms the wire took.
    expect(latencyFromSchedule(100, 131)).toBe(31);
    const late = new LatenessCounter(2);
    late.note(100, 101);
    late.note(100, 130);
    expect(late.count).toBe(1);
    expect(late.maxMs).toBe(30);
  });

  it('[BENCH1] nearest-rank percentiles: a p99 of 100 samples is the 99th, of 10 samples the max', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.99)).toBe(10);
    expect(percentile([], 0.5)).toBeNaN();
    const s = summarize([5, 1, 4, 2, 3]);
    expect(s).toMatchObject({ count: 5, p50: 3, max: 5 });
  });

  it('[BENCH2] medians with min–max spread over repetitions; alternating order', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(spread([4, 1, 3, 2])).toEqual({ median: 2.5, min: 1, max: 4, n: 4 });
    expect(spread([NaN, 1]).n).toBe(1);
    expect(orderFor(0, ['a', 'b'])).toEqual(['a', 'b']);
    expect(orderFor(1, ['a', 'b'])).toEqual(['b', 'a']);
  });

  it('[BENCH2] the noise check: other processes are the machine busy time minus ours, per window', () => {
    // 1.5 s busy in a 1 s window on 2 cores, 1.2 s of it ours: 0.3 cores of others (noisy at 0.2).
    expect(othersCores(1.5, 1.2, 1)).toBeCloseTo(0.3);
    expect(othersCores(0.5, 0.6, 1)).toBe(0);
    expect(othersCores(1, 0, 0)).toBe(0);
  });

  it('[BENCH3] capacity is the highest rate whose p99 < 50 ms in every one of ≥ 3 repetitions', () => {
    const steps = [
      { rate: 1000, p99s: [3, 4, 5], lost: 0, achieved: [1000, 999, 1000] },
      { rate: 2000, p99s: [10, 60, 12], lost: 0, achieved: [2000, 2000, 2000] },
      { rate: 3000, p99s: [20, 21], lost: 0, achieved: [3000, 3000] }
    ];
    expect(capacityOf(steps)).toEqual({ editsPerSec: 1000, passing: [1000] });
    expect(saturatedSide(1.0, 0.4)).toBe('server');
    expect(saturatedSide(0.5, 0.95)).toBe('load');
  });
});

describe('bench load frames', () => {
  it('[BENCH4] the k-th pre-encoded keystroke carries clock k, read back from the frame header', () => {
    for (const k of [0, 1, 499, 500, 1234]) expect(keystrokeOfFrame(keystrokes.frame(k))).toBe(k);
    expect(TEMPLATE_CLIENT_ID).toBeGreaterThan(0);
    expect(keystrokeOfFrame(new Uint8Array([1, 2, 3]))).toBe(-1);
  });
});

function sample(p50: number, p99: number, repetition: number): RunSample {
  return {
    count: 100,
    p50,
    p95: p99,
    p99,
    max: p99 * 2,
    p50FromSend: p50 / 2,
    sent: 100,
    relayed: 100,
    lost: 0,
    lateSends: 0,
    maxLateMs: 0.5,
    medianSendLagMs: 0.3,
    achievedPerSec: 200,
    loadCpu: 0.1,
    disconnected: 0,
    repetition,
    repeatedForNoise: 0,
    noisy: false,
    noisyWindows: 0,
    maxOthersCores: 0,
    serverCores: 0.2,
    loadCores: 0.1,
    idleRigCores: 0,
    serverCpuUsPerEdit: 40,
    serverCpuUsPerEditTotal: 50
  };
}
const side = (kind: string, base: number): SidePoint => ({
  kind,
  setup: { setupMs: 1, yjsSockets: 6, socketIoSockets: kind === 'pairboard' ? 2 : 0 },
  heapPerConnectedBoardKb: 50,
  rssMb: 100,
  runs: [sample(base, base * 10, 1), sample(base * 1.2, base * 12, 2), sample(base * 0.9, base * 9, 3)]
});
const results: BenchResults = {
  date: '2026-11-30T22:00:00.000Z',
  durationS: 90,
  options: { quick: true, durationS: 3, ratePerPair: 2, repetitions: 3 },
  machine: { cores: 2, node: 'v20', taskset: true, quietAtStart: true },
  coldStartMs: [1000],
  points: [1, 100].map((pairs) => ({ pairs, ratePerPair: 2, orders: [], pairboard: side('pairboard', 0.5), baseline: side('baseline', 0.4) })),
  memory: [],
  capacity: [],
  browser: null
};

describe('bench report', () => {
  it('[BENCH2] the table shows medians with their min–max spread', () => {
    const md = renderMarkdown(results);
    expect(md).toContain('| 100 | edit → partner p50 (ms) | 0.50 (0.45–0.60) | 0.40 (0.36–0.48) | 1.25 |');
    expect(md).toContain('saturated');
  });

  it('[BENCH5] the chart is well-formed SVG with a band and a line per series', () => {
    const svg = renderResultsChart(results);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.match(/<polygon /g)).toHaveLength(4);
    expect(svg.match(/<polyline /g)).toHaveLength(4);
    // Well-formed: every element either self-closes or is closed, in order.
    const stack: string[] = [];
    for (const [, close, name, selfClose] of svg.matchAll(/<(\/?)([a-z]+)[^>]*?(\/?)>/g)) {
      if (close) expect(stack.pop()).toBe(name);
      else if (!selfClose) stack.push(name!);
    }
    expect(stack).toEqual([]);
    expect(renderChart('a < b & "c"', [])).toContain('a &lt; b &amp; &quot;c&quot;');
  });
});
