/**
 * The cheapest reproduction of a parallel failure, tried before any schedule: the calls one at
 * a time, whole, in the order they were invoked, each on the store instance its lane used (lanes
 * of one thread share one, as in the run), each result and then the final contents checked
 * against the model stepped in that order. A bug of state kept per instance (a cache that another
 * instance's write leaves stale) shows this way whenever the run itself saw the calls one after
 * another; a race inside calls needs the interleaving engine's schedules instead.
 */
import { resultsAgree } from '../../../models/commands';
import { snapshotOfState, snapshotOfStore } from '../../../models/invariants';
import {
  applyToStore,
  describeOp,
  describeResult,
  summarizeResult,
  type TrackerOp,
} from '../../../models/operations';
import { stepTracker } from '../../../models/tracker-model';
import { initialTrackerState } from '../../../models/tracker-state';
import { deepEqual } from '../../engine/deep-equal';
import type { StoreFactory } from '../../target/store-factory';
import type { TrackerStore } from '../../tracker';
import type { ScratchDatabases } from '../scratch-db';

export interface OrderedCall {
  /** Which program (worker) of the replay runs it. */
  readonly program: number;
  readonly op: TrackerOp;
}

/** The failure as a report, or undefined when every call and the final contents agreed. */
export async function replayInObservedOrder(
  prefix: readonly TrackerOp[],
  calls: readonly OrderedCall[],
  /** Each program's store instance, numbered from 0: programs of one thread's lanes share one. */
  instanceOfProgram: readonly number[],
  createStore: StoreFactory,
  scratch: ScratchDatabases,
): Promise<string | undefined> {
  const dbPath = scratch.next();
  const setup = await createStore({ dbPath });
  const stores: TrackerStore[] = [setup];
  try {
    // Programs per instance: each gets a connection of its own, as its lanes had in the run.
    const sharing = new Map<number, number>();
    for (const instance of instanceOfProgram) {
      sharing.set(instance, (sharing.get(instance) ?? 0) + 1);
    }
    const instances: TrackerStore[] = [];
    for (let i = 0; i < sharing.size; i += 1) {
      const store = await createStore({ dbPath, poolSize: sharing.get(i) ?? 1 });
      instances.push(store);
      stores.push(store);
    }
    let state = initialTrackerState();
    const lines: string[] = [];
    const steps = [
      ...prefix.map((op) => ({ label: 'prefix', store: setup, op })),
      ...calls.map((c) => ({
        label: `worker ${c.program + 1}`,
        store: instances[instanceOfProgram[c.program]!]!,
        op: c.op,
      })),
    ];
    for (const [index, step] of steps.entries()) {
      const expected = stepTracker(state, step.op);
      const observed = await applyToStore(step.store, step.op);
      const line = `${index + 1}. ${step.label}: ${describeOp(step.op)}`;
      if (!resultsAgree(expected.result, observed)) {
        lines.push(`✗ ${line}`);
        lines.push(`    expected: ${describeResult(expected.result)}`);
        lines.push(`    observed: ${describeResult(observed)}`);
        return lines.join('\n');
      }
      lines.push(`  ${line} -> ${summarizeResult(observed)}`);
      state = expected.state;
    }
    const final = await snapshotOfStore(setup);
    if (!deepEqual(final, snapshotOfState(state))) {
      lines.push('✗ the final contents differ from the model after these calls');
      return lines.join('\n');
    }
    return undefined;
  } finally {
    for (const store of stores) await store.close();
  }
}
