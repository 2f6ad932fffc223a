/**
 * Run budgets of every suite, in one place. Each can be overridden from the environment, so a
 * CI job or a long local run changes numbers, not code.
 */
export interface Budgets {
  /** Cases of the sequential model-based property in the quick suite. */
  readonly sequentialRuns: number;
  /** Commands per sequential case, at most. */
  readonly maxCommands: number;
  /** Seconds `stampede run` spends on the default scenario. */
  readonly runSeconds: number;
  /** Cases of the interleaved property in the quick suite. */
  readonly interleavedRuns: number;
}

export const DEFAULT_BUDGETS: Budgets = {
  sequentialRuns: 150,
  maxCommands: 50,
  runSeconds: 10,
  interleavedRuns: 200,
};

/** What `stampede faults` runs by default (tests pass smaller figures). */
export const DEFAULT_FAULT_BUDGETS = {
  /** SIGKILLs of writer processes. */
  kills: 200,
  /** Fill-to-SQLITE_FULL-and-recover cycles. */
  diskFullCycles: 3,
  /** Hostile API calls; command lines and files get a fifth of this each. */
  hostileInputs: 10_000,
  /** Writes of the busy storm. */
  busyWrites: 20,
} as const;

export function budgetsFromEnv(env: NodeJS.ProcessEnv = process.env): Budgets {
  return {
    sequentialRuns: positiveInt(env, 'STAMPEDE_SEQUENTIAL_RUNS', DEFAULT_BUDGETS.sequentialRuns),
    maxCommands: positiveInt(env, 'STAMPEDE_MAX_COMMANDS', DEFAULT_BUDGETS.maxCommands),
    runSeconds: positiveInt(env, 'STAMPEDE_RUN_SECONDS', DEFAULT_BUDGETS.runSeconds),
    interleavedRuns: positiveInt(env, 'STAMPEDE_INTERLEAVED_RUNS', DEFAULT_BUDGETS.interleavedRuns),
  };
}

/** A seed and shrink path to replay exactly one case (set by the printed replay command). */
export interface ReplayRequest {
  readonly seed: number;
  readonly path?: string;
}

export function replayFromEnv(env: NodeJS.ProcessEnv = process.env): ReplayRequest | undefined {
  const seed = env.STAMPEDE_SEED;
  if (seed === undefined || seed === '') return undefined;
  if (!/^-?\d+$/.test(seed))
    throw new ConfigError(`STAMPEDE_SEED must be an integer, got "${seed}"`);
  const path = env.STAMPEDE_PATH;
  if (path !== undefined && path !== '' && !/^\d+(:\d+)*$/.test(path)) {
    throw new ConfigError(`STAMPEDE_PATH must look like "3:0:1", got "${path}"`);
  }
  return { seed: Number(seed), ...(path ? { path } : {}) };
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

function positiveInt(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) {
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  }
  return Number(raw);
}

/** Defaults of `stampede fuzz` and of the opt-in stress and endurance suites. */
export const FUZZ_DEFAULTS = {
  /** `--for`: how long a fuzz run lasts without the flag. */
  durationMs: 60_000,
  /** `--cases-per-seed`: cases each engine runs from one seed before the next seed. */
  casesPerSeed: 100,
  /** `--checkpoint`: how often the reports are rewritten while the run goes on. */
  checkpointMs: 5 * 60_000,
  /** `--progress-every`: interval of the plain progress lines when stdout is not a terminal. */
  progressEveryMs: 30_000,
  /** `--max-failures`: with --keep-going, stop after this many distinct failures. */
  maxFailures: 10,
  /** On SIGINT/SIGTERM: the final report is written by then even if a case is still running. */
  stopGraceMs: 3_000,
} as const;

/** Seconds of the opt-in suites (STAMPEDE_STRESS=1, STAMPEDE_ENDURANCE=1 npx jest properties). */
export function suiteSecondsFromEnv(env: NodeJS.ProcessEnv = process.env): {
  readonly stress: number;
  readonly endurance: number;
} {
  return {
    stress: positiveInt(env, 'STAMPEDE_STRESS_SECONDS', 60),
    endurance: positiveInt(env, 'STAMPEDE_ENDURANCE_SECONDS', 600),
  };
}
