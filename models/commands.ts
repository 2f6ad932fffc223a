/**
 * fast-check model-based commands over the tracker. One command type serves every operation:
 * it runs the same TrackerOp on the model and on the store and compares the results as data.
 */
import fc from 'fast-check';
import { deepEqual } from '../src/engine/deep-equal';
import type { TrackerStore } from '../src/tracker';
import { ModelMismatchError, type TraceStep } from '../src/engine/mismatch';
import {
  applyToStore,
  summarizeResult,
  describeOp,
  describeResult,
  type OpKind,
  type OpResult,
  type TrackerOp,
} from './operations';
import { opBuilderArbitrary, type OpBuilder } from './arbitraries';
import { stepTracker } from './tracker-model';
import { initialTrackerState, type TrackerState } from './tracker-state';
import { formatLiteral } from './format-literal';

/** fast-check's model object: the current model state and what ran so far. */
export interface TrackerModelCell {
  state: TrackerState;
  readonly trace: TraceStep[];
}

export function newModelCell(): TrackerModelCell {
  return { state: initialTrackerState(), trace: [] };
}

export function resultsAgree(expected: OpResult, observed: OpResult): boolean {
  return deepEqual(expected, observed);
}

export class TrackerCommand implements fc.AsyncCommand<TrackerModelCell, TrackerStore> {
  /** The concrete call, known once the command has met the model state it runs in. */
  private op: TrackerOp | undefined;

  constructor(private readonly build: OpBuilder) {}

  check(): true {
    // Invalid calls are commands too: the model says which error they must get.
    return true;
  }

  async run(model: TrackerModelCell, store: TrackerStore): Promise<void> {
    const op = this.build(model.state);
    this.op = op;
    const expected = stepTracker(model.state, op);
    const observed = await applyToStore(store, op);
    if (!resultsAgree(expected.result, observed)) {
      throw new ModelMismatchError(model.trace, this.toString(), expected.result, observed, (v) =>
        isOpResult(v) ? describeResult(v) : formatLiteral(v),
      );
    }
    model.state = expected.state;
    model.trace.push({ call: this.toString(), outcome: summarizeResult(observed) });
  }

  toString(): string {
    return this.op === undefined ? '(not run)' : describeOp(this.op);
  }
}

/**
 * A program of commands. A plain array rather than `fc.commands`: its shrinking does not depend
 * on which commands ran, so a seed and a path alone replay a failure exactly.
 */
export function trackerCommands(
  options: { maxCommands?: number; mix?: Partial<Record<OpKind, number>> } = {},
): fc.Arbitrary<TrackerCommand[]> {
  const command = opBuilderArbitrary(options.mix).map((build) => new TrackerCommand(build));
  // fast-check shrinks an array by dropping its first items and shrinking each item in place;
  // an optional item can shrink to "absent", so a command anywhere in the program can go.
  const removable = fc.option(command, { nil: undefined, freq: 1_000 });
  return fc
    .array(removable, {
      // Longer programs reach deeper states (completed epics, last phases) more often.
      maxLength: options.maxCommands ?? 50,
      size: 'large',
    })
    .map((commands) => commands.filter((c): c is TrackerCommand => c !== undefined));
}

/** Runs the commands in order against the model and the store; throws at the first mismatch. */
export async function runCommands(
  commands: readonly TrackerCommand[],
  model: TrackerModelCell,
  store: TrackerStore,
): Promise<void> {
  for (const command of commands) {
    if (command.check()) await command.run(model, store);
  }
}

function isOpResult(value: unknown): value is OpResult {
  return value !== null && typeof value === 'object' && 'ok' in value;
}
