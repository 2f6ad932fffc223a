/**
 * Running statistics of one numeric metric, without keeping its samples: count, min, max, mean
 * and last exactly, p50 and p99 from an HDR histogram whose size depends on the range of the
 * values, never on how many there are.
 */
import * as hdr from 'hdr-histogram-js';

export interface GaugeSummary {
  readonly count: number;
  /** 0 while count is 0 (JSON has no NaN). */
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly last: number;
  /** Within 1% (two significant digits) and the `scale` step. */
  readonly p50: number;
  readonly p99: number;
}

export interface GaugeStatsOptions {
  /**
   * Values are recorded in the histogram as round(value * scale): 10 keeps a tenth of a CPU
   * percent, 1000 a thousandth of a 0..1 ratio. Negative values count as 0 there (only there).
   */
  readonly scale?: number;
}

// Two significant digits: a resource gauge needs no finer percentiles, and the histogram stays
// at about 14 KB for a range of 2^31, a tenth of what three digits would cost.
function newGaugeHistogram(): hdr.Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: 2 ** 31,
    numberOfSignificantValueDigits: 2,
    autoResize: true,
  });
}

export class GaugeStats {
  private readonly scale: number;
  private readonly histogram = newGaugeHistogram();
  private n = 0;
  private lowest = Infinity;
  private highest = -Infinity;
  private runningMean = 0;
  private latest = 0;

  constructor(options: GaugeStatsOptions = {}) {
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new RangeError(`scale must be positive, got ${this.scale}`);
  }

  get count(): number {
    return this.n;
  }

  /** Bytes the histogram holds (grows only with the range of values, by doubling). */
  get footprintBytes(): number {
    return this.histogram.estimatedFootprintInBytes;
  }

  record(value: number): void {
    if (!Number.isFinite(value)) throw new RangeError(`a gauge value must be finite, got ${value}`);
    this.n += 1;
    this.lowest = Math.min(this.lowest, value);
    this.highest = Math.max(this.highest, value);
    // Incremental mean: no sum that loses precision after billions of samples.
    this.runningMean += (value - this.runningMean) / this.n;
    this.latest = value;
    this.histogram.recordValue(Math.max(0, Math.round(value * this.scale)));
  }

  summary(): GaugeSummary {
    if (this.n === 0) return { count: 0, min: 0, max: 0, mean: 0, last: 0, p50: 0, p99: 0 };
    return {
      count: this.n,
      min: this.lowest,
      max: this.highest,
      mean: this.runningMean,
      last: this.latest,
      p50: this.percentile(50),
      p99: this.percentile(99),
    };
  }

  reset(): void {
    this.histogram.reset();
    this.n = 0;
    this.lowest = Infinity;
    this.highest = -Infinity;
    this.runningMean = 0;
    this.latest = 0;
  }

  private percentile(p: number): number {
    // The histogram answers with the top of a bucket; never report past the true extremes.
    const value = this.histogram.getValueAtPercentile(p) / this.scale;
    return Math.min(this.highest, Math.max(this.lowest, value));
  }
}
