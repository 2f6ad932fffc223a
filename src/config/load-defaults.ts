/**
 * Defaults of the load engine (`stampede breakpoint` and the `stampede run` presets), in one
 * place. Thresholds come from what this machine measured (2 cores: about 12-14k mixed calls/s
 * with the model check on, p99 of a few ms below the knee), not from the seed's 10 ops/s.
 */
export const DEFAULT_LOAD_THRESHOLDS = [
  'p99 < 50ms',
  'errors < 0.1%',
  'violations == 0',
  'achieved >= 95%',
] as const;

export const BREAKPOINT_DEFAULTS = {
  /**
   * Worker threads (each with its own store on the one WAL file). One by default: on 2 cores a
   * second writer thread adds no throughput (writes serialise on SQLite's lock) but adds
   * SQLITE_BUSY back-offs whose 30-50 ms tails make the knee noisy; `--threads` to compare.
   */
  threads: 1,
  /** Concurrent clients per thread: the most calls a thread has running at once. */
  lanes: 8,
  poolSize: 4,
  mix: 'mixed',
  /** Each level runs this long (a fresh database each). */
  levelSeconds: 1.5,
  /** Rate ramp: calls per second offered in all. */
  start: 1_000,
  growth: 2,
  max: 512_000,
  min: 50,
  /** Bisect until the pass/fail gap is within this share of the breaking level. */
  precision: 0.05,
  maxProbes: 16,
  /** The confirming sweep: this many levels spread evenly over knee x (1 -/+ span). */
  sweepSteps: 11,
  sweepSpan: 0.25,
} as const;
