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
 * One call of a leak sequence as plain data: its kind, and the seed its inputs are drawn from.
 * Plain data shrinks without fast-check's generation context, so the cover sequences, given to
 * fast-check as examples, shrink like generated ones.
 */
export interface LeakCall {
  readonly kind: OpKind;
  readonly inputSeed: number;
}

/** A sequence as fast-check holds it: a call that shrank away is null. */
export type LeakSequence = readonly (LeakCall | null)[];

const LEAK_KINDS = Object.keys(UNIFORM_MIX) as OpKind[];

// The input seed does not shrink: another seed is another input, not a smaller one.
const leakCall: fc.Arbitrary<LeakCall> = fc.record({
  kind: fc.constantFrom(...LEAK_KINDS),
  inputSeed: fc.noShrink(fc.integer()),
});

/**
 * Sequences up to the allowed length. Each call may shrink to "absent", so shrinking can drop
 * any one call (fast-check's length shrinking alone keeps only the tail of a sequence). A
 * sequence whose calls all shrank away is empty, and leaks nothing.
 */
export function leakSequences(maxCommands: number): fc.Arbitrary<LeakSequence> {
  // Unbiased: fast-check's early bias towards small values would favour short sequences and
  // the first and last kinds.
  return fc.noBias(
    fc.array(fc.option(leakCall, { nil: null, freq: ABSENT_ONE_IN }), {
      minLength: 1,
      maxLength: maxCommands,
      size: 'max',
    }),
  );
}

/**
 * The sequences a search measures first: every kind of call once, in groups as long as a
 * sequence may be, in an order drawn from the seed. A leak in any one call then shows within
 * the first few sequences instead of waiting for a random sequence to draw that call (one in
 * seven of them, for a given call among fourteen, at three calls a sequence).
 */
export function coverSequences(seed: number, maxCommands: number): LeakSequence[] {
  const [order] = fc.sample(fc.shuffledSubarray(LEAK_KINDS, { minLength: LEAK_KINDS.length }), {
    seed,
    numRuns: 1,
  });
  const inputSeeds = fc.sample(fc.integer(), { seed, numRuns: LEAK_KINDS.length });
  const calls = (order ?? LEAK_KINDS).map((kind, i): LeakCall => ({
    kind,
    inputSeed: inputSeeds[i] ?? i,
  }));
  const groups: LeakSequence[] = [];
  for (let i = 0; i < calls.length; i += maxCommands) groups.push(calls.slice(i, i + maxCommands));
  return groups;
}

/** The calls of a sequence, each with its inputs drawn from its seed. */
export function buildersOf(sequence: LeakSequence): OpBuilder[] {
  return sequence
    .filter((call): call is LeakCall => call !== null)
    .map((call) => {
      const [build] = fc.sample(OP_BUILDERS[call.kind], { seed: call.inputSeed, numRuns: 1 });
      if (build === undefined) throw new Error(`no input drawn for ${call.kind}`);
      return build;
    });
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
