/**
 * Memory retained after a full collection. node-memwatch's `stats` event reports the JS heap
 * after each full (mark-sweep) GC. A sample forces one full GC and keeps the figure its event
 * reports. RSS and V8's external memory are read at the same moment: they show native leaks
 * (statements, connections, buffers) the JS heap does not.
 *
 * The GC is V8's own `gc()`, exposed at run time, not memwatch's `gc()`: memwatch's is an idle
 * notification plus a low-memory notification, a burst of full GCs that took 25-37 ms a sample
 * here against 11-14 ms for one. Over 60 s of leak search on the correct tracker, one GC a
 * sample gave the same spread of clean slopes (median 4.7 B/call, 95th percentile 19.8, largest
 * 42.3, against 3.9, 18.9 and 41.5 with the burst) and no false alarm, in 1.8x the watches.
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
  fullGc()();
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

let exposedGc: (() => void) | undefined;

/**
 * V8's `gc()`: the global of a process started with --expose-gc, or else the same function
 * from a context made after setting the flag (V8 installs it in new contexts).
 */
function fullGc(): () => void {
  if (exposedGc !== undefined) return exposedGc;
  const global = (globalThis as { gc?: () => void }).gc;
  if (typeof global === 'function') {
    exposedGc = global;
  } else {
    v8.setFlagsFromString('--expose-gc');
    exposedGc = vm.runInNewContext('gc') as () => void;
  }
  return exposedGc;
}

/**
 * Waits for the report of the GC just forced. On a machine so loaded that the process sleeps
 * past the time-out, timers run before the loop delivers the pending report: the time-out then
 * looks once more after it (setImmediate) and, if still nothing came, gives up without one.
 */
function statsAfter(calledAt: number): Promise<GcStats | undefined> {
  const arrived = () => latest !== undefined && latest.gc_ts >= calledAt;
  return new Promise((resolve) => {
    const settle = () => {
      clearTimeout(give);
      waiting = undefined;
      resolve(arrived() ? latest : undefined);
    };
    const give = setTimeout(() => setImmediate(settle), STATS_TIMEOUT_MS);
    waiting = () => {
      if (arrived()) settle();
    };
    // The report may already have come (events queue while gc() runs).
    waiting();
  });
}
