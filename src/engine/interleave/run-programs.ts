/**
 * Runs one program per worker under an InterleavingScheduler and records the history: each
 * operation with the step it started (its invoke gate) and the step it returned in.
 */
import type { Operation } from '../history';
import type { InterleavingScheduler, SchedulerVerdict, StepRecord } from './scheduler';

export interface InterleavedExecution<I, O> {
  /** Completed operations, plus those still running when the run stopped (response Infinity). */
  readonly history: readonly Operation<I, O>[];
  readonly verdict: SchedulerVerdict;
  readonly trace: readonly StepRecord[];
}

export async function runPrograms<I, O>(
  scheduler: InterleavingScheduler,
  programs: readonly (readonly I[])[],
  execute: (worker: number, input: I) => Promise<O>,
  describe: (input: I) => string,
  /** Each call's index in its program as generated (default: its index here). */
  slots?: readonly (readonly number[])[],
): Promise<InterleavedExecution<I, O>> {
  const history: Operation<I, O>[] = [];
  const running = new Map<number, { id: number; input: I; invoke: number }>();
  let nextId = 0;
  const bodies = programs.map((program, worker) => async () => {
    for (const [k, input] of program.entries()) {
      await scheduler.gate(worker, 'invoke', describe(input), slots?.[worker]?.[k] ?? k);
      const started = { id: nextId++, input, invoke: scheduler.now };
      running.set(worker, started);
      const output = await execute(worker, input);
      running.delete(worker);
      history.push({ ...started, worker, output, response: scheduler.now });
    }
  });
  const verdict = await scheduler.run(bodies);
  for (const [worker, op] of running) {
    // Never returned: it may or may not have taken effect; the checker treats it as pending.
    history.push({ ...op, worker, output: undefined as O, response: Infinity });
  }
  history.sort((a, b) => a.id - b.id);
  return { history, verdict, trace: scheduler.trace };
}
