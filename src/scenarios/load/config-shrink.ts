/**
 * The smallest configuration that breaks, across several knobs at once: fast-check draws
 * configurations (threads, lanes, offered rate, write share, pool size), each measured as one
 * model-checked level on a fresh session, and once one fails its thresholds, shrinks it towards
 * the lightest load that still fails: fewer threads and lanes, a lower rate, fewer writes, a
 * bigger pool. A failure counts only if it fails again when measured a second time.
 */
import fc from 'fast-check';
import { judgeLevel, type LevelVerdict } from './level-verdict';
import { LoadSession, type LevelResult } from './load-session';
import type { BreakpointSettings } from './breakpoint-run';
import { withWriteShare } from '../parallel/mixes';

export interface LoadConfig {
  readonly threads: number;
  readonly lanes: number;
  /** Calls per second offered in all. */
  readonly rate: number;
  /** Percent of calls that write. */
  readonly writePercent: number;
  readonly poolSize: number;
}

export interface ShrinkBudget {
  /** Configurations drawn before shrinking (if none breaks by then, nothing is found). */
  readonly runs: number;
  /** After this, further runs are skipped and shrinking ends at the smallest so far. */
  readonly timeLimitMs: number;
  readonly levelSeconds: number;
}

export const SHRINK_BUDGET: ShrinkBudget = { runs: 25, timeLimitMs: 120_000, levelSeconds: 1 };

export interface ShrunkConfig {
  readonly found: boolean;
  readonly config?: LoadConfig;
  readonly failed?: readonly string[];
  readonly result?: Pick<LevelResult, 'operationsPerSecond' | 'errorRate' | 'achievedRatio'> & {
    readonly p99Micros: number;
  };
  readonly measured: number;
  readonly shrinks: number;
  /** A level returned a wrong result or broke the database (not just slow). */
  readonly wrongResults: boolean;
  readonly seed: number;
  readonly elapsedMs: number;
  readonly rerun?: string;
}

/** Lightest first: fast-check shrinks integers towards their minimum. */
export function loadConfigArbitrary(maxRate: number): fc.Arbitrary<LoadConfig> {
  return fc
    .record({
      threads: fc.integer({ min: 1, max: 4 }),
      lanes: fc.integer({ min: 1, max: 16 }),
      rate: fc.integer({ min: 1, max: Math.max(2, Math.round(maxRate / 250)) }),
      writePercent: fc.integer({ min: 0, max: 100 }),
      poolShortfall: fc.integer({ min: 0, max: 7 }),
    })
    .map(({ poolShortfall, rate, ...rest }) => ({
      ...rest,
      rate: rate * 250,
      poolSize: 8 - poolShortfall,
    }));
}

/** One configuration measured: what the shrinker needs of a level. */
export interface ConfigMeasurement {
  readonly verdict: Pick<LevelVerdict, 'passed' | 'failed'>;
  readonly result: Pick<LevelResult, 'operationsPerSecond' | 'errorRate' | 'achievedRatio'> & {
    readonly latency: { readonly p99: number };
    readonly check: { readonly violations: number };
    readonly problems: readonly string[];
  };
}

export type MeasureConfig = (config: LoadConfig) => Promise<ConfigMeasurement>;

/** A configuration as one model-checked level on a fresh session of its threads and lanes. */
export function measureOnSession(
  settings: BreakpointSettings,
  levelSeconds: number,
): MeasureConfig {
  return async (config) => {
    const session = await LoadSession.open({
      target: settings.target,
      threads: config.threads,
      lanes: config.lanes,
    });
    try {
      const result = await session.measure({
        rate: config.rate,
        seconds: levelSeconds,
        mix: withWriteShare(settings.mix, config.writePercent / 100),
        poolSize: config.poolSize,
        seed: settings.seed,
      });
      return { verdict: judgeLevel(result, settings.thresholds), result };
    } finally {
      await session.close();
    }
  };
}

