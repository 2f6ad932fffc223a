/** Call latency kept as HDR histograms (never as samples), encoded so reports merge exactly. */
import * as hdr from 'hdr-histogram-js';

export type Histogram = hdr.Histogram;

export function newHistogram(): Histogram {
  // Microseconds, 3 significant digits, growing past an hour if a call ever takes that long.
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 3_600_000_000,
    numberOfSignificantValueDigits: 3,
    autoResize: true,
  });
}

export function recordMicros(histogram: Histogram, micros: number): void {
  histogram.recordValue(Math.max(1, Math.round(micros)));
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

/** Sum of encoded histograms, as a fresh histogram ('' stands for an empty one). */
export function sumHistograms(encoded: readonly string[]): Histogram {
  const sum = newHistogram();
  for (const text of encoded) if (text !== '') sum.add(hdr.decodeFromCompressedBase64(text));
  return sum;
}

export interface LatencySummary {
  readonly count: number;
  readonly mean: number;
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
  readonly histogram: string;
}

export function summarizeLatency(histogram: Histogram): LatencySummary {
  const empty = histogram.totalCount === 0;
  const at = (p: number) => (empty ? 0 : histogram.getValueAtPercentile(p));
  return {
    count: histogram.totalCount,
    mean: empty ? 0 : Math.round(histogram.mean * 10) / 10,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    p999: at(99.9),
    max: empty ? 0 : histogram.maxValue,
    histogram: empty ? '' : encodeHistogram(histogram),
  };
}
