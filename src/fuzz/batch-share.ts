/**
 * How long one engine's batch may run. Sequential and interleaved batches end by their case
 * count in a second or so; parallel and leak batches would use any time they are given. A cap
 * gives each engine a fair share: a short run still sees every engine, a long one cycles seeds.
 */
const MIN_BATCH_MS = 2_000;
const MAX_BATCH_MS = 30_000;
// A run should cycle through its engines at least this many times.
const CYCLES = 3;

export function batchShareMs(durationMs: number, engines: number): number {
  const share = durationMs / (Math.max(1, engines) * CYCLES);
  return Math.round(Math.min(MAX_BATCH_MS, Math.max(MIN_BATCH_MS, share)));
}
