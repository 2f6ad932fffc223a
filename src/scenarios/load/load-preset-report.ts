import {
  formatObserved,
  formatThreshold,
  type Threshold,
  type ThresholdResult,
} from '../../engine/thresholds';
import { judgeLevel } from './level-verdict';
import type { LevelResult, LoadLevel, PoolLevelFigures } from './load-session';
import { round, seedVerdict } from './preset-figures';
import type { CheckFigures, LatencyMs, PresetReport, ThresholdLine } from './preset-run-types';
import type { LoadPreset } from './presets';

/** A load preset's report: its levels summed, or their worst, judged by its thresholds. */
export function loadPresetReport(
  preset: LoadPreset,
  levels: readonly LoadLevel[],
  results: readonly LevelResult[],
  thresholds: readonly Threshold[],
  run: { seed: number; crashed: string | undefined; wallMs: number },
): PresetReport {
  const verdicts = results.map((result) => judgeLevel(result, thresholds));
  const many = results.length > 1;
  const problems = [
    ...results.flatMap((result, k) =>
      result.problems.map((problem) => (many ? `level ${k + 1}: ${problem}` : problem)),
    ),
    ...(run.crashed !== undefined ? [`the load session stopped: ${run.crashed}`] : []),
    ...(results.length < levels.length && run.crashed === undefined
      ? [`only ${results.length} of ${levels.length} level(s) ran`]
      : []),
  ];
  const sum = (pick: (r: LevelResult) => number) => results.reduce((t, r) => t + pick(r), 0);
  const max = (pick: (r: LevelResult) => number) =>
    results.reduce((m, r) => Math.max(m, pick(r)), 0);
  const operations = sum((r) => r.operations);
  const errors = sum((r) => r.errors);
  const spanMs = sum((r) => r.spanMs);
  const errorsByCode: Record<string, number> = {};
  for (const result of results) {
    for (const [code, n] of Object.entries(result.errorsByCode)) {
      errorsByCode[code] = (errorsByCode[code] ?? 0) + n;
    }
  }
  const check = combinedCheck(results);
  const pool: PoolLevelFigures | null =
    results.length === 0
      ? null
      : {
          queuedAcquires: sum((r) => r.pool.queuedAcquires),
          acquireTimeouts: sum((r) => r.pool.acquireTimeouts),
          busyRetries: sum((r) => r.pool.busyRetries),
          peakWaiting: max((r) => r.pool.peakWaiting),
          leakedConnections: max((r) => r.pool.leakedConnections),
        };
  const thresholdLines = thresholds.map((threshold, t) =>
    thresholdLine(
      threshold,
      verdicts.map((v) => v.thresholds[t]).filter((r): r is ThresholdResult => r !== undefined),
    ),
  );
  const expectations: ThresholdLine[] = [];
  const planned = levels[0]?.opsPerLane;
  if (planned !== undefined && levels.length === 1) {
    const calls = planned * preset.threads * preset.lanes;
    expectations.push({
      text: `all ${calls} calls ran within the time box (${levels[0]?.seconds ?? 0} s)`,
      observed: `operations = ${operations}`,
      passed: operations === calls,
    });
  }
  if (preset.expectQueuedAcquires) {
    expectations.push({
      text: 'queued acquires > 0 (callers waited for a connection)',
      observed: `queued acquires = ${pool?.queuedAcquires ?? 0}`,
      passed: (pool?.queuedAcquires ?? 0) > 0,
    });
  }
  const operationsPerSecond = spanMs > 0 ? (operations * 1000) / spanMs : 0;
  const errorRate = operations > 0 ? errors / operations : 0;
  const failure =
    problems.length > 0 || check.violations > 0 || results.length === 0
      ? 'failures'
      : [...thresholdLines, ...expectations].some((line) => !line.passed)
        ? 'thresholds'
        : 'none';
  const first = results[0];
  const last = results[results.length - 1];
  return {
    name: preset.name,
    summary: preset.summary,
    passed: failure === 'none',
    failure,
    shape: shapeOf(preset, levels),
    seed: run.seed,
    durationSeconds: round(run.wallMs / 1000, 2),
    operations,
    operationsPerSecond: round(operationsPerSecond, 1),
    errors,
    errorRate,
    errorsByCode,
    latencyMs: results.length === 0 ? null : worstLatency(results),
    peakRssMb: round(
      max((r) => r.resources.peakRssMb),
      1,
    ),
    peakCpuPercent: round(
      max((r) => r.resources.peakCpuPercent),
      1,
    ),
    check,
    pool,
    problems,
    thresholds: thresholdLines,
    expectations,
    seedCondition: seedVerdict(preset.seed, { operations, operationsPerSecond, errorRate }),
    ...(preset.levelSeconds !== undefined
      ? {
          levels: results.map((result, k) => ({
            seconds: result.level.seconds,
            operations: result.operations,
            operationsPerSecond: round(result.operationsPerSecond, 1),
            errorRate: result.errorRate,
            p99Ms: ms(result.latency.p99),
            peakRssMb: round(result.resources.peakRssMb, 1),
            check: result.check.verdict,
            passed: verdicts[k]?.passed ?? false,
          })),
        }
      : {}),
    ...(preset.levelSeconds !== undefined && first !== undefined && last !== undefined
      ? {
          rssTrend: {
            firstMb: round(first.resources.peakRssMb, 1),
            lastMb: round(last.resources.peakRssMb, 1),
            deltaMb: round(last.resources.peakRssMb - first.resources.peakRssMb, 1),
          },
        }
      : {}),
  };
}