export async function shrinkBreakingConfig(
  settings: Pick<BreakpointSettings, 'seed' | 'max'> & Partial<BreakpointSettings>,
  budget: ShrinkBudget = SHRINK_BUDGET,
  measure: MeasureConfig = measureOnSession(settings as BreakpointSettings, budget.levelSeconds),
): Promise<ShrunkConfig> {
  const started = performance.now();
  /** The failing measurement of each configuration that failed. */
  const seen = new Map<string, ConfigMeasurement>();
  let measured = 0;
  let wrongResults = false;
  const measureOnce = async (config: LoadConfig) => {
    measured += 1;
    const measurement = await measure(config);
    const { result } = measurement;
    if (result.check.violations > 0 || result.problems.length > 0) wrongResults = true;
    return measurement;
  };
  const holds = async (config: LoadConfig) => {
    let measurement = await measureOnce(config);
    if (!measurement.verdict.passed) measurement = await measureOnce(config);
    // Keep the failing measurement: shrinking may measure the same configuration again.
    if (!measurement.verdict.passed) seen.set(JSON.stringify(config), measurement);
    return measurement.verdict.passed;
  };
  const details = await fc.check(fc.asyncProperty(loadConfigArbitrary(settings.max), holds), {
    seed: settings.seed,
    numRuns: budget.runs,
    // Past the budget every further run is skipped: shrinking stops at the smallest so far.
    skipAllAfterTimeLimit: budget.timeLimitMs,
  });
  const config = details.counterexample?.[0];
  const base = {
    measured,
    shrinks: details.numShrinks,
    wrongResults,
    seed: settings.seed,
    elapsedMs: performance.now() - started,
  };
  if (!details.failed || config === undefined) return { found: false, ...base };
  const last = seen.get(JSON.stringify(config));
  return {
    found: true,
    config,
    ...base,
    ...(last !== undefined
      ? {
          failed: last.verdict.failed,
          result: {
            operationsPerSecond: Math.round(last.result.operationsPerSecond),
            errorRate: last.result.errorRate,
            p99Micros: last.result.latency.p99,
            ...(last.result.achievedRatio !== undefined
              ? { achievedRatio: last.result.achievedRatio }
              : {}),
          },
        }
      : {}),
    rerun:
      `npx stampede breakpoint --knob rate --level ${config.rate} --threads ${config.threads} ` +
      `--lanes ${config.lanes} --pool-size ${config.poolSize} --write-percent ${config.writePercent} ` +
      `--level-seconds ${budget.levelSeconds} --seed ${settings.seed}`,
  };
}

export function formatShrunk(shrunk: ShrunkConfig): string {
  const lines = [
    `Stampede breakpoint --shrink: ${shrunk.measured} configurations measured, ` +
      `${shrunk.shrinks} shrink steps, ${(shrunk.elapsedMs / 1000).toFixed(1)} s, seed ${shrunk.seed}`,
  ];
  if (!shrunk.found || shrunk.config === undefined) {
    lines.push('  no configuration broke a threshold within the budget');
    return lines.join('\n');
  }
  const c = shrunk.config;
  lines.push(
    `  smallest breaking configuration: ${c.threads} thread(s) x ${c.lanes} lane(s), ` +
      `${c.rate} calls/s offered, ${c.writePercent}% writes, pool ${c.poolSize}`,
  );
  if (shrunk.result !== undefined) {
    lines.push(
      `  measured: ${shrunk.result.operationsPerSecond} calls/s, p99 ${(shrunk.result.p99Micros / 1000).toFixed(1)}ms, ` +
        `errors ${(shrunk.result.errorRate * 100).toFixed(2)}%`,
    );
  }
  for (const failed of shrunk.failed ?? []) lines.push(`  failed: ${failed}`);
  if (shrunk.rerun !== undefined) {
    lines.push(`  rerun: ${shrunk.rerun}`);
  }
  return lines.join('\n');
}
