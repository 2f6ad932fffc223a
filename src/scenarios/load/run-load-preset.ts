/**
 * A load preset on its own load session: a short unreported warm-up, then its level, or
 * consecutive levels for a time-boxed one.
 */
import { loadPresetReport } from './load-preset-report';
import { levelSeed } from './level-verdict';
import { LoadSession, type LevelResult, type LoadLevel } from './load-session';
import type { PresetReport, PresetRunOptions } from './preset-run-types';
import { thresholdsOf, type LoadPreset } from './presets';

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
  return loadPresetReport(preset, levels, results, thresholds, {
    seed,
    crashed,
    wallMs: performance.now() - started,
  });
}
