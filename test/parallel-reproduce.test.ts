/**
 * From a parallel violation to a deterministic reproduction: a lost update recorded by hand (two
 * lanes on different threads complete one task each of an epic; the final contents lost one
 * completion's points) is replayed by the interleaving engine on the planted bug, which must
 * fail, and on the correct store, which must not. The client the epic needs was made in the same
 * round by a call outside the witness: the set-up must bring it along.
 */
import type { Operation } from '../src/engine/history';
import type { OpResult, TrackerOp } from '../models/operations';
import { initialTrackerState } from '../models/tracker-state';
import { stepTracker } from '../models/tracker-model';
import { snapshotOfState } from '../models/invariants';
import { checkParallelHistory } from '../src/scenarios/parallel/check-parallel-history';
import { reproduceWithInterleavings } from '../src/scenarios/parallel/reproduce';
import { factoryOf } from '../src/scenarios/parallel/target-spec';

type TrackerOperation = Operation<TrackerOp, OpResult>;

/** Steps the model in the order given; each call gets the times it is given. */
function lostUpdateRound() {
  let state = initialTrackerState();
  const ops: TrackerOperation[] = [];
  const call = (worker: number, op: TrackerOp, invoke: number, response: number) => {
    const step = stepTracker(state, op);
    state = step.state;
    ops.push({ id: ops.length, worker, input: op, output: step.result, invoke, response });
  };
  // Lanes 0 and 2: with two lanes per thread, threads 0 and 1.
  call(0, { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } }, 0, 8);
  call(
    2,
    {
      kind: 'createEpicWithTasks',
      epic: { clientId: 1, epicKey: 'E-1', title: 'Epic', pointsValue: 10 },
      tasks: [
        { taskKey: 'T-1', title: 'First', storyPoints: 3 },
        { taskKey: 'T-2', title: 'Second', storyPoints: 5 },
      ],
    },
    10,
    18,
  );
  // Another epic made meanwhile on lane 4 (a third thread), its ids in one block: no race for
  // ids to replay.
  call(
    4,
    {
      kind: 'createEpicWithTasks',
      epic: { clientId: 1, epicKey: 'E-2', title: 'Other', pointsValue: 10 },
      tasks: [{ taskKey: 'T-1', title: 'Other', storyPoints: 1 }],
    },
    11,
    17,
  );
  call(0, { kind: 'startTask', taskId: 1 }, 20, 28);
  call(2, { kind: 'startTask', taskId: 2 }, 21, 29);
  call(0, { kind: 'completeTask', taskId: 1 }, 30, 50);
  call(2, { kind: 'completeTask', taskId: 2 }, 32, 52);
  const final = snapshotOfState(state);
  // The database kept the second completion's points only.
  const damaged = {
    ...final,
    epics: final.epics.map((e) => (e.id === 1 ? { ...e, pointsEarned: 5 } : e)),
  };
  return { ops, damaged };
}

function violationOf(
  ops: readonly TrackerOperation[],
  damaged: ReturnType<typeof snapshotOfState>,
) {
  const check = checkParallelHistory(ops, initialTrackerState(), damaged);
  expect(check.verdict).toBe('violation');
  return check.violation!;
}

const OPTIONS = { attempts: 200, timeLimitMs: 60_000, seed: 1, lanesPerThread: 2 };

test('the planted lost update is reproduced, the client made in the round rebuilt first', async () => {
  const { ops, damaged } = lostUpdateRound();
  const violation = violationOf(ops, damaged);
  const kinds = violation.witness.minimal.map(
    (op) => (op.input as { call?: TrackerOp }).call?.kind,
  );
  expect(kinds).not.toContain('createClient'); // the set-up, not the witness, has to bring it
  const reproduction = await reproduceWithInterleavings(
    violation,
    initialTrackerState(),
    { ...OPTIONS, createStore: factoryOf({ kind: 'catalogue', name: 'lost-update-points' }) },
    ops,
  );
  // The client first; the epic's create stays in the prefix, the other epic's is left out.
  expect(reproduction.prefix.map((op) => op.kind)).toEqual(['createClient', 'createEpicWithTasks']);
  expect(reproduction.programs.flat().map((op) => op.kind)).not.toContain('createEpicWithTasks');
  expect(reproduction.reproduced).toBe(true);
  expect(reproduction.report).toMatch(/pointsEarned/);
}, 90_000);

