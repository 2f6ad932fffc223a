/**
 * A parallel case, repeated: the same seeded streams run R times (thread timing differs each
 * time) and the case fails if any repetition fails, as quickcheck-state-machine repeats a
 * parallel case to catch nondeterminism. The first failure is drawn, saved with its history
 * under the failure store, and handed to the interleaving engine for a deterministic replay.
 */
import { FailureStore } from '../../engine/failure-store';
import { formatParallelFailure } from './parallel-report';
import { runParallelCase, type ParallelOutcome, type ParallelSettings } from './parallel-case';
import { reproduceWithInterleavings, type Reproduction } from './reproduce';
import { historyFileOf, saveRoundFailure } from './saved-history';
import { factoryOf, targetName } from './target-spec';

export interface ParallelRunOptions {
  readonly repeat: number;
  /** Where failures are saved; undefined saves nothing. */
  readonly failureDir?: string;
  /** Try to reproduce a failure with the interleaving engine. */
  readonly reproduce: boolean;
  readonly mixName: string;
  readonly onRepetition?: (index: number, outcome: ParallelOutcome) => void;
}

export interface ParallelRunReport {
  readonly passed: boolean;
  readonly repetitions: readonly RepetitionSummary[];
  readonly failure?: {
    readonly repetition: number;
    readonly report: string;
    readonly savedTo?: string;
    readonly historyFile?: string;
    readonly reproduction?: Reproduction;
  };
}

export interface RepetitionSummary {
  readonly failed: boolean;
  readonly verdict: string;
  readonly check: string;
  readonly rounds: number;
  readonly operations: number;
  readonly opsPerSecond: number;
  readonly checkMs: number;
  readonly unchecked: number;
}

export function replayCommand(settings: ParallelSettings, mixName: string): string {
  const target =
    settings.target.kind === 'builtin'
      ? ''
      : ` --target ${settings.target.kind === 'catalogue' ? settings.target.name : settings.target.path}`;
  return (
    `npx stampede parallel --seed ${settings.seed} --workers ${settings.threads} ` +
    `--lanes ${settings.lanes} --seconds ${settings.seconds} --mix ${mixName}${target}`
  );
}

export async function runParallel(
  settings: ParallelSettings,
  options: ParallelRunOptions,
): Promise<ParallelRunReport> {
  const repetitions: RepetitionSummary[] = [];
  for (let index = 0; index < options.repeat; index += 1) {
    const outcome = await runParallelCase(settings);
    options.onRepetition?.(index, outcome);
    repetitions.push(summaryOf(outcome));
    if (!outcome.failed) continue;
    const replay = replayCommand(settings, options.mixName);
    const report = formatParallelFailure(outcome, replay);
    const failure: {
      repetition: number;
      report: string;
      savedTo?: string;
      historyFile?: string;
      reproduction?: Reproduction;
    } = { repetition: index, report };
    if (options.failureDir !== undefined) {
      const store = new FailureStore(options.failureDir);
      failure.savedTo = store.save({
        engine: 'parallel',
        property: 'tracker-parallel',
        target: targetName(settings.target),
        seed: settings.seed,
        path: '',
        settings: {
          workers: settings.threads,
          lanes: settings.lanes,
          seconds: settings.seconds,
          mix: options.mixName,
        },
        summary: report,
        replay,
      });
      if (outcome.failure !== undefined) {
        failure.historyFile = historyFileOf(failure.savedTo);
        saveRoundFailure(failure.historyFile, outcome.failure);
      }
    }
    const violation = outcome.check?.violation;
    if (options.reproduce && violation !== undefined && outcome.failure !== undefined) {
      failure.reproduction = await reproduceWithInterleavings(
        violation,
        outcome.failure.initial,
        {
          createStore: factoryOf(settings.target),
          attempts: 300,
          timeLimitMs: 20_000,
          seed: settings.seed,
          lanesPerThread: settings.lanes,
        },
        outcome.failure.history,
      );
    }
    return { passed: false, repetitions, failure };
  }
  return { passed: true, repetitions };
}

function summaryOf(outcome: ParallelOutcome): RepetitionSummary {
  return {
    failed: outcome.failed,
    verdict: outcome.verdict.kind,
    check: outcome.check?.verdict ?? 'not run',
    rounds: outcome.rounds,
    operations: outcome.operations,
    opsPerSecond: outcome.runMs > 0 ? outcome.operations / (outcome.runMs / 1000) : 0,
    checkMs: outcome.checkMs,
    unchecked: outcome.check?.unchecked ?? 0,
  };
}
