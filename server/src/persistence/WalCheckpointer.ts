import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in a worker thread with its own connection. CommonJS because eval'd workers are.
// A failed checkpoint is reported (not thrown: the next one may succeed, e.g. after SQLITE_BUSY).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try {
    const [{ log }] = db.pragma('wal_checkpoint(PASSIVE)');
    if (log >= workerData.rewindAtFrames) parentPort.postMessage({ longLog: log });
  } catch (error) { parentPort.postMessage({ error: String(error) }); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/** WAL frames (pages, 4 KB each by default) past which the log is rewound to its start: 64 MB. */
export const REWIND_AT_FRAMES = 16_384;

export type CheckpointerEvents = {
  /** One checkpoint failed; the worker carries on. */
  onError?: (error: Error) => void;
  /**
   * The log is past `rewindAtFrames` after a passive checkpoint. Under steady writes a passive
   * checkpoint never catches the writer up, so SQLite never rewinds the log and it grows without
   * end (~1 GB a minute at 5,000 edits/s, measured): the writer's thread rewinds it (see
   * SqliteStore.rewindLogSoon), where it is 2–5 ms of work instead of a lock the writer would
   * wait on in SQLite's coarse busy-sleep steps (1, 2, 5, 10, 15 ms…).
   */
  onLongLog?: (timesTheLimit: number) => void;
  /** The worker is gone without being asked to stop: no more checkpoints will happen. */
  onStopped?: (error: Error) => void;
};

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies pages into the database
 * file and fsyncs it; done inline (SQLite's auto-checkpoint runs inside the commit that crosses
 * 1,000 pages) that fsync stalls every socket for as long as the disk takes. Here a worker thread
 * checkpoints on a timer with its own connection, concurrently with the writer.
 *
 * [OPS5] Its failures are never swallowed: each one reaches `onError`, and a worker that dies
 * (crash, failed open) reaches `onStopped`, so the store can fall back and /readyz can say so.
 */
export class WalCheckpointer {
  private readonly worker: Worker;
  private stopping = false;
  private exited = false;

  constructor(file: string, everyMs = 1_000, events: CheckpointerEvents = {}, rewindAtFrames = REWIND_AT_FRAMES) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, everyMs, driver, rewindAtFrames } });
    this.worker.on('message', (message: { error?: string; longLog?: number }) => {
      if (message?.longLog !== undefined) events.onLongLog?.(message.longLog / rewindAtFrames);
      else events.onError?.(new Error(`WAL checkpoint failed: ${message?.error ?? String(message)}`));
    });
    let failure: Error | null = null;
    this.worker.on('error', (error) => {
      failure = error;
    });
    this.worker.on('exit', (code) => {
      this.exited = true;
      if (this.stopping) return;
      events.onStopped?.(new Error(`WAL checkpoint worker stopped (exit ${code})${failure ? `: ${failure.message}` : ''}`));
    });
    this.worker.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    await exited;
  }
}