test('the same calls on the correct store never fail, and the note says where the race ran', async () => {
  const { ops, damaged } = lostUpdateRound();
  const reproduction = await reproduceWithInterleavings(
    violationOf(ops, damaged),
    initialTrackerState(),
    { ...OPTIONS, attempts: 40, createStore: factoryOf({ kind: 'builtin' }) },
    ops,
  );
  expect(reproduction.reproduced).toBe(false);
  expect(reproduction.attempts).toBe(40);
  expect(reproduction.note).toMatch(/different threads/);
}, 90_000);

test('a set-up that cannot be rebuilt is named instead of failing silently', async () => {
  const { ops, damaged } = lostUpdateRound();
  const violation = violationOf(ops, damaged);
  // The round as if its first call had been lost: nothing made the client.
  const withoutClient = ops.slice(1);
  const reproduction = await reproduceWithInterleavings(
    violation,
    initialTrackerState(),
    {
      ...OPTIONS,
      attempts: 20,
      createStore: factoryOf({ kind: 'catalogue', name: 'lost-update-points' }),
    },
    withoutClient,
  );
  expect(reproduction.reproduced).toBe(false);
  expect(reproduction.note).toMatch(/could not rebuild.*createEpicWithTasks/);
}, 90_000);

/**
 * Two epics with their tasks made at once on two threads, where the planted bug lets the other
 * call's task take an id between this epic's: tasks 1, 2, 4 and 3, 5, 6. The witness is one
 * create against the final contents; the other create, outside it, is the race.
 */
function splitEpicRound() {
  let state = initialTrackerState();
  const ops: TrackerOperation[] = [];
  const epic = (clientId: number, epicKey: string): TrackerOp => ({
    kind: 'createEpicWithTasks',
    epic: { clientId, epicKey, title: 'Epic', pointsValue: 10 },
    tasks: [1, 2, 3].map((k) => ({ taskKey: `T-${k}`, title: 'Task', storyPoints: k })),
  });
  const calls: [number, TrackerOp, number, number][] = [
    [0, { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } }, 0, 8],
    [2, epic(1, 'E-A'), 10, 40],
    [0, epic(1, 'E-B'), 12, 38],
  ];
  for (const [worker, op, invoke, response] of calls) {
    const step = stepTracker(state, op);
    state = step.state;
    ops.push({ id: ops.length, worker, input: op, output: step.result, invoke, response });
  }
  const swap = (id: number) => (id === 3 ? 4 : id === 4 ? 3 : id);
  const swapTasks = <T extends { id: number }>(tasks: readonly T[]) =>
    tasks.map((t) => ({ ...t, id: swap(t.id) })).sort((a, b) => a.id - b.id);
  for (const op of ops.slice(1)) {
    const made = (op.output as { value: { tasks: { id: number }[] } }).value;
    made.tasks = swapTasks(made.tasks);
  }
  const final = snapshotOfState(state);
  return { ops, damaged: { ...final, tasks: swapTasks(final.tasks) } };
}

