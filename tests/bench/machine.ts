import fs from 'node:fs';
import { othersCores } from './stats.ts';

/** Clock ticks per second for /proc/<pid>/stat (USER_HZ; 100 on every Linux we run on). */
const HZ = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / HZ;
  } catch {
    return 0;
  }
}

/** Resident set size in MB, from /proc/<pid>/status. */
export function processRssMb(pid: number): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Busy CPU seconds of the whole machine (all cores), from /proc/stat, without interrupt time:
 * loopback traffic is processed in softirq context and is our own load, not another process's.
 */
export function machineBusySeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, user, nice, system, , , , , steal] = line.trim().split(/\s+/).map(Number);
  return (user! + nice! + system! + steal!) / HZ;
}

/** Interrupt + softirq seconds (mostly our loopback traffic during a run). */
export function machineIrqSeconds(): number {
  const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const [, , , , , , irq, softirq] = line.trim().split(/\s+/).map(Number);
  return (irq! + softirq!) / HZ;
}

/** Everything our own processes used, so the rest of the machine's busy time is "others". */
export class CpuWindow {
  private readonly startMachine = machineBusySeconds();
  private readonly startIrq = machineIrqSeconds();
  private readonly startWall = performance.now();
  private readonly startOwn: Map<number, number>;
  private readonly startSelf = process.cpuUsage();

  constructor(private readonly pids: number[]) {
    this.startOwn = new Map(pids.map((p) => [p, processCpuSeconds(p)]));
  }

  /** Cores used on average by each pid, by this process, and by everything else on the machine. */
  finish(): { seconds: number; perPid: Map<number, number>; others: number; irq: number } {
    const seconds = (performance.now() - this.startWall) / 1000;
    const perPid = new Map<number, number>();
    let own = 0;
    for (const pid of this.pids) {
      const used = processCpuSeconds(pid) - this.startOwn.get(pid)!;
      perPid.set(pid, used / seconds);
      own += used;
    }
    const self = process.cpuUsage(this.startSelf);
    own += (self.user + self.system) / 1e6;
    const machine = machineBusySeconds() - this.startMachine;
    const irq = (machineIrqSeconds() - this.startIrq) / seconds;
    return { seconds, perPid, others: othersCores(machine, own, seconds), irq };
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Waits (bounded) until other processes use less than `maxCores` of the machine. Returns the load
 * seen last and whether it was quiet; a noisy machine is reported, never hidden.
 */
export async function waitForQuiet(maxCores = 0.25, maxWaitMs = 20_000, ownPids: number[] = []): Promise<{ quiet: boolean; others: number }> {
  const deadline = Date.now() + maxWaitMs;
  for (;;) {
    const window = new CpuWindow(ownPids);
    await sleep(1_000);
    const { others } = window.finish();
    if (others <= maxCores) return { quiet: true, others };
    if (Date.now() > deadline) return { quiet: false, others };
  }
}

export function hasTaskset(): boolean {
  return fs.existsSync('/usr/bin/taskset') || fs.existsSync('/bin/taskset');
}

/**
 * The noise check: one CpuWindow per second for as long as a run lasts. A window where other
 * processes (the machine's busy time minus ours: servers, load generator, this runner) took more
 * than `maxCores` is noisy, and the run it belongs to is repeated.
 */
export class NoiseMonitor {
  readonly windows: number[] = [];
  private window: CpuWindow;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pids: number[],
    readonly maxCores: number
  ) {
    this.window = new CpuWindow(pids);
    this.timer = setInterval(() => this.sample(), 1_000);
  }

  private sample(): void {
    this.windows.push(this.window.finish().others);
    this.window = new CpuWindow(this.pids);
  }

  finish(): { noisyWindows: number; maxOthers: number; windows: number[] } {
    clearInterval(this.timer);
    const last = this.window.finish();
    if (last.seconds >= 0.5) this.windows.push(last.others);
    return { noisyWindows: this.windows.filter((w) => w > this.maxCores).length, maxOthers: Math.max(0, ...this.windows), windows: this.windows };
  }
}
