/**
 * Memory retained after a full collection. node-memwatch's `stats` event reports the JS heap
 * after each full (mark-sweep) GC; `gc()` forces one (in fact a short burst of them, each
 * reported a moment later from the event loop), so a sample forces a burst and keeps the
 * figure of its last GC. RSS and V8's external memory are read at the same moment: they show
 * native leaks (statements, connections, buffers) the JS heap does not.
 */
import memwatch, { type GcStats } from '@airbnb/node-memwatch';
import v8 from 'node:v8';

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

// Events of one burst arrive within a millisecond or so of each other; this much quiet ends it.
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
  memwatch.gc();
  const code = compiledCodeBytes();
  // The same figure read at once: used only if the event never comes (see statsAfter).
  const heapNow = v8.getHeapStatistics().used_heap_size;
  const stats = await statsAfter(calledAt);
  const usage = process.memoryUsage();
  return {
    heap: (stats?.used_heap_size ?? heapNow) - code,
    external: usage.external + usage.arrayBuffers,
    rss: usage.rss - usage.heapTotal,
  };
}

/** Machine code, bytecode and their metadata (feedback, source positions) on the JS heap. */
function compiledCodeBytes(): number {
  const code = v8.getHeapCodeStatistics();
  return code.code_and_metadata_size + code.bytecode_and_metadata_size;
}

/**
 * Waits for the burst's reports to stop arriving and returns the last one. On a machine so
 * loaded that the process sleeps past the time-out, timers run before the loop delivers the
 * pending reports: the time-out then looks once more after them (setImmediate) and, if still
 * nothing came, gives up without a report.
 */
function statsAfter(calledAt: number): Promise<GcStats | undefined> {
  const arrived = () => latest !== undefined && latest.gc_ts >= calledAt;
  return new Promise((resolve) => {
    let quiet: NodeJS.Timeout | undefined;
    const settle = () => {
      clearTimeout(give);
      clearTimeout(quiet);
      waiting = undefined;
      resolve(arrived() ? latest : undefined);
    };
    const give = setTimeout(() => setImmediate(settle), STATS_TIMEOUT_MS);
    waiting = () => {
      if (!arrived()) return;
      clearTimeout(quiet);
      quiet = setTimeout(settle, BURST_QUIET_MS);
    };
    // The burst may already have been reported (the events queue while gc() runs).
    waiting();
  });
}
