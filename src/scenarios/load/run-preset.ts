/**
 * Runs the presets of `stampede run --preset`, one or all, each judged by its thresholds and by
 * every problem it found. The result is plain data (for --json); `formatPresetRun` prints it in
 * the seed's report format, extended with latency percentiles, the model check and each threshold.
 */
import { levelSeed } from './level-verdict';
import type { PresetReport, PresetRunOptions, PresetRunReport } from './preset-run-types';
import { PRESETS, type Preset } from './presets';
import { runLoadPreset } from './run-load-preset';
import { runMemoryPreset } from './run-memory-preset';

export type {
  CheckFigures,
  LatencyMs,
  LevelLine,
  PresetReport,
  PresetRunOptions,
  PresetRunReport,
  ThresholdLine,
} from './preset-run-types';
export { formatPresetRun } from './preset-report';
export { levelsOf, runLoadPreset } from './run-load-preset';
export { runMemoryPreset } from './run-memory-preset';

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
