/**
 * Samples the process while a run goes: CPU %, memory, event-loop delay and utilisation, and
 * gauges the caller plugs in (WAL size, pool waits, retries). Its own memory is bounded however
 * long it runs: running statistics and HDR histograms instead of samples, and a timeline that
 * halves its resolution instead of growing.
 */
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import { BoundedSeries, DEFAULT_SERIES_CAPACITY } from './bounded-series';
import { EventLoopDelay, type EventLoopDelaySummary } from './event-loop-delay';
import { GaugeStats, type GaugeSummary } from './gauge-stats';
import { mergeMonitorPoints, type MonitorPoint } from './monitor-point';
import { BYTES_PER_MB, markCpu, readProcessResources, type CpuMark } from './process-resources';

export type { EventLoopDelaySummary } from './event-loop-delay';
export type { MonitorPoint } from './monitor-point';

export interface ResourceMonitorOptions {
  /** Interval of the sampling timer `start()` sets; default 250 ms. */
  readonly everyMs?: number;
  /** Most points the timeline keeps; default 512 (even). */
  readonly timelineCapacity?: number;
  /** How often the event loop's delay is measured; default 10 ms. */
  readonly eventLoopResolutionMs?: number;
}

export interface GaugeOptions {
  /** Histogram scale of the gauge's percentiles (see GaugeStatsOptions); default 1. */
  readonly scale?: number;
}

export interface PluggedGaugeSummary extends GaugeSummary {
  /** Reads that threw or returned a non-finite number (not in the statistics). */
  readonly readErrors: number;
  readonly lastError?: string;
}

export type BuiltInMetric = 'cpuPercent' | 'rssMb' | 'heapUsedMb' | 'externalMb' | 'elu';

export interface MonitorPeaks {
  readonly peakCpuPercent: number;
  /** CPU time over wall time of all sampled spans together. */
  readonly cpuPercentMean: number;
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly peakExternalMb: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  /** Event-loop utilisation over all sampled spans together (0..1). */
  readonly eluMean: number;
  readonly eluMax: number;
}

/** Plain data, JSON-serialisable as it is. */
export interface MonitorSummary {
  readonly samples: number;
  /** Since the monitor was created or reset. */
  readonly elapsedMs: number;
  readonly metrics: Readonly<Record<BuiltInMetric, GaugeSummary>>;
  /** The whole run (the timeline has it per span). */
  readonly eventLoopDelay: EventLoopDelaySummary;
  readonly gauges: Readonly<Record<string, PluggedGaugeSummary>>;
  readonly peaks: MonitorPeaks;
  /** Samples each complete timeline point stands for (doubles at each halving). */
  readonly samplesPerPoint: number;
  readonly timeline: readonly MonitorPoint[];
}

/** What the monitor holds, to show it does not grow with the number of samples. */
export interface MonitorFootprint {
  readonly timelinePoints: number;
  readonly timelineCapacity: number;
  readonly gauges: number;
  readonly histogramBytes: number;
}

interface PluggedGauge {
  readonly read: () => number;
  readonly stats: GaugeStats;
  readErrors: number;
  lastError: string | undefined;
}

const MAX_ERROR_TEXT = 200;

function newMetrics(): Record<BuiltInMetric, GaugeStats> {
  // Scales keep a tenth of a percent or megabyte, a thousandth of utilisation, in percentiles.
  return {
    cpuPercent: new GaugeStats({ scale: 10 }),
    rssMb: new GaugeStats({ scale: 10 }),
    heapUsedMb: new GaugeStats({ scale: 10 }),
    externalMb: new GaugeStats({ scale: 10 }),
    elu: new GaugeStats({ scale: 1000 }),
  };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.slice(0, MAX_ERROR_TEXT);
}

export class ResourceMonitor {
  readonly everyMs: number;
  private readonly series: BoundedSeries<MonitorPoint>;
  private readonly metrics = newMetrics();
  private readonly gauges = new Map<string, PluggedGauge>();
  private readonly delay: EventLoopDelay;
  private timer: NodeJS.Timeout | undefined;
  private startedAtMs = performance.now();
  private cpuMark: CpuMark = markCpu(this.startedAtMs);
  private eluMark: EventLoopUtilization = performance.eventLoopUtilization();
  private sampleCount = 0;
  // Time-weighted sums for the whole-run means.
  private sampledMs = 0;
  private cpuPercentMs = 0;
  private eluMs = 0;

  constructor(options: ResourceMonitorOptions = {}) {
    this.everyMs = options.everyMs ?? 250;
    if (!(this.everyMs > 0)) throw new RangeError(`everyMs must be positive, got ${this.everyMs}`);
    this.series = new BoundedSeries(
      mergeMonitorPoints,
      options.timelineCapacity ?? DEFAULT_SERIES_CAPACITY,
    );
    this.delay = new EventLoopDelay(options.eventLoopResolutionMs ?? 10);
  }

