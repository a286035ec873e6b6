import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Runs in a worker thread on its own connection: copies the WAL back into the
// database file every `everyMs` (PASSIVE: never waits for, nor blocks, the
// writer), so the fsyncs of a checkpoint never stall the server's event loop.
const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 1000');
const checkpoint = () => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {}
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

/**
 * Starts the background checkpointer for a SQLite file and calls `onFailure`
 * if it dies, so the caller can turn SQLite's own (blocking) checkpoints back on.
 */
export function startCheckpointer(
  file: string,
  onFailure: () => void,
  everyMs = 200,
): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  // Plain Node in the worker: the code above is JavaScript, and a TypeScript
  // loader inherited from the parent (tsx) can keep an eval worker from starting.
  const worker = new Worker(WORKER, {
    eval: true,
    execArgv: [],
    workerData: { file, driver, everyMs },
  });
  worker.unref();
  let stopping = false;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    if (!stopping) onFailure();
  });
  worker.on('exit', () => {
    if (!stopping) onFailure();
  });
  return {
    async stop() {
      stopping = true;
      worker.postMessage('stop');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, 2_000);
      });
      await Promise.race([exited, timeout]);
      clearTimeout(timer);
      await worker.terminate();
    },
  };
}
