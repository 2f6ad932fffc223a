/**
 * How late the event loop comes back to a timer ticking every `resolutionMs`: the time between
 * two ticks, so an idle loop reads about the resolution and a loop blocked 200 ms reads 200.
 *
 * Two readings, both bounded: the whole run from perf_hooks' native histogram, never reset
 * between samples (resetting it drops the next tick's delay, which is the one a stall right
 * after a sample produces; at a sampling interval below the resolution it would drop them
 * all), and the span since the last sample from a probe timer of our own into a small
 * histogram, reset at every sample without losing a tick.
 */
import { monitorEventLoopDelay, performance, type IntervalHistogram } from 'node:perf_hooks';
import { GaugeStats } from './gauge-stats';

export interface EventLoopDelaySummary {
  /** Ticks measured; every figure is 0 while there are none (the monitor never started). */
  readonly count: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
}

export interface SpanDelay {
  /** 0 for a span without a tick in it (not started, or sampled faster than the resolution). */
  readonly p99Ms: number;
  readonly maxMs: number;
}

const NS_PER_MS = 1e6;

export class EventLoopDelay {
  private readonly run: IntervalHistogram;
  private readonly span = new GaugeStats({ scale: 1000 }); // microseconds in its percentiles
  private probe: NodeJS.Timeout | undefined;
  private lastTickMs = 0;

  constructor(private readonly resolutionMs: number) {
    this.run = monitorEventLoopDelay({ resolution: resolutionMs });
  }

  get footprintBytes(): number {
    return this.span.footprintBytes;
  }

  start(): void {
    if (this.probe !== undefined) return;
    this.run.enable();
    this.lastTickMs = performance.now();
    this.probe = setInterval(() => this.tick(), this.resolutionMs);
    this.probe.unref();
  }

  stop(): void {
    if (this.probe === undefined) return;
    clearInterval(this.probe);
    this.probe = undefined;
    this.run.disable();
  }

  /** The delay of the span since the last call, and a fresh span. */
  takeSpan(): SpanDelay {
    if (this.span.count === 0) return { p99Ms: 0, maxMs: 0 };
    const { p99, max } = this.span.summary();
    this.span.reset();
    return { p99Ms: p99, maxMs: max };
  }

  summary(): EventLoopDelaySummary {
    const run = this.run;
    if (run.count === 0) return { count: 0, meanMs: 0, p50Ms: 0, p99Ms: 0, maxMs: 0 };
    return {
      count: run.count,
      meanMs: run.mean / NS_PER_MS,
      p50Ms: run.percentile(50) / NS_PER_MS,
      p99Ms: run.percentile(99) / NS_PER_MS,
      maxMs: run.max / NS_PER_MS,
    };
  }

  /** Forgets both readings (a stall spanning this moment is lost: see above). */
  reset(): void {
    this.run.reset();
    this.span.reset();
    this.lastTickMs = performance.now();
  }

  private tick(): void {
    const nowMs = performance.now();
    this.span.record(nowMs - this.lastTickMs);
    this.lastTickMs = nowMs;
  }
}
