import { DEFAULT_LEAK_CASE, DURATION_CALLS_PER_ROUND } from '../../config/leak-budgets';
import { MEMORY_METRICS } from '../../engine/leak/memory-sample';
import { ResourceMonitor } from '../../engine/monitor/resource-monitor';
import { verdictFigures } from '../leak-figures';
import { durationCalls, watchDurationCode } from '../leak-duration';
import { round, seedVerdict } from './preset-figures';
import type { PresetReport, PresetRunOptions } from './preset-run-types';
import type { MemoryPreset } from './presets';

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
