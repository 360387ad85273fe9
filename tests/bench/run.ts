/**
 * `pnpm bench`: pairboard's production server against a minimal y-protocols relay (the baseline).
 * Both servers run side by side on cpu0 (only the one under test is loaded), each with its own
 * load process on cpu1; every point is measured in ≥ 3 repetitions in alternating order, each run
 * watched by a per-second noise check and repeated when other processes took CPU. Writes
 * tests/bench/results/latest.{json,md,svg} and prints the table.
 *
 *   pnpm bench                      full run
 *   pnpm bench -- --quick           smaller and shorter (< 2 min)
 *   pnpm bench -- --find-capacity   also find the highest rate with p99 < 50 ms in every repetition
 *   pnpm bench -- --pairs 1,100,1000 --duration 10 --rate 2 --repetitions 3 --no-browser --no-memory
 *   pnpm bench -- --render          re-render latest.md and .svg from latest.json, running nothing
 *   pnpm bench -- --nodes 2         adds a column: pairboard as two nodes on Postgres behind HAProxy
 *                                   (clusterTarget.ts); on a 2-core machine a correctness run only
 */
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { browserBench, type BrowserResult } from './browserBench.ts';
import { LoadProcess } from './loadProcess.ts';
import { CpuWindow, hasTaskset, NoiseMonitor, processRssMb, waitForQuiet } from './machine.ts';
import { ROOT, stderrOf } from './processes.ts';
import { Progress } from './progress.ts';
import {
  renderMarkdown,
  renderResultsChart,
  type BenchResults,
  type CapacityResult,
  type LatencyStats,
  type MemoryResult,
  type RunSample,
  type SidePoint
} from './report.ts';
import { capacityOf, cpuMicrosPerEdit, orderFor, type CapacityStep } from './stats.ts';
import { startClusterTarget } from './clusterTarget.ts';
import { heapOf, loadKindOf, startTarget, type RunningTarget, type ServerKind, type ServerStats, type Side } from './targets.ts';

// --- options ------------------------------------------------------------------------------------

const argv = process.argv.slice(2).filter((a) => a !== '--');
const flag = (name: string) => argv.includes(`--${name}`);
const option = (name: string) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
};
const quick = flag('quick');
const options = {
  quick,
  findCapacity: flag('find-capacity'),
  pairs: (option('pairs') ?? (quick ? '1,100' : '1,100,1000'))
    .split(',')
    .map(Number)
    .filter((n) => n > 0),
  durationS: Number(option('duration') ?? (quick ? 2 : 10)),
  warmupS: quick ? 0.5 : 2,
  ratePerPair: Number(option('rate') ?? 2),
  repetitions: Math.max(1, Number(option('repetitions') ?? 3)),
  /** How often one repetition may be repeated because its noise check failed. */
  noiseRetries: Number(option('noise-retries') ?? (quick ? 0 : 3)),
  // 120 boards: at 40 the fixed overheads moved the per-board figure by ±3 KB between runs.
  memoryBoards: Number(option('memory-boards') ?? (quick ? 20 : 120)),
  memoryChars: quick ? 600 : 3000,
  keystrokes: Number(option('keystrokes') ?? (quick ? 50 : 200)),
  coldStarts: quick ? 1 : 3,
  browser: !flag('no-browser'),
  memory: !flag('no-memory'),
  nodes: Number(option('nodes') ?? 1),
  out: option('out') ?? path.join(import.meta.dirname, 'results', 'latest.json')
};
if (flag('render')) {
  // Re-renders the .md and .svg from the JSON (after a report change), running nothing.
  const stored = JSON.parse(fs.readFileSync(options.out, 'utf8')) as BenchResults;
  fs.writeFileSync(options.out.replace(/\.json$/, '.md'), renderMarkdown(stored));
  fs.writeFileSync(options.out.replace(/\.json$/, '.svg'), renderResultsChart(stored));
  console.log(renderMarkdown(stored));
  process.exit(0);
}
if (options.nodes !== 1 && options.nodes !== 2) {
  console.error(`bench: --nodes ${options.nodes}: the cluster column has two nodes (--nodes 2), or leave it out`);
  process.exit(2);
}
/** Every run stops itself: a hard deadline for the whole bench. */
const deadlineMs = (quick ? 4 : 30) * 60_000 + (options.findCapacity ? 30 * 60_000 : 0);
const benchStart = Date.now();
const hardStop = setTimeout(() => {
  console.error('bench: hard deadline reached, stopping');
  cleanup();
  process.exit(2);
}, deadlineMs);
hardStop.unref();

