/**
 * Result types, the printed table (the same Markdown goes to results/latest.md and README) and the
 * chart's series. Pure: everything is computed from the stored runs, so old results re-render.
 */
import type { BrowserResult } from './browserBench.ts';
import { renderChart, type ChartSeries } from './chart.ts';
import { spread, type Spread } from './stats.ts';

/** What the load process reports for one timed run (latencies from the scheduled send time). */
export type LatencyStats = {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** p50 from the actual send: the server and transport alone, without the generator's timer slack. */
  p50FromSend: number;
  sent: number;
  relayed: number;
  lost: number;
  lateSends: number;
  maxLateMs: number;
  /** The generator's own timer slack: median of (actual send − scheduled send). */
  medianSendLagMs: number;
  achievedPerSec: number;
  loadCpu: number;
  disconnected: number;
  /** The load generator's longest event-loop block in the run (absent in old results). */
  loadMaxStallMs?: number;
};

/** One timed run of one server, with its CPU accounting and noise check. */
export type RunSample = LatencyStats & {
  repetition: number;
  /** Noisy attempts of this repetition that were thrown away and repeated. */
  repeatedForNoise: number;
  noisy: boolean;
  noisyWindows: number;
  maxOthersCores: number;
  /** Cores used during the run: the server under test and the load generator. */
  serverCores: number;
  loadCores: number;
  /** The other rig (the idle server and its load process), up beside this one: its CPU meanwhile. */
  idleRigCores: number;
  /** Server CPU per relayed edit above its idle rate (measured in the second before the run). */
  serverCpuUsPerEdit: number;
  /** The same without subtracting idle work (timers, heartbeats): dominated by idle at low rates. */
  serverCpuUsPerEditTotal: number;
  /** The server's longest event-loop block and GC pause in the run (absent: old results, a cluster). */
  serverMaxStallMs?: number | null;
  serverGcMaxMs?: number | null;
};
export type SidePoint = {
  kind: string;
  setup: { setupMs: number; yjsSockets: number; socketIoSockets: number };
  /** Heap after a forced GC with the pairs connected, minus the same process's warm baseline. */
  heapPerConnectedBoardKb: number;
  rssMb: number;
  runs: RunSample[];
};
export type LatencyPoint = {
  pairs: number;
  ratePerPair: number;
  orders: string[][];
  pairboard: SidePoint | null;
  baseline: SidePoint | null;
  /** With --nodes 2: pairboard as two nodes on Postgres behind HAProxy. */
  cluster?: SidePoint | null;
};
export type MemoryResult = {
  kind: string;
  boards: number;
  keystrokes: number;
  complete: boolean;
  typeMs: number;
  docHeapPerBoardKb: number;
  heapPerBoardKb: number;
  idleHeapPerBoardKb: number;
  roomsAfterLeave: number;
  unloadMs: number | null;
  unloadWaited: boolean;
  verified: number;
  mismatches: number;
};
export type CapacityResult = {
  kind: string;
  pairs: number;
  steps: Array<{ rate: number; runs: RunSample[] }>;
  editsPerSec: number;
  limitedBy: string;
};
export type BenchResults = {
  date: string;
  /** Heap figures leave out V8's compiled code (set from 2026-11-30 on; older runs counted it). */
  heapWithoutCode?: boolean;
  durationS: number;
  options: Record<string, unknown>;
  machine: { cores: number; node: string; taskset: boolean; quietAtStart: boolean };
  coldStartMs: number[];
  points: LatencyPoint[];
  memory: MemoryResult[];
  capacity: CapacityResult[];
  browser: BrowserResult | null;
};

const f = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || !Number.isFinite(n) ? '–' : n.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) =>
  a === undefined || b === undefined || !Number.isFinite(a) || !Number.isFinite(b) || !b ? '–' : (a / b).toFixed(2);
const MIN_EDITS_FOR_CPU = 200;
const med = (xs: number[]) => spread(xs).median;

/** "median (min–max)", or the single value when there is one run. */
export function formatSpread(s: Spread, digits = 2): string {
  if (s.n === 0) return '–';
  if (s.n === 1 || s.min === s.max) return f(s.median, digits);
  return `${f(s.median, digits)} (${f(s.min, digits)}–${f(s.max, digits)})`;
}

