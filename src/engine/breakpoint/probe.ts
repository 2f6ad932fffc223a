/** One measured level of a breakpoint search, as the search and the report see it. */
export interface ProbeOutcome {
  /** The level of the knob searched (calls per second offered, clients...). */
  readonly load: number;
  readonly passed: boolean;
  /** Thresholds that failed at this level, as written (e.g. "p99 < 25ms (observed 31.2ms)"). */
  readonly failed: readonly string[];
  readonly operationsPerSecond: number;
  readonly p99Micros: number;
  readonly errorRate: number;
  /** The seed of this level: rerunning the level with it replays the same call streams. */
  readonly seed: number;
  /** Which part of the run measured it. */
  readonly phase: 'ramp' | 'bisect' | 'sweep';
  /** Measured twice because the first measurement failed (see confirmFailures). */
  readonly retried?: boolean;
}

/** Measures one level; `phase` says why it is measured. */
export type Probe = (load: number, phase: ProbeOutcome['phase']) => Promise<ProbeOutcome>;
