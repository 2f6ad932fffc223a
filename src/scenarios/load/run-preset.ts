/**
 * Runs the presets of `stampede run --preset`: a load preset on its own load session (a short
 * unreported warm-up, then its level, or consecutive levels for a time-boxed one), judged by its
 * thresholds and by every problem the level found; the memory preset through the leak watcher.
 * The result is plain data (for --json), and a formatter prints it in the seed's report format,
 * extended with latency percentiles, the model check and each threshold.
 */
import { DEFAULT_LEAK_CASE, DURATION_CALLS_PER_ROUND } from '../../config/leak-budgets';
import { MEMORY_METRICS } from '../../engine/leak/memory-sample';
import { ResourceMonitor } from '../../engine/monitor/resource-monitor';
import {
  formatObserved,
  formatThreshold,
  type Threshold,
  type ThresholdResult,
} from '../../engine/thresholds';
import { verdictFigures, type VerdictFigures } from '../../cli/commands/leak-summary';
import { durationCalls, watchDurationCode } from '../leak-duration';
import type { TargetSpec } from '../parallel/target-spec';
import { judgeLevel, levelSeed } from './level-verdict';
import {
  LoadSession,
  type LevelResult,
  type LoadLevel,
  type PoolLevelFigures,
} from './load-session';
import {
  PRESETS,
  thresholdsOf,
  type LoadPreset,
  type MemoryPreset,
  type Preset,
  type SeedCondition,
} from './presets';

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

export async function runPresets(
  presets: readonly Preset[],
  options: PresetRunOptions,
  replay: string,
): Promise<PresetRunReport> {
  const reports: PresetReport[] = [];
  for (const preset of presets) {
    options.onPreset?.(preset);
    // Keyed by the preset, not its place in this run: one preset alone reruns the same calls.
    const seed = levelSeed(options.seed, PRESETS.indexOf(preset) + 1);
    reports.push(
      preset.kind === 'load'
        ? await runLoadPreset(preset, options, seed)
        : await runMemoryPreset(preset, options, seed),
    );
  }
  const failures = reports.some((r) => r.failure === 'failures');
  const thresholds = reports.some((r) => r.failure === 'thresholds');
  return {
    target: options.targetLabel,
    seed: options.seed,
    passed: !failures && !thresholds,
    exitCode: failures ? 1 : thresholds ? 3 : 0,
    presets: reports,
    replay,
  };
}

/** The levels a load preset runs: one, or consecutive time boxes of `levelSeconds`. */
export function levelsOf(preset: LoadPreset, options: PresetRunOptions, seed: number): LoadLevel[] {
  const override = options.override ?? {};
  const seconds =
    override.seconds ??
    (preset.timeBoxed && options.seconds !== undefined ? options.seconds : preset.seconds);
  const opsPerLane = override.opsPerLane ?? preset.opsPerLane;
  const base = { mix: preset.mix, poolSize: preset.poolSize };
  if (preset.levelSeconds === undefined) {
    return [{ ...base, seconds, seed, ...(opsPerLane !== undefined ? { opsPerLane } : {}) }];
  }
  const levels: LoadLevel[] = [];
  for (let start = 0, k = 0; start < seconds; start += preset.levelSeconds, k += 1) {
    levels.push({
      ...base,
      seconds: Math.min(preset.levelSeconds, seconds - start),
      seed: levelSeed(seed, k),
      ...(opsPerLane !== undefined ? { opsPerLane } : {}),
    });
  }
  return levels;
}

export async function runLoadPreset(
  preset: LoadPreset,
  options: PresetRunOptions,
  seed: number,
): Promise<PresetReport> {
  const started = performance.now();
  const thresholds = options.thresholds ?? thresholdsOf(preset);
  const levels = levelsOf(preset, options, seed);
  const results: LevelResult[] = [];
  let crashed: string | undefined;
  let session: LoadSession | undefined;
  try {
    const warmUp: LoadLevel = { seconds: 0.5, mix: preset.mix, poolSize: preset.poolSize, seed };
    session = await LoadSession.open(
      { target: options.target, threads: preset.threads, lanes: preset.lanes },
      options.override?.warmUp === false ? undefined : warmUp,
    );
    for (const level of levels) results.push(await session.measure(level));
  } catch (error) {
    crashed = error instanceof Error ? error.message : String(error);
  } finally {
    await session?.close().catch(() => undefined);
  }
  return loadReport(preset, levels, results, thresholds, {
    seed,
    crashed,
    wallMs: performance.now() - started,
  });
}

