/**
 * Runs planted bugs through the engine meant to catch each, over many seeds, and measures what
 * a user cares about: how often it is caught, how fast, how small the reproduction is, whether
 * the replay command reproduces it. The same seeds run fast-check's own scheduler (the anchor)
 * for comparison, and the correct store must pass all of them.
 */
import type fc from 'fast-check';
import { describeSchedule, type ScheduleKind } from '../engine/interleave/schedule';
import { FinalCheckError, ModelMismatchError } from '../engine/mismatch';
import { runProperty, type PropertyOutcome } from '../engine/property-runner';
import type { StoreFactory } from '../target/store-factory';
import type { TargetSpec } from './parallel/target-spec';
import type { TrialSpec } from './search-race/race-protocol';
import type { SearchPool } from './search-race/search-pool';
import { anchorProperty } from './anchor-case';
import { DEFAULT_INTERLEAVED, InterleavingFailure, interleavedProperty } from './interleaved-case';
import { SharedCaseFile } from './case-file';
import type { ScratchDatabases } from './scratch-db';
import { sequentialProperty } from './sequential-case';
import { stoppable } from '../fuzz/stoppable-property';

export type CatalogueEngine = 'sequential' | 'interleaved' | 'leak';
/** The engines a trial (one seed of one store) runs through; leaks have their own search. */
export type TrialEngine = Exclude<CatalogueEngine, 'leak'>;

export interface PlantedBug {
  readonly name: string;
  readonly bug: string;
  readonly shows: 'sequential' | 'interleaved' | 'parallel-only';
  readonly createStore: StoreFactory;
  readonly shortestCase: number;
}

export interface CatalogueBudget {
  /** Cases per seed before giving up on a bug. */
  readonly numRuns: number;
  /** Time per seed before giving up. */
  readonly timeLimitMs: number;
  /** Cases per seed and engine the correct store must pass. */
  readonly correctStoreRuns: number;
}

/**
 * A bug gets the whole time limit (an interleaved case takes about 3 ms here, so 15 s is some
 * 5,000 cases; a cap of cases would end the search first). The correct store passes a fixed
 * number of cases per seed, so its part of the run takes minutes, not 15 s per seed.
 */
export const DEFAULT_CATALOGUE_BUDGET: CatalogueBudget = {
  numRuns: 100_000,
  timeLimitMs: 15_000,
  correctStoreRuns: 2_000,
};

export interface Trial {
  readonly seed: number;
  readonly caught: boolean;
  /** From the start to the first failing case (before shrinking). */
  readonly timeToCatchMs: number | undefined;
  /** Calls in the shrunk reproduction (setup, prefix and every worker's calls). */
  readonly shrunkCalls: number | undefined;
  /** Length of the printed schedule of the shrunk case. */
  readonly scheduleChars: number | undefined;
  readonly replayReproduced: boolean | undefined;
  readonly replay: string | undefined;
}

export interface EngineSummary {
  readonly seeds: number;
  readonly caught: number;
  readonly medianTimeToCatchMs: number | undefined;
  readonly medianShrunkCalls: number | undefined;
  readonly medianScheduleChars: number | undefined;
  readonly replayed: number;
}

export interface CatalogueRow {
  readonly name: string;
  readonly bug: string;
  readonly engine: CatalogueEngine;
  readonly shortestCase: number;
  readonly stampede: EngineSummary;
  readonly anchor: EngineSummary | undefined;
  readonly trials: readonly Trial[];
}

export interface CatalogueOptions {
  readonly seeds: readonly number[];
  readonly scratch: ScratchDatabases;
  readonly budget: CatalogueBudget;
  readonly anchor: boolean;
  /** The correct store reopens an emptied database (see LoadedTarget): cases share a file. */
  readonly correctStoreReusesDatabase?: boolean;
  /** Schedules of the interleaving engine: PCT or uniform random. */
  readonly scheduleKind?: ScheduleKind;
  readonly onTrial?: (bug: string, engine: string, trial: Trial) => void;
  /**
   * Searcher threads that race each trial of the sequential and interleaved engines (see
   * search-pool); without one, each trial runs here, on its seed alone.
   */
  readonly searchPool?: SearchPool;
}

export function engineFor(bug: PlantedBug): TrialEngine {
  return bug.shows === 'sequential' ? 'sequential' : 'interleaved';
}

/**
 * The command that replays a trial's shrunk case on one thread: the planted bug is the module
 * of its name under catalogue/, run from the project's root.
 */
function replayCommand(flags: string | undefined, bugName: string): string | undefined {
  if (flags === undefined) return undefined;
  return `npx stampede replay ${flags} --target catalogue/${bugName}.ts`;
}

