/**
 * A busy storm: another process holds the write lock (with an uncommitted insert) while a burst
 * of writes runs with a small retry budget. Every write must fail with BUSY and write nothing;
 * reads must still answer from the last committed state. Once the lock holder is SIGKILLed, its
 * half-write must be gone, the file intact, and the same writes must succeed as the model says.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { deepEqual } from '../engine/deep-equal';
import { snapshotOfState, snapshotOfStore } from '../../models/invariants';
import { applyToStore, describeResult } from '../../models/operations';
import type { ScratchDatabases } from '../scenarios/scratch-db';
import { fileStateOf } from '../scenarios/file-state';
import { SqliteTracker } from '../tracker';
import { checkIntegrity } from './integrity';
import { seedStore } from './fixture';
import { seededRandom } from './random';
import { writeProgram } from './write-program';

export interface BusyStormFigures {
  writes: number;
  busyErrors: number;
  /** Writes that did anything but fail with BUSY while the lock was held. */
  otherOutcomes: number;
  readsDuringLockOk: boolean;
  nothingWrittenDuringLock: boolean;
  halfWriteGone: boolean;
  integrityOk: boolean;
  writesAfterReleaseOk: number;
  problems: string[];
}

const LOCK_HOLDER = path.join(__dirname, 'lock-holder.cjs');

export async function runBusyStorm(options: {
  readonly writes: number;
  readonly seed: number;
  readonly scratch: ScratchDatabases;
}): Promise<BusyStormFigures> {
  const dbPath = options.scratch.next();
  // A small budget: the storm is meant to exhaust it.
  const store = new SqliteTracker({
    dbPath,
    busyAttempts: 3,
    busyBaseDelayMs: 1,
    busyMaxDelayMs: 4,
  });
  const reader = new Database(dbPath, { readonly: true });
  const figures: BusyStormFigures = {
    writes: options.writes,
    busyErrors: 0,
    otherOutcomes: 0,
    readsDuringLockOk: false,
    nothingWrittenDuringLock: false,
    halfWriteGone: false,
    integrityOk: false,
    writesAfterReleaseOk: 0,
    problems: [],
  };
  const holder = spawn(process.execPath, [LOCK_HOLDER, dbPath], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    const state = await seedStore(store);
    const before = await fileStateOf(store, reader);
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('locked') && resolve());
      holder.on('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
    });
    const program = writeProgram(state, options.writes, seededRandom(options.seed));
    const outcomes = await Promise.all(program.ops.map((op) => applyToStore(store, op)));
    for (const outcome of outcomes) {
      if (!outcome.ok && outcome.code === 'BUSY') figures.busyErrors += 1;
      else {
        figures.otherOutcomes += 1;
        figures.problems.push(`a write under the lock ended ${describeResult(outcome)}`);
      }
    }
    const during = await fileStateOf(store, reader);
    figures.readsDuringLockOk = deepEqual(during.snapshot, snapshotOfState(state));
    figures.nothingWrittenDuringLock = deepEqual(before, during);
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
    figures.integrityOk = checkIntegrity(dbPath) === 'ok';
    figures.halfWriteGone =
      reader.prepare("SELECT 1 FROM clients WHERE client_key = 'intruder'").get() === undefined;
    for (const [i, op] of program.ops.entries()) {
      const observed = await applyToStore(store, op);
      if (deepEqual(observed, program.results[i])) figures.writesAfterReleaseOk += 1;
      else figures.problems.push(`after the lock: ${op.kind} ended ${describeResult(observed)}`);
    }
    const final = await snapshotOfStore(store);
    if (!deepEqual(final, snapshotOfState(program.states[program.ops.length] ?? state))) {
      figures.problems.push('after the lock: the file and the model differ');
    }
  } finally {
    holder.kill('SIGKILL');
    reader.close();
    await store.close();
    options.scratch.discard(dbPath);
  }
  return figures;
}