const SERVER_CORE = hasTaskset() ? 0 : null;
const CLIENT_CORE = hasTaskset() ? 1 : null;
/** A window where other processes took more than this many cores is noisy. */
const NOISE_CORES = 0.2;
/** The columns: with --nodes 2, pairboard as a cluster beside the single node and the baseline. */
const KINDS: readonly Side[] = options.nodes === 2 ? ['pairboard', 'cluster', 'baseline'] : ['pairboard', 'baseline'];
/** Pairs connected before the heap baseline is taken, so it includes warm connect paths. */
const WARM_PAIRS = 5;
const WARM_CHARS = 600;

const live = new Set<{ kill(): void }>();
/** Servers started so far: on a failure their stderr says why (a refused request is logged there). */
const startedTargets = new Set<RunningTarget>();
function fail(error: unknown): never {
  console.error(`\nbench failed: ${(error as Error)?.stack ?? error}`);
  for (const target of startedTargets) {
    for (const child of target.children) {
      const text = stderrOf(child).trim();
      if (text) console.error(`--- ${target.kind} server stderr (last lines) ---\n${text.slice(-3000)}`);
    }
  }
  cleanup();
  process.exit(1);
}
function cleanup() {
  for (const thing of live) thing.kill();
}
process.on('SIGINT', () => {
  cleanup();
  process.exit(130);
});

const runMs = (options.warmupS + options.durationS) * 1000 + 500;
const progress = new Progress(options.pairs.length * options.repetitions * KINDS.length, runMs);
const log = (...args: unknown[]) => progress.log(...args);
const timeLeft = () => deadlineMs - (Date.now() - benchStart);

// --- building blocks ----------------------------------------------------------------------------

function ensureBuild() {
  if (fs.existsSync(path.join(ROOT, 'web/build/handler.js'))) return;
  log('web/build is missing: pnpm build');
  execSync('pnpm build', { cwd: ROOT, stdio: 'inherit' });
}

/** A server under test with its own load process; both are killed on any exit. `kind` is what the load process drives. */
type Rig = { side: Side; kind: ServerKind; target: RunningTarget; load: LoadProcess };

async function startRig(side: Side): Promise<Rig> {
  const target = side === 'cluster' ? await startClusterTarget(SERVER_CORE) : await startTarget(side, SERVER_CORE);
  const kill = { kill: () => target.children.forEach((c) => c.exitCode === null && c.kill('SIGKILL')) };
  live.add(kill);
  startedTargets.add(target);
  const load = await LoadProcess.start(CLIENT_CORE);
  live.add({ kill: () => load.child.exitCode === null && load.child.kill('SIGKILL') });
  return { side, kind: loadKindOf(side), target, load };
}

async function stopRig(rig: Rig) {
  await rig.load.stop();
  await rig.target.stop();
}

/**
 * Heap after a forced GC, read three times and the median kept: one read moves by a few hundred KB
 * (socket buffers, pools), which is a lot when divided by ten boards.
 */
async function settledHeap(target: RunningTarget): Promise<ServerStats> {
  const reads: ServerStats[] = [];
  for (let i = 0; i < 3; i++) reads.push(await target.stats());
  return reads.sort((a, b) => heapOf(a) - heapOf(b))[1]!;
}

