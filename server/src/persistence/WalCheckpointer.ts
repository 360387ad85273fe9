import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in a worker thread with its own connection. CommonJS because eval'd workers are.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 2000');
db.pragma('synchronous = NORMAL');
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (error) { parentPort.postMessage(String(error)); }
}, workerData.everyMs);
parentPort.on('message', () => { clearInterval(timer); db.close(); process.exit(0); });
`;

/**
 * Moves SQLite's WAL checkpoints off the event loop. A checkpoint copies pages into the database
 * file and fsyncs it; done inline (SQLite's auto-checkpoint runs inside the commit that crosses
 * 1,000 pages) that fsync stalls every socket for as long as the disk takes. Here a worker thread
 * checkpoints on a timer with its own connection, concurrently with the writer.
 */
export class WalCheckpointer {
  private readonly worker: Worker;

  constructor(file: string, everyMs = 1_000, onError: (message: string) => void = () => {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, everyMs, driver } });
    this.worker.on('message', onError);
    this.worker.on('error', (error) => onError(String(error)));
    this.worker.unref();
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    await exited;
  }
}
