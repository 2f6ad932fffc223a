/** The crash verdict on hand-made files: which states a file may be in after a kill. */
import { snapshotOfState } from '../models/invariants';
import type { TrackerOp } from '../models/operations';
import { stepTracker } from '../models/tracker-model';
import { initialTrackerState, type TrackerState } from '../models/tracker-state';
import { judgeCrash } from '../src/faults/crash-verdict';

const OPS: TrackerOp[] = [
  { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } },
  {
    kind: 'createEpicWithTasks',
    epic: { clientId: 1, epicKey: 'E-1', title: 'Epic' },
    tasks: [
      { taskKey: 'T-1', title: 'One', storyPoints: 2 },
      { taskKey: 'T-2', title: 'Two', storyPoints: 3 },
    ],
  },
  { kind: 'startTask', taskId: 1 },
  { kind: 'completeTask', taskId: 1 },
];
const STATES: TrackerState[] = OPS.reduce(
  (states, op) => [...states, stepTracker(states.at(-1) as TrackerState, op).state],
  [initialTrackerState()],
);
const file = (j: number) => snapshotOfState(STATES[j] as TrackerState);

test('the file may hold the acknowledged calls, or one more when it had begun', () => {
  expect(judgeCrash(STATES, 2, false, file(2))).toEqual({ kind: 'consistent', applied: 2 });
  expect(judgeCrash(STATES, 2, true, file(2))).toEqual({ kind: 'consistent', applied: 2 });
  expect(judgeCrash(STATES, 2, true, file(3))).toEqual({ kind: 'consistent', applied: 3 });
});

test('a call that never began cannot be in the file', () => {
  expect(judgeCrash(STATES, 2, false, file(3)).kind).toBe('half-applied');
});

test('an acknowledged call missing from the file is counted', () => {
  expect(judgeCrash(STATES, 3, false, file(1))).toMatchObject({
    kind: 'acknowledged-missing',
    missing: 2,
  });
});

test('an epic short of a task is half-applied', () => {
  const full = file(2);
  const torn = { ...full, tasks: full.tasks.slice(0, 1) };
  expect(judgeCrash(STATES, 1, true, torn)).toMatchObject({ kind: 'half-applied' });
});

test('points counted without the completed task are half-applied', () => {
  const before = file(3);
  const torn = {
    ...before,
    epics: before.epics.map((e) => ({ ...e, pointsEarned: e.pointsEarned + 2 })),
  };
  expect(judgeCrash(STATES, 3, true, torn)).toMatchObject({ kind: 'half-applied' });
});
