/**
 * The tracker's model as the linearizability checker sees it: the same pure step, plus one
 * pseudo-operation, `finalState`, that observes the whole database after every worker is done.
 * Putting the final state into the history makes the checker look for an ordering that explains
 * every result AND the final contents, instead of checking the contents against one ordering.
 */
import type { Model } from '../src/engine/model';
import { snapshotOfState } from './invariants';
import { stateRowsKey } from './rows-key';
import { describeOp, describeResult, isWrite, type OpResult, type TrackerOp } from './operations';
import { stepTracker } from './tracker-model';
import type { TrackerState } from './tracker-state';

export type LinInput = TrackerOp | { readonly kind: 'finalState' };

export function trackerLinModel(initial: TrackerState): Model<TrackerState, LinInput, OpResult> {
  return {
    init: () => initial,
    step(state, input) {
      if (input.kind === 'finalState') {
        return { output: { ok: true, value: snapshotOfState(state) }, state };
      }
      const { result, state: next } = stepTracker(state, input);
      return { output: result, state: next };
    },
    readOnly: isReadInput,
    stateKey: trackerStateKey,
    describeInput: (input) =>
      input.kind === 'finalState' ? 'the final database contents' : describeOp(input),
    describeOutput: (output) => describeResult(output),
  };
}

/** Entities in id order are the whole observable state (keys and ids derive from them). */
export function trackerStateKey(state: TrackerState): string {
  const { client, epic, task } = state.lastIds;
  return `${client},${epic},${task}|${stateRowsKey(state)}`;
}

/** Reads change no state in any state: the checker commits them without branching. */
export function isReadInput(input: LinInput): boolean {
  return input.kind === 'finalState' || !isWrite(input);
}