/** Connects `pairs` pairs after WARM_PAIRS warm ones; heap per connected board against that warm baseline. */
async function connectPairs(rig: Rig, pairs: number) {
  await rig.load.send({ cmd: 'setup', kind: rig.kind, url: rig.target.url, pairs: WARM_PAIRS, warm: true }, 60_000);
  // The warm pairs also type, so the code (and its compiled form, which lives on the heap) of the
  // typing path is in the baseline, not charged to the measured boards.
  await rig.load.send({ cmd: 'type', chars: WARM_CHARS, window: 4, timeoutMs: 30_000, warm: true }, 40_000);
  const warm = await settledHeap(rig.target);
  const setup = await progress.phase(`${rig.side}: connecting ${pairs.toLocaleString('en')} pairs`, pairs * 25, () =>
    rig.load.send<SidePoint['setup']>({ cmd: 'setup', kind: rig.kind, url: rig.target.url, pairs }, 300_000)
  );
  const connected = await settledHeap(rig.target);
  return { setup, warm, connected, heapPerConnectedBoardKb: (heapOf(connected) - heapOf(warm)) / pairs / 1024 };
}

/**
 * One timed run on one rig, repeated (up to noiseRetries) while the noise check finds a 1 s window
 * in which other processes (the idle rig included) took CPU. `allPids` are every process of ours.
 */
async function timedRun(rig: Rig, allPids: number[], ratePerPair: number, durationS: number, repetition: number, label: string): Promise<RunSample> {
  let repeated = 0;
  for (;;) {
    // The wait for a quiet machine (≥ 1 s) doubles as the server's idle CPU rate, subtracted below.
    // Everything but this rig counts as noise, the idle other server included: after its own run it
    // may still be folding documents on the same core, and this run must not pay for that.
    const rigPids = [...rig.target.pids, rig.load.child.pid!];
    const idleFrom = { cpu: await rig.target.cpuMicros(), at: performance.now() };
    await waitForQuiet(NOISE_CORES, quick ? 1_000 : 15_000, rigPids);
    const idleRate = ((await rig.target.cpuMicros()) - idleFrom.cpu) / (performance.now() - idleFrom.at);
    const sample = await progress.run(`${label}${repeated ? ` (repeat ${repeated} for noise)` : ''}`, (options.warmupS + durationS) * 1000, async () => {
      await rig.target.stalls();
      const cpuBefore = await rig.target.cpuMicros();
      const startedAt = performance.now();
      const cores = new CpuWindow(allPids);
      const noise = new NoiseMonitor(rigPids, NOISE_CORES);
      const stats = await rig.load.send<LatencyStats>(
        { cmd: 'run', ratePerPair, durationMs: durationS * 1000, warmupMs: options.warmupS * 1000, drainMs: 5_000 },
        (options.warmupS + durationS) * 1000 + 60_000
      );
      const checked = noise.finish();
      const used = cores.finish();
      const cpuMicros = (await rig.target.cpuMicros()) - cpuBefore;
      const stalls = await rig.target.stalls();
      const idleMicros = idleRate * (performance.now() - startedAt);
      // From the target's own CPU clock: a cluster's Postgres forks and reaps backends mid-run.
      const serverCores = cpuMicros / ((performance.now() - startedAt) * 1000);
      const own = new Set([...rig.target.pids, rig.load.child.pid!]);
      const idleOthers = allPids.filter((pid) => !own.has(pid)).reduce((s, pid) => s + (used.perPid.get(pid) ?? 0), 0);
      return {
        ...stats,
        repetition,
        repeatedForNoise: repeated,
        noisy: checked.noisyWindows > 0,
        noisyWindows: checked.noisyWindows,
        maxOthersCores: checked.maxOthers,
        serverCores,
        loadCores: used.perPid.get(rig.load.child.pid!)!,
        idleRigCores: idleOthers,
        serverCpuUsPerEdit: cpuMicrosPerEdit(Math.max(0, cpuMicros - idleMicros), stats.relayed),
        serverCpuUsPerEditTotal: cpuMicrosPerEdit(cpuMicros, stats.relayed),
        serverMaxStallMs: stalls?.maxStallMs ?? null,
        serverGcMaxMs: stalls?.gcMaxMs ?? null
      } satisfies RunSample;
    });
    const line = `${label}: p50 ${sample.p50.toFixed(2)} p99 ${sample.p99.toFixed(2)} ms, late ${sample.lateSends}, lost ${sample.lost}, ${sample.serverCpuUsPerEdit.toFixed(1)} µs/edit, server ${(sample.serverCores * 100).toFixed(0)} % load ${(sample.loadCores * 100).toFixed(0)} %`;
    if (!sample.noisy || repeated >= options.noiseRetries || timeLeft() < 60_000) {
      log(`  ${line}${sample.noisy ? ` NOISY (${sample.noisyWindows} windows, others up to ${sample.maxOthersCores.toFixed(2)} cores)` : ''}`);
      return sample;
    }
    repeated++;
    progress.plan(1);
    log(`  ${line} — noisy window (others ${sample.maxOthersCores.toFixed(2)} cores): repeating`);
  }
}

