/**
 * What a fuzz (or run) collects while it goes: batches, latency histograms per engine, samples
 * over time and failures. `report()` builds the report from it at any moment (checkpoints, the
 * final report, or a report written in a hurry on SIGTERM).
 */
import { BoundedSeries } from '../engine/monitor/bounded-series';
import { buildReport } from '../report/report-builder';
import {
  encodeHistogram,
  newHistogram,
  recordMicros,
  sumHistograms,
  type Histogram,
} from '../report/latency';
import type {
  BatchRecord,
  BreakpointSection,
  FailureRecord,
  HeapPoint,
  LeakSection,
  Report,
  SamplePoint,
} from '../report/report-schema';
import type { HeapSeries } from './engines';
import type { Shard } from './seed-space';

/** Most heap-after-GC points a report keeps. */
const HEAP_POINTS = 2_048;

export interface RecorderOptions {
  readonly kind: Report['kind'];
  readonly target: string;
  readonly baseSeed: number;
  readonly shard: Shard;
}

export class RunRecorder {
  readonly startedAt = new Date();
  private readonly startedNs = process.hrtime.bigint();
  readonly batches: BatchRecord[] = [];
  readonly timeline: SamplePoint[] = [];
  /**
   * Heap after each full GC: one a few seconds all night long, so the series halves its
   * resolution when full instead of growing (a GC's point stands for the latest in its span).
   */
  readonly heapAfterGc = new BoundedSeries<HeapPoint>((_, later) => later, HEAP_POINTS);
  readonly failures: FailureRecord[] = [];
  /** The latest leak-watching batch's heap series (a failing batch's is kept once found). */
  leak: LeakSection | undefined;
  /** Set by a breakpoint run: its levels and what the search found. */
  breakpoint: BreakpointSection | undefined;
  private readonly latency = new Map<string, Histogram>();
  /** Calls since the last sample, all engines: the p99-over-time series. */
  private interval: Histogram = newHistogram();
  /** The engine whose calls are being timed now. */
  currentEngine = 'sequential';
  /** Every timed call on the store so far (monotonic: the throughput-over-time series). */
  calls = 0;
  /** Calls of the running batch made in other threads, before their histogram arrives. */
  private batchCalls = 0;
  /** The highest `callsSoFar` given out: it never goes back. */
  private callsShown = 0;

  constructor(readonly options: RecorderOptions) {}

  get source(): string {
    return `${this.options.shard.index}/${this.options.shard.count}`;
  }

  elapsedMs(): number {
    return Number(process.hrtime.bigint() - this.startedNs) / 1e6;
  }

  recordLatency(micros: number): void {
    let histogram = this.latency.get(this.currentEngine);
    if (histogram === undefined) {
      histogram = newHistogram();
      this.latency.set(this.currentEngine, histogram);
    }
    recordMicros(histogram, micros);
    recordMicros(this.interval, micros);
    this.calls += 1;
  }

  /** Adds a histogram an engine measured itself (calls made in other threads). */
  addLatencyHistogram(engine: string, encoded: string): void {
    const histogram = this.latency.get(engine) ?? newHistogram();
    const extra = sumHistograms([encoded]);
    histogram.add(extra);
    this.interval.add(extra);
    this.calls += extra.totalCount;
    this.batchCalls = 0; // now counted in `calls`
    this.latency.set(engine, histogram);
  }

  /** Calls made so far by a batch running in other threads (see `addLatencyHistogram`). */
  noteBatchCalls(callsSoFar: number): void {
    this.batchCalls = Math.max(this.batchCalls, callsSoFar);
  }

  /**
   * Every call so far, the running batch's included: monotonic, so a batch whose calls that
   * never returned are left out of its histogram does not make the series step back.
   */
  callsSoFar(): number {
    this.callsShown = Math.max(this.callsShown, this.calls + this.batchCalls);
    return this.callsShown;
  }

  /**
   * The heap series of a leak-watching batch that started at `startedMs` of the run. Series of
   * different batches measure different sequences on fresh stores, so one is shown, not a join:
   * the leaking one once there is one, else the latest.
   */
  addHeapSeries(series: HeapSeries, startedMs: number): void {
    if (this.leak?.verdict === 'leak') return;
    this.leak = {
      samples: series.samples.map((p) => ({
        source: this.source,
        elapsedMs: Math.round((startedMs + p.elapsedMs) * 10) / 10,
        heapMb: p.heapMb,
      })),
      slopeMbPerHour: series.slopeMbPerHour,
      // The trend is fitted from the batch's start; the report's time axis is the run's.
      interceptMb: series.interceptMb - (series.slopeMbPerHour * startedMs) / 3_600_000,
      verdict: series.verdict,
    };
  }

  /** The p99 of the calls since the last call to this, in microseconds (0 if none). */
  takeIntervalP99(): number {
    const p99 = this.interval.totalCount === 0 ? 0 : this.interval.getValueAtPercentile(99);
    this.interval = newHistogram();
    return p99;
  }

  /** Of the batches finished so far. */
  totals(): { cases: number; operations: number; failures: number } {
    const done = this.batches.reduce(
      (t, b) => ({ cases: t.cases + b.cases, operations: t.operations + b.operations }),
      { cases: 0, operations: 0 },
    );
    return { ...done, failures: new Set(this.failures.map((f) => f.key)).size };
  }

  report(status: Report['status']): Report {
    return buildReport({
      kind: this.options.kind,
      status,
      target: this.options.target,
      baseSeed: this.options.baseSeed,
      shards: [{ index: this.options.shard.index, count: this.options.shard.count }],
      startedAt: this.startedAt.toISOString(),
      updatedAt: new Date().toISOString(),
      wallMs: this.elapsedMs(),
      batches: this.batches,
      latency: Object.fromEntries(
        [...this.latency].map(([engine, h]) => [engine, [encodeHistogram(h)]]),
      ),
      timeline: this.timeline,
      heapAfterGc: this.heapAfterGc.points(),
      failures: this.failures,
      ...(this.leak ? { leak: this.leak } : {}),
      ...(this.breakpoint ? { breakpoint: this.breakpoint } : {}),
    });
  }
}
