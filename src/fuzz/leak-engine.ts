/**
 * The leak search as a fuzz engine: a batch is one search from the seed within the batch's
 * budget (random sequences, each repeated under the leak watcher); a leaking sequence, shrunk,
 * is the failure. Its replay is `stampede leak --seed N --path P`, which runs that one case.
 */
import { DEFAULT_LEAK_CASE } from '../config/leak-budgets';
import type { LeakReport } from '../engine/leak/watcher';
import { searchForLeak } from '../scenarios/leak-search';
import type { LeakCaseSettings, LeakFailure } from '../scenarios/leak-case';
import type { EngineFailure, FuzzEngine } from './engines';
import { messageOf } from './failure-of';
import { nativeOnly, replayLeakInFreshProcess } from './fresh-process-leak';
import { heapSeriesOf } from './heap-series';
import { timedStoreFactory } from './timed-store';

export function leakEngine(
  settings: LeakCaseSettings = DEFAULT_LEAK_CASE,
  /** As given on the command line, for the replay command; undefined: the built-in tracker. */
  targetFlag?: string,
): FuzzEngine {
  // The process warms up once (compiled code, V8's caches); later batches need no warm-up.
  let warmedUp = false;
  return {
    name: 'leak',
    property: 'tracker-leak',
    settings: {
      operationsPerRound: settings.operationsPerRound,
      maxCommands: settings.maxCommands,
    },
    async runBatch(seed, budget, context) {
      if (context.shouldStop()) return { cases: 0, operations: 0, errors: 0, failure: undefined };
      const started = performance.now();
      let operations = 0;
      const search = await searchForLeak({
        // Counts every call (warm-up and shrinking included), still timed by the caller.
        createStore: timedStoreFactory(context.createStore, () => {
          operations += 1;
        }),
        scratch: context.scratch,
        settings,
        seed,
        numRuns: budget.maxCases,
        timeLimitMs: budget.timeLimitMs,
        ...(warmedUp ? { warmUpSequences: 0 } : {}),
        // A heap diff names what grows; fuzz reports the sequence and slopes, and moves on.
        heapDiff: false,
        shouldStop: context.shouldStop,
      });
      warmedUp = true;
      const { outcome, failure } = search;
      const shown: LeakReport | undefined = failure?.report ?? search.cleanReports.at(-1);
      let engineFailure: EngineFailure | undefined;
      // Native growth alone is judged again in a fresh process (fresh-process-leak.ts).
      const unconfirmed =
        failure !== undefined &&
        nativeOnly(failure.report.leakingMetrics) &&
        (await replayLeakInFreshProcess(outcome.seed, outcome.path ?? '', targetFlag)) === 'no leak'
          ? failure
          : undefined;
      if (failure !== undefined && unconfirmed === undefined) {
        const path = outcome.path ?? '';
        engineFailure = {
          seed: outcome.seed,
          path,
          summary: failure.message,
          // The shrunk sequence names the leak; its slopes vary from run to run.
          caseKey: failure.calls.join('\n').replace(/"(?:[^"\\]|\\.)*"/g, '"…"'),
          calls: failure.calls.length,
          lanes: undefined,
          replay: [
            'npx stampede leak',
            `--seed ${outcome.seed}`,
            ...(path !== '' ? [`--path ${path}`] : []),
            ...(targetFlag !== undefined ? [`--target ${targetFlag}`] : []),
          ].join(' '),
        };
      } else if (outcome.failed && failure === undefined) {
        // Not a leak: the store threw. The search stops there; report it as it is.
        engineFailure = {
          seed: outcome.seed,
          path: outcome.path ?? '',
          summary: messageOf(outcome.error),
          caseKey: messageOf(outcome.error),
          calls: undefined,
          lanes: undefined,
        };
      }
      return {
        cases: outcome.numRuns,
        operations,
        errors: 0,
        failure: engineFailure,
        ...(unconfirmed !== undefined ? { note: nativeGrowthNote(unconfirmed) } : {}),
        ...(shown !== undefined ? { heapSeries: heapSeriesOf(shown, started) } : {}),
      };
    },
    async replay(seed, path, context) {
      const search = await searchForLeak({
        createStore: context.createStore,
        scratch: context.scratch,
        settings,
        seed,
        ...(path !== '' ? { path } : {}),
        numRuns: 1,
        timeLimitMs: 60_000,
        heapDiff: false,
      });
      return {
        failed: search.failure !== undefined || search.outcome.failed,
        report:
          search.failure?.message ??
          (search.outcome.failed ? messageOf(search.outcome.error) : 'the sequence does not leak'),
      };
    },
  };
}

/** What a report says of native growth that a fresh process did not show. */
function nativeGrowthNote(failure: LeakFailure): string {
  const rss = failure.report.verdicts.rss.overall.slope;
  return (
    `native memory grew ${Math.round(rss)} B/call under ${failure.calls.join('; ')}, ` +
    'but not when replayed in a fresh process: the fuzz process, not the store'
  );
}