const of = (side: SidePoint | null, get: (r: RunSample) => number): Spread => spread(side ? side.runs.map(get) : []);
const pct = (x: number) => `${Math.round(x * 100)} %`;

/** Which process ran out of CPU in most runs (≥ 90 % of a core), as the table states it. */
export function saturation(side: SidePoint | null): string {
  if (!side || side.runs.length === 0) return '–';
  const server = med(side.runs.map((r) => r.serverCores));
  const load = med(side.runs.map((r) => r.loadCores));
  const who = server >= 0.9 && load >= 0.9 ? 'both' : server >= 0.9 ? 'server' : load >= 0.9 ? 'load' : 'neither';
  const idle = med(side.runs.map((r) => r.idleRigCores ?? 0));
  return `${who} (server ${pct(server)}, load ${pct(load)}; idle other rig ${pct(idle)})`;
}

export function renderMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  const o = r.options as { durationS: number; ratePerPair: number; quick: boolean; repetitions: number };
  lines.push(
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC · ${r.machine.cores} cores, Node ${r.machine.node}, ` +
      `${r.machine.taskset ? 'server pinned to cpu0, load generator to cpu1' : 'no taskset'} · ` +
      `${o.quick ? 'quick' : 'full'} run: ${o.repetitions} repetitions per point in alternating order, ${o.durationS} s each at ${o.ratePerPair} edits/s per pair · took ${Math.round(r.durationS)} s`
  );
  lines.push('');
  lines.push(
    'Each cell: median of the repetitions (min–max). Latency is timed from the scheduled send time. ' +
      "pairboard's figures include one Socket.IO socket per partner (presence and server-decided state), a cost the baseline does not have." +
      (r.heapWithoutCode
        ? " Heap: after a forced GC, JS heap plus ArrayBuffers against the same process's warm baseline, less V8's compiled code (the JIT's warm-up, not a board's data)."
        : '')
  );
  lines.push('');
  // With --nodes 2 a column for the cluster (two nodes on Postgres behind HAProxy) sits beside
  // the single node, and a last column compares the two.
  const withCluster =
    r.points.some((pt) => pt.cluster !== undefined) || r.memory.some((m) => m.kind === 'cluster') || r.capacity.some((c) => c.kind === 'cluster');
  const tableRow = (n: string, name: string, p: string, c: string, b: string, pb: string, cp: string) =>
    withCluster ? `| ${n} | ${name} | ${p} | ${c} | ${b} | ${pb} | ${cp} |` : `| ${n} | ${name} | ${p} | ${b} | ${pb} |`;
  if (withCluster) {
    lines.push('| pairs | figure | pairboard | pairboard, 2 nodes (HAProxy + Postgres) | baseline | pairboard / baseline (medians) | 2 nodes / 1 node |');
    lines.push('|---:|---|---:|---:|---:|---:|---:|');
  } else {
    lines.push('| pairs | figure | pairboard | baseline | pairboard / baseline (medians) |');
    lines.push('|---:|---|---:|---:|---:|');
  }
  for (const point of r.points) {
    const p = point.pairboard;
    const c = point.cluster ?? null;
    const b = point.baseline;
    const n = point.pairs.toLocaleString('en');
    const each = (cell: (side: SidePoint | null) => string, name: string, pb = '', cp = '') => lines.push(tableRow(n, name, cell(p), cell(c), cell(b), pb, cp));
    const row = (name: string, get: (s: RunSample) => number, digits = 2) => {
      const [sp, sc, sb] = [of(p, get), of(c, get), of(b, get)];
      each((side) => formatSpread(of(side, get), digits), name, ratio(sp.median, sb.median), ratio(sc.median, sp.median));
    };
    const sum = (side: SidePoint | null, get: (s: RunSample) => number) => (side ? side.runs.reduce((s, x) => s + get(x), 0) : NaN);
    row('edit → partner p50 (ms)', (s) => s.p50);
    row('edit → partner p99 (ms)', (s) => s.p99);
    row('edit → partner max (ms)', (s) => s.max);
    row('p50 from the actual send (ms): server + wire only', (s) => s.p50FromSend);
    row("load generator's median send lag (ms): its timer slack, in the p50 above", (s) => s.medianSendLagMs);
    // What a tail is made of: a p99 near one of these stalls was that stall.
    row('longest server event-loop block in a run (ms)', (s) => s.serverMaxStallMs ?? NaN, 1);
    row('of it, longest GC pause (ms)', (s) => s.serverGcMaxMs ?? NaN, 1);
    row("load generator's longest event-loop block (ms)", (s) => s.loadMaxStallMs ?? NaN, 1);
    each(
      (side) => (side ? `${sum(side, (s) => s.lateSends)} / ${sum(side, (s) => s.sent)}, max ${f(Math.max(...side.runs.map((s) => s.maxLateMs)), 1)} ms` : '–'),
      'late sends (> 2 ms behind schedule) / sent'
    );
    each((side) => (side ? `${sum(side, (s) => s.lost)} / ${sum(side, (s) => s.sent)}` : '–'), 'edits lost / sent (all runs)');
    // With few edits the idle work (timers, heartbeats) and its variation swamp the per-edit cost.
    row('server CPU per relayed edit above idle (µs; runs of ≥ 200 edits)', (s) => (s.relayed >= MIN_EDITS_FOR_CPU ? s.serverCpuUsPerEdit : NaN), 1);
    each(saturation, 'saturated (median CPU of a core)');
    // Below ~20 boards the GC's own variation is larger than the boards: not a per-board figure.
    const heap = (side: SidePoint | null) => (point.pairs >= 20 ? side?.heapPerConnectedBoardKb : undefined);
    each((side) => f(heap(side), 1), 'heap per connected board after GC (KB)', ratio(heap(p), heap(b)), ratio(heap(c), heap(p)));
    each((side) => f(side?.rssMb, 0), 'server RSS (MB)', ratio(p?.rssMb, b?.rssMb), ratio(c?.rssMb, p?.rssMb));
    each((side) => (side ? `${side.setup.yjsSockets} + ${side.setup.socketIoSockets}` : '–'), 'sockets (Yjs + Socket.IO)');
    const noise = (side: SidePoint | null) => {
      if (!side) return '–';
      const repeated = sum(side, (s) => s.repeatedForNoise);
      const still = side.runs.filter((s) => s.noisy).length;
      return `${side.runs.length} runs, ${repeated} repeated for noise${still ? `, **${still} still noisy** (others ≤ ${f(Math.max(...side.runs.map((s) => s.maxOthersCores)), 2)} cores)` : ''}`;
    };
    each(noise, 'runs (noise check per 1 s window)');
  }
  const mp = r.memory.find((m) => m.kind === 'pairboard');
  const mc = r.memory.find((m) => m.kind === 'cluster');
  const mb = r.memory.find((m) => m.kind === 'baseline');
  if (mp || mb || mc) {
    const label = `${mp?.boards ?? mb?.boards ?? mc?.boards} boards`;
    const unload = (m: MemoryResult | undefined) =>
      !m
        ? '–'
        : !m.unloadWaited
          ? `${m.roomsAfterLeave}, ${m.kind === 'baseline' ? 'never (it keeps every room)' : 'not waited (quick)'}`
          : `${m.roomsAfterLeave}, ${m.unloadMs === null ? 'never' : `${f(m.unloadMs / 1000, 1)} s`}`;
    const mem = (name: string, get: (m: MemoryResult | undefined) => string, get2?: (m: MemoryResult | undefined) => number | undefined) =>
      lines.push(tableRow(label, name, get(mp), get(mc), get(mb), get2 ? ratio(get2(mp), get2(mb)) : '', get2 ? ratio(get2(mc), get2(mp)) : ''));
    mem(
      'heap per typed board: documents (KB)',
      (m) => f(m?.docHeapPerBoardKb, 1),
      (m) => m?.docHeapPerBoardKb
    );
    mem(
      'heap per typed board with its 2 partners connected (KB)',
      (m) => f(m?.heapPerBoardKb, 1),
      (m) => m?.heapPerBoardKb
    );
    mem('after both partners left: rooms loaded, unloaded after', unload);
    mem('heap per board after they left (KB)', (m) => f(m?.idleHeapPerBoardKb, 1));
    mem('seat docs read back intact (fresh connection)', (m) => (m ? `${m.verified - m.mismatches} / ${m.verified}` : '–'));
  }
  const cp = r.capacity.find((c) => c.kind === 'pairboard');
  const cc = r.capacity.find((c) => c.kind === 'cluster');
  const cb = r.capacity.find((c) => c.kind === 'baseline');
  if (cp || cb || cc) {
    const cap = (c: CapacityResult | undefined) => (c ? `${f(c.editsPerSec, 0)} (${c.limitedBy})` : '–');
    lines.push(
      tableRow(
        (cp ?? cb ?? cc)!.pairs.toLocaleString('en'),
        'capacity: edits/s with p99 < 50 ms in every run (next step failed by)',
        cap(cp),
        cap(cc),
        cap(cb),
        ratio(cp?.editsPerSec, cb?.editsPerSec),
        ratio(cc?.editsPerSec, cp?.editsPerSec)
      )
    );
  }
  if (withCluster) {
    lines.push('');
    lines.push(
      "The 2-node column is a **correctness run**, not a scaling figure: on this machine both nodes, HAProxy and Postgres share the server's core (the load generator has the other), " +
        'so it shows the same load going through the proxy and the shared database with nothing lost, and what the extra hops cost. Its CPU is every process of the cluster; its heap both nodes summed.'
    );
  }
  lines.push('');
  lines.push('| pairboard alone | |');
  lines.push('|---|---:|');
  lines.push(`| cold start → first /healthz (ms, median of ${r.coldStartMs.length}) | ${f(med(r.coldStartMs), 0)} |`);
  if (r.browser) {
    lines.push(
      `| board page first-load JS, gzipped: what it needs to show the first questions (KB; ${r.browser.firstLoadJsFiles ?? '–'} files, ${f(r.browser.firstLoadJsRawBytes / 1024, 0)} KB raw) | ${f(r.browser.firstLoadJsGzipBytes / 1024, 1)} |`
    );
    if (r.browser.joinJsGzipBytes !== undefined) {
      lines.push(
        `| all JS a joining partner's browser loads until live, deferred parts included (KB gz; ${r.browser.jsFiles} files, ${f(r.browser.joinJsRawBytes / 1024, 0)} KB raw) | ${f(r.browser.joinJsGzipBytes / 1024, 1)} |`
      );
    }
    lines.push(
      `| keystroke → partner's screen in Chromium, p50 / p95 / max (ms, ${r.browser.rendered} of ${r.browser.keystrokes} keystrokes) | ${f(r.browser.p50, 1)} / ${f(r.browser.p95, 1)} / ${f(r.browser.max, 1)} |`
    );
  }
  lines.push('');
  lines.push('Targets:');
  for (const t of targets(r)) lines.push(`- ${t.met === null ? '⏭ not measured' : t.met ? '✅ met' : '❌ missed'}: ${t.text}`);
  return lines.join('\n') + '\n';
}

