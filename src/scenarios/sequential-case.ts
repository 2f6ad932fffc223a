/**
 * The sequential model-based property: random command sequences run against a fresh store and
 * the model; every result must match, and at the end the store's whole state must equal the
 * model's and satisfy the invariants.
 */
import fc from 'fast-check';
import { deepEqual } from '../engine/deep-equal';
import { FinalCheckError } from '../engine/mismatch';
import { diffValues } from '../engine/diff';
import { newModelCell, runCommands, trackerCommands } from '../../models/commands';
import { invariantViolations, snapshotOfState, snapshotOfStore } from '../../models/invariants';
import type { OpKind } from '../../models/operations';
import type { StoreFactory } from '../target/store-factory';
import { caseDatabase, type SharedCaseFile } from './case-file';
import type { ScratchDatabases } from './scratch-db';

export interface SequentialStats {
  cases: number;
  operations: number;
  /** Calls refused with a typed error that the model predicted. */
  expectedErrors: number;
  /** Checks passed: one per call compared, plus the end-of-case checks. */
  checksPassed: number;
}

export function newSequentialStats(): SequentialStats {
  return { cases: 0, operations: 0, expectedErrors: 0, checksPassed: 0 };
}

export interface SequentialOptions {
  readonly createStore: StoreFactory;
  readonly scratch: ScratchDatabases;
  /** One file for every case, emptied in between (see SharedCaseFile): only for stores that allow it. */
  readonly caseFile?: SharedCaseFile;
  readonly maxCommands: number;
  readonly mix?: Partial<Record<OpKind, number>>;
  readonly stats?: SequentialStats;
  /** Called when a case fails (before shrinking): lets a caller time the first catch. */
  readonly onFailure?: () => void;
}

export function sequentialProperty(options: SequentialOptions) {
  return fc.asyncProperty(
    trackerCommands({
      maxCommands: options.maxCommands,
      ...(options.mix ? { mix: options.mix } : {}),
    }),
    async (commands) => {
      const database = caseDatabase(options.caseFile, options.scratch);
      const store = await options.createStore(database.target);
      const model = newModelCell();
      try {
        await runCommands(commands, model, store);
        const expected = snapshotOfState(model.state);
        const observed = await snapshotOfStore(store);
        const problems = [
          ...diffValues(expected, observed).map((line) => `final state ${line}`),
          ...invariantViolations(observed).map((p) => `store: ${p}`),
          ...invariantViolations(expected).map((p) => `model: ${p}`),
        ];
        if (problems.length > 0 || !deepEqual(expected, observed)) {
          throw new FinalCheckError(model.trace, problems);
        }
      } catch (error) {
        options.onFailure?.();
        throw error;
      } finally {
        record(options.stats, model.trace);
        await store.close();
        database.release();
      }
    },
  );
}

function record(stats: SequentialStats | undefined, trace: readonly { outcome: string }[]): void {
  if (stats === undefined) return;
  stats.cases += 1;
  stats.operations += trace.length;
  stats.expectedErrors += trace.filter((step) => step.outcome.startsWith('throws')).length;
  stats.checksPassed += trace.length;
}
