/**
 * The parallel engine as a fuzz engine: one short run of worker threads on one WAL file per
 * batch. Functions cannot cross threads, so the target is named (TargetSpec), not passed as the
 * context's factory. The engine saves its own failures, with the failing round's history.
 */
import { DEFAULT_FAILURE_DIR } from '../engine/failure-store';
import { DEFAULT_PARALLEL, type ParallelOutcome } from '../scenarios/parallel/parallel-case';
import { replayCommand, runParallel } from '../scenarios/parallel/parallel-run';
import { MIXES, type MixName } from '../scenarios/parallel/mixes';
import type { TargetSpec } from '../scenarios/parallel/target-spec';
import { encodeHistogram, newHistogram, recordMicros } from '../report/latency';
import { ReplayElsewhereError, type BatchResult, type FuzzEngine } from './engines';
import { parallelFailureOf } from './parallel-failure';

export interface ParallelEngineOptions {
  readonly target: TargetSpec;
  readonly threads: number;
  /** Concurrent calls per thread, on its one store. */
  readonly lanes: number;
  /** Longest batch, in seconds (a batch is shorter when the budget is). */
  readonly seconds: number;
  readonly mix: MixName;
  /** Where failures are saved, with their histories; undefined saves nothing. */
  readonly failureDir: string | undefined;
}

export const DEFAULT_PARALLEL_ENGINE: ParallelEngineOptions = {
  target: { kind: 'builtin' },
  // Two threads of four lanes: the catalogue's choice, which catches its planted races.
  threads: 2,
  lanes: 4,
  seconds: 3,
  mix: 'mixed',
  failureDir: DEFAULT_FAILURE_DIR,
};

export function parallelEngine(
  options: ParallelEngineOptions = DEFAULT_PARALLEL_ENGINE,
): FuzzEngine {
  const settingsFor = (seed: number, seconds: number) => ({
    ...DEFAULT_PARALLEL,
    target: options.target,
    seed,
    threads: options.threads,
    lanes: options.lanes,
    seconds,
    // Rounds of a second: a failing round is checked, and the run stops, soon after it.
    roundSeconds: 1,
    mix: MIXES[options.mix],
    // Every call's latency is read from the histories (a few seconds of calls at most).
    keepHistory: true,
  });
  return {
    name: 'parallel',
    property: 'tracker-parallel',
    settings: {
      workers: options.threads,
      lanes: options.lanes,
      seconds: options.seconds,
      mix: options.mix,
    },
    async runBatch(seed, budget, context): Promise<BatchResult> {
      if (context.shouldStop()) return { cases: 0, operations: 0, errors: 0, failure: undefined };
      // Whole seconds (the engine's unit), at least one; a stop ends it between rounds.
      const seconds = Math.max(1, Math.min(options.seconds, Math.floor(budget.timeLimitMs / 1000)));
      const settings = {
        ...settingsFor(seed, seconds),
        onCalls: context.noteBatchCalls,
        // A stop request ends the batch after its current round (a second), checked.
        shouldStop: context.shouldStop,
      };
      let outcome: ParallelOutcome | undefined;
      const report = await runParallel(settings, {
        repeat: 1,
        reproduce: false,
        mixName: options.mix,
        ...(options.failureDir !== undefined ? { failureDir: options.failureDir } : {}),
        onRepetition: (_index, o) => {
          outcome = o;
        },
      });
      const histories = outcome === undefined ? [] : [...outcome.histories];
      if (outcome?.failure !== undefined && !histories.includes(outcome.failure.history)) {
        histories.push(outcome.failure.history);
      }
      const latency = newHistogram();
      let errors = 0;
      for (const history of histories) {
        for (const op of history) {
          // Times are nanoseconds on the shared clock; a call that never returned has none.
          if (op.response !== Infinity) recordMicros(latency, (op.response - op.invoke) / 1_000);
          if (op.output !== undefined && !op.output.ok) errors += 1;
        }
      }
      return {
        cases: outcome?.rounds ?? 0,
        operations: outcome?.operations ?? 0,
        errors,
        failure:
          report.failure !== undefined && outcome !== undefined
            ? parallelFailureOf(
                seed,
                outcome,
                report.failure.report,
                replayCommand(settings, options.mix),
                report.failure.savedTo,
              )
            : undefined,
        latencyHistogram: encodeHistogram(latency),
      };
    },
    replay(seed) {
      // Thread timing decides a parallel case: the same seed runs the same streams of calls,
      // not the same interleaving, so there is no single case to run again here.
      const command = replayCommand(settingsFor(seed, options.seconds), options.mix);
      return Promise.reject(
        new ReplayElsewhereError(
          `parallel failures depend on thread timing and do not replay case by case; run the ` +
            `same seeded streams again with: ${command}` +
            (options.target.kind === 'builtin'
              ? ' (add --target as in the run that found it)'
              : ''),
        ),
      );
    },
  };
}
