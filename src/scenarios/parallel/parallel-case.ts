/**
 * One parallel case: N worker threads, each with its own store on one WAL file, run their lanes'
 * seeded streams of calls in rounds. After each round (every thread idle) the main thread reads
 * the database back, checks integrity and the invariants, and judges the round's history against
 * the model, final contents included; the next round starts from those contents. Only one
 * round's history is held at a time, so memory stays bounded on long runs.
 */
import os from 'node:os';
import path from 'node:path';
import type { Operation } from '../../engine/history';
import type { RecordedOp, WorkloadFigures } from '../../engine/parallel/protocol';
import {
  runParallelWorkers,
  type RoundPlan,
  type WorkerTimeouts,
} from '../../engine/parallel/run-workers';
import type { RunVerdict } from '../../engine/parallel/verdict';
import {
  invariantViolations,
  snapshotOfStore,
  type TrackerSnapshot,
} from '../../../models/invariants';
import type { OpResult, TrackerOp } from '../../../models/operations';
import { stateFromSnapshot } from '../../../models/state-from-snapshot';
import { initialTrackerState, type TrackerState } from '../../../models/tracker-state';
import { ScratchDatabases } from '../scratch-db';
import {
  checkParallelHistory,
  DEFAULT_CHECK,
  type ParallelCheck,
  type ParallelCheckOptions,
} from './check-parallel-history';
import { MIXES, type Mix } from './mixes';
import { factoryOf, type TargetSpec } from './target-spec';
import type { TrackerWorkerData, WorkerFault } from './tracker-worker';

export interface ParallelSettings {
  readonly target: TargetSpec;
  readonly threads: number;
  /** Concurrent logical clients per thread, on the thread's one store. */
  readonly lanes: number;
  readonly seconds: number;
  readonly roundSeconds: number;
  /** Instead of time: this many calls per lane, in one round. */
  readonly opsPerLane?: number;
  readonly mix: Mix;
  readonly seed: number;
  readonly check: ParallelCheckOptions;
  readonly fault?: WorkerFault;
  readonly timeouts?: Partial<WorkerTimeouts>;
  /** Keep every round's history in the outcome (tests and benchmarks; unbounded). */
  readonly keepHistory?: boolean;
  /** Skip the check (benchmarks of the raw engine). */
  readonly skipCheck?: boolean;
  /** Fills the fresh database before the workers start (benchmarks); the check starts from it. */
  readonly prepareDb?: (dbPath: string) => void;
  /**
   * Calls made so far by all threads, from their heartbeats (every 100 ms): live progress for
   * a caller that only gets the history at the end of each round.
   */
  readonly onCalls?: (callsSoFar: number) => void;
  /** Asked after each checked round: true ends the run there (a fuzz run being stopped). */
  readonly shouldStop?: () => boolean;
}

export const DEFAULT_PARALLEL: Omit<ParallelSettings, 'target' | 'seed'> = {
  threads: Math.max(2, os.availableParallelism()),
  lanes: 2,
  seconds: 10,
  roundSeconds: 5,
  mix: MIXES.mixed,
  check: DEFAULT_CHECK,
};

export type TrackerHistory = Operation<TrackerOp, OpResult>[];

/** What a failing round left behind: enough to save, draw and reproduce it. */
export interface RoundFailure {
  readonly round: number;
  readonly initial: TrackerState;
  readonly history: TrackerHistory;
  readonly final: TrackerSnapshot | undefined;
}

export interface ParallelOutcome {
  readonly failed: boolean;
  readonly verdict: RunVerdict<TrackerOp, OpResult>;
  /** The check of the failing round, or of the last round. */
  readonly check: ParallelCheck | undefined;
  readonly problems: readonly string[];
  readonly rounds: number;
  readonly operations: number;
  readonly elapsedMs: number;
  /** Time the workers ran calls: from each round's first invoke to its last return. */
  readonly runMs: number;
  readonly checkMs: number;
  readonly failure: RoundFailure | undefined;
  readonly histories: readonly TrackerHistory[];
}

