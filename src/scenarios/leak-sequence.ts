/**
 * A command sequence run over and over against one store, as the leak watcher's workload. Ids
 * are resolved against the model as the calls go, so calls keep hitting real rows; after the
 * first rounds every create repeats a taken key and every transition is spent, the store stops
 * growing, and whatever memory still grows is retained by the code, not by the data.
 */
import fc from 'fast-check';
import { OP_BUILDERS, type OpBuilder } from '../../models/arbitraries';
import { applyToStore, describeOp, type OpKind } from '../../models/operations';
import { stepTracker } from '../../models/tracker-model';
import { initialTrackerState, type TrackerState } from '../../models/tracker-state';
import type { TrackerStore } from '../tracker';

/** Every operation equally likely: a leak in a rarely drawn call must be found as fast. */
export const UNIFORM_MIX: Readonly<Record<OpKind, number>> = {
  createClient: 1,
  createEpic: 1,
  createEpicWithTasks: 1,
  createTask: 1,
  startTask: 1,
  advanceTaskPhase: 1,
  completeTask: 1,
  getClient: 1,
  getEpic: 1,
  getTask: 1,
  listClients: 1,
  listEpics: 1,
  listTasks: 1,
  getEpicAnalytics: 1,
};

// Almost never drawn, so generated calls are present; shrinking tries it first.
const ABSENT_ONE_IN = 1_000_000;

/**
 * Sequences up to the allowed length. Each call may shrink to "absent", so shrinking can drop
 * any one call (fast-check's length shrinking alone keeps only the tail of a sequence). A
 * sequence whose calls all shrank away is empty, and leaks nothing.
 */
export function leakSequences(maxCommands: number): fc.Arbitrary<OpBuilder[]> {
  const kinds = Object.keys(UNIFORM_MIX) as OpKind[];
  const call = fc.option(fc.oneof(...kinds.map((kind) => OP_BUILDERS[kind])), {
    nil: null,
    freq: ABSENT_ONE_IN,
  });
  // Unbiased: fast-check's early bias towards small values would favour short sequences and
  // the first and last kinds.
  return fc
    .noBias(fc.array(call, { minLength: 1, maxLength: maxCommands, size: 'max' }))
    .map((calls) => calls.filter((build): build is OpBuilder => build !== null));
}

export class SequenceRounds {
  private state: TrackerState = initialTrackerState();
  /** The calls of the first pass, as people read them. */
  readonly calls: string[] = [];

  constructor(
    private readonly sequence: readonly OpBuilder[],
    private readonly store: TrackerStore,
  ) {}

  /** Runs the whole sequence as many times as it takes to make at least `operations` calls. */
  async round(operations: number): Promise<number> {
    const passes = Math.max(1, Math.ceil(operations / this.sequence.length));
    for (let pass = 0; pass < passes; pass += 1) {
      for (const build of this.sequence) {
        const op = build(this.state);
        if (this.calls.length < this.sequence.length) this.calls.push(describeOp(op));
        this.state = stepTracker(this.state, op).state;
        await applyToStore(this.store, op);
      }
    }
    return passes * this.sequence.length;
  }
}
