/**
 * What `stampede fuzz` needs from an engine, so that each engine (sequential, interleaved, and
 * later parallel workers, leak watching, fault injection) plugs in with one small adapter: run a
 * batch of cases from a seed within a budget and say what happened, and replay one saved case.
 */
import type { FailureEngine } from '../engine/failure-store';
import type { LaneOp } from '../engine/lanes';
import type { ScratchDatabases } from '../scenarios/scratch-db';
import type { StoreFactory } from '../target/store-factory';

export type EngineSettings = Readonly<Record<string, number | boolean | string>>;

export interface EngineContext {
  /** The target's factory; in-process engines use it as given (the caller times its calls). */
  readonly createStore: StoreFactory;
  readonly scratch: ScratchDatabases;
  /** True once the run must end: checked before every case, so a batch stops within one case. */
  readonly shouldStop: () => boolean;
  /** For engines whose calls the caller cannot time (other threads): one call's latency. */
  readonly recordLatencyMicros: (micros: number) => void;
  /**
   * For engines whose calls run in other threads and arrive as a histogram at the batch's end:
   * calls made so far in this batch, so progress and the throughput series move meanwhile.
   */
  readonly noteBatchCalls: (callsSoFar: number) => void;
}

export interface BatchBudget {
  readonly maxCases: number;
  readonly timeLimitMs: number;
}

/** A failing case, shrunk: everything needed to report it, save it and replay it. */
export interface EngineFailure {
  readonly seed: number;
  /** fast-check path of the shrunk case ('' when there is none). */
  readonly path: string;
  /** The shrunk case as people read it (the failing calls, or the lanes in text). */
  readonly summary: string;
  /** The shrunk case itself, written without seed-specific details: equal keys, same bug. */
  readonly caseKey: string;
  readonly calls: number | undefined;
  /** Lanes of an interleaved or parallel failure (workers are 0-based columns). */
  readonly lanes: { readonly workers: number; readonly ops: readonly LaneOp[] } | undefined;
  /** The engine's own replay command, for engines that do not replay through `stampede replay`. */
  readonly replay?: string;
  /** Set when the engine saved the failure itself (with extra files, such as a history). */
  readonly savedFile?: string;
}

/** Heap after GC over one batch, and the trend fitted to it (a leak-watching engine). */
export interface HeapSeries {
  /** Milliseconds since the batch started, and megabytes retained after a full GC. */
  readonly samples: readonly { readonly elapsedMs: number; readonly heapMb: number }[];
  readonly slopeMbPerHour: number;
  /** The trend's value at the batch's start. */
  readonly interceptMb: number;
  readonly verdict: 'leak' | 'no-leak' | 'inconclusive';
}

export interface BatchResult {
  readonly cases: number;
  readonly operations: number;
  /** Calls refused with a typed error the model predicted (or a give-up the model allows). */
  readonly errors: number;
  readonly failure: EngineFailure | undefined;
  /** Something the morning report should say that is not a failure (e.g. growth not confirmed). */
  readonly note?: string;
  /**
   * Latency of calls the caller could not time (made in other threads or processes), as an
   * encoded HDR histogram in microseconds (src/report/latency.ts); in-process engines omit it.
   */
  readonly latencyHistogram?: string;
  readonly heapSeries?: HeapSeries;
}

/**
 * Thrown by `replay` of an engine whose cases do not replay one by one (thread timing decides
 * them): the message says which command runs the same case again.
 */
export class ReplayElsewhereError extends Error {
  override readonly name = 'ReplayElsewhereError';
}

export interface ReplayResult {
  readonly failed: boolean;
  /** What the replayed case did: the failure as people read it, or why it passed. */
  readonly report: string;
}

export interface FuzzEngine {
  readonly name: FailureEngine;
  /** Property name for saved failures (shared with the jest suites' example database). */
  readonly property: string;
  /** Knobs that change which case a seed and path denote: saved with every failure. */
  readonly settings: EngineSettings;
  runBatch(seed: number, budget: BatchBudget, context: EngineContext): Promise<BatchResult>;
  /** Runs exactly the case at seed and path, nothing else (no search, no further shrinking). */
  replay(seed: number, path: string, context: EngineContext): Promise<ReplayResult>;
}
