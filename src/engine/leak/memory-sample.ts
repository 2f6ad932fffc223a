/**
 * Memory retained after a full collection. node-memwatch's `stats` event reports the JS heap
 * after each full (mark-sweep) GC, a moment later from the event loop; a sample forces one
 * full GC and keeps the figure of the last GC reported. RSS and V8's external memory are read
 * at the same moment: they show native leaks (statements, connections, buffers) the JS heap
 * does not.
 */
import memwatch, { type GcStats } from '@airbnb/node-memwatch';
import v8 from 'node:v8';
import vm from 'node:vm';

export interface MemorySample {
  /**
   * JS heap in use after the GC, as the `stats` event reports it, less compiled code and
   * bytecode: V8 keeps compiling, optimising and deoptimising hot functions for a long while
   * (error paths especially), and that code, bounded by the program and flushed when cold, is
   * not data the workload retains.
   */
  readonly heap: number;
  /** Memory of C++ objects bound to JS objects, and of ArrayBuffers. */
  readonly external: number;
  /**
   * Resident memory outside the JS heap: RSS less the pages V8 has committed for its heap.
   * V8 commits and releases heap pages as it sees fit (after a big collection it shrinks, then
   * grows back), which moved plain RSS by megabytes while heap in use stayed flat: a fuzz run
   * reported a 16 KB/call "leak" of createClient on the correct tracker that way. Native leaks
   * (statements, connections, malloc'd buffers) are still all in here.
   */
  readonly rss: number;
}

export type MemoryMetric = keyof MemorySample;
export const MEMORY_METRICS: readonly MemoryMetric[] = ['heap', 'external', 'rss'];

// Reports of one GC (or of the fallback's burst) arrive within a millisecond or so of each other;
// this much quiet ends them.
const BURST_QUIET_MS = 3;
const STATS_TIMEOUT_MS = 2_000;

let latest: GcStats | undefined;
let waiting: (() => void) | undefined;
let listening = false;

function listen(): void {
  if (listening) return;
  listening = true;
  memwatch.on('stats', (stats) => {
    latest = stats;
    waiting?.();
  });
}

/** Forces a full GC and resolves with the memory retained after it. */
export async function sampleAfterGc(): Promise<MemorySample> {
  listen();
  // gc_ts of a report is wall-clock microseconds at the end of its GC: older reports still
  // queued (a GC V8 ran on its own a moment ago) are not about this sample.
  const calledAt = Date.now() * 1000;
  const single = forceFullGc();
  const code = compiledCodeBytes();
  // The same figure read at once: used only if the event never comes (see statsAfter).
  const heapNow = v8.getHeapStatistics().used_heap_size;
  const stats = await statsAfter(calledAt, single ? 0 : BURST_QUIET_MS);
  const usage = process.memoryUsage();
  return {
    heap: (stats?.used_heap_size ?? heapNow) - code,
    external: usage.external + usage.arrayBuffers,
    rss: usage.rss - usage.heapTotal,
  };
}

let fullGc: (() => void) | undefined;
let fullGcIsSingle = false;

/**
 * One full, synchronous GC: V8's own `gc()`, exposed for this process. memwatch's `gc()` asks
 * for a low-memory collection, a burst of full GCs that took 43 ms a sample here against 22-29
 * for one, and a sample is most of a leak search's time. Measured on the correct tracker over
 * `stampede leak --seconds 5` runs, one GC left no more noise (per-sequence slopes up to 26-37
 * B/call against 33-53 with the burst) and measured 1.7x the sequences. Falls back to
 * memwatch's burst where V8's cannot be had. True when it ran one GC.
 */
function forceFullGc(): boolean {
  if (fullGc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      fullGc = vm.runInNewContext('gc') as () => void;
      fullGcIsSingle = true;
    } catch {
      fullGc = () => memwatch.gc();
    }
  }
  fullGc();
  return fullGcIsSingle;
}

/** Machine code, bytecode and their metadata (feedback, source positions) on the JS heap. */
function compiledCodeBytes(): number {
  const code = v8.getHeapCodeStatistics();
  return code.code_and_metadata_size + code.bytecode_and_metadata_size;
}

/**
 * Waits for the reports to stop arriving (`quietMs` without one; 0: none left queued, for one
 * GC, whose report is all there is) and returns the last one. On a machine so
 * loaded that the process sleeps past the time-out, timers run before the loop delivers the
 * pending reports: the time-out then looks once more after them (setImmediate) and, if still
 * nothing came, gives up without a report.
 */
function statsAfter(calledAt: number, quietMs: number): Promise<GcStats | undefined> {
  const arrived = () => latest !== undefined && latest.gc_ts >= calledAt;
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = () => {
      if (settled) return;
      settled = true;
      clearTimeout(give);
      clearTimeout(quiet);
      waiting = undefined;
      resolve(arrived() ? latest : undefined);
    };
    const give = setTimeout(() => setImmediate(settle), STATS_TIMEOUT_MS);
    waiting = () => {
      if (!arrived()) return;
      clearTimeout(quiet);
      if (quietMs === 0) setImmediate(settle);
      else quiet = setTimeout(settle, quietMs);
    };
    // The reports may have arrived already (the events queue while gc() runs).
    waiting();
  });
}
