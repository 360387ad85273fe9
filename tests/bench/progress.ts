/**
 * Progress on the terminal for long phases: which run, how far into it, and the time left for the
 * whole bench (from the runs planned and the average time a run has taken so far).
 */
export class Progress {
  private done = 0;
  private spentMs = 0;
  private readonly startedAt = Date.now();
  private ticker: NodeJS.Timeout | null = null;

  constructor(
    private planned: number,
    private readonly estimateMs: number
  ) {}

  log(...args: unknown[]): void {
    this.clearLine();
    console.log(`[${((Date.now() - this.startedAt) / 1000).toFixed(0).padStart(4)}s]`, ...args);
  }

  /** Adds runs to the plan (a noisy run repeated, a capacity step added). */
  plan(more: number): void {
    this.planned += more;
  }

  left(): string {
    const remaining = Math.max(0, this.planned - this.done);
    const per = this.done ? this.spentMs / this.done : this.estimateMs;
    const s = Math.round((remaining * per) / 1000);
    return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s` : `${s}s`;
  }

  /** Wraps one timed run: prints "run i/N · label · t/T s · ~left" while it lasts. */
  run<T>(label: string, expectedMs: number, body: () => Promise<T>): Promise<T> {
    return this.track(`run ${this.done + 1}/${this.planned} · ${label}`, expectedMs, true, body);
  }

  /** A long step that is not a timed run (connecting pairs, typing, waiting for an unload). */
  phase<T>(label: string, expectedMs: number, body: () => Promise<T>): Promise<T> {
    return this.track(label, expectedMs, false, body);
  }

  private async track<T>(label: string, expectedMs: number, isRun: boolean, body: () => Promise<T>): Promise<T> {
    const started = Date.now();
    const show = () => {
      const t = (Date.now() - started) / 1000;
      const line = `  ${label} · ${t.toFixed(0)}/~${(expectedMs / 1000).toFixed(0)} s · ~${this.left()} of runs left`;
      if (process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(100)}`);
      else if (t >= 1) console.log(line);
    };
    show();
    this.ticker = setInterval(show, process.stdout.isTTY ? 500 : 5_000);
    try {
      return await body();
    } finally {
      clearInterval(this.ticker);
      this.ticker = null;
      this.clearLine();
      if (isRun) {
        this.done++;
        this.spentMs += Date.now() - started;
      }
    }
  }

  private clearLine(): void {
    if (process.stdout.isTTY) process.stdout.write(`\r${' '.repeat(100)}\r`);
  }
}
