/**
 * A worker thread that fails in the middle of a write transaction: its store runs
 * createEpicWithTasks and, at the second task insert (the epic and one task written, nothing
 * committed), either throws (`throw`) or tells the parent and blocks until it is terminated
 * (`terminate`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { SqliteTracker } from '../tracker';

export type WorkerFaultMode = 'throw' | 'terminate';

export interface FaultWorkerData {
  readonly dbPath: string;
  readonly mode: WorkerFaultMode;
  readonly epicKey: string;
}

const { dbPath, mode, epicKey } = workerData as FaultWorkerData;
let inserts = 0;
const store = new SqliteTracker({
  dbPath,
  hooks: {
    beforeStatement: ({ name }) => {
      if (name !== 'insertTask' || ++inserts < 2) return;
      if (mode === 'throw') throw new Error('worker fault: thrown mid-transaction');
      parentPort?.postMessage('mid-transaction');
      // Blocks this thread for good: only terminate() ends it.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    },
  },
});

// A rejection here is left unhandled on purpose: the parent must see the worker fail.
void store
  .createEpicWithTasks({ clientId: 1, epicKey, title: 'Doomed epic' }, [
    { taskKey: 'T-1', title: 'First' },
    { taskKey: 'T-2', title: 'Second' },
    { taskKey: 'T-3', title: 'Third' },
  ])
  .then(() => parentPort?.postMessage('committed'));
