/** What running presets takes, and what it gives back as plain data (for --json). */
import type { Threshold } from '../../engine/thresholds';
import type { VerdictFigures } from '../leak-figures';
import type { TargetSpec } from '../parallel/target-spec';
import type { PoolLevelFigures } from './load-session';
import type { Preset } from './presets';

export interface PresetRunOptions {
  readonly target: TargetSpec;
  /** Printed with the report: the target as the user named it. */
  readonly targetLabel: string;
  readonly seed: number;
  /** The time box of time-boxed presets (endurance) and the memory budget. */
  readonly seconds?: number;
  /** Replaces every load preset's thresholds. */
  readonly thresholds?: readonly Threshold[];
  /** Smaller runs (tests): fewer calls per lane, a shorter time box, no warm-up. */
  readonly override?: {
    readonly opsPerLane?: number;
    readonly seconds?: number;
    readonly warmUp?: boolean;
  };
  /** Called as each preset starts. */
  readonly onPreset?: (preset: Preset) => void;
}

export interface LatencyMs {
  readonly p50: number;
  readonly p90: number;
  readonly p99: number;
  readonly p999: number;
  readonly max: number;
}

export interface ThresholdLine {
  readonly text: string;
  /** The observed figure in the threshold's unit ("p99 = 3.2ms"). */
  readonly observed: string;
  readonly passed: boolean;
}

export interface CheckFigures {
  readonly verdict: 'ok' | 'violation' | 'unknown' | 'not run';
  readonly violations: number;
  readonly unchecked: number;
  readonly detail?: string;
}

/** One level of a time-boxed preset. */
export interface LevelLine {
  readonly seconds: number;
  readonly operations: number;
  readonly operationsPerSecond: number;
  readonly errorRate: number;
  readonly p99Ms: number;
  readonly peakRssMb: number;
  readonly check: CheckFigures['verdict'];
  readonly passed: boolean;
}

export interface PresetReport {
  readonly name: string;
  readonly summary: string;
  /** Thresholds, expectations and no problems: all passed. */
  readonly passed: boolean;
  /** What failed it, worst first: a wrong result or a problem, else only thresholds. */
  readonly failure: 'none' | 'thresholds' | 'failures';
  readonly shape: string;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly operations: number;
  readonly operationsPerSecond: number;
  readonly errors: number;
  readonly errorRate: number;
  readonly errorsByCode: Readonly<Record<string, number>>;
  /** Response time in ms (a time-boxed preset: the worst level's); null for memory. */
  readonly latencyMs: LatencyMs | null;
  readonly peakRssMb: number;
  readonly peakCpuPercent: number;
  readonly check: CheckFigures;
  readonly pool: PoolLevelFigures | null;
  readonly problems: readonly string[];
  readonly thresholds: readonly ThresholdLine[];
  /** Preset expectations beyond thresholds (pool-stress: callers queued). */
  readonly expectations: readonly ThresholdLine[];
  readonly seedCondition: { readonly text: string; readonly passed: boolean };
  readonly levels?: readonly LevelLine[];
  /** First and last level's peak RSS (time-boxed presets). */
  readonly rssTrend?: {
    readonly firstMb: number;
    readonly lastMb: number;
    readonly deltaMb: number;
  };
  /** The memory preset: the leak watcher's verdict and slopes. */
  readonly memory?: VerdictFigures & { readonly rssGrowthMb: number };
}

export interface PresetRunReport {
  readonly target: string;
  readonly seed: number;
  readonly passed: boolean;
  /** 0 all passed, 1 a wrong result or a problem, 3 only thresholds failed. */
  readonly exitCode: 0 | 1 | 3;
  readonly presets: readonly PresetReport[];
  readonly replay: string;
}
