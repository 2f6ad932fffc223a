/**
 * The fast checker of parallel histories: hand-checked classics at scale through projections,
 * and tracker histories built by hand whose verdict is known (ok, or a violation whose witness
 * holds exactly the calls that show it). No absolute times: sizes and verdicts only.
 */
import type { Operation } from '../src/engine/history';
import type { Model } from '../src/engine/model';
import { checkProjections, type Projection } from '../src/engine/projections';
import type { OpResult, TrackerOp } from '../models/operations';
import { initialTrackerState } from '../models/tracker-state';
import { stepTracker } from '../models/tracker-model';
import { snapshotOfState } from '../models/invariants';
import { checkParallelHistory } from '../src/scenarios/parallel/check-parallel-history';

// ---------- classics: registers, one projection each ----------

type RegIn = { kind: 'write'; value: number } | { kind: 'read' };
const register: Model<number, RegIn, number | null> = {
  init: () => 0,
  step: (state, input) =>
    input.kind === 'write' ? { output: null, state: input.value } : { output: state, state },
};

/** `keys` registers, each with 3 workers: w0 writes 1 over [0,10], w1 reads over [5,15], w2 reads after. */
function registers(keys: number, staleKey?: number): Projection<unknown, RegIn, number | null>[] {
  let id = 0;
  return Array.from({ length: keys }, (_, key) => {
    const ops: Operation<RegIn, number | null>[] = [
      {
        id: id++,
        worker: 0,
        input: { kind: 'write', value: 1 },
        output: null,
        invoke: 0,
        response: 10,
      },
      // Concurrent with the write: 0 or 1 are both fine.
      { id: id++, worker: 1, input: { kind: 'read' }, output: key % 2, invoke: 5, response: 15 },
      // After the write returned: must be 1 (the classic stale read when it is 0).
      {
        id: id++,
        worker: 2,
        input: { kind: 'read' },
        output: key === staleKey ? 0 : 1,
        invoke: 20,
        response: 25,
      },
    ];
    return {
      name: `register ${key}`,
      model: register as Model<unknown, RegIn, number | null>,
      ops,
    };
  });
}

test('20k registers with concurrent reads of either value are linearizable', () => {
  const result = checkProjections(registers(20_000));
  expect(result.verdict).toBe('ok');
});

test('one stale read among 20k registers is found, with a witness of just the write and that read', () => {
  const result = checkProjections(registers(20_000, 12_344));
  expect(result.verdict).toBe('violation');
  if (result.verdict !== 'violation') return;
  expect(result.projection).toBe('register 12344');
  expect(result.witness.minimal.map((op) => op.input.kind)).toEqual(['write', 'read']);
  expect(result.witness.minimal[1]?.output).toBe(0);
});

test('a budget too small for the whole check answers unknown, saying how much was checked', () => {
  const slow: Model<number, RegIn, number | null> = {
    ...register,
    step: (state, input) => {
      const until = Date.now() + 2;
      while (Date.now() < until) {
        // a deliberately slow model
      }
      return register.step(state, input);
    },
  };
  const projections = registers(200).map((p) => ({
    ...p,
    model: slow as Model<unknown, RegIn, number | null>,
  }));
  const result = checkProjections(projections, { timeoutMs: 50 });
  expect(result.verdict).toBe('unknown');
  if (result.verdict !== 'unknown') return;
  expect(result.projections).toBe(200);
  expect(result.checked).toBeLessThan(200);
});

// ---------- tracker histories built by hand ----------

type TrackerOperation = Operation<TrackerOp, OpResult>;

/** Runs calls through the model one after another: a history a correct store could produce. */
class HistoryBuilder {
  state = initialTrackerState();
  readonly ops: TrackerOperation[] = [];
  private time = 0;

  call(worker: number, op: TrackerOp, overlapWithPrevious = false): TrackerOperation {
    const { result, state } = stepTracker(this.state, op);
    this.state = state;
    const invoke = overlapWithPrevious ? this.time - 5 : (this.time += 10);
    const entry = {
      id: this.ops.length,
      worker,
      input: op,
      output: result,
      invoke,
      response: invoke + 8,
    };
    this.time = Math.max(this.time, entry.response);
    this.ops.push(entry);
    return entry;
  }
}

function epicWithTasks(worker: number, n: number): TrackerOp {
  return {
    kind: 'createEpicWithTasks',
    epic: { clientId: 1, epicKey: `E-${worker}-${n}`, title: 'Epic', pointsValue: 10 },
    tasks: [1, 2, 3].map((k) => ({ taskKey: `T-${k}`, title: 'Task', storyPoints: k })),
  };
}

