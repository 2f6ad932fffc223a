/**
 * Worker faults: a worker thread whose write transaction dies half-way, by throwing or by being
 * terminated. The failure must be reported (an error event, or the exit of a terminated
 * thread), its transaction rolled back (the file shows none of its half-done work and passes
 * the integrity check), and the write lock released (the next write succeeds).
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { deepEqual } from '../engine/deep-equal';
import { snapshotOfState, snapshotOfStore } from '../../models/invariants';
import { applyToStore, describeResult, type TrackerOp } from '../../models/operations';
import { stepTracker } from '../../models/tracker-model';
import type { ScratchDatabases } from '../scenarios/scratch-db';
import { SqliteTracker } from '../tracker';
import { checkIntegrity } from './integrity';
import type { FaultWorkerData, WorkerFaultMode } from './fault-worker-thread';
import { seedStore } from './fixture';

const WORKER = path.join(__dirname, 'fault-worker.cjs');

export interface WorkerFaultResult {
  readonly mode: WorkerFaultMode;
  /** What the parent was told: the error's message, or the terminated thread's exit code. */
  readonly reported: string | undefined;
  /** While blocked mid-transaction, the worker held the write lock (terminate mode). */
  readonly heldLockMidTransaction?: boolean;
  readonly rolledBack: boolean;
  readonly integrityOk: boolean;
  readonly nextWriteOk: boolean;
  readonly problems: readonly string[];
}

export async function runWorkerFault(
  mode: WorkerFaultMode,
  scratch: ScratchDatabases,
): Promise<WorkerFaultResult> {
  const dbPath = scratch.next();
  const store = new SqliteTracker({ dbPath });
  const problems: string[] = [];
  try {
    const state = await seedStore(store);
    const data: FaultWorkerData = { dbPath, mode, epicKey: 'E-doomed' };
    const worker = new Worker(WORKER, { workerData: data });
    let reported: string | undefined;
    let heldLock: boolean | undefined;
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    worker.on('error', (error) => (reported = `error: ${error.message}`));
    worker.on('message', (message) => {
      if (message === 'committed') problems.push('the worker committed despite its fault');
      if (message !== 'mid-transaction') return;
      heldLock = writeLockTaken(dbPath);
      void worker.terminate();
    });
    const code = await exited;
    if (mode === 'terminate') reported ??= `terminated (exit code ${code})`;
    if (reported === undefined) problems.push('the worker failed silently');
    const rolledBack = deepEqual(await snapshotOfStore(store), snapshotOfState(state));
    if (!rolledBack) problems.push('the file shows the worker’s half-done work');
    const integrityOk = checkIntegrity(dbPath) === 'ok';
    const next: TrackerOp = { kind: 'startTask', taskId: 1 };
    const observed = await applyToStore(store, next);
    const nextWriteOk = deepEqual(observed, stepTracker(state, next).result);
    if (!nextWriteOk) problems.push(`the next write ended ${describeResult(observed)}`);
    return {
      mode,
      reported,
      ...(heldLock !== undefined ? { heldLockMidTransaction: heldLock } : {}),
      rolledBack,
      integrityOk,
      nextWriteOk,
      problems,
    };
  } finally {
    await store.close();
    scratch.discard(dbPath);
  }
}

/** Whether another connection is refused the write lock right now. */
function writeLockTaken(dbPath: string): boolean {
  const db = new Database(dbPath, { timeout: 0 });
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    return false;
  } catch {
    return true;
  } finally {
    db.close();
  }
}