test('split task ids are reproduced with the create they raced, though the witness lacks it', async () => {
  const { ops, damaged } = splitEpicRound();
  const violation = violationOf(ops, damaged);
  const witnessCreates = violation.witness.minimal.filter(
    (op) => (op.input as { call?: TrackerOp }).call?.kind === 'createEpicWithTasks',
  );
  expect(witnessCreates).toHaveLength(1);
  const reproduction = await reproduceWithInterleavings(
    violation,
    initialTrackerState(),
    { ...OPTIONS, createStore: factoryOf({ kind: 'catalogue', name: 'split-epic-with-tasks' }) },
    ops,
  );
  const creates = [...reproduction.prefix, ...reproduction.programs.flat()].filter(
    (op) => op.kind === 'createEpicWithTasks',
  );
  expect(creates).toHaveLength(2);
  expect(reproduction.reproduced).toBe(true);
}, 90_000);

/**
 * A cache per store instance: lane 0 reads an epic's analytics, lane 2 (another thread) adds a
 * task to it, lane 0 reads the analytics again and gets the first answer back. The calls never
 * overlapped, so replaying them whole in the order they ran reproduces it without a schedule.
 */
function staleReadRound(primingLane = 0) {
  let state = initialTrackerState();
  const ops: TrackerOperation[] = [];
  const call = (worker: number, op: TrackerOp, invoke: number, output?: OpResult) => {
    const step = stepTracker(state, op);
    state = step.state;
    const observed = output ?? step.result;
    ops.push({ id: ops.length, worker, input: op, output: observed, invoke, response: invoke + 8 });
    return observed;
  };
  call(0, { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } }, 0);
  call(
    0,
    {
      kind: 'createEpicWithTasks',
      epic: { clientId: 1, epicKey: 'E-1', title: 'Epic', pointsValue: 10 },
      tasks: [{ taskKey: 'T-1', title: 'First', storyPoints: 3 }],
    },
    10,
  );
  const first = call(primingLane, { kind: 'getEpicAnalytics', epicId: 1 }, 20);
  call(
    2,
    { kind: 'createTask', input: { epicId: 1, taskKey: 'T-2', title: 'More', storyPoints: 2 } },
    30,
  );
  call(0, { kind: 'getEpicAnalytics', epicId: 1 }, 40, first);
  return { ops, final: snapshotOfState(state) };
}

test('a stale read of a per-instance cache is reproduced by the calls in their observed order', async () => {
  const { ops, final } = staleReadRound();
  const violation = violationOf(ops, final);
  const reproduction = await reproduceWithInterleavings(
    violation,
    initialTrackerState(),
    { ...OPTIONS, createStore: factoryOf({ kind: 'catalogue', name: 'stale-read-cache' }) },
    ops,
  );
  expect(reproduction.reproduced).toBe(true);
  expect(reproduction.inObservedOrder).toBe(true);
  expect(reproduction.report).toMatch(/✗ \d+\. worker 1: store\.getEpicAnalytics\(1\)/);
  const correct = await reproduceWithInterleavings(
    violation,
    initialTrackerState(),
    { ...OPTIONS, attempts: 20, createStore: factoryOf({ kind: 'builtin' }) },
    ops,
  );
  expect(correct.reproduced).toBe(false);
  expect(correct.inObservedOrder).toBeUndefined();
}, 90_000);

test('a cache primed by a sibling lane is reproduced only when the replay shares their instance', async () => {
  // Lane 1 primes the cache; lane 0, on the same thread with two lanes per thread, reads stale.
  const { ops, final } = staleReadRound(1);
  const violation = violationOf(ops, final);
  const createStore = factoryOf({ kind: 'catalogue', name: 'stale-read-cache' });
  const shared = await reproduceWithInterleavings(
    violation,
    initialTrackerState(),
    { ...OPTIONS, createStore },
    ops,
  );
  expect(shared.inObservedOrder).toBe(true);
  // One lane per thread: every lane its own instance, so nothing was primed for lane 0.
  const apart = await reproduceWithInterleavings(
    violation,
    initialTrackerState(),
    { ...OPTIONS, attempts: 20, lanesPerThread: 1, createStore },
    ops,
  );
  expect(apart.reproduced).toBe(false);
}, 90_000);
