/**
 * Theil–Sen slope of a series with Sen's rank-based confidence interval. The median of the
 * pairwise slopes shrugs off the odd outlier (a GC that kept a little more, a page the
 * allocator held on to), where a least-squares fit would be dragged by it.
 */

export interface SlopeEstimate {
  /** Median of the pairwise slopes (units of y per unit of x). */
  readonly slope: number;
  /** Two-sided confidence interval of the slope. */
  readonly lower: number;
  readonly upper: number;
  readonly points: number;
}

export function theilSen(xs: readonly number[], ys: readonly number[], confidence = 0.95) {
  if (xs.length !== ys.length) throw new RangeError('xs and ys must have the same length');
  const slopes: number[] = [];
  for (let i = 0; i < xs.length; i += 1) {
    for (let j = i + 1; j < xs.length; j += 1) {
      const dx = (xs[j] as number) - (xs[i] as number);
      if (dx !== 0) slopes.push(((ys[j] as number) - (ys[i] as number)) / dx);
    }
  }
  const n = xs.length;
  if (slopes.length === 0) {
    return { slope: NaN, lower: -Infinity, upper: Infinity, points: n } satisfies SlopeEstimate;
  }
  slopes.sort((a, b) => a - b);
  // Sen (1968): the interval's ends are order statistics of the slopes, C apart from the middle,
  // where C comes from the variance of Kendall's S under no trend.
  const count = slopes.length;
  const spread =
    normalQuantile(1 - (1 - confidence) / 2) * Math.sqrt((n * (n - 1) * (2 * n + 5)) / 18);
  const lowerRank = Math.floor((count - spread) / 2); // 1-based
  const upperRank = Math.ceil((count + spread) / 2) + 1;
  return {
    slope: medianOfSorted(slopes),
    lower: lowerRank >= 1 ? (slopes[lowerRank - 1] as number) : -Infinity,
    upper: upperRank <= count ? (slopes[upperRank - 1] as number) : Infinity,
    points: n,
  } satisfies SlopeEstimate;
}

function medianOfSorted(sorted: readonly number[]): number {
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/**
 * The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9):
 * enough for a confidence bound, without a statistics library.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile needs 0 < p < 1, got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972,
    -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
    4.374664141464968, 2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const poly = (coefficients: number[], x: number) =>
    coefficients.reduce((sum, k) => sum * x + k, 0);
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}
