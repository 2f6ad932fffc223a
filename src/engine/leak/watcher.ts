/**
 * The leak watcher: runs a workload in rounds, forces a full GC after each, records what stays
 * (JS heap, external memory, RSS) against the operations run so far, and judges each series by
 * its slope. It stops early once the answer is clear either way, so a shrinker can ask it often.
 */
import {
  MEMORY_METRICS,
  sampleAfterGc,
  type MemoryMetric,
  type MemorySample,
} from './memory-sample';
import { judgeSeries, type SeriesVerdict } from './verdict';

export interface LeakWatchSettings {
  /** Rounds run before the first sample: caches fill, code is compiled, pools open. */
  readonly warmupRounds: number;
  /** Measured rounds before the watcher may stop early. */
  readonly minRounds: number;
  readonly maxRounds: number;
  readonly confidence: number;
  /** The smallest growth worth calling a leak, per series, in bytes per operation. */
  readonly minBytesPerOp: Readonly<Record<MemoryMetric, number>>;
}

export interface LeakReport {
  readonly leaking: boolean;
  /** The series whose growth was judged a leak. */
  readonly leakingMetrics: readonly MemoryMetric[];
  readonly verdicts: Readonly<Record<MemoryMetric, SeriesVerdict>>;
  /** Measured rounds (after the warm-up). */
  readonly rounds: number;
  /** Operations run over the measured rounds, and the series behind the verdicts. */
  readonly operations: readonly number[];
  readonly samples: readonly MemorySample[];
  /** When each sample was taken (performance.now()): for drawing the series over time. */
  readonly sampledAtMs: readonly number[];
  readonly durationMs: number;
}

/** One round of the workload: runs it and says how many operations it ran. */
export type Round = () => Promise<number>;

export async function watchForLeak(round: Round, settings: LeakWatchSettings): Promise<LeakReport> {
  const started = performance.now();
  for (let i = 0; i < settings.warmupRounds; i += 1) await round();
  const operations = [0];
  const samples = [await sampleAfterGc()];
  const sampledAtMs = [performance.now()];
  let verdicts = judgeAll(operations, samples, settings);
  for (let r = 1; r <= settings.maxRounds; r += 1) {
    operations.push((operations[r - 1] as number) + (await round()));
    samples.push(await sampleAfterGc());
    sampledAtMs.push(performance.now());
    if (r < settings.minRounds && r < settings.maxRounds) continue;
    verdicts = judgeAll(operations, samples, settings);
    const all = MEMORY_METRICS.map((metric) => verdicts[metric]);
    if (all.some((v) => v.leaking) || all.every((v) => v.clearlyFlat)) break;
  }
  const leakingMetrics = MEMORY_METRICS.filter((metric) => verdicts[metric].leaking);
  return {
    leaking: leakingMetrics.length > 0,
    leakingMetrics,
    verdicts,
    rounds: operations.length - 1,
    operations,
    samples,
    sampledAtMs,
    durationMs: performance.now() - started,
  };
}

function judgeAll(
  operations: readonly number[],
  samples: readonly MemorySample[],
  settings: LeakWatchSettings,
): Record<MemoryMetric, SeriesVerdict> {
  const judge = (metric: MemoryMetric) =>
    judgeSeries(
      operations,
      samples.map((sample) => sample[metric]),
      { minBytesPerOp: settings.minBytesPerOp[metric], confidence: settings.confidence },
    );
  return { heap: judge('heap'), external: judge('external'), rss: judge('rss') };
}
