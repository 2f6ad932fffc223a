/**
 * The engines `stampede fuzz` cycles and `stampede replay` rebuilds from a saved failure. A new
 * engine adds one adapter (a FuzzEngine) and one entry here.
 */
import { DEFAULT_BUDGETS } from '../config/budgets';
import type { FailureEngine } from '../engine/failure-store';
import type { ScheduleKind } from '../engine/interleave/schedule';
import { DEFAULT_LEAK_CASE } from '../config/leak-budgets';
import { DEFAULT_INTERLEAVED, type InterleavedSettings } from '../scenarios/interleaved-case';
import { MIXES, type MixName } from '../scenarios/parallel/mixes';
import { targetSpecOf } from '../scenarios/parallel/target-spec';
import type { EngineSettings, FuzzEngine } from './engines';
import { interleavedEngine } from './interleaved-engine';
import { leakEngine } from './leak-engine';
import { DEFAULT_PARALLEL_ENGINE, parallelEngine } from './parallel-engine';
import { sequentialEngine } from './sequential-engine';

export const FUZZ_ENGINES = ['sequential', 'interleaved', 'parallel', 'leak'] as const;
export type FuzzEngineName = (typeof FUZZ_ENGINES)[number];

export class EngineSettingsError extends Error {
  override readonly name = 'EngineSettingsError';
}

/**
 * An engine with the settings of a saved failure (validated again: a file's numbers must stay
 * in the ranges a run could have used). Unknown keys are ignored; missing ones take defaults.
 */
export function engineFor(
  name: FailureEngine,
  settings: EngineSettings = {},
  /** `--target` as given: engines that name their target themselves (threads) need it. */
  targetFlag?: string,
): FuzzEngine {
  switch (name) {
    case 'sequential':
      return sequentialEngine({
        maxCommands: intSetting(settings, 'maxCommands', DEFAULT_BUDGETS.maxCommands, 1, 1_000),
      });
    case 'interleaved':
      return interleavedEngine(interleavedSettings(settings));
    case 'parallel':
      return parallelEngine(parallelSettings(settings, targetFlag));
    case 'leak':
      return leakEngine(
        {
          ...DEFAULT_LEAK_CASE,
          operationsPerRound: intSetting(
            settings,
            'operationsPerRound',
            DEFAULT_LEAK_CASE.operationsPerRound,
            1,
            100_000,
          ),
          maxCommands: intSetting(settings, 'maxCommands', DEFAULT_LEAK_CASE.maxCommands, 1, 50),
        },
        targetFlag,
      );
    default:
      throw new EngineSettingsError(
        `the ${name} engine is not part of this build of stampede (it has: ${FUZZ_ENGINES.join(', ')})`,
      );
  }
}

function parallelSettings(settings: EngineSettings, targetFlag: string | undefined) {
  const d = DEFAULT_PARALLEL_ENGINE;
  const mix = settings.mix ?? d.mix;
  if (typeof mix !== 'string' || !Object.hasOwn(MIXES, mix)) {
    throw new EngineSettingsError(
      `setting mix must be one of ${Object.keys(MIXES).join(', ')}, got ${JSON.stringify(mix)}`,
    );
  }
  return {
    ...d,
    target: targetSpecOf(targetFlag),
    threads: intSetting(settings, 'workers', d.threads, 1, 64),
    lanes: intSetting(settings, 'lanes', d.lanes, 1, 64),
    seconds: intSetting(settings, 'seconds', d.seconds, 1, 3_600),
    mix: mix as MixName,
  };
}

const SCHEDULE_KINDS: readonly ScheduleKind[] = ['mixed', 'pct', 'random', 'points'];

function interleavedSettings(settings: EngineSettings): InterleavedSettings {
  const d = DEFAULT_INTERLEAVED;
  const kind = settings.scheduleKind ?? d.scheduleKind;
  if (!SCHEDULE_KINDS.includes(kind as ScheduleKind)) {
    throw new EngineSettingsError(
      `setting scheduleKind must be one of ${SCHEDULE_KINDS.join(', ')}, got ${JSON.stringify(kind)}`,
    );
  }
  const minWorkers = intSetting(settings, 'minWorkers', d.minWorkers, 1, 8);
  return {
    minWorkers,
    maxWorkers: intSetting(settings, 'maxWorkers', d.maxWorkers, minWorkers, 8),
    maxPrefix: intSetting(settings, 'maxPrefix', d.maxPrefix, 0, 50),
    maxOpsPerWorker: intSetting(settings, 'maxOpsPerWorker', d.maxOpsPerWorker, 1, 50),
    swarm: boolSetting(settings, 'swarm', d.swarm),
    repeatCalls: boolSetting(settings, 'repeatCalls', d.repeatCalls),
    scheduleKind: kind as ScheduleKind,
    depth: intSetting(settings, 'depth', d.depth, 1, 20),
    scheduleSteps: intSetting(settings, 'scheduleSteps', d.scheduleSteps, 1, 10_000),
    maxGatesPerCall: intSetting(settings, 'maxGatesPerCall', d.maxGatesPerCall, 1, 1_000),
    maxSteps: intSetting(settings, 'maxSteps', d.maxSteps, 1, 1_000_000),
    checkTimeoutMs: intSetting(settings, 'checkTimeoutMs', d.checkTimeoutMs, 1, 600_000),
  };
}

function boolSetting(settings: EngineSettings, key: string, fallback: boolean): boolean {
  const value = settings[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw new EngineSettingsError(
      `setting ${key} must be true or false, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function intSetting(
  settings: EngineSettings,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const value = settings[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new EngineSettingsError(
      `setting ${key} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}
