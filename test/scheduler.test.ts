/**
 * The interleaving scheduler on toy workers (no database): determinism, what the schedules
 * mean, back-off, and the verdicts for a hung worker and a livelock.
 */
import fc from 'fast-check';
import { runPrograms } from '../src/engine/interleave/run-programs';
import {
  ScheduleCursor,
  describeSchedule,
  scheduleArbitrary,
  type Schedule,
} from '../src/engine/interleave/schedule';
import { InterleavingScheduler } from '../src/engine/interleave/scheduler';

const TOY_BOUNDS = { maxWorkers: 3, maxSteps: 30, depth: 3, maxCalls: 3, maxGates: 5 };

/** Each op takes `steps` statements; returns the order in which statements ran. */
async function runToy(schedule: Schedule, programs: number[][], maxSteps = 1000) {
  const scheduler = new InterleavingScheduler(new ScheduleCursor(schedule, programs.length), {
    workers: programs.length,
    maxSteps,
    quiescenceTimeoutMs: 500,
  });
  const order: string[] = [];
  const execution = await runPrograms<number, string>(
    scheduler,
    programs,
    async (worker, steps) => {
      for (let i = 0; i < steps; i += 1) {
        await scheduler.gatesFor(worker).beforeStatement({ name: `s${i}` });
        order.push(`w${worker}:${i}`);
      }
      return 'done';
    },
    (steps) => `op(${steps})`,
  );
  return { order, execution };
}

test('the same schedule gives the same interleaving, every time', async () => {
  await fc.assert(
    fc.asyncProperty(
      scheduleArbitrary('mixed', TOY_BOUNDS).chain((mixed) =>
        fc.constantFrom(mixed, ...fc.sample(scheduleArbitrary('points', TOY_BOUNDS), 1)),
      ),
      async (schedule) => {
        const first = await runToy(schedule, [[3, 2], [4], [1, 1, 1]]);
        const second = await runToy(schedule, [[3, 2], [4], [1, 1, 1]]);
        expect(second.order).toEqual(first.order);
        expect(second.execution.trace).toEqual(first.execution.trace);
      },
    ),
    { numRuns: 50 },
  );
});

test('PCT without change points runs the highest-priority worker to the end first', async () => {
  const { order } = await runToy({ kind: 'pct', priorities: [0, 2, 1], changePoints: [] }, [
    [2],
    [2],
    [2],
  ]);
  expect(order).toEqual(['w1:0', 'w1:1', 'w2:0', 'w2:1', 'w0:0', 'w0:1']);
});

test('a PCT change point switches away from the running worker at that step', async () => {
  // Steps: 0 invoke w0, 1 w0:s0, 2 w0:s1 ... a change at step 2 hands over to w1.
  const { order } = await runToy({ kind: 'pct', priorities: [1, 0], changePoints: [2] }, [
    [3],
    [1],
  ]);
  expect(order).toEqual(['w0:0', 'w1:0', 'w0:1', 'w0:2']);
});

test('random picks choose among the runnable workers; all zeros is sequential', async () => {
  const sequential = await runToy({ kind: 'random', picks: [] }, [[2], [2]]);
  expect(sequential.order).toEqual(['w0:0', 'w0:1', 'w1:0', 'w1:1']);
  const alternating = await runToy({ kind: 'random', picks: [0, 1, 0, 1, 0, 1] }, [[2], [2]]);
  expect(alternating.order).toEqual(['w0:0', 'w1:0', 'w0:1', 'w1:1']);
});

test('points switch where a worker stands; none at all is sequential', async () => {
  const sequential = await runToy({ kind: 'points', switches: [] }, [[2], [2]]);
  expect(sequential.order).toEqual(['w0:0', 'w0:1', 'w1:0', 'w1:1']);
  // At gate 1 of its first call (its first statement) worker 0 hands over to the next worker;
  // worker 1 goes on (no decision written) to its end.
  const handOver = await runToy({ kind: 'points', switches: [[[0, 1]]] }, [[2], [2]]);
  expect(handOver.order).toEqual(['w1:0', 'w1:1', 'w0:0', 'w0:1']);
  const pingPong = await runToy({ kind: 'points', switches: [[[0, 0, 1]], [[0, 0, 1]]] }, [
    [2],
    [2],
  ]);
  expect(pingPong.order).toEqual(['w0:0', 'w1:0', 'w0:1', 'w1:1']);
  expect(describeSchedule({ kind: 'points', switches: [[[0, 0, 1]], [[], [0, 2]]] })).toBe(
    'points [w1 call 1 gate 2 +1, w2 call 2 gate 1 +2]',
  );
});

/** Toy calls with names; the order lists which call ran each statement. */
async function runNamed(
  schedule: Schedule,
  programs: { name: string; steps: number; slot: number }[][],
  workerKeys: number[],
) {
  const scheduler = new InterleavingScheduler(new ScheduleCursor(schedule, 3), {
    workers: programs.length,
    maxSteps: 1000,
    quiescenceTimeoutMs: 500,
    workerKeys,
  });
  const order: string[] = [];
  await runPrograms(
    scheduler,
    programs,
    async (worker, call) => {
      for (let i = 0; i < call.steps; i += 1) {
        await scheduler.gatesFor(worker).beforeStatement({ name: `s${i}` });
        order.push(`${call.name}:${i}`);
      }
      return 'done';
    },
    (call) => call.name,
    programs.map((program) => program.map((call) => call.slot)),
  );
  return order;
}

