/**
 * Messages between the catalogue and its searcher threads (see search-pool). Plain data only:
 * the store is named by a TargetSpec, never passed as a function.
 */
import type { TargetSpec } from '../parallel/target-spec';
import type { CatalogueBudget, Trial, TrialEngine } from '../catalogue-run';
import type { ScheduleKind } from '../../engine/interleave/schedule';

/** One trial: a seed of a store through one engine, with its budget. */
export interface TrialSpec {
  readonly engine: TrialEngine;
  readonly target: TargetSpec;
  readonly seed: number;
  readonly budget: CatalogueBudget;
  readonly scheduleKind?: ScheduleKind | undefined;
  readonly checkReplay: boolean;
  readonly reuseDatabase: boolean;
}

export interface TrialRequest extends TrialSpec {
  readonly type: 'trial';
  readonly id: number;
}

export type ToSearcher =
  TrialRequest | { readonly type: 'stop'; readonly id: number } | { readonly type: 'close' };

export type FromSearcher =
  | { readonly type: 'ready' }
  /** The trial's first failing case, at `atMs` on the shared wall clock (epoch ms). */
  | { readonly type: 'caught'; readonly id: number; readonly atMs: number }
  | {
      readonly type: 'done';
      readonly id: number;
      readonly trial: Trial;
      /** Whether a stop request ended the trial before its budget did. */
      readonly stopped: boolean;
    }
  | { readonly type: 'failed'; readonly id: number; readonly error: string };

/** Wall-clock milliseconds with sub-millisecond resolution, comparable across threads. */
export function sharedNowMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * The seed searcher k runs for a trial's seed: searcher 0 runs the seed itself, so one
 * searcher is the plain single-threaded trial; the others run well-mixed, distinct seeds in
 * fast-check's range (a signed 32-bit integer), which each replay on their own.
 */
export function searcherSeed(seed: number, searcher: number): number {
  if (searcher === 0) return seed;
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(searcher, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