export async function runPlantedBug(
  bug: PlantedBug,
  options: CatalogueOptions,
): Promise<CatalogueRow> {
  const engine = engineFor(bug);
  const trials: Trial[] = [];
  const anchorTrials: Trial[] = [];
  for (const seed of options.seeds) {
    // Every variant is a SqliteTracker: it reopens an emptied file like a new one.
    const trial =
      options.searchPool === undefined
        ? await trialOf(engine, bug.createStore, seed, options, true, true)
        : await raced(options.searchPool, {
            engine,
            target: { kind: 'catalogue', name: bug.name },
            seed,
            ...options,
            checkReplay: true,
            reuseDatabase: true,
          });
    const withCommand = { ...trial, replay: replayCommand(trial.replay, bug.name) };
    options.onTrial?.(bug.name, engine, withCommand);
    trials.push(withCommand);
    if (options.anchor && engine === 'interleaved') {
      const anchor = await anchorTrial(bug.createStore, seed, options);
      options.onTrial?.(bug.name, 'anchor', anchor);
      anchorTrials.push(anchor);
    }
  }
  return {
    name: bug.name,
    bug: bug.bug,
    engine,
    shortestCase: bug.shortestCase,
    stampede: summarize(trials),
    anchor: anchorTrials.length > 0 ? summarize(anchorTrials) : undefined,
    trials,
  };
}

/**
 * Runs a store that should be correct through both engines on every seed: any failure counts.
 * With a search pool (and the store named by `target`), the seed's cases are shared out among
 * the searchers, each on its own seed.
 */
export async function runCorrectStore(
  createStore: StoreFactory,
  options: CatalogueOptions,
  target?: TargetSpec,
): Promise<{ readonly failures: readonly Trial[]; readonly cases: number }> {
  const failures: Trial[] = [];
  const pool = target === undefined ? undefined : options.searchPool;
  for (const seed of options.seeds) {
    for (const engine of ['sequential', 'interleaved'] as const) {
      const reuse = options.correctStoreReusesDatabase === true;
      const runs = options.budget.correctStoreRuns;
      const budget = {
        ...options.budget,
        numRuns: pool === undefined ? runs : Math.ceil(runs / pool.size),
      };
      const trial =
        pool !== undefined && target !== undefined
          ? await raced(pool, {
              engine,
              target,
              seed,
              ...options,
              budget,
              checkReplay: false,
              reuseDatabase: reuse,
            })
          : await trialOf(engine, createStore, seed, { ...options, budget }, false, reuse);
      options.onTrial?.('correct store', engine, trial);
      if (trial.caught) failures.push(trial);
    }
  }
  return { failures, cases: options.seeds.length * 2 };
}

/**
 * A trial raced by the pool's searchers. Only the trial's own fields are sent: the catalogue's
 * options also hold a pool, a scratch directory and callbacks, which cannot cross threads.
 */
async function raced(
  pool: SearchPool,
  spec: TrialSpec & Partial<CatalogueOptions>,
): Promise<Trial> {
  const { engine, target, seed, budget, scheduleKind, checkReplay, reuseDatabase } = spec;
  const race = await pool.race({
    engine,
    target,
    seed,
    budget,
    scheduleKind,
    checkReplay,
    reuseDatabase,
  });
  return race.trial;
}

/** How a trial that races others (see search-race) learns it lost, and tells that it found. */
export interface TrialHooks {
  /** Once true, the remaining cases and shrink steps pass at once: the trial ends. */
  readonly shouldStop?: () => boolean;
  /** The first failing case, before shrinking: the moment the bug counts as caught. */
  readonly onCaught?: () => void;
}

/** The part of CatalogueOptions one trial needs: plain data, so a worker thread can get it. */
export type TrialOptions = Pick<CatalogueOptions, 'scratch' | 'budget' | 'scheduleKind'>;

export async function trialOf(
  engine: TrialEngine,
  createStore: StoreFactory,
  seed: number,
  options: TrialOptions,
  checkReplay: boolean,
  reuseDatabase: boolean,
  hooks: TrialHooks = {},
): Promise<Trial> {
  const caseFile = reuseDatabase ? new SharedCaseFile(options.scratch) : undefined;
  try {
    return await trialWith(engine, createStore, seed, options, checkReplay, caseFile, hooks);
  } finally {
    caseFile?.close();
  }
}