  get samples(): number {
    return this.sampleCount;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** A gauge read at every sample; a read that throws is counted, never fatal. */
  addGauge(name: string, read: () => number, options: GaugeOptions = {}): void {
    if (this.gauges.has(name)) throw new Error(`gauge ${JSON.stringify(name)} already added`);
    this.gauges.set(name, {
      read,
      stats: new GaugeStats({ scale: options.scale ?? 1 }),
      readErrors: 0,
      lastError: undefined,
    });
  }

  start(): void {
    if (this.timer !== undefined) return;
    this.delay.start();
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref(); // monitoring never keeps a finished run alive
  }

  stop(): void {
    if (this.timer === undefined) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.delay.stop();
  }

  /**
   * Reads everything once, for the span since the previous sample (or since the monitor was
   * created or reset). Event-loop delay reads 0 for a span without a tick of its probe in it
   * (the monitor not started, or sampled faster than the resolution).
   */
  sample(): MonitorPoint {
    const nowMs = performance.now();
    const spanMs = nowMs - this.cpuMark.atMs;
    const resources = readProcessResources(this.cpuMark, nowMs);
    this.cpuMark = resources.mark;
    const delay = this.delay.takeSpan();
    const point: MonitorPoint = {
      elapsedMs: nowMs - this.startedAtMs,
      samples: 1,
      spanMs,
      cpuPercent: resources.cpuPercent,
      elu: this.readElu(),
      rssMb: resources.rssBytes / BYTES_PER_MB,
      heapUsedMb: resources.heapUsedBytes / BYTES_PER_MB,
      externalMb: resources.externalBytes / BYTES_PER_MB,
      eventLoopDelayP99Ms: delay.p99Ms,
      eventLoopDelayMaxMs: delay.maxMs,
      gauges: this.readGauges(),
    };
    this.record(point);
    return point;
  }

  summary(): MonitorSummary {
    const metrics = {} as Record<BuiltInMetric, GaugeSummary>;
    for (const [name, stats] of Object.entries(this.metrics)) {
      metrics[name as BuiltInMetric] = stats.summary();
    }
    const gauges: Record<string, PluggedGaugeSummary> = {};
    for (const [name, gauge] of this.gauges) {
      gauges[name] = {
        ...gauge.stats.summary(),
        readErrors: gauge.readErrors,
        ...(gauge.lastError === undefined ? {} : { lastError: gauge.lastError }),
      };
    }
    const eventLoopDelay = this.delay.summary();
    const mean = (weighted: number) => (this.sampledMs > 0 ? weighted / this.sampledMs : 0);
    return {
      samples: this.sampleCount,
      elapsedMs: performance.now() - this.startedAtMs,
      metrics,
      eventLoopDelay,
      gauges,
      peaks: {
        peakCpuPercent: metrics.cpuPercent.max,
        cpuPercentMean: mean(this.cpuPercentMs),
        peakRssMb: metrics.rssMb.max,
        peakHeapUsedMb: metrics.heapUsedMb.max,
        peakExternalMb: metrics.externalMb.max,
        eventLoopDelayP99Ms: eventLoopDelay.p99Ms,
        eventLoopDelayMaxMs: eventLoopDelay.maxMs,
        eluMean: mean(this.eluMs),
        eluMax: metrics.elu.max,
      },
      samplesPerPoint: this.series.pushesPerPoint,
      timeline: this.series.points(),
    };
  }

  footprint(): MonitorFootprint {
    let histogramBytes = this.delay.footprintBytes;
    for (const stats of Object.values(this.metrics)) histogramBytes += stats.footprintBytes;
    for (const gauge of this.gauges.values()) histogramBytes += gauge.stats.footprintBytes;
    return {
      timelinePoints: this.series.length,
      timelineCapacity: this.series.capacity,
      gauges: this.gauges.size,
      histogramBytes,
    };
  }

  /** Forgets every sample (gauges stay plugged in) and starts the clock again. */
  reset(): void {
    this.series.clear();
    for (const stats of Object.values(this.metrics)) stats.reset();
    for (const gauge of this.gauges.values()) {
      gauge.stats.reset();
      gauge.readErrors = 0;
      gauge.lastError = undefined;
    }
    this.delay.reset();
    this.startedAtMs = performance.now();
    this.cpuMark = markCpu(this.startedAtMs);
    this.eluMark = performance.eventLoopUtilization();
    this.sampleCount = 0;
    this.sampledMs = 0;
    this.cpuPercentMs = 0;
    this.eluMs = 0;
  }

  private readElu(): number {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, this.eluMark);
    this.eluMark = now;
    // No time at all between two reads gives 0/0.
    return Number.isFinite(utilization) ? utilization : 0;
  }

  private readGauges(): Record<string, number> {
    const values: Record<string, number> = {};
    for (const [name, gauge] of this.gauges) {
      try {
        const value = gauge.read();
        if (!Number.isFinite(value)) throw new TypeError(`gauge read returned ${value}`);
        gauge.stats.record(value);
        values[name] = value;
      } catch (error) {
        gauge.readErrors += 1;
        gauge.lastError = errorText(error);
      }
    }
    return values;
  }

  private record(point: MonitorPoint): void {
    this.metrics.cpuPercent.record(point.cpuPercent);
    this.metrics.rssMb.record(point.rssMb);
    this.metrics.heapUsedMb.record(point.heapUsedMb);
    this.metrics.externalMb.record(point.externalMb);
    this.metrics.elu.record(point.elu);
    this.sampleCount += 1;
    this.sampledMs += point.spanMs;
    this.cpuPercentMs += point.cpuPercent * point.spanMs;
    this.eluMs += point.elu * point.spanMs;
    this.series.push(point);
  }
}
