/**
 * The seed stress suite's scenarios as presets of `stampede run --preset`: each keeps the seed's
 * shape (workers x operations, the kinds of call) but runs on a load session, so every call is
 * model-checked, latency is an HDR histogram, and the pass condition is a set of thresholds
 * measured on this machine. The seed's own pass condition is kept beside them, as text and as
 * data, so a report can say whether the seed would have passed the same run.
 */
import { DEFAULT_LOAD_THRESHOLDS } from '../../config/load-defaults';
import { parseThresholds, type Threshold } from '../../engine/thresholds';
import { MIXES, type Mix } from '../parallel/mixes';

/** The seed's pass condition of a scenario: its text, and its bounds to evaluate. */
export interface SeedCondition {
  readonly text: string;
  readonly maxErrorRate?: number;
  readonly minOperationsPerSecond?: number;
  readonly minOperations?: number;
  /** Memory scenario: the most growth (MB) between the first and the last sample. */
  readonly maxMemoryGrowthMb?: number;
}

interface PresetBase {
  readonly name: string;
  /** What it is, in one line, with the seed's shape. */
  readonly summary: string;
  readonly seed: SeedCondition;
}

export interface LoadPreset extends PresetBase {
  readonly kind: 'load';
  readonly threads: number;
  /** Concurrent logical clients per thread. */
  readonly lanes: number;
  /** Calls per lane; the run ends at `seconds` if they have not all returned by then. */
  readonly opsPerLane?: number;
  /** The time box (a preset with opsPerLane: the most it may take). */
  readonly seconds: number;
  /** Time-boxed presets: consecutive levels of this many seconds on one session. */
  readonly levelSeconds?: number;
  /** `--seconds` sets this preset's time box. */
  readonly timeBoxed: boolean;
  readonly mix: Mix;
  readonly poolSize: number;
  readonly thresholds: readonly string[];
  /** The preset is only meaningful if callers queued for a connection. */
  readonly expectQueuedAcquires?: boolean;
}

export interface MemoryPreset extends PresetBase {
  readonly kind: 'memory';
  /** The default budget of the leak watcher (`--seconds` sets it). */
  readonly seconds: number;
}

export type Preset = LoadPreset | MemoryPreset;

/**
 * The thresholds of every load preset: the load engine's defaults, measured here (a closed-model
 * run serves ~10k calls/s with a p99 of a few ms). `achieved` is left out: it means nothing
 * without an offered rate, and no preset has one.
 */
export const PRESET_THRESHOLDS: readonly string[] = DEFAULT_LOAD_THRESHOLDS.filter(
  (text) => !text.startsWith('achieved'),
);

export const PRESETS: readonly Preset[] = [
  {
    kind: 'load',
    name: 'concurrent-writes',
    summary: "the seed's 5 workers x 50 writes, each an epic with 3 tasks",
    threads: 5,
    lanes: 1,
    opsPerLane: 50,
    seconds: 60,
    timeBoxed: false,
    mix: { createEpicWithTasks: 1 },
    poolSize: 1,
    // Five writer threads on two cores queue for the CPU and for SQLite's one write lock:
    // measured here p99 18-55 ms (the 3rd slowest of 250 calls), max 46-125 ms.
    thresholds: PRESET_THRESHOLDS.map((text) => (text.startsWith('p99') ? 'p99 < 100ms' : text)),
    seed: { text: 'error rate < 10%, > 10 ops/s', maxErrorRate: 0.1, minOperationsPerSecond: 10 },
  },
  {
    kind: 'load',
    name: 'read-heavy',
    summary:
      "the seed's 10 workers x 100 reads of epics, tasks, analytics and clients, with a few writes",
    threads: 2,
    lanes: 5,
    opsPerLane: 100,
    seconds: 60,
    timeBoxed: false,
    mix: {
      listEpics: 20,
      listTasks: 20,
      getEpicAnalytics: 20,
      listClients: 20,
      getEpic: 10,
      getTask: 5,
      createEpicWithTasks: 5,
    },
    poolSize: 5,
    thresholds: PRESET_THRESHOLDS,
    seed: { text: 'error rate < 5%, > 50 ops/s', maxErrorRate: 0.05, minOperationsPerSecond: 50 },
  },
  {
    kind: 'load',
    name: 'pool-stress',
    summary:
      "the seed's 20 clients x 25 short health-style reads, on a pool smaller than the clients",
    threads: 2,
    lanes: 10,
    opsPerLane: 25,
    seconds: 60,
    timeBoxed: false,
    mix: { getClient: 1, listEpics: 1, listClients: 1 },
    poolSize: 2,
    thresholds: PRESET_THRESHOLDS,
    expectQueuedAcquires: true,
    seed: { text: 'error rate < 2%', maxErrorRate: 0.02 },
  },
  {
    kind: 'load',
    name: 'endurance',
    summary:
      "the seed's compressed day of mixed reads, writes and analytics: time-boxed, in 3 s levels",
    threads: 2,
    lanes: 2,
    seconds: 60,
    // A level's history is held until its check: 3 s is ~40k calls here, ~450 MB RSS at
    // peak (5 s levels peaked at 1 GB).
    levelSeconds: 3,
    timeBoxed: true,
    mix: MIXES.mixed,
    poolSize: 2,
    thresholds: PRESET_THRESHOLDS,
    seed: { text: 'error rate < 5% and > 100 operations', maxErrorRate: 0.05, minOperations: 100 },
  },
  {
    kind: 'memory',
    name: 'memory',
    summary:
      "the seed's duration parse/format loop, under the leak watcher (bytes retained per call)",
    seconds: 5,
    seed: {
      text: 'memory growth < 100 MB and error rate < 1%',
      maxMemoryGrowthMb: 100,
      maxErrorRate: 0.01,
    },
  },
];

export const PRESET_NAMES: readonly string[] = PRESETS.map((preset) => preset.name);

export function presetNamed(name: string): Preset | undefined {
  return PRESETS.find((preset) => preset.name === name);
}

/** `--preset`: a name, or `all` (every preset, in order). */
export function presetsFor(choice: string): readonly Preset[] | undefined {
  if (choice === 'all') return PRESETS;
  const preset = presetNamed(choice);
  return preset === undefined ? undefined : [preset];
}

export function thresholdsOf(preset: LoadPreset): Threshold[] {
  return parseThresholds(preset.thresholds);
}
