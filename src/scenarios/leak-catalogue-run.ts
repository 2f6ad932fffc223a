/**
 * Planted leaks through the leak engine, over many seeds, measured like the other planted bugs:
 * how often the leak is caught (the shrunk sequence must call the leaking method), how fast,
 * how short the shrunk sequence is, and whether its seed and path replay it.
 */
import type { LeakCaseSettings } from './leak-case';
import { LeakFailure } from './leak-case';
import { searchForLeak } from './leak-search';
import type { CatalogueRow, Trial } from './catalogue-run';
import { notCaught, summarize } from './catalogue-run';
import type { ScratchDatabases } from './scratch-db';
import type { StoreFactory } from '../target/store-factory';

export interface LeakToCatch {
  readonly name: string;
  readonly bug: string;
  readonly leakingCall: string;
  readonly createStore: StoreFactory;
}

export interface LeakCatalogueOptions {
  readonly seeds: readonly number[];
  readonly scratch: ScratchDatabases;
  readonly settings: LeakCaseSettings;
  readonly timeLimitMs: number;
  readonly onTrial?: (bug: string, engine: string, trial: Trial) => void;
}

export async function runPlantedLeak(
  leak: LeakToCatch,
  options: LeakCatalogueOptions,
): Promise<CatalogueRow> {
  const trials: Trial[] = [];
  for (const seed of options.seeds) {
    const trial = await leakTrial(leak, seed, options);
    options.onTrial?.(leak.name, 'leak', trial);
    trials.push(trial);
  }
  return {
    name: leak.name,
    bug: leak.bug,
    engine: 'leak',
    // One call of the leaking method, repeated, shows it.
    shortestCase: 1,
    stampede: summarize(trials),
    anchor: undefined,
    trials,
  };
}

async function leakTrial(
  leak: LeakToCatch,
  seed: number,
  options: LeakCatalogueOptions,
): Promise<Trial> {
  const search = await searchForLeak({
    createStore: leak.createStore,
    scratch: options.scratch,
    settings: options.settings,
    seed,
    timeLimitMs: options.timeLimitMs,
    heapDiff: false,
  });
  const calls = search.failure?.calls ?? [];
  // A verdict on some other call would be a false alarm that happens to meet a leaky store.
  const caught = calls.some((call) => call.startsWith(`store.${leak.leakingCall}(`));
  if (!caught || search.outcome.path === undefined) return notCaught(seed);
  const replay = await searchForLeak({
    createStore: leak.createStore,
    scratch: options.scratch,
    settings: options.settings,
    seed,
    path: search.outcome.path,
    timeLimitMs: options.timeLimitMs,
    heapDiff: false,
  });
  return {
    seed,
    caught: true,
    timeToCatchMs: search.timeToCatchMs,
    shrunkCalls: calls.length,
    scheduleChars: undefined,
    replayReproduced: replay.failure instanceof LeakFailure,
    replay: `npx stampede leak --seed ${seed} --path ${search.outcome.path} --target catalogue/leaks/${leak.name}.ts`,
  };
}
