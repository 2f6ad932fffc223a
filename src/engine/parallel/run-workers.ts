/**
 * The main-thread side of a parallel run: starts N worker threads on one TypeScript entry (via
 * the `.cjs` bootstrap), runs them in rounds, hands every streamed operation to `onOps`, and
 * watches them: a thread that exits or throws is a crash, one that stops sending heartbeats (a
 * blocked event loop) or runs one operation past the time-out is a hang. Either ends the run at
 * once with a verdict naming the thread and its last operations: a run never hangs.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { EncodedBatch } from './batch-codec';
import { clockNow, sinceOrigin } from './clock';
import { LastOps } from './last-ops';
import {
  decodeBatch,
  type InFlightOp,
  type MainToWorker,
  type RecordedOp,
  type WorkerToMain,
  type WorkloadFigures,
} from './protocol';
import type { RunVerdict } from './verdict';

export const BOOTSTRAP = path.join(__dirname, 'bootstrap.cjs');

export interface WorkerTimeouts {
  /** Loading the entry (tsx compiles it) and opening the store. */
  readonly startupMs: number;
  /** Silence (no batch, no heartbeat) after which a thread counts as hung. */
  readonly silenceMs: number;
  /** One operation running longer than this counts as hung. */
  readonly operationMs: number;
}

export const DEFAULT_TIMEOUTS: WorkerTimeouts = {
  startupMs: 60_000,
  silenceMs: 5_000,
  operationMs: 10_000,
};

export interface RoundPlan {
  /** Length of the round. */
  readonly durationMs: number;
  readonly maxOpsPerLane?: number;
  /** Open model: calls per second offered to each thread (see ArrivalSchedule). */
  readonly ratePerSecondPerThread?: number;
  /** The workload's settings for the round (plain data). */
  readonly params?: unknown;
}

export interface ParallelRunOptions<I, O> {
  /** Absolute path of the TypeScript module each thread runs (it calls `serveWorkload`). */
  readonly entry: string;
  readonly threads: number;
  /** Extra `workerData` of thread `index` (its target, seed, mix...). */
  readonly dataFor: (index: number) => Record<string, unknown>;
  /** Taken one at a time, after the previous round's `afterRound`: a generator may adapt. */
  readonly rounds: Iterable<RoundPlan> | AsyncIterable<RoundPlan>;
  /**
   * Every recorded operation, in arrival order (ids are given here): at the end of each round,
   * before `afterRound`, and when a run ends early. While a round runs, the main thread only
   * keeps the encoded batches.
   */
  readonly onOps: (ops: readonly RecordedOp<I, O>[]) => void;
  /** Runs between rounds and after the last one, with every thread idle; false stops the run. */
  readonly afterRound?: (round: number) => Promise<boolean>;
  /** A thread's workload figures, with each heartbeat and at each round's end. */
  readonly onFigures?: (thread: number, figures: WorkloadFigures, roundEnd: boolean) => void;
  readonly timeouts?: Partial<WorkerTimeouts>;
  readonly batchSize?: number;
  readonly heartbeatMs?: number;
}

export interface ParallelRunResult<I, O> {
  readonly verdict: RunVerdict<I, O>;
  /** The origin of every time in the history. */
  readonly origin: bigint;
  readonly roundsRun: number;
  /** Operations still running when the run stopped (they never returned). */
  readonly pending: readonly InFlightOp<I>[];
}

interface ThreadState<I> {
  readonly worker: Worker;
  lastHeard: number;
  inFlight: readonly InFlightOp<I>[];
  /** When the thread sent `inFlight` (ns since the origin, on the shared clock). */
  inFlightAt: number;
  ready: boolean;
  roundDone: number;
  exited: Promise<void>;
}

