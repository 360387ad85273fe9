/** Result types and the printed table (the same Markdown goes to results/latest.md and README). */
import type { BrowserResult } from './browserBench.ts';

/** What the load process reports for one timed run. */
export type LatencyStats = {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  sent: number;
  lost: number;
  lateSends: number;
  maxSendLagMs: number;
  achievedPerSec: number;
  clientCpu: number;
  disconnected: number;
};

export type SideRun = LatencyStats & {
  setup: { setupMs: number; yjsSockets: number; socketIoSockets: number };
  serverCpu: number;
  othersCpu: number;
  noisy: boolean;
  rssMb: number;
  heapPerBoardKb: number;
  heapUsedMb: number;
};
export type LatencyRun = { pairs: number; ratePerPair: number; order: string[]; pairboard: SideRun | null; baseline: SideRun | null };
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
  verified: number;
  mismatches: number;
};
export type CapacityResult = {
  kind: string;
  pairs: number;
  steps: Array<{ target: number; achieved: number; p50: number; p99: number; lost: number; serverCpu: number; clientCpu: number; noisy: boolean }>;
  editsPerSec: number;
  limitedBy: string;
};
export type BenchResults = {
  date: string;
  options: Record<string, unknown>;
  machine: { cores: number; node: string; taskset: boolean; quietAtStart: boolean };
  coldStartMs: number[];
  runs: LatencyRun[];
  memory: MemoryResult[];
  capacity: CapacityResult[];
  browser: BrowserResult | null;
};

const f = (n: number | null | undefined, digits = 2) => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(digits));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || !b ? '–' : (a / b).toFixed(2));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export function renderMarkdown(r: BenchResults): string {
  const lines: string[] = [];
  const o = r.options as { durationS: number; ratePerPair: number; quick: boolean };
  lines.push(
    `Run ${r.date.slice(0, 16).replace('T', ' ')} UTC · ${r.machine.cores} cores, Node ${r.machine.node}, ` +
      `${r.machine.taskset ? 'server pinned to cpu0, load clients to cpu1' : 'no taskset'} · ` +
      `${o.quick ? 'quick' : 'full'} run, ${o.durationS} s per run at ${o.ratePerPair} edits/s per pair`
  );
  lines.push('');
  lines.push('| pairs | figure | pairboard | baseline | pairboard / baseline |');
  lines.push('|---:|---|---:|---:|---:|');
  for (const run of r.runs) {
    const p = run.pairboard ?? undefined;
    const b = run.baseline ?? undefined;
    const row = (name: string, get: (s: SideRun) => number, digits = 2, lowerIsBetter = true) => {
      void lowerIsBetter;
      lines.push(`| ${run.pairs.toLocaleString('en')} | ${name} | ${f(p && get(p), digits)} | ${f(b && get(b), digits)} | ${ratio(p && get(p), b && get(b))} |`);
    };
    row('edit → partner p50 (ms)', (s) => s.p50);
    row('edit → partner p95 (ms)', (s) => s.p95);
    row('edit → partner p99 (ms)', (s) => s.p99);
    row('edit → partner max (ms)', (s) => s.max);
    lines.push(`| ${run.pairs.toLocaleString('en')} | edits lost / sent | ${p ? `${p.lost} / ${p.sent}` : '–'} | ${b ? `${b.lost} / ${b.sent}` : '–'} | |`);
    row('server CPU (% of a core)', (s) => s.serverCpu * 100, 0);
    row('server RSS (MB)', (s) => s.rssMb, 0);
    row('server heap per board (KB)', (s) => s.heapPerBoardKb, 1);
    lines.push(
      `| ${run.pairs.toLocaleString('en')} | sockets (Yjs + Socket.IO) | ${p ? `${p.setup.yjsSockets} + ${p.setup.socketIoSockets}` : '–'} | ${b ? `${b.setup.yjsSockets} + 0` : '–'} | |`
    );
    const noisy = [p?.noisy && 'pairboard', b?.noisy && 'baseline'].filter(Boolean);
    if (noisy.length) lines.push(`| ${run.pairs.toLocaleString('en')} | **noisy run** (other processes' CPU) | ${f(p?.othersCpu)} cores | ${f(b?.othersCpu)} cores | |`);
  }
  const mp = r.memory.find((m) => m.kind === 'pairboard');
  const mb = r.memory.find((m) => m.kind === 'baseline');
  if (mp || mb) {
    const label = `${mp?.boards ?? mb?.boards} boards`;
    lines.push(`| ${label} | heap per typed board: documents (KB) | ${f(mp?.docHeapPerBoardKb, 1)} | ${f(mb?.docHeapPerBoardKb, 1)} | ${ratio(mp?.docHeapPerBoardKb, mb?.docHeapPerBoardKb)} |`);
    lines.push(`| ${label} | heap per typed board: with its 2 partners connected (KB) | ${f(mp?.heapPerBoardKb, 1)} | ${f(mb?.heapPerBoardKb, 1)} | ${ratio(mp?.heapPerBoardKb, mb?.heapPerBoardKb)} |`);
    lines.push(
      `| ${label} | after both partners left: rooms loaded, unloaded after | ${mp ? `${mp.roomsAfterLeave}, ${mp.unloadMs === null ? 'never' : `${f(mp.unloadMs / 1000, 1)} s`}` : '–'} | ${mb ? `${mb.roomsAfterLeave}, ${mb.unloadMs === null ? 'never' : `${f(mb.unloadMs / 1000, 1)} s`}` : '–'} | |`
    );
    lines.push(`| ${label} | heap per board after they left (KB) | ${f(mp?.idleHeapPerBoardKb, 1)} | ${f(mb?.idleHeapPerBoardKb, 1)} | |`);
    lines.push(`| ${label} | seat docs read back intact (fresh connection) | ${mp ? `${mp.verified - mp.mismatches} / ${mp.verified}` : '–'} | ${mb ? `${mb.verified - mb.mismatches} / ${mb.verified}` : '–'} | |`);
  }
  for (const c of r.capacity) void c;
  const cp = r.capacity.find((c) => c.kind === 'pairboard');
  const cb = r.capacity.find((c) => c.kind === 'baseline');
  if (cp || cb) {
    lines.push(
      `| ${(cp ?? cb)!.pairs.toLocaleString('en')} | capacity: edits/s with p99 < 50 ms (limited by) | ${cp ? `${f(cp.editsPerSec, 0)} (${cp.limitedBy})` : '–'} | ${cb ? `${f(cb.editsPerSec, 0)} (${cb.limitedBy})` : '–'} | ${ratio(cp?.editsPerSec, cb?.editsPerSec)} |`
    );
  }
  lines.push('');
  lines.push('| pairboard alone | |');
  lines.push('|---|---:|');
  lines.push(`| cold start → first /healthz (ms, median of ${r.coldStartMs.length}) | ${f(median(r.coldStartMs), 0)} |`);
  if (r.browser) {
    lines.push(`| board page first-load JS, gzipped (KB; ${r.browser.jsFiles} files, ${f(r.browser.firstLoadJsRawBytes / 1024, 0)} KB raw) | ${f(r.browser.firstLoadJsGzipBytes / 1024, 1)} |`);
    lines.push(`| keystroke → partner's screen in Chromium, p50 / p95 / max (ms, ${r.browser.rendered} of ${r.browser.keystrokes} keystrokes) | ${f(r.browser.p50, 1)} / ${f(r.browser.p95, 1)} / ${f(r.browser.max, 1)} |`);
  }
  lines.push('');
  lines.push('Targets:');
  for (const t of targets(r)) lines.push(`- ${t.met === null ? '⏭ not measured' : t.met ? '✅ met' : '❌ missed'}: ${t.text}`);
  return lines.join('\n') + '\n';
}