async function trialWith(
  engine: TrialEngine,
  createStore: StoreFactory,
  seed: number,
  options: TrialOptions,
  checkReplay: boolean,
  caseFile: SharedCaseFile | undefined,
  hooks: TrialHooks,
): Promise<Trial> {
  let firstFailureAt: number | undefined;
  const onFailure = () => {
    if (firstFailureAt !== undefined) return;
    firstFailureAt = performance.now();
    hooks.onCaught?.();
  };
  // One property type for both engines: only the outcome is looked at here.
  const property = (): fc.IAsyncPropertyWithHooks<[unknown]> =>
    (engine === 'sequential'
      ? sequentialProperty({
          createStore,
          scratch: options.scratch,
          ...(caseFile !== undefined ? { caseFile } : {}),
          maxCommands: 50,
          onFailure,
        })
      : interleavedProperty({
          createStore,
          scratch: options.scratch,
          ...(caseFile !== undefined ? { caseFile } : {}),
          settings: { ...DEFAULT_INTERLEAVED, scheduleKind: options.scheduleKind ?? 'mixed' },
          onFailure,
        })) as unknown as fc.IAsyncPropertyWithHooks<[unknown]>;
  const started = performance.now();
  const search =
    hooks.shouldStop === undefined ? property() : stoppable(property(), hooks.shouldStop);
  const outcome: PropertyOutcome = await runProperty(search, {
    numRuns: options.budget.numRuns,
    seed,
    timeLimitMs: options.budget.timeLimitMs,
  });
  if (!outcome.failed) return notCaught(seed);
  const timeToCatchMs = (firstFailureAt ?? performance.now()) - started;
  let replayReproduced: boolean | undefined;
  if (checkReplay) {
    const replay = await runProperty(property(), {
      numRuns: 1,
      seed,
      ...(outcome.path !== undefined ? { path: outcome.path } : {}),
    });
    replayReproduced = replay.failed && messageOf(replay.error) === messageOf(outcome.error);
  }
  return {
    seed,
    caught: true,
    timeToCatchMs,
    shrunkCalls: callsOf(outcome.error),
    scheduleChars:
      outcome.error instanceof InterleavingFailure
        ? describeSchedule(outcome.error.observation.schedule).length
        : undefined,
    replayReproduced,
    replay: `--engine ${engine} --seed ${seed} --path ${outcome.path ?? ''}`,
  };
}

async function anchorTrial(
  createStore: StoreFactory,
  seed: number,
  options: CatalogueOptions,
): Promise<Trial> {
  let firstFailureAt: number | undefined;
  const started = performance.now();
  const outcome = await runProperty(
    anchorProperty({
      createStore,
      scratch: options.scratch,
      maxWorkers: DEFAULT_INTERLEAVED.maxWorkers,
      maxPrefix: DEFAULT_INTERLEAVED.maxPrefix,
      maxOpsPerWorker: DEFAULT_INTERLEAVED.maxOpsPerWorker,
      onFailure: () => {
        firstFailureAt ??= performance.now();
      },
    }),
    { numRuns: options.budget.numRuns, seed, timeLimitMs: options.budget.timeLimitMs },
  );
  if (!outcome.failed) return notCaught(seed);
  const [scheduler, prefix, programs] = outcome.counterexampleValue ?? [];
  return {
    seed,
    caught: true,
    timeToCatchMs: (firstFailureAt ?? performance.now()) - started,
    shrunkCalls: (prefix?.length ?? 0) + (programs ?? []).reduce((n, p) => n + p.length, 0),
    scheduleChars: scheduler === undefined ? undefined : String(scheduler).length,
    replayReproduced: undefined,
    replay: undefined,
  };
}

/** A seed that did not catch the bug: no figures to report. */
export function notCaught(seed: number): Trial {
  return {
    seed,
    caught: false,
    timeToCatchMs: undefined,
    shrunkCalls: undefined,
    scheduleChars: undefined,
    replayReproduced: undefined,
    replay: undefined,
  };
}

/** The calls of the shrunk case: what a person has to read to understand the bug. */
export function callsOf(error: unknown): number | undefined {
  if (error instanceof ModelMismatchError) return error.trace.length + 1;
  if (error instanceof FinalCheckError) return error.trace.length;
  if (error instanceof InterleavingFailure) {
    const seen = error.observation;
    return seen.prefix.length + seen.programs.reduce((n, program) => n + program.length, 0);
  }
  return undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function summarize(trials: readonly Trial[]): EngineSummary {
  const caught = trials.filter((t) => t.caught);
  return {
    seeds: trials.length,
    caught: caught.length,
    medianTimeToCatchMs: median(caught.map((t) => t.timeToCatchMs)),
    medianShrunkCalls: median(caught.map((t) => t.shrunkCalls)),
    medianScheduleChars: median(caught.map((t) => t.scheduleChars)),
    replayed: caught.filter((t) => t.replayReproduced === true).length,
  };
}

export function median(values: readonly (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined).sort((a, b) => a - b);
  if (known.length === 0) return undefined;
  const middle = Math.floor(known.length / 2);
  return known.length % 2 === 1
    ? (known[middle] as number)
    : ((known[middle - 1] as number) + (known[middle] as number)) / 2;
}
