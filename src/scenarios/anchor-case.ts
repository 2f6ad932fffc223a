/**
 * The anchor: the same workers tested with fast-check's own tools as a careful user would today.
 * `fc.scheduler` wraps every SQL statement (through the same seam) and every back-off; the
 * checks are what such a user can state without a model: every call either succeeds or fails
 * with a typed error, and the final state satisfies the invariants and PRAGMA integrity_check.
 * What no inline postcondition can judge (the result of a read that overlapped a write) stays
 * unjudged: that is the point of comparing it with Stampede's linearizability check.
 */
import fc from 'fast-check';
import { opBuilderArbitrary, type OpBuilder } from '../../models/arbitraries';
import { invariantViolations, snapshotOfStore } from '../../models/invariants';
import { applyToStore, describeOp, type TrackerOp } from '../../models/operations';
import { stepTracker } from '../../models/tracker-model';
import { initialTrackerState } from '../../models/tracker-state';
import type { StoreFactory } from '../target/store-factory';
import type { TrackerStore } from '../tracker';
import type { ScratchDatabases } from './scratch-db';

export interface AnchorOptions {
  readonly createStore: StoreFactory;
  readonly scratch: ScratchDatabases;
  readonly maxWorkers: number;
  readonly maxPrefix: number;
  readonly maxOpsPerWorker: number;
  readonly onFailure?: () => void;
}

export class AnchorFailure extends Error {
  override readonly name = 'AnchorFailure';
}

export function anchorProperty(options: AnchorOptions) {
  const op = opBuilderArbitrary();
  return fc.asyncProperty(
    fc.scheduler(),
    fc.array(op, { maxLength: options.maxPrefix }),
    fc.array(fc.array(op, { minLength: 1, maxLength: options.maxOpsPerWorker }), {
      minLength: 2,
      maxLength: options.maxWorkers,
    }),
    async (s, prefix, programs) => {
      try {
        await runAnchorCase(s, prefix, programs, options);
      } catch (error) {
        options.onFailure?.();
        throw error;
      }
    },
  );
}

async function runAnchorCase(
  s: fc.Scheduler,
  prefixBuilders: readonly OpBuilder[],
  builders: readonly (readonly OpBuilder[])[],
  options: AnchorOptions,
): Promise<void> {
  const dbPath = options.scratch.next();
  const setup = await options.createStore({ dbPath });
  const stores: TrackerStore[] = [setup];
  try {
    let state = initialTrackerState();
    for (const build of prefixBuilders) {
      const op = build(state);
      state = stepTracker(state, op).state;
      await applyToStore(setup, op);
    }
    const programs = builders.map((program) => {
      let local = state;
      return program.map((build) => {
        const op: TrackerOp = build(local);
        local = stepTracker(local, op).state;
        return op;
      });
    });
    const workers = await Promise.all(
      programs.map(() =>
        options.createStore({
          dbPath,
          poolSize: 1,
          hooks: {
            beforeStatement: (event) => s.schedule(Promise.resolve(), event.name),
            backoff: () => s.schedule(Promise.resolve(), 'backoff'),
          },
        }),
      ),
    );
    stores.push(...workers);
    const runs = programs.map(async (program, w) => {
      for (const op of program) {
        const result = await applyToStore(workers[w] as TrackerStore, op);
        // Inline postcondition: a call succeeds or fails with a typed error.
        if (!result.ok && result.code === 'UNTYPED_ERROR') {
          throw new AnchorFailure(`${describeOp(op)} threw an untyped error: ${result.field}`);
        }
      }
    });
    await s.waitFor(Promise.all(runs));
    // Postconditions on the final state.
    const problems = invariantViolations(await snapshotOfStore(setup));
    const health = await setup.healthCheck();
    if (health.integrity !== 'ok') problems.push(`integrity_check: ${health.integrity}`);
    if (problems.length > 0) throw new AnchorFailure(problems.join('; '));
  } finally {
    for (const store of stores) await store.close();
    options.scratch.discard(dbPath);
  }
}
