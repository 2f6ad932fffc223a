/**
 * The parallel engine's part of the catalogue: each planted bug that shows under real
 * parallelism runs through `stampede parallel` on N seeds (rounds of one second, stopping at
 * the first failing round), and the correct store runs the same seeds and must pass.
 */
import { median } from '../catalogue-run';
import { runParallelCase, DEFAULT_PARALLEL, type ParallelOutcome } from './parallel-case';
import { reproduceWithInterleavings } from './reproduce';
import { MIXES } from './mixes';
import { factoryOf, type TargetSpec } from './target-spec';

/** Planted bugs the parallel engine is expected to catch. */
export const PARALLEL_BUGS: readonly string[] = [
  'lost-update-points',
  'split-epic-with-tasks',
  'max-id-plus-one',
  'stale-read-cache',
  'shared-connection',
];

export interface ParallelTrial {
  readonly seed: number;
  readonly caught: boolean;
  readonly timeToCatchMs: number | undefined;
  /** Calls in the witness (its dependencies included). */
  readonly witnessCalls: number | undefined;
  readonly reproduced: boolean | undefined;
}

export interface ParallelCatalogueRow {
  readonly name: string;
  readonly seeds: number;
  readonly caught: number;
  readonly medianTimeToCatchMs: number | undefined;
  readonly medianWitnessCalls: number | undefined;
  readonly reproduced: number;
  readonly trials: readonly ParallelTrial[];
}

export interface ParallelTrialOptions {
  readonly seconds: number;
  readonly threads: number;
  readonly lanes: number;
  /** Replay caught failures with the interleaving engine (slower). */
  readonly reproduce: boolean;
}

export const DEFAULT_PARALLEL_TRIAL: ParallelTrialOptions = {
  seconds: 8,
  threads: 2,
  // Several calls in flight per store: the bugs that read outside their write race in-thread too.
  lanes: 4,
  reproduce: true,
};

export async function parallelTrial(
  target: TargetSpec,
  seed: number,
  options: ParallelTrialOptions,
): Promise<ParallelTrial & { readonly outcome: ParallelOutcome }> {
  const outcome = await runParallelCase({
    ...DEFAULT_PARALLEL,
    target,
    seed,
    threads: options.threads,
    lanes: options.lanes,
    seconds: options.seconds,
    roundSeconds: 1,
    mix: MIXES.mixed,
  });
  if (!outcome.failed) {
    return {
      seed,
      caught: false,
      timeToCatchMs: undefined,
      witnessCalls: undefined,
      reproduced: undefined,
      outcome,
    };
  }
  const violation = outcome.check?.violation;
  let reproduced: boolean | undefined;
  if (options.reproduce && violation !== undefined && outcome.failure !== undefined) {
    const r = await reproduceWithInterleavings(
      violation,
      outcome.failure.initial,
      {
        createStore: factoryOf(target),
        attempts: 200,
        timeLimitMs: 10_000,
        seed,
        lanesPerThread: options.lanes,
      },
      outcome.failure.history,
    );
    reproduced = r.reproduced;
  }
  return {
    seed,
    caught: true,
    timeToCatchMs: outcome.runMs + outcome.checkMs,
    witnessCalls: violation?.witness.minimal.length,
    reproduced,
    outcome,
  };
}

export async function runParallelCatalogue(
  names: readonly string[],
  seeds: readonly number[],
  options: ParallelTrialOptions,
  onTrial?: (name: string, trial: ParallelTrial) => void,
): Promise<ParallelCatalogueRow[]> {
  const rows: ParallelCatalogueRow[] = [];
  for (const name of names.filter((n) => PARALLEL_BUGS.includes(n))) {
    const trials: ParallelTrial[] = [];
    for (const seed of seeds) {
      const { outcome: _outcome, ...trial } = await parallelTrial(
        { kind: 'catalogue', name },
        seed,
        options,
      );
      void _outcome;
      onTrial?.(name, trial);
      trials.push(trial);
    }
    const caught = trials.filter((t) => t.caught);
    rows.push({
      name,
      seeds: trials.length,
      caught: caught.length,
      medianTimeToCatchMs: median(caught.map((t) => t.timeToCatchMs)),
      medianWitnessCalls: median(caught.map((t) => t.witnessCalls)),
      reproduced: caught.filter((t) => t.reproduced === true).length,
      trials,
    });
  }
  return rows;
}

/** The correct store (or --target) through the parallel engine on the same seeds. */
export async function parallelCorrectStore(
  target: TargetSpec,
  seeds: readonly number[],
  options: ParallelTrialOptions,
): Promise<{ readonly runs: number; readonly failures: number }> {
  let failures = 0;
  for (const seed of seeds) {
    const trial = await parallelTrial(target, seed, { ...options, reproduce: false });
    if (trial.caught) failures += 1;
  }
  return { runs: seeds.length, failures };
}
