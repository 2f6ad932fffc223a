/**
 * Samples the run every few seconds (throughput, p99 of the calls since the last sample, heap,
 * RSS, CPU) into the recorder's timeline, and the heap after each full GC when the native
 * watcher is available.
 */
import { BYTES_PER_MB, markCpu, readProcessResources } from '../engine/monitor/process-resources';
import type { RunRecorder } from './run-recorder';

function mb(bytes: number): number {
  return Math.round((bytes / BYTES_PER_MB) * 10) / 10;
}

interface GcWatcher {
  on(event: 'stats', listener: (stats: { used_heap_size: number }) => void): unknown;
  removeListener(event: 'stats', listener: (stats: { used_heap_size: number }) => void): unknown;
}

function gcWatcher(): GcWatcher | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const loaded = require('@airbnb/node-memwatch') as { default?: GcWatcher } & GcWatcher;
    return loaded.default ?? loaded;
  } catch {
    return undefined; // heap-after-GC points are a bonus, not a requirement
  }
}

export class ResourceSampler {
  private timer: NodeJS.Timeout | undefined;
  private last = { calls: 0, cpu: markCpu(0) };
  private readonly watcher = gcWatcher();
  private readonly onGc = (stats: { used_heap_size: number }) => {
    this.recorder.heapAfterGc.push({
      source: this.recorder.source,
      elapsedMs: Math.round(this.recorder.elapsedMs()),
      heapMb: mb(stats.used_heap_size),
    });
  };

  constructor(
    private readonly recorder: RunRecorder,
    readonly everyMs: number,
  ) {}

  start(): void {
    this.watcher?.on('stats', this.onGc);
    this.timer = setInterval(() => this.sample(), this.everyMs);
    this.timer.unref(); // sampling never keeps a finished run alive
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.watcher?.removeListener('stats', this.onGc);
  }

  sample(): void {
    const now = this.recorder.elapsedMs();
    const { cases, operations } = this.recorder.totals();
    const resources = readProcessResources(this.last.cpu, now);
    const calls = this.recorder.callsSoFar();
    const wallMs = Math.max(now - this.last.cpu.atMs, 1);
    this.recorder.timeline.push({
      source: this.recorder.source,
      elapsedMs: Math.round(now),
      cases,
      operations,
      // Calls on the store per second since the last sample (end-of-case reads included).
      operationsPerSecond: Math.round(((calls - this.last.calls) * 1000) / wallMs),
      p99Micros: this.recorder.takeIntervalP99(),
      heapUsedMb: mb(resources.heapUsedBytes),
      rssMb: mb(resources.rssBytes),
      cpuPercent: Math.round(resources.cpuPercent * 10) / 10,
    });
    this.last = { calls, cpu: resources.mark };
  }
}

/** Sample often enough for short runs, at most about 2,000 points for long ones. */
export function sampleIntervalMs(plannedMs: number): number {
  return Math.max(1_000, Math.ceil(plannedMs / 2_000));
}
