/**
 * A timeline that covers the whole run in at most `capacity` points, however long the run. When
 * it fills up it halves its resolution: adjacent pairs are merged, and from then on each kept
 * point stands for twice as many pushes (every push is merged into a pending bucket that is kept
 * once it holds that many). Nothing is dropped, so a peak survives every halving if `merge`
 * keeps maxima.
 */

export interface Timed {
  readonly elapsedMs: number;
}

/**
 * Combines two adjacent points, `a` the earlier. A merged point stands for the span ending at
 * `b`, so the series gives it `b.elapsedMs` whatever `merge` returns. The two sides may stand
 * for different numbers of pushes (the pending bucket grows one push at a time): a merge that
 * averages should weight by a count kept in the point.
 */
export type MergePoints<P> = (a: P, b: P) => P;

export const DEFAULT_SERIES_CAPACITY = 512;

export class BoundedSeries<P extends Timed> {
  private kept: P[] = [];
  private pending: P | undefined;
  private pendingPushes = 0;
  /** Pushes each kept point stands for: 1, then 2, 4, ... after each halving. */
  private stride = 1;

  constructor(
    private readonly merge: MergePoints<P>,
    readonly capacity = DEFAULT_SERIES_CAPACITY,
  ) {
    // Even, so a halving merges whole pairs and every kept point spans the same number of pushes.
    if (!Number.isInteger(capacity) || capacity < 2 || capacity % 2 !== 0) {
      throw new RangeError(`capacity must be an even integer >= 2, got ${capacity}`);
    }
  }

  /** Points the series holds now, the pending bucket included: at most `capacity`. */
  get length(): number {
    return this.kept.length + (this.pending === undefined ? 0 : 1);
  }

  /** Pushes each complete point stands for. */
  get pushesPerPoint(): number {
    return this.stride;
  }

  push(point: P): void {
    this.pending = this.pending === undefined ? point : this.combine(this.pending, point);
    this.pendingPushes += 1;
    if (this.pendingPushes < this.stride) return;
    this.kept.push(this.pending);
    this.pending = undefined;
    this.pendingPushes = 0;
    if (this.kept.length === this.capacity) this.halve();
  }

  /** A copy, oldest first; the last point may be a bucket still filling. */
  points(): readonly P[] {
    return this.pending === undefined ? [...this.kept] : [...this.kept, this.pending];
  }

  clear(): void {
    this.kept = [];
    this.pending = undefined;
    this.pendingPushes = 0;
    this.stride = 1;
  }

  private halve(): void {
    const merged: P[] = [];
    for (let i = 0; i + 1 < this.kept.length; i += 2) {
      merged.push(this.combine(this.kept[i] as P, this.kept[i + 1] as P));
    }
    this.kept = merged;
    this.stride *= 2;
  }

  private combine(a: P, b: P): P {
    return { ...this.merge(a, b), elapsedMs: b.elapsedMs };
  }
}
