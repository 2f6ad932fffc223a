/** Types for @airbnb/node-memwatch v3, which ships none. Only what Stampede uses. */
declare module '@airbnb/node-memwatch' {
  import { EventEmitter } from 'node:events';

  /** Emitted after each full (mark-sweep) GC. */
  export interface GcStats {
    gc_ts: number;
    gcProcessTime: number;
    gcMarkSweepCompactCount: number;
    gcScavengeCount: number;
    gcIncrementalMarkingCount: number;
    peakMallocedMemory: number;
    total_heap_size: number;
    total_heap_size_executable: number;
    total_physical_size: number;
    total_available_size: number;
    used_heap_size: number;
    heap_size_limit: number;
    malloced_memory: number;
    [key: string]: number;
  }

  export interface HeapDiffResult {
    before: { nodes: number; size_bytes: number; size: string };
    after: { nodes: number; size_bytes: number; size: string };
    change: {
      size_bytes: number;
      size: string;
      freed_nodes: number;
      allocated_nodes: number;
      details: { what: string; size_bytes: number; size: string; '+': number; '-': number }[];
    };
  }

  interface Memwatch extends EventEmitter {
    gc(): void;
    HeapDiff: new () => { end(): HeapDiffResult };
    on(event: 'stats', listener: (stats: GcStats) => void): this;
    once(event: 'stats', listener: (stats: GcStats) => void): this;
  }

  const memwatch: Memwatch;
  export default memwatch;
}