test('removing a call without switches of its own leaves the order of the others unchanged', async () => {
  const toyCall = fc.integer({ min: 1, max: 3 });
  const toyPrograms = fc.array(fc.array(toyCall, { minLength: 1, maxLength: 3 }), {
    minLength: 2,
    maxLength: 3,
  });
  await fc.assert(
    fc.asyncProperty(
      toyPrograms,
      scheduleArbitrary('points', TOY_BOUNDS),
      fc.nat(),
      async (steps, schedule, pick) => {
        if (schedule.kind !== 'points') throw new Error('points expected');
        const programs = steps.map((calls, w) =>
          calls.map((n, slot) => ({ name: `w${w}c${slot}`, steps: n, slot })),
        );
        const all = programs.flat();
        const removed = all[pick % all.length]!;
        const [w, slot] = removed.name.slice(1).split('c').map(Number) as [number, number];
        // The removed call's own decisions go with it.
        const switches = schedule.switches.map((calls, cw) =>
          calls.map((gates, cs) => (cw === w && cs === slot ? [] : gates)),
        );
        const kept = programs.map((program) => program.filter((call) => call !== removed));
        const keys = kept.map((_, i) => i).filter((i) => (kept[i]?.length ?? 0) > 0);
        const before = await runNamed({ kind: 'points', switches }, programs, [0, 1, 2]);
        const after = await runNamed(
          { kind: 'points', switches },
          keys.map((i) => kept[i]!),
          keys,
        );
        expect(after).toEqual(before.filter((entry) => !entry.startsWith(`${removed.name}:`)));
      },
    ),
    { numRuns: 300 },
  );
});

test('the history records invoke and response steps that respect each worker order', async () => {
  const { execution } = await runToy({ kind: 'random', picks: [0, 1, 1, 0, 1, 0] }, [[1, 1], [2]]);
  expect(execution.verdict.kind).toBe('completed');
  expect(execution.history).toHaveLength(3);
  const first = execution.history.filter((op) => op.worker === 0);
  expect((first[0]?.response ?? 0) < (first[1]?.invoke ?? 0)).toBe(true);
  for (const op of execution.history) expect(op.response).toBeGreaterThanOrEqual(op.invoke);
});

test('a worker backing off waits while another worker can move', async () => {
  const scheduler = new InterleavingScheduler(
    new ScheduleCursor({ kind: 'pct', priorities: [1, 0], changePoints: [] }, 2),
    { workers: 2, maxSteps: 100, quiescenceTimeoutMs: 500 },
  );
  const order: string[] = [];
  let lockFree = false;
  const verdict = await scheduler.run([
    async () => {
      // The high-priority worker finds the lock taken and backs off until it is free.
      await scheduler.gate(0, 'invoke', 'write');
      while (!lockFree) await scheduler.gate(0, 'backoff', 'busy');
      order.push('w0 wrote');
    },
    async () => {
      await scheduler.gate(1, 'invoke', 'holder');
      await scheduler.gate(1, 'statement', 'commit');
      lockFree = true;
      order.push('w1 committed');
    },
  ]);
  expect(verdict.kind).toBe('completed');
  expect(order).toEqual(['w1 committed', 'w0 wrote']);
});

test('a worker that never reaches its next gate is reported as hung, not waited on forever', async () => {
  const scheduler = new InterleavingScheduler(
    new ScheduleCursor({ kind: 'random', picks: [] }, 1),
    {
      workers: 1,
      maxSteps: 100,
      quiescenceTimeoutMs: 50,
    },
  );
  const verdict = await scheduler.run([
    async () => {
      await scheduler.gate(0, 'statement', 'insertEpic');
      await new Promise(() => undefined);
    },
  ]);
  expect(verdict).toEqual({ kind: 'hang', worker: 0, lastStep: 'insertEpic' });
});

test('a livelock stops at the step limit', async () => {
  const scheduler = new InterleavingScheduler(
    new ScheduleCursor({ kind: 'random', picks: [] }, 1),
    {
      workers: 1,
      maxSteps: 25,
      quiescenceTimeoutMs: 500,
    },
  );
  const verdict = await scheduler.run([
    async () => {
      for (;;) await scheduler.gate(0, 'backoff', 'busy');
    },
  ]);
  expect(verdict).toEqual({ kind: 'step-limit', steps: 25 });
});

test('a crashing worker ends the run with its error', async () => {
  const scheduler = new InterleavingScheduler(
    new ScheduleCursor({ kind: 'random', picks: [] }, 1),
    {
      workers: 1,
      maxSteps: 100,
      quiescenceTimeoutMs: 500,
    },
  );
  const verdict = await scheduler.run([
    async () => {
      await scheduler.gate(0, 'invoke', 'x');
      throw new Error('boom');
    },
  ]);
  expect(verdict).toEqual({ kind: 'crash', worker: 0, error: 'boom' });
});

test('schedules print short and readable', () => {
  expect(describeSchedule({ kind: 'pct', priorities: [2, 0, 1], changePoints: [11, 4] })).toBe(
    'pct priorities [2,0,1] switch at steps 4, 11',
  );
  expect(describeSchedule({ kind: 'random', picks: [0, 1, 0, 0] })).toBe('random picks [0,1]');
});