// --- phases -------------------------------------------------------------------------------------

async function coldStart(): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < options.coldStarts; i++) {
    await waitForQuiet(NOISE_CORES, quick ? 1_000 : 5_000);
    const target = await startTarget('pairboard', SERVER_CORE);
    times.push(target.startMs);
    await target.stop();
  }
  return times;
}

/** Both servers up at once, each with its connected pairs; repetitions alternate which goes first. */
async function latencyPoint(pairs: number, withCapacity: boolean) {
  const rigs = {} as Record<Side, Rig>;
  const sides = {} as Record<Side, SidePoint>;
  try {
    // Both rigs start together (process start-up is most of a quick run's fixed cost); the
    // connecting and measuring stay one at a time.
    const started = await Promise.allSettled(KINDS.map((kind) => startRig(kind)));
    started.forEach((r, i) => r.status === 'fulfilled' && (rigs[KINDS[i]!] = r.value));
    const failed = started.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    for (const kind of KINDS) {
      log(`${kind}: connecting ${pairs.toLocaleString('en')} pairs (+${WARM_PAIRS} warm), ~${Math.ceil(pairs / 40)} s`);
      const c = await connectPairs(rigs[kind], pairs);
      const spreadOver = rigs[kind].target.spread ? `; ${await rigs[kind].target.spread!()}` : '';
      log(`  connected in ${(c.setup.setupMs / 1000).toFixed(1)} s: ${c.setup.yjsSockets} Yjs + ${c.setup.socketIoSockets} Socket.IO sockets${spreadOver}`);
      sides[kind] = { kind, setup: c.setup, heapPerConnectedBoardKb: c.heapPerConnectedBoardKb, rssMb: 0, runs: [] };
    }
    const allPids = KINDS.flatMap((k) => [...rigs[k].target.pids, rigs[k].load.child.pid!]);
    const orders: string[][] = [];
    for (let rep = 0; rep < options.repetitions; rep++) {
      const order = orderFor(rep, KINDS);
      orders.push(order);
      for (const kind of order) {
        if (timeLeft() < 60_000) break;
        const label = `${kind} × ${pairs.toLocaleString('en')} pairs, repetition ${rep + 1}/${options.repetitions}`;
        sides[kind].runs.push(await timedRun(rigs[kind], allPids, options.ratePerPair, options.durationS, rep + 1, label));
      }
    }
    for (const kind of KINDS) sides[kind].rssMb = rigs[kind].target.children.reduce((sum, c) => sum + processRssMb(c.pid!), 0);
    const point = {
      pairs,
      ratePerPair: options.ratePerPair,
      orders,
      pairboard: sides.pairboard ?? null,
      baseline: sides.baseline ?? null,
      ...(KINDS.includes('cluster') ? { cluster: sides.cluster ?? null } : {})
    };
    // Capacity reuses these connected pairs: connecting 1,000 pairs twice more would cost a minute.
    return { point, capacity: withCapacity ? await capacity(rigs, allPids, pairs) : [] };
  } finally {
    for (const kind of KINDS) if (rigs[kind]) await stopRig(rigs[kind]);
  }
}

/**
 * Heap per typed board (both partners type every answer), measured after a forced GC against the
 * same process's warm baseline; then every partner leaves: pairboard must unload within a minute
 * and lose nothing (the quick run does not wait for the unload).
 */
