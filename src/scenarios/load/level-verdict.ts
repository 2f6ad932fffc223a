/**
 * A measured level against the thresholds: the figures thresholds read, which ones failed,
 * and the level as a probe of the breakpoint search. A problem of the database (integrity,
 * invariants, counters, a connection never released) fails the level whatever the thresholds.
 */
import type { ProbeOutcome } from '../../engine/breakpoint/probe';
import {
  allPassed,
  evaluateThresholds,
  formatObserved,
  type LevelMetrics,
  type Threshold,
  type ThresholdResult,
} from '../../engine/thresholds';
import type { LevelResult } from './load-session';

export interface LevelVerdict {
  readonly passed: boolean;
  readonly thresholds: readonly ThresholdResult[];
  /** Failed thresholds with what was observed, then problems: why the level failed. */
  readonly failed: readonly string[];
}

export function thresholdMetricsOf(result: LevelResult): LevelMetrics {
  return {
    latencyMicros: result.latency,
    errorRate: result.errorRate,
    violations: result.check.violations,
    operationsPerSecond: result.operationsPerSecond,
    ...(result.achievedRatio !== undefined ? { achievedRatio: result.achievedRatio } : {}),
  };
}

export function judgeLevel(result: LevelResult, thresholds: readonly Threshold[]): LevelVerdict {
  const evaluated = evaluateThresholds(thresholds, thresholdMetricsOf(result));
  const failed = [
    ...evaluated
      .filter((t) => !t.passed)
      .map((t) => `${t.threshold.text} (observed ${formatObserved(t)})`),
    ...result.problems.map((problem) => `problem: ${problem}`),
  ];
  return {
    passed: allPassed(evaluated) && result.problems.length === 0,
    thresholds: evaluated,
    failed,
  };
}

export function probeOutcomeOf(
  load: number,
  phase: ProbeOutcome['phase'],
  result: LevelResult,
  verdict: LevelVerdict,
): ProbeOutcome {
  return {
    load,
    passed: verdict.passed,
    failed: verdict.failed,
    operationsPerSecond: Math.round(result.operationsPerSecond),
    p99Micros: result.latency.p99,
    errorRate: result.errorRate,
    seed: result.level.seed,
    phase,
  };
}

/** The seed of one level: from the run's seed and the level, so a level reruns on its own. */
export function levelSeed(seed: number, load: number): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  h = Math.imul(h ^ Math.round(load), 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  return Math.imul(h, 0xc2b2ae35) >>> 1;
}