export async function runParallelWorkers<I, O>(
  options: ParallelRunOptions<I, O>,
): Promise<ParallelRunResult<I, O>> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const origin = clockNow();
  const last = new LastOps<I, O>();
  const threads: ThreadState<I>[] = [];
  let failure: RunVerdict<I, O> | undefined;
  let wake: () => void = () => undefined;
  let stopping = false;

  /** Batches as they arrived, still encoded, with their thread. */
  let undecoded: { thread: number; batch: EncodedBatch }[] = [];
  const deliver = () => {
    const batches = undecoded;
    undecoded = [];
    for (const { thread, batch } of batches) {
      const ops = decodeBatch<I, O>(batch);
      for (const op of ops) {
        last.add(op);
        workerThread.set(op.worker, thread);
      }
      options.onOps(ops);
    }
  };

  const fail = (kind: 'crash' | 'hang', thread: number, reason: string) => {
    if (failure !== undefined || stopping) return;
    deliver(); // the last operations of the thread are in its batches
    const lanesOf = (worker: number) =>
      threads[thread]?.inFlight.some((op) => op.worker === worker);
    failure = {
      kind,
      thread,
      reason,
      lastOps: last.of((worker) => lanesOf(worker) || workerThread.get(worker) === thread),
      inFlight: threads[thread]?.inFlight ?? [],
    };
    wake();
  };
  /** Logical worker -> thread, learned from the ops (lanes per thread is the workload's business). */
  const workerThread = new Map<number, number>();

  for (let index = 0; index < options.threads; index += 1) {
    const worker = new Worker(BOOTSTRAP, {
      workerData: {
        ...options.dataFor(index),
        entry: options.entry,
        index,
        origin: origin.toString(),
        batchSize: options.batchSize ?? 256,
        heartbeatMs: options.heartbeatMs ?? 100,
      },
    });
    const state: ThreadState<I> = {
      worker,
      lastHeard: Date.now(),
      inFlight: [],
      inFlightAt: 0,
      ready: false,
      roundDone: -1,
      exited: new Promise<void>((resolve) => worker.once('exit', () => resolve())),
    };
    threads.push(state);
    worker.on('message', (message: WorkerToMain<I>) => {
      state.lastHeard = Date.now();
      switch (message.type) {
        case 'ready':
          state.ready = true;
          break;
        case 'batch':
          undecoded.push({ thread: index, batch: message.batch });
          break;
        case 'heartbeat':
          state.inFlight = message.inFlight;
          state.inFlightAt = message.at;
          if (message.figures) options.onFigures?.(index, message.figures, false);
          break;
        case 'round-end':
          state.inFlight = [];
          state.roundDone = message.round;
          if (message.figures) options.onFigures?.(index, message.figures, true);
          break;
        case 'fatal':
          fail('crash', index, message.error);
          break;
      }
      wake();
    });
    worker.on('error', (error) => fail('crash', index, error.stack ?? error.message));
    worker.on('exit', (code) => fail('crash', index, `its thread exited (code ${code}) mid-run`));
  }

  /** Resolves when `done()` holds, or a failure or time-out ends the wait. */
  const waitFor = (done: () => boolean, phase: 'startup' | 'round', startedAt: number) =>
    new Promise<void>((resolve) => {
      const check = () => {
        const now = Date.now();
        if (failure === undefined) {
          for (const [index, t] of threads.entries()) {
            if (phase === 'startup' && !t.ready && now - startedAt > timeouts.startupMs) {
              fail(
                'hang',
                index,
                `not ready after ${timeouts.startupMs} ms (loading the entry or opening the store)`,
              );
            } else if (phase === 'round' && t.ready && now - t.lastHeard > timeouts.silenceMs) {
              fail('hang', index, `silent for ${now - t.lastHeard} ms: its thread is blocked`);
            } else {
              // Age as of the thread's own report: a late heartbeat never makes a call look old.
              const stuck = t.inFlight.find(
                (op) => t.inFlightAt - op.invoke > timeouts.operationMs * 1e6,
              );
              if (stuck !== undefined) {
                fail('hang', index, `one operation has run for over ${timeouts.operationMs} ms`);
              }
            }
          }
        }
        if (failure !== undefined || done()) {
          clearInterval(timer);
          resolve();
        }
      };
      const timer = setInterval(check, 50);
      wake = check;
      check();
    });

  let roundsRun = 0;
  let pending: readonly InFlightOp<I>[] = [];
  try {
    await waitFor(() => threads.every((t) => t.ready), 'startup', Date.now());
    let round = -1;
    for await (const plan of options.rounds) {
      round += 1;
      if (failure !== undefined) break;
      const go: MainToWorker = {
        type: 'go',
        round,
        untilNs: sinceOrigin(origin) + plan.durationMs * 1e6,
        ...(plan.maxOpsPerLane !== undefined ? { maxOpsPerLane: plan.maxOpsPerLane } : {}),
        ...(plan.ratePerSecondPerThread !== undefined
          ? { ratePerSecond: plan.ratePerSecondPerThread }
          : {}),
        ...(plan.params !== undefined ? { params: plan.params } : {}),
      };
      for (const t of threads) {
        t.lastHeard = Date.now();
        t.worker.postMessage(go);
      }
      await waitFor(() => threads.every((t) => t.roundDone === round), 'round', Date.now());
      if (failure !== undefined) break;
      roundsRun += 1;
      deliver();
      if (options.afterRound !== undefined && !(await options.afterRound(round))) break;
    }
  } finally {
    stopping = true;
    pending = failure === undefined ? [] : threads.flatMap((t) => t.inFlight);
    await Promise.all(threads.map((t) => stopThread(t)));
    deliver(); // whatever arrived before a failure, or while stopping
  }
  return { verdict: failure ?? { kind: 'completed' }, origin, roundsRun, pending };
}

/** Asks a thread to close its store and exit; terminates it if it does not within a second. */
async function stopThread<I>(thread: ThreadState<I>): Promise<void> {
  thread.worker.postMessage({ type: 'stop' } satisfies MainToWorker);
  const timer = setTimeout(() => void thread.worker.terminate(), 1_000);
  await thread.exited;
  clearTimeout(timer);
}
