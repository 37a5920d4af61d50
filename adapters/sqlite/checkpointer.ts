import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Moves WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside whichever
 * commit crosses the threshold, copying the WAL into the database file and fsyncing it: a 10 to
 * 20 ms stall of every turn in flight. Here a worker thread with its own connection checkpoints
 * a few times a second (PASSIVE: it never blocks the writer), and the writer's own automatic
 * checkpoint is turned off.
 */
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = (mode) => { try { db.pragma('wal_checkpoint(' + mode + ')'); } catch (e) { parentPort.postMessage({ error: String(e) }); } };
const timer = setInterval(() => checkpoint('PASSIVE'), workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m === 'close') {
    clearInterval(timer);
    checkpoint('TRUNCATE');
    db.close();
    parentPort.close();
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;

  constructor(file: string, intervalMs = 250, onError: (message: string) => void = () => {}) {
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(WORKER, { eval: true, workerData: { file, driver, intervalMs } });
    this.worker.on('message', (m: { error?: string }) => m.error && onError(m.error));
    this.worker.on('error', (e) => onError(String(e)));
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // A store that is never closed must not keep the process alive.
    this.worker.unref();
  }

  /** A last full checkpoint (the WAL is emptied), then the worker ends. */
  async close(): Promise<void> {
    // Held while closing: otherwise a short-lived program (the adviser command) would end
    // with the final checkpoint still running and its `await` never settled.
    this.worker.ref();
    this.worker.postMessage('close');
    await this.exited;
  }
}