export function targets(r: BenchResults): Array<{ text: string; met: boolean | null }> {
  const big = [...r.runs].sort((a, b) => b.pairs - a.pairs)[0];
  const p = big?.pairboard;
  const b = big?.baseline;
  const mp = r.memory.find((m) => m.kind === 'pairboard');
  const mb = r.memory.find((m) => m.kind === 'baseline');
  const cp = r.capacity.find((c) => c.kind === 'pairboard');
  const allLost = r.runs.flatMap((x) => [x.pairboard, x.baseline]).filter(Boolean).reduce((s, x) => s + x!.lost, 0);
  return [
    { text: `edit → partner p99 at ${big?.pairs ?? '?'} pairs ≤ baseline (ratio ${ratio(p?.p99, b?.p99)})`, met: p && b ? p.p99 <= b.p99 : null },
    { text: `edit → partner p50 ≤ 0.5 ms at ${big?.pairs ?? '?'} pairs (${f(p?.p50)} ms)`, met: p ? p.p50 <= 0.5 : null },
    { text: `edits lost = 0 in every run (${allLost})`, met: r.runs.length ? allLost === 0 : null },
    { text: `capacity ≥ 20,000 edits/s at p99 < 50 ms (${f(cp?.editsPerSec, 0)}${cp ? `, ${cp.limitedBy}` : ''})`, met: cp ? cp.editsPerSec >= 20_000 : null },
    {
      text: `heap per typed board ≤ half the baseline's (${f(mp?.docHeapPerBoardKb, 1)} vs ${f(mb?.docHeapPerBoardKb, 1)} KB, ratio ${ratio(mp?.docHeapPerBoardKb, mb?.docHeapPerBoardKb)})`,
      met: mp && mb ? mp.docHeapPerBoardKb <= mb.docHeapPerBoardKb / 2 : null
    },
    {
      text: `idle boards unloaded within a minute, nothing lost (${mp ? `${mp.unloadMs === null ? 'not unloaded' : `${f(mp.unloadMs / 1000, 1)} s`}, ${mp.mismatches} mismatches of ${mp.verified}` : '–'})`,
      met: mp ? mp.unloadMs !== null && mp.unloadMs <= 60_000 && mp.mismatches === 0 && mp.complete : null
    },
    { text: `board page first-load JS ≤ 100 KB gzipped (${f(r.browser && r.browser.firstLoadJsGzipBytes / 1024, 1)} KB)`, met: r.browser ? r.browser.firstLoadJsGzipBytes <= 100 * 1024 : null },
    { text: `keystroke → partner's screen p95 < 50 ms in Chromium (${f(r.browser?.p95, 1)} ms)`, met: r.browser ? r.browser.p95 < 50 : null }
  ];
}
