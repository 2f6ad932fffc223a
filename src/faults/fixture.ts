/** The small seeded database the fault checks start from, built through the store and the model. */
import type { TrackerOp } from '../../models/operations';
import { callStore } from '../../models/operations';
import { stepTracker } from '../../models/tracker-model';
import { initialTrackerState, type TrackerState } from '../../models/tracker-state';
import type { TrackerStore } from '../tracker';

/** A client and an epic with four tasks: todo (1), in progress (2), completed (3), todo (4). */
export const SEED_OPS: readonly TrackerOp[] = [
  { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } },
  {
    kind: 'createEpicWithTasks',
    epic: { clientId: 1, epicKey: 'E-1', title: 'Epic one', durationText: '2 weeks' },
    tasks: [1, 2, 3, 4].map((n) => ({ taskKey: `T-${n}`, title: `Task ${n}`, storyPoints: n })),
  },
  { kind: 'startTask', taskId: 2 },
  { kind: 'startTask', taskId: 3 },
  { kind: 'completeTask', taskId: 3 },
];

/** Runs the seed calls on `store`; returns the model's state after them. */
export async function seedStore(store: TrackerStore): Promise<TrackerState> {
  let state = initialTrackerState();
  for (const op of SEED_OPS) {
    await callStore(store, op);
    state = stepTracker(state, op).state;
  }
  return state;
}