export async function runParallelCase(settings: ParallelSettings): Promise<ParallelOutcome> {
  const scratch = new ScratchDatabases('stampede-parallel-');
  const dbPath = scratch.next();
  const main = await factoryOf(settings.target)({ dbPath, poolSize: 1 });
  settings.prepareDb?.(dbPath);
  let initial =
    settings.prepareDb === undefined
      ? initialTrackerState()
      : stateFromSnapshot(await snapshotOfStore(main));
  let round: TrackerHistory = [];
  const histories: TrackerHistory[] = [];
  let nextId = 0;
  let operations = 0;
  let check: ParallelCheck | undefined;
  let checkMs = 0;
  let runNs = 0;
  let failure: RoundFailure | undefined;
  const problems: string[] = [];
  const started = performance.now();
  try {
    const result = await runParallelWorkers<TrackerOp, OpResult>({
      entry: path.join(__dirname, 'tracker-worker.ts'),
      threads: settings.threads,
      dataFor: (index): TrackerWorkerData & Record<string, unknown> => ({
        target: settings.target,
        dbPath,
        seed: settings.seed,
        lanes: settings.lanes,
        mix: settings.mix,
        ...(settings.fault !== undefined && index === 0 ? { fault: settings.fault } : {}),
      }),
      rounds: roundsOf(settings),
      ...(settings.onCalls !== undefined ? { onFigures: callCounter(settings.onCalls) } : {}),
      onOps: (ops: readonly RecordedOp<TrackerOp, OpResult>[]) => {
        for (const op of ops) round.push({ id: nextId++, ...op });
        operations += ops.length;
      },
      afterRound: async (index) => {
        if (settings.keepHistory) histories.push(round);
        runNs += spanOf(round);
        const final = await snapshotOfStore(main);
        const health = await main.healthCheck();
        if (health.integrity !== 'ok') problems.push(`PRAGMA integrity_check: ${health.integrity}`);
        if (health.foreignKeyViolations > 0) {
          problems.push(`PRAGMA foreign_key_check: ${health.foreignKeyViolations} violation(s)`);
        }
        problems.push(...invariantViolations(final).map((p) => `database: ${p}`));
        if (!settings.skipCheck) {
          check = checkParallelHistory(round, initial, final, settings.check);
          checkMs += check.elapsedMs;
        }
        if (problems.length > 0 || check?.verdict === 'violation') {
          failure = { round: index, initial, history: round, final };
          return false;
        }
        initial = stateFromSnapshot(final);
        round = [];
        return settings.shouldStop?.() !== true;
      },
      ...(settings.timeouts !== undefined ? { timeouts: settings.timeouts } : {}),
    });
    if (result.verdict.kind !== 'completed') {
      const pending = result.pending.map((op) => ({
        id: nextId++,
        ...op,
        output: undefined as unknown as OpResult,
        response: Infinity,
      }));
      failure = {
        round: result.roundsRun,
        initial,
        history: [...round, ...pending],
        final: undefined,
      };
    }
    return {
      failed: failure !== undefined,
      verdict: result.verdict,
      check,
      problems,
      rounds: result.roundsRun,
      operations,
      elapsedMs: performance.now() - started,
      runMs: runNs / 1e6,
      checkMs,
      failure,
      histories,
    };
  } finally {
    await main.close();
    scratch.removeAll();
  }
}

/** Sums the threads' latest call counts (each thread's count only grows during a run). */
function callCounter(
  onCalls: (callsSoFar: number) => void,
): (thread: number, figures: WorkloadFigures) => void {
  const byThread: number[] = [];
  return (thread, figures) => {
    const calls = figures.calls;
    if (calls === undefined || calls <= (byThread[thread] ?? 0)) return;
    byThread[thread] = calls;
    onCalls(byThread.reduce((sum, n) => sum + (n ?? 0), 0));
  };
}

function roundsOf(settings: ParallelSettings): RoundPlan[] {
  if (settings.opsPerLane !== undefined) {
    return [{ durationMs: settings.seconds * 1000, maxOpsPerLane: settings.opsPerLane }];
  }
  const rounds: RoundPlan[] = [];
  for (let left = settings.seconds; left > 0; left -= settings.roundSeconds) {
    rounds.push({ durationMs: Math.min(left, settings.roundSeconds) * 1000 });
  }
  return rounds;
}

function spanOf(history: TrackerHistory): number {
  let first = Infinity;
  let last = -Infinity;
  for (const op of history) {
    first = Math.min(first, op.invoke);
    if (op.response !== Infinity) last = Math.max(last, op.response);
  }
  return last > first ? last - first : 0;
}
