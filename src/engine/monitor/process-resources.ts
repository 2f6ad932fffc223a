/**
 * One reading of the process's CPU and memory: the single place CPU % is computed, for the
 * resource monitor and for the fuzz timeline alike.
 */

/** The CPU time used so far and the wall clock at that moment: the baseline of a CPU %. */
export interface CpuMark {
  readonly atMs: number;
  readonly cpu: NodeJS.CpuUsage;
}

export interface ProcessResources {
  /**
   * CPU time (user + system, all threads) over wall time since the mark, in percent of one
   * core: two busy threads read 200.
   */
  readonly cpuPercent: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** C++ objects bound to JS objects, and ArrayBuffers. */
  readonly externalBytes: number;
  /** Baseline for the next reading. */
  readonly mark: CpuMark;
}

export const BYTES_PER_MB = 1024 * 1024;

/** `atMs` on the caller's clock (the one it will pass to `readProcessResources`). */
export function markCpu(atMs: number): CpuMark {
  return { atMs, cpu: process.cpuUsage() };
}

export function readProcessResources(last: CpuMark, nowMs: number): ProcessResources {
  const cpu = process.cpuUsage();
  const cpuMicros = cpu.user - last.cpu.user + (cpu.system - last.cpu.system);
  // At least a millisecond: two readings in a row must not divide by (almost) zero.
  const wallMs = Math.max(nowMs - last.atMs, 1);
  const memory = process.memoryUsage();
  return {
    cpuPercent: (cpuMicros / 1000 / wallMs) * 100,
    rssBytes: memory.rss,
    heapUsedBytes: memory.heapUsed,
    externalBytes: memory.external,
    mark: { atMs: nowMs, cpu },
  };
}