/** Each percentile of the worst level; HDR buckets can put one a hair above the exact max. */
function worstLatency(results: readonly LevelResult[]): LatencyMs {
  const worst = (pick: (r: LevelResult) => number) =>
    results.reduce((m, r) => Math.max(m, Math.min(pick(r), r.latency.max)), 0);
  return {
    p50: ms(worst((r) => r.latency.p50)),
    p90: ms(worst((r) => r.latency.p90)),
    p99: ms(worst((r) => r.latency.p99)),
    p999: ms(worst((r) => r.latency.p999)),
    max: ms(worst((r) => r.latency.max)),
  };
}

/** A threshold over the levels: passed if every level passed; shows a failing or the worst. */
function thresholdLine(threshold: Threshold, results: readonly ThresholdResult[]): ThresholdLine {
  const failed = results.find((r) => !r.passed);
  const upper = threshold.op === '<' || threshold.op === '<=';
  const worst =
    failed ??
    results.reduce<ThresholdResult | undefined>((w, r) => {
      if (w === undefined || w.observed === null) return r;
      if (r.observed === null) return w;
      return (upper ? r.observed > w.observed : r.observed < w.observed) ? r : w;
    }, undefined);
  return {
    text: formatThreshold(threshold),
    observed:
      worst === undefined
        ? 'not measured'
        : formatObserved(worst) + (results.length > 1 ? `, worst of ${results.length} levels` : ''),
    passed: results.length > 0 && failed === undefined,
  };
}

function combinedCheck(results: readonly LevelResult[]): CheckFigures {
  if (results.length === 0) return { verdict: 'not run', violations: 0, unchecked: 0 };
  const violations = results.reduce((t, r) => t + r.check.violations, 0);
  const unchecked = results.reduce((t, r) => t + r.check.unchecked, 0);
  const verdicts = results.map((r) => r.check.verdict);
  const verdict = verdicts.includes('violation')
    ? 'violation'
    : verdicts.every((v) => v === 'ok')
      ? 'ok'
      : verdicts.includes('unknown')
        ? 'unknown'
        : 'not run';
  const detail = results.find((r) => r.check.verdict === verdict && r.check.detail)?.check.detail;
  return { verdict, violations, unchecked, ...(detail !== undefined ? { detail } : {}) };
}

function shapeOf(preset: LoadPreset, levels: readonly LoadLevel[]): string {
  const clients = `${preset.threads} thread(s) x ${preset.lanes} lane(s), pool of ${preset.poolSize} per thread`;
  const level = levels[0];
  if (level?.opsPerLane !== undefined) {
    return `${clients}, ${level.opsPerLane} calls per lane (at most ${level.seconds} s), closed model`;
  }
  const total = levels.reduce((t, l) => t + l.seconds, 0);
  return `${clients}, ${total} s in ${levels.length} level(s) of up to ${preset.levelSeconds ?? total} s, closed model`;
}

function ms(micros: number): number {
  return round(micros / 1000, 3);
}
