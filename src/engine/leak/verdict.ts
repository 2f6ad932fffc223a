/**
 * The leak decision for one memory series: memory retained after a full GC against the number
 * of operations run so far. A leak is a slope whose whole confidence interval lies above a
 * minimum effect (bytes per operation), and which the later half of the series keeps up.
 * A one-off step (a lazily compiled statement, a pool opening a connection) cannot pass the
 * first test: the interval's lower end is a low rank of the pairwise slopes, and at least half
 * the pairs of a flat series with one step lie on the same side of it. Growth that dies out (code
 * warming up, a bounded cache filling) can pass it, and fails the second.
 */
import { theilSen, type SlopeEstimate } from './slope';

export interface SeriesVerdict {
  readonly leaking: boolean;
  /** Slope and interval over every measured round, in bytes per operation. */
  readonly overall: SlopeEstimate;
  /** The same over the later half of the rounds: its slope must stay above the minimum too. */
  readonly laterHalf: SlopeEstimate;
  readonly minBytesPerOp: number;
  /**
   * No leak worth more rounds: the slope, and that of the later half, are below the minimum
   * effect. (A leak the watcher could prove in the rounds left shows a slope above it already.)
   */
  readonly clearlyFlat: boolean;
}

export interface VerdictOptions {
  readonly minBytesPerOp: number;
  readonly confidence: number;
}

export function judgeSeries(
  operations: readonly number[],
  bytes: readonly number[],
  options: VerdictOptions,
): SeriesVerdict {
  const overall = theilSen(operations, bytes, options.confidence);
  const half = Math.floor(operations.length / 2);
  const laterHalf = theilSen(operations.slice(half), bytes.slice(half), options.confidence);
  return {
    leaking: overall.lower > options.minBytesPerOp && laterHalf.slope > options.minBytesPerOp,
    overall,
    laterHalf,
    minBytesPerOp: options.minBytesPerOp,
    clearlyFlat: overall.slope < options.minBytesPerOp && laterHalf.slope < options.minBytesPerOp,
  };
}