async function memoryRun(kind: Side): Promise<MemoryResult> {
  const boards = options.memoryBoards;
  await waitForQuiet(NOISE_CORES, quick ? 1_000 : 5_000);
  const rig = await startRig(kind);
  try {
    const c = await connectPairs(rig, boards);
    const typed = await progress.phase(`${kind}: typing ${options.memoryChars} keystrokes per partner on ${boards} boards`, boards * options.memoryChars, () =>
      rig.load.send<{ ms: number; typed: number; missing: number; complete: boolean }>(
        { cmd: 'type', chars: options.memoryChars, window: 4, timeoutMs: 120_000 },
        150_000
      )
    );
    const full = await settledHeap(rig.target);
    await rig.load.send({ cmd: 'disconnect' }, 20_000);
    const left = performance.now();
    let unloadMs: number | null = null;
    const waitUnload = !quick && kind !== 'baseline';
    if (waitUnload) {
      await progress.phase(`${kind}: waiting for the idle boards to unload (target: within 60 s)`, 60_000, async () => {
        while (performance.now() - left < 75_000) {
          if ((await rig.target.rooms()) === WARM_PAIRS * 3) {
            unloadMs = performance.now() - left;
            break;
          }
          await new Promise((r) => setTimeout(r, 250));
        }
      });
    }
    const idle = await settledHeap(rig.target);
    const roomsAfter = (await rig.target.rooms()) - WARM_PAIRS * 3;
    const verify = await rig.load.send<{ checked: number; of: number; mismatches: number }>({ cmd: 'verify', timeoutMs: 60_000 }, 90_000);
    const kb = (bytes: number) => bytes / boards / 1024;
    return {
      kind,
      boards,
      keystrokes: typed.typed,
      complete: typed.complete && typed.missing === 0,
      typeMs: typed.ms,
      docHeapPerBoardKb: kb(heapOf(full) - heapOf(c.connected)),
      heapPerBoardKb: kb(heapOf(full) - heapOf(c.warm)),
      idleHeapPerBoardKb: kb(heapOf(idle) - heapOf(c.warm)),
      roomsAfterLeave: roomsAfter,
      unloadMs,
      unloadWaited: waitUnload,
      verified: verify.checked,
      mismatches: verify.mismatches
    };
  } finally {
    await stopRig(rig);
  }
}

/**
 * Raises the rate at the largest pair count; a step passes for a server when every repetition kept
 * p99 < 50 ms and lost nothing. Both servers stay up; repetitions alternate which goes first.
 */
async function capacity(rigs: Record<Side, Rig>, allPids: number[], pairs: number): Promise<CapacityResult[]> {
  const rates = [2, 5, 10, 15, 20, 25, 30, 40, 50];
  const results = Object.fromEntries(
    KINDS.map((k) => [k, { kind: k, pairs, steps: [], editsPerSec: 0, limitedBy: 'highest step passed' } as CapacityResult])
  ) as Record<Side, CapacityResult>;
  const active = new Set<Side>(KINDS);
  const stepS = quick ? 3 : 5;
  log(`capacity at ${pairs.toLocaleString('en')} pairs: raising the rate until p99 ≥ 50 ms`);
  for (const rate of rates) {
    if (active.size === 0 || timeLeft() < 120_000) break;
    progress.plan(active.size * options.repetitions);
    const runs = new Map<Side, RunSample[]>([...active].map((k) => [k, []]));
    for (let rep = 0; rep < options.repetitions; rep++) {
      for (const kind of orderFor(rep, KINDS).filter((k) => active.has(k))) {
        const label = `capacity: ${kind} at ${(rate * pairs).toLocaleString('en')} edits/s, repetition ${rep + 1}/${options.repetitions}`;
        runs.get(kind)!.push(await timedRun(rigs[kind], allPids, rate, stepS, rep + 1, label));
      }
    }
    for (const [kind, samples] of runs) {
      results[kind].steps.push({ rate: rate * pairs, runs: samples });
      const steps: CapacityStep[] = results[kind].steps.map((st) => ({
        rate: st.rate,
        p99s: st.runs.map((x) => x.p99),
        lost: st.runs.reduce((sum, x) => sum + x.lost, 0),
        achieved: st.runs.map((x) => x.achievedPerSec)
      }));
      const verdict = capacityOf(steps, 50, options.repetitions);
      results[kind].editsPerSec = verdict.editsPerSec;
      if (!verdict.passing.includes(rate * pairs)) {
        const failed = samples.find((s) => s.p99 >= 50 || s.lost > 0) ?? samples[0]!;
        active.delete(kind);
        const who = failed.serverCores >= 0.9 ? 'server saturated' : failed.loadCores >= 0.9 ? 'load generator saturated' : 'neither saturated';
        results[kind].limitedBy =
          `${failed.lost > 0 ? `${failed.lost} lost` : `p99 ${failed.p99.toFixed(0)} ms`} at ${(rate * pairs).toLocaleString('en')}/s; ${who}: server ${Math.round(failed.serverCores * 100)} %, load ${Math.round(failed.loadCores * 100)} %`;
      }
    }
  }
  return KINDS.map((k) => results[k]);
}

