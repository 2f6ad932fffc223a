/**
 * Looks for a leaking command sequence: the leak property through fast-check (seeded, shrunk,
 * replayable), then, once a leak is found, one heap diff around the shrunk sequence to name
 * what grows.
 */
import fc from 'fast-check';
import type { OpBuilder } from '../../models/arbitraries';
import { heapGrowthAround, type HeapGrowth } from '../engine/leak/heap-diff';
import type { LeakReport } from '../engine/leak/watcher';
import { freshSeed, runProperty, type PropertyOutcome } from '../engine/property-runner';
import { stoppable } from '../fuzz/stoppable-property';
import type { StoreFactory } from '../target/store-factory';
import { LeakFailure, leakProperty, type LeakCaseSettings } from './leak-case';
import {
  buildersOf,
  coverSequences,
  leakSequences,
  SequenceRounds,
  type LeakSequence,
} from './leak-sequence';
import type { ScratchDatabases } from './scratch-db';

export interface LeakSearchOptions {
  readonly createStore: StoreFactory;
  readonly scratch: ScratchDatabases;
  readonly settings: LeakCaseSettings;
  readonly seed?: number;
  readonly path?: string;
  readonly timeLimitMs: number;
  readonly numRuns?: number;
  /** Unmeasured sequences run first, to warm the process up (default 15). */
  readonly warmUpSequences?: number;
  /** Take a heap diff of the shrunk sequence (about a second or two). */
  readonly heapDiff?: boolean;
  /** Once true, the remaining cases (and shrink steps) pass at once: the search ends. */
  readonly shouldStop?: () => boolean;
}

export interface LeakSearchResult {
  readonly outcome: PropertyOutcome<[LeakSequence]>;
  /** The shrunk leaking sequence and its verdict, when one was found. */
  readonly failure: LeakFailure | undefined;
  readonly growth: HeapGrowth | undefined;
  /** From the start to the first leaking case (before shrinking). */
  readonly timeToCatchMs: number | undefined;
  /** The reports of the cases that did not leak: their slopes are what a clean run looks like. */
  readonly cleanReports: readonly LeakReport[];
}

// A search stops starting new sequences at the time limit; cases are short, so this many runs
// is "until the time is up".
const UNBOUNDED_RUNS = 1_000_000;
// Rounds under the heap diff: enough for a leak to stand out from what one round allocates.
const HEAP_DIFF_ROUNDS = 5;
const WARM_UP_SEQUENCES = 15;
const SHRINK_LIMIT_MS = 30_000;
const WARM_UP_ROUNDS = 1;

export async function searchForLeak(options: LeakSearchOptions): Promise<LeakSearchResult> {
  const seed = options.seed ?? freshSeed();
  await warmUpProcess(seed, options);
  const started = performance.now();
  let firstFailureAt: number | undefined;
  const cleanReports: LeakReport[] = [];
  const leaking = leakProperty({
    createStore: options.createStore,
    scratch: options.scratch,
    settings: options.settings,
    onFailure: () => {
      firstFailureAt ??= performance.now();
    },
    onReport: (report) => {
      if (!report.leaking) cleanReports.push(report);
    },
  });
  const property =
    options.shouldStop === undefined ? leaking : stoppable(leaking, options.shouldStop);
  // Every kind of call is measured once before random sequences (see coverSequences).
  const examples = coverSequences(seed, options.settings.maxCommands).map(
    (sequence): [LeakSequence] => [sequence],
  );
  const found = await runProperty(property, {
    numRuns: options.numRuns ?? (options.path !== undefined ? 1 : UNBOUNDED_RUNS),
    timeLimitMs: options.timeLimitMs,
    seed,
    examples,
    ...(options.path !== undefined ? { path: options.path } : {}),
  });
  const outcome = await finishShrinking(found, property, examples);
  const failure = outcome.error instanceof LeakFailure ? outcome.error : undefined;
  const sequence = outcome.counterexampleValue?.[0];
  const growth =
    failure !== undefined && sequence !== undefined && options.heapDiff !== false
      ? await growthOf(buildersOf(sequence), options)
      : undefined;
  return {
    outcome,
    failure,
    growth,
    timeToCatchMs: firstFailureAt === undefined ? undefined : firstFailureAt - started,
    cleanReports,
  };
}

/**
 * The time limit bounds the search for a leak; a leak found late still deserves its shortest
 * sequence. fast-check resumes from the path reached and shrinks on, within its own budget.
 */
async function finishShrinking(
  found: PropertyOutcome<[LeakSequence]>,
  property: fc.IAsyncPropertyWithHooks<[LeakSequence]>,
  examples: [LeakSequence][],
): Promise<PropertyOutcome<[LeakSequence]>> {
  if (!found.failed || !found.interrupted || found.path === undefined) return found;
  const started = performance.now();
  const details = await fc.check(property, {
    examples,
    numRuns: 1,
    seed: found.seed,
    path: found.path,
    interruptAfterTimeLimit: SHRINK_LIMIT_MS,
  });
  if (!details.failed || details.counterexample === null) return found;
  return {
    ...found,
    path: details.counterexamplePath ?? found.path,
    numShrinks: found.numShrinks + details.numShrinks,
    interrupted: details.interrupted,
    error: details.errorInstance,
    counterexample: fc.stringify(details.counterexample),
    counterexampleValue: details.counterexample,
    durationMs: found.durationMs + performance.now() - started,
  };
}

/**
 * The first calls of a process compile code and fill V8's caches, which looks like growth to
 * the first cases measured; a few unmeasured rounds of random sequences absorb it.
 */
async function warmUpProcess(seed: number, options: LeakSearchOptions): Promise<void> {
  const sequences = fc
    .sample(leakSequences(options.settings.maxCommands), {
      numRuns: options.warmUpSequences ?? WARM_UP_SEQUENCES,
      seed,
    })
    .map(buildersOf);
  const dbPath = options.scratch.next();
  const store = await options.createStore({ dbPath });
  try {
    for (const sequence of sequences) {
      const rounds = new SequenceRounds(sequence, store);
      for (let i = 0; i < WARM_UP_ROUNDS; i += 1) {
        await rounds.round(options.settings.operationsPerRound);
      }
    }
  } finally {
    await store.close();
    options.scratch.discard(dbPath);
  }
}

async function growthOf(
  sequence: readonly OpBuilder[],
  options: LeakSearchOptions,
): Promise<HeapGrowth> {
  const dbPath = options.scratch.next();
  const store = await options.createStore({ dbPath });
  try {
    const rounds = new SequenceRounds(sequence, store);
    const perRound = options.settings.operationsPerRound;
    await rounds.round(perRound);
    return await heapGrowthAround(async () => {
      for (let i = 0; i < HEAP_DIFF_ROUNDS; i += 1) await rounds.round(perRound);
    });
  } finally {
    await store.close();
    options.scratch.discard(dbPath);
  }
}