function loadReport(
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

function seedVerdict(
  condition: SeedCondition,
  figures: {
    operations: number;
    operationsPerSecond: number;
    errorRate: number;
    memoryGrowthMb?: number;
  },
): PresetReport['seedCondition'] {
  const passed =
    (condition.maxErrorRate === undefined || figures.errorRate < condition.maxErrorRate) &&
    (condition.minOperationsPerSecond === undefined ||
      figures.operationsPerSecond > condition.minOperationsPerSecond) &&
    (condition.minOperations === undefined || figures.operations > condition.minOperations) &&
    (condition.maxMemoryGrowthMb === undefined ||
      (figures.memoryGrowthMb ?? Infinity) < condition.maxMemoryGrowthMb);
  return { text: condition.text, passed };
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

/** The memory preset: the duration code under the leak watcher, rounds sized to the budget. */
export async function runMemoryPreset(
  preset: MemoryPreset,
  options: PresetRunOptions,
  seed: number,
): Promise<PresetReport> {
  const started = performance.now();
  const budget = options.override?.seconds ?? options.seconds ?? preset.seconds;
  const settings = DEFAULT_LEAK_CASE.watch;
  const callsPerRound = Math.max(
    DURATION_CALLS_PER_ROUND,
    // Half the budget for the calls (GC samples take the rest), over every round it may run.
    Math.round(
      (callsPerSecond() * budget * 0.5) / (settings.warmupRounds + settings.maxRounds + 1),
    ),
  );
  const monitor = new ResourceMonitor({ everyMs: 100 });
  monitor.start();
  let leak: Awaited<ReturnType<typeof watchDurationCode>> | undefined;
  let crashed: string | undefined;
  try {
    leak = await watchDurationCode(settings, callsPerRound);
  } catch (error) {
    crashed = error instanceof Error ? error.message : String(error);
  } finally {
    monitor.sample();
    monitor.stop();
  }
  const peaks = monitor.summary().peaks;
  const figures = leak === undefined ? undefined : verdictFigures(leak);
  const firstRss = leak?.samples[0]?.rss ?? 0;
  const lastRss = leak?.samples[leak.samples.length - 1]?.rss ?? 0;
  const rssGrowthMb = round((lastRss - firstRss) / (1024 * 1024), 1);
  const operations = figures?.calls ?? 0;
  const seconds = (leak?.durationMs ?? performance.now() - started) / 1000;
  const problems = [
    ...(crashed !== undefined ? [`the leak watcher stopped: ${crashed}`] : []),
    ...(figures?.leaking
      ? [
          `memory leak: ${MEMORY_METRICS.filter((m) => figures.slopes[m].leaking)
            .map((m) => `${m} grows ${figures.slopes[m].bytesPerCall} B per call`)
            .join(', ')}`,
        ]
      : []),
  ];
  const operationsPerSecond = seconds > 0 ? operations / seconds : 0;
  return {
    name: preset.name,
    summary: preset.summary,
    passed: problems.length === 0,
    failure: problems.length === 0 ? 'none' : 'failures',
    shape: `${callsPerRound} parse/format calls per round, up to ${settings.maxRounds} rounds after ${settings.warmupRounds} of warm-up, a full GC after each (budget ${budget} s)`,
    seed,
    durationSeconds: round((performance.now() - started) / 1000, 2),
    operations,
    operationsPerSecond: round(operationsPerSecond, 1),
    errors: 0,
    errorRate: 0,
    errorsByCode: {},
    latencyMs: null,
    peakRssMb: round(peaks.peakRssMb, 1),
    peakCpuPercent: round(peaks.peakCpuPercent, 1),
    check: { verdict: 'not run', violations: 0, unchecked: 0 },
    pool: null,
    problems,
    thresholds: [],
    expectations: [],
    seedCondition: seedVerdict(preset.seed, {
      operations,
      operationsPerSecond,
      errorRate: 0,
      ...(leak !== undefined ? { memoryGrowthMb: rssGrowthMb } : {}),
    }),
    ...(figures !== undefined ? { memory: { ...figures, rssGrowthMb } } : {}),
  };
}

/** Parse/format calls per second on this machine, measured for a moment. */
function callsPerSecond(): number {
  const started = performance.now();
  let calls = 0;
  for (let n = 0; performance.now() - started < 100; n += 1) calls += durationCalls(n);
  return (calls * 1000) / (performance.now() - started);
}

const CHECK_TEXT: Readonly<Record<CheckFigures['verdict'], string>> = {
  ok: 'ok',
  violation: 'VIOLATION',
  unknown: 'undecided',
  'not run': 'not run',
};

/** The seed's report format, extended: latency, model check, thresholds beside the seed's. */
export function formatPresetRun(report: PresetRunReport, now = new Date()): string {
  const passed = report.presets.filter((p) => p.passed).length;
  const total = report.presets.length;
  const lines = [
    '# Stress Test Report',
    '='.repeat(50),
    `Generated: ${now.toISOString()}`,
    `Target: ${report.target}`,
    `Seed: ${report.seed}`,
    '',
    '## Summary',
    `Total Tests: ${total}`,
    `Passed: ${passed}`,
    `Failed: ${total - passed}`,
    `Success Rate: ${total > 0 ? ((passed / total) * 100).toFixed(1) : '0.0'}%`,
    `Seed suite's conditions met: ${report.presets.filter((p) => p.seedCondition.passed).length}/${total}`,
    '',
  ];
  for (const preset of report.presets) lines.push(...formatPreset(preset), '');
  lines.push(
    report.exitCode === 0
      ? 'PASSED'
      : report.exitCode === 1
        ? 'FAILED: a wrong result or a problem was found'
        : 'FAILED: thresholds only',
    `replay: ${report.replay}`,
  );
  return lines.join('\n');
}

function formatPreset(p: PresetReport): string[] {
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const lines = [
    `## ${p.name} ${mark(p.passed)} ${p.passed ? 'PASS' : 'FAIL'}`,
    `  ${p.summary}`,
    `  ${p.shape}`,
    `- Duration: ${p.durationSeconds.toFixed(2)}s`,
    `- Operations: ${p.operations}`,
    `- Ops/sec: ${p.operationsPerSecond.toFixed(2)}`,
    `- Error Rate: ${percent(p.errorRate)} (${p.errors} error(s)${codes(p.errorsByCode)})`,
  ];
  if (p.latencyMs !== null) {
    const l = p.latencyMs;
    lines.push(
      `- Latency${p.levels !== undefined ? ' (worst level)' : ''}: p50 ${l.p50}ms, p90 ${l.p90}ms, ` +
        `p99 ${l.p99}ms, p99.9 ${l.p999}ms, max ${l.max}ms`,
    );
  }
  lines.push(
    `- Peak Memory: ${p.peakRssMb.toFixed(2)}MB (RSS)`,
    `- Peak CPU: ${p.peakCpuPercent}%`,
  );
  if (p.memory === undefined) {
    lines.push(
      `- Model check: ${CHECK_TEXT[p.check.verdict]}` +
        (p.check.unchecked > 0 ? ` (${p.check.unchecked} call(s) not judged)` : ''),
    );
  }
  if (p.pool !== null) {
    lines.push(
      `- Pool: ${p.pool.queuedAcquires} queued acquire(s), peak ${p.pool.peakWaiting} waiting, ` +
        `${p.pool.acquireTimeouts} time-out(s), ${p.pool.busyRetries} busy retr(ies), ` +
        `${p.pool.leakedConnections} leaked`,
    );
  }
  if (p.levels !== undefined) {
    lines.push(`- Levels (${p.levels.length}):`);
    for (const [k, level] of p.levels.entries()) {
      lines.push(
        `  ${mark(level.passed)} ${k + 1}: ${level.seconds} s, ${level.operations} ops ` +
          `(${level.operationsPerSecond}/s), errors ${percent(level.errorRate)}, ` +
          `p99 ${level.p99Ms}ms, peak RSS ${level.peakRssMb}MB, check ${CHECK_TEXT[level.check]}`,
      );
    }
  }
  if (p.rssTrend !== undefined) {
    const { firstMb, lastMb, deltaMb } = p.rssTrend;
    lines.push(
      `- RSS trend: ${firstMb}MB (first level) -> ${lastMb}MB (last), ${deltaMb >= 0 ? '+' : ''}${deltaMb}MB`,
    );
  }
  if (p.memory !== undefined) {
    const m = p.memory;
    lines.push(
      `- Leak watcher: ${m.leaking ? 'LEAK' : 'no leak'} (${m.calls} calls, ${m.rounds} rounds; ` +
        `RSS ${m.rssGrowthMb >= 0 ? '+' : ''}${m.rssGrowthMb}MB first to last sample)`,
    );
    for (const metric of MEMORY_METRICS) {
      const s = m.slopes[metric];
      lines.push(
        `  ${mark(!s.leaking)} ${metric.padEnd(8)} ${s.bytesPerCall} B/call [${s.lower}, ${s.upper}] ` +
          `(minimum effect ${s.minBytesPerCall})`,
      );
    }
  }
  if (p.thresholds.length > 0 || p.expectations.length > 0) {
    lines.push('- Thresholds:');
    for (const t of [...p.thresholds, ...p.expectations]) {
      lines.push(`  ${mark(t.passed)} ${t.text}  (${t.observed})`);
    }
  }
  lines.push(
    `- Seed's condition: ${mark(p.seedCondition.passed)} ${p.seedCondition.text} ` +
      `(${p.seedCondition.passed ? 'would have passed' : 'would have failed'})`,
  );
  if (p.problems.length > 0) {
    lines.push('- Problems:', ...p.problems.map((problem) => `  ✗ ${problem}`));
  }
  if (p.check.detail !== undefined && p.check.verdict === 'violation') {
    lines.push('- Witness:', p.check.detail);
  }
  lines.push(`- Seed: ${p.seed}`);
  return lines;
}

function codes(byCode: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byCode);
  return entries.length === 0 ? '' : `: ${entries.map(([c, n]) => `${c} ${n}`).join(', ')}`;
}

/** A percentage to two decimals, or to three significant digits when that would read 0.00. */
function percent(fraction: number): string {
  const value = fraction * 100;
  return value > 0 && value < 0.005 ? `${Number(value.toPrecision(3))}%` : `${value.toFixed(2)}%`;
}

function ms(micros: number): number {
  return round(micros / 1000, 3);
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