export function targets(r: BenchResults): Array<{ text: string; met: boolean | null }> {
  const big = [...r.points].sort((a, b) => b.pairs - a.pairs)[0];
  const p = big?.pairboard ?? null;
  const b = big?.baseline ?? null;
  const pm = (get: (s: RunSample) => number) => of(p, get).median;
  const bm = (get: (s: RunSample) => number) => of(b, get).median;
  const both = Boolean(p?.runs.length && b?.runs.length);
  const mp = r.memory.find((m) => m.kind === 'pairboard');
  const mb = r.memory.find((m) => m.kind === 'baseline');
  const cp = r.capacity.find((c) => c.kind === 'pairboard');
  const allLost = r.points
    .flatMap((x) => [x.pairboard, x.baseline])
    .flatMap((s) => s?.runs ?? [])
    .reduce((s, x) => s + x.lost, 0);
  const at = `at ${big?.pairs.toLocaleString('en') ?? '?'} pairs`;
  return [
    {
      text: `edit → partner p99 ${at} ≤ 1.0× the baseline's (ratio ${ratio(
        pm((s) => s.p99),
        bm((s) => s.p99)
      )})`,
      met: both ? pm((s) => s.p99) <= bm((s) => s.p99) : null
    },
    {
      text: `edit → partner p50 ≤ 0.5 ms ${at}, server + wire (${f(pm((s) => s.p50FromSend))} ms from the actual send; ${f(pm((s) => s.p50))} ms from schedule, incl. the generator's ${f(pm((s) => s.medianSendLagMs))} ms timer slack)`,
      met: p?.runs.length ? pm((s) => s.p50FromSend) <= 0.5 : null
    },
    {
      text: `server CPU per relayed edit ${at} ≤ 1.2× the baseline's (${f(
        pm((s) => s.serverCpuUsPerEdit),
        1
      )} vs ${f(
        bm((s) => s.serverCpuUsPerEdit),
        1
      )} µs)`,
      met: both ? pm((s) => s.serverCpuUsPerEdit) <= 1.2 * bm((s) => s.serverCpuUsPerEdit) : null
    },
    {
      text: `heap per connected board ${at} ≤ 1.0× the baseline's (${f(p?.heapPerConnectedBoardKb, 1)} vs ${f(b?.heapPerConnectedBoardKb, 1)} KB)`,
      met: p && b ? p.heapPerConnectedBoardKb <= b.heapPerConnectedBoardKb : null
    },
    {
      text: `heap per typed board's documents ≤ 0.5× the baseline's (${f(mp?.docHeapPerBoardKb, 1)} vs ${f(mb?.docHeapPerBoardKb, 1)} KB)`,
      met: mp && mb ? mp.docHeapPerBoardKb <= mb.docHeapPerBoardKb / 2 : null
    },
    { text: `edits lost = 0 in every run (${allLost})`, met: r.points.length ? allLost === 0 : null },
    { text: `capacity ≥ 20,000 edits/s at p99 < 50 ms (${f(cp?.editsPerSec, 0)}${cp ? `, ${cp.limitedBy}` : ''})`, met: cp ? cp.editsPerSec >= 20_000 : null },
    {
      text: `idle boards unloaded within a minute, nothing lost (${mp ? `${!mp.unloadWaited ? 'not waited' : mp.unloadMs === null ? 'not unloaded' : `${f(mp.unloadMs / 1000, 1)} s`}, ${mp.mismatches} mismatches of ${mp.verified}` : '–'})`,
      met: mp && mp.unloadWaited ? mp.unloadMs !== null && mp.unloadMs <= 60_000 && mp.mismatches === 0 && mp.complete : null
    },
    {
      text: `board page first-load JS ≤ 100 KB gzipped (${f(r.browser && r.browser.firstLoadJsGzipBytes / 1024, 1)} KB)`,
      met: r.browser ? r.browser.firstLoadJsGzipBytes <= 100 * 1024 : null
    },
    { text: `keystroke → partner's screen p95 < 50 ms in Chromium (${f(r.browser?.p95, 1)} ms)`, met: r.browser ? r.browser.p95 < 50 : null }
  ];
}