/** 8 workers, each creating epics and driving their tasks through start, complete and reads. */
function correctHistory(opsWanted: number): HistoryBuilder {
  const h = new HistoryBuilder();
  h.call(0, { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } });
  for (let n = 0; h.ops.length < opsWanted; n += 1) {
    const worker = n % 8;
    const made = h.call(worker, epicWithTasks(worker, n));
    const { epic, tasks } = (
      made.output as { ok: true; value: { epic: { id: number }; tasks: { id: number }[] } }
    ).value;
    h.call(worker, { kind: 'startTask', taskId: tasks[0]!.id });
    h.call((worker + 1) % 8, { kind: 'getEpicAnalytics', epicId: epic.id });
    h.call(worker, { kind: 'completeTask', taskId: tasks[0]!.id });
    h.call((worker + 2) % 8, { kind: 'getTask', id: tasks[0]!.id }, true);
    h.call(worker, { kind: 'completeTask', taskId: tasks[1]!.id }); // INVALID_TRANSITION: still todo
  }
  return h;
}

test('a correct 2k-call history from 8 workers, final contents included, is ok', () => {
  // Built through the whole model, whose maps are copied per step: kept small for the builder.
  const h = correctHistory(2_000);
  const check = checkParallelHistory(h.ops, initialTrackerState(), snapshotOfState(h.state));
  expect(check.verdict).toBe('ok');
  expect(check.unchecked).toBe(0);
  expect(check.operations).toBeGreaterThanOrEqual(2_000);
});

test('a lost update of pointsEarned is a violation whose witness is that epic’s calls', () => {
  const h = correctHistory(1_000);
  const lastEpic = Math.max(...h.state.epics.keys());
  const epic = h.state.epics.get(lastEpic)!;
  // The database lost one completion's points.
  const final = snapshotOfState(h.state);
  const damaged = {
    ...final,
    epics: final.epics.map((e) => (e.id === epic.id ? { ...e, pointsEarned: 0 } : e)),
  };
  const check = checkParallelHistory(h.ops, initialTrackerState(), damaged);
  expect(check.verdict).toBe('violation');
  expect(check.violation?.projection).toBe(`epic ${epic.id}`);
  const kinds = check.violation!.witness.minimal.map(
    (op) => (op.input as { call: { kind: string } }).call.kind,
  );
  // The creation and the completion it depends on, and the final contents that disagree.
  expect(kinds).toEqual(
    expect.arrayContaining(['createEpicWithTasks', 'startTask', 'completeTask', 'finalState']),
  );
  expect(kinds).not.toContain('getEpicAnalytics');
  expect(kinds.length).toBeLessThanOrEqual(5);
});

test('two creates that got the same client id are a violation of the client ids', () => {
  const h = new HistoryBuilder();
  h.call(0, { kind: 'createClient', input: { clientKey: 'a', name: 'A' } });
  const second = h.call(1, { kind: 'createClient', input: { clientKey: 'b', name: 'B' } });
  const dup: TrackerOperation = {
    ...second,
    output: { ok: true, value: { ...(second.output as { value: object }).value, id: 1 } },
  };
  const check = checkParallelHistory([h.ops[0]!, dup], initialTrackerState(), undefined, {
    timeoutMs: 10_000,
    exactUpTo: 0,
  });
  expect(check.verdict).toBe('violation');
  expect(check.violation?.projection).toBe('client ids');
});

test('a read that saw a task before its creation returned, but after it was invoked, is ok', () => {
  const h = new HistoryBuilder();
  h.call(0, { kind: 'createClient', input: { clientKey: 'a', name: 'A' } });
  const made = h.call(0, epicWithTasks(0, 1));
  const taskId = (made.output as { value: { tasks: { id: number }[] } }).value.tasks[0]!.id;
  const read = h.call(1, { kind: 'getTask', id: taskId }, true);
  expect(read.invoke).toBeLessThan(made.response);
  const check = checkParallelHistory(h.ops, initialTrackerState(), snapshotOfState(h.state), {
    timeoutMs: 10_000,
    exactUpTo: 0,
  });
  expect(check.verdict).toBe('ok');
});

test('a read that saw a task before its creation was even invoked is a violation', () => {
  const h = new HistoryBuilder();
  h.call(0, { kind: 'createClient', input: { clientKey: 'a', name: 'A' } });
  const made = h.call(0, epicWithTasks(0, 1));
  const taskId = (made.output as { value: { tasks: { id: number }[] } }).value.tasks[0]!.id;
  const read = h.call(1, { kind: 'getTask', id: taskId });
  // Move the read before the creation.
  const early = { ...read, invoke: made.invoke - 8, response: made.invoke - 2 };
  const ops = [h.ops[0]!, made, early];
  for (const exactUpTo of [0, 100]) {
    const check = checkParallelHistory(ops, initialTrackerState(), undefined, {
      timeoutMs: 10_000,
      exactUpTo,
    });
    expect(check.verdict).toBe('violation');
  }
});
