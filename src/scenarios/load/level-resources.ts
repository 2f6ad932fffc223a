/**
 * The resource monitor of one load level: the process's CPU, memory and event loop (worker
 * threads are in the same process, so CPU counts them too), the level's WAL file size, and the
 * pool waits and SQLite busy retries the worker threads report with their heartbeats.
 */
import type { WorkloadFigures } from '../../engine/parallel/protocol';
import { ResourceMonitor } from '../../engine/monitor/resource-monitor';
import { walBytes } from '../../engine/monitor/wal-size';

export interface ResourceFigures {
  readonly peakRssMb: number;
  readonly peakHeapUsedMb: number;
  readonly peakCpuPercent: number;
  readonly cpuPercentMean: number;
  readonly eventLoopDelayP99Ms: number;
  readonly eventLoopDelayMaxMs: number;
  readonly eluMean: number;
  readonly peakWalMb: number;
  readonly peakPoolWaiting: number;
  readonly busyRetries: number;
}

const MB = 1024 * 1024;
const SAMPLE_EVERY_MS = 100;

export class LevelResources {
  private readonly monitor = new ResourceMonitor({ everyMs: SAMPLE_EVERY_MS });
  private readonly pools = new Map<string, WorkloadFigures>();
  private stopped: ResourceFigures | undefined;

  constructor(dbPath: string) {
    this.monitor.addGauge('walMb', () => walBytes(dbPath) / MB);
    this.monitor.addGauge('poolWaiting', () => this.total('waiting'));
    this.monitor.addGauge('busyRetries', () => this.total('busyRetries'));
  }

  start(): void {
    this.monitor.start();
  }

  /** The latest figures of one thread's store (keyed by thread, summed over threads). */
  notePool(thread: number, figures: WorkloadFigures): void {
    this.pools.set(String(thread), figures);
  }

  stop(): ResourceFigures {
    if (this.stopped !== undefined) return this.stopped;
    this.monitor.sample();
    this.monitor.stop();
    const summary = this.monitor.summary();
    const gauge = (name: string) => summary.gauges[name]?.max ?? 0;
    this.stopped = {
      peakRssMb: summary.peaks.peakRssMb,
      peakHeapUsedMb: summary.peaks.peakHeapUsedMb,
      peakCpuPercent: summary.peaks.peakCpuPercent,
      cpuPercentMean: summary.peaks.cpuPercentMean,
      eventLoopDelayP99Ms: summary.peaks.eventLoopDelayP99Ms,
      eventLoopDelayMaxMs: summary.peaks.eventLoopDelayMaxMs,
      eluMean: summary.peaks.eluMean,
      peakWalMb: Math.round(gauge('walMb') * 100) / 100,
      peakPoolWaiting: gauge('poolWaiting'),
      busyRetries: gauge('busyRetries'),
    };
    return this.stopped;
  }

  private total(key: string): number {
    let sum = 0;
    for (const figures of this.pools.values()) sum += figures[key] ?? 0;
    return sum;
  }
}