async function browserPhase(): Promise<BrowserResult | null> {
  if (!options.browser) return null;
  await waitForQuiet(NOISE_CORES, quick ? 1_000 : 5_000);
  const target = await startTarget('pairboard', SERVER_CORE);
  try {
    return await browserBench(target.url, options.keystrokes);
  } finally {
    await target.stop();
  }
}

// --- main ---------------------------------------------------------------------------------------

async function main() {
  ensureBuild();
  const startQuiet = await waitForQuiet(NOISE_CORES, quick ? 2_000 : 10_000);
  log(
    `machine: ${startQuiet.quiet ? 'quiet' : 'NOISY'} (others ${startQuiet.others.toFixed(2)} cores); taskset ${hasTaskset() ? 'servers→cpu0, load→cpu1' : 'unavailable'}`
  );

  const results: BenchResults = {
    date: new Date().toISOString(),
    heapWithoutCode: true,
    durationS: 0,
    options: { ...options, out: undefined },
    machine: { cores: os.cpus().length, node: process.version, taskset: hasTaskset(), quietAtStart: startQuiet.quiet },
    coldStartMs: [],
    points: [],
    memory: [],
    capacity: [],
    browser: null
  };

  log('cold start');
  results.coldStartMs = await coldStart();
  log(`  ${results.coldStartMs.map((t) => t.toFixed(0)).join(', ')} ms`);
  const capacityAt = options.findCapacity ? Math.max(...options.pairs) : -1;
  for (const pairs of options.pairs) {
    if (timeLeft() < 90_000) break;
    const measured = await latencyPoint(pairs, pairs === capacityAt);
    results.points.push(measured.point);
    results.capacity.push(...measured.capacity);
  }
  if (options.memory && timeLeft() > 120_000) {
    for (const kind of KINDS) {
      log(`memory: ${kind}, ${options.memoryBoards} boards typed in full (${options.memoryChars} keystrokes per partner)`);
      results.memory.push(await memoryRun(kind));
      const m = results.memory.at(-1)!;
      log(
        `  documents ${m.docHeapPerBoardKb.toFixed(1)} KB/board, with partners ${m.heapPerBoardKb.toFixed(1)} KB/board, read back ${m.verified - m.mismatches}/${m.verified}`
      );
    }
  }
  if (options.browser && timeLeft() > 60_000) {
    log('browser: first-load JS and keystroke → partner in Chromium');
    try {
      results.browser = await browserPhase();
    } catch (error) {
      log(`  browser phase failed: ${(error as Error).message}`);
    }
  }

  results.durationS = (Date.now() - benchStart) / 1000;
  const markdown = renderMarkdown(results);
  fs.mkdirSync(path.dirname(options.out), { recursive: true });
  fs.writeFileSync(options.out, JSON.stringify(results, null, 2));
  fs.writeFileSync(options.out.replace(/\.json$/, '.md'), markdown);
  fs.writeFileSync(options.out.replace(/\.json$/, '.svg'), renderResultsChart(results));
  console.log(`\n${markdown}`);
  log(`wrote ${path.relative(ROOT, options.out)} (.md, .svg) in ${results.durationS.toFixed(0)} s`);
  clearTimeout(hardStop);
  process.exit(0);
}

await main().catch(fail);
