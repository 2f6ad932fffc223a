/**
 * Defaults of the leak watcher and the leak property, in one place. Chosen on a shared 2-core
 * machine: rounds long enough that a leak of a few hundred bytes per call outgrows the noise
 * of one sample, few enough that a shrinker can ask the watcher a dozen times in seconds.
 */
import type { LeakCaseSettings } from '../scenarios/leak-case';

export const DEFAULT_LEAK_CASE: LeakCaseSettings = {
  operationsPerRound: 100,
  maxCommands: 3,
  watch: {
    warmupRounds: 2,
    minRounds: 5,
    maxRounds: 9,
    confidence: 0.95,
    // Bytes per call of the sequence (a leaking call among three shows a third of its leak).
    // After a full GC the heap of correct code, compiled code aside, still drifts: 20 runs here
    // measured 320 sequences, typically 2-12 B per call but up to 62, and up to 65 on a heavily
    // loaded machine, all rejected by the interval or the second measurement. RSS moves in
    // pages and allocator chunks (up to 3.4 KB per call), so only a larger slope means much.
    minBytesPerOp: { heap: 48, external: 64, rss: 2048 },
  },
};

/** Seconds `stampede leak` spends looking for a leaking sequence. */
export const DEFAULT_LEAK_SECONDS = 10;

/** Parse and format calls per round of the duration scenario: each takes microseconds. */
export const DURATION_CALLS_PER_ROUND = 5_000;

/** Sequences the quick suite measures (a few seconds); the full one runs for a time instead. */
export const QUICK_LEAK_RUNS = 2;
export const FULL_LEAK_SECONDS = 60;
/** Set to 1 to run the full leak property in `npx jest properties`. */
export const FULL_LEAK_ENV = 'STAMPEDE_LEAK_FULL';