/** p50 and p99 against pairs for both servers, the min–max over repetitions as a band. */
export function renderResultsChart(r: BenchResults): string {
  const colors: Record<string, string> = { pairboard: '#c2410c', cluster: '#15803d', baseline: '#1d4ed8' };
  const series: ChartSeries[] = [];
  const kinds = r.points.some((pt) => pt.cluster?.runs.length) ? (['pairboard', 'cluster', 'baseline'] as const) : (['pairboard', 'baseline'] as const);
  for (const kind of kinds) {
    for (const [q, dashed] of [
      ['p99', false],
      ['p50', true]
    ] as const) {
      series.push({
        label: `${kind === 'cluster' ? 'pairboard 2 nodes' : kind} ${q}`,
        color: colors[kind]!,
        dashed,
        points: r.points.filter((pt) => pt[kind]?.runs.length).map((pt) => ({ x: pt.pairs, y: of(pt[kind] ?? null, (s) => s[q]) }))
      });
    }
  }
  const noisy = r.points.some((pt) => [pt.pairboard, pt.baseline].some((s) => s?.runs.some((x) => x.noisy)));
  const title = `edit → partner latency, ${r.date.slice(0, 10)} (${(r.options as { quick?: boolean }).quick ? 'quick' : 'full'} run${noisy ? ', some runs noisy' : ''})`;
  return renderChart(title, series, { y: 50, label: 'p99 target for capacity: 50 ms' });
}
