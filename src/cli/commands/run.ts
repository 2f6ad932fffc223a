/**
 * `stampede run`: the default scenario. Random command sequences against a fresh embedded
 * database per case, every result checked against the model, for a bounded time. With
 * `--preset`, one of the seed stress suite's scenarios (or all) on a load session instead:
 * exit 0 all passed, 1 a wrong result or a problem, 3 only thresholds failed.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { DEFAULT_BUDGETS } from '../../config/budgets';
import {
  formatFailure,
  freshSeed,
  runProperty,
  type PropertyOutcome,
} from '../../engine/property-runner';
import {
  newSequentialStats,
  sequentialProperty,
  type SequentialStats,
} from '../../scenarios/sequential-case';
import { ScratchDatabases } from '../../scenarios/scratch-db';
import { loadTarget } from '../../target/load-target';
import { DEFAULT_REPORT_DIR } from '../../report/report-files';
import { RunReportRecorder } from '../../report/run-report';
import { parseThreshold, ThresholdError, type Threshold } from '../../engine/thresholds';
import { PRESET_NAMES, presetsFor } from '../../scenarios/load/presets';
import { formatPresetRun, runPresets, type PresetRunReport } from '../../scenarios/load/run-preset';
import { targetName, targetSpecOf } from '../../scenarios/parallel/target-spec';
import { EXIT } from '../exit-codes';
import { pathFlag, positiveInteger, seedFlag } from '../parse-flags';
import { UsageError } from './catalogue';

interface RunFlags {
  seconds: number;
  seed?: number;
  path?: string;
  target?: string;
  maxCommands: number;
  json?: boolean;
  out?: string;
  preset?: string;
  threshold?: Threshold[];
}

/** `--preset`: a preset's name or `all`. */
export function presetFlag(raw: string): string {
  if (raw !== 'all' && !PRESET_NAMES.includes(raw)) {
    throw new InvalidArgumentError(
      `--preset must be one of ${PRESET_NAMES.join(', ')}, or all; got "${raw}".`,
    );
  }
  return raw;
}

/** `--threshold`, repeatable: each parsed at once, so a bad one is a usage error. */
export function thresholdFlag(raw: string, previous: Threshold[] | undefined): Threshold[] {
  try {
    return [...(previous ?? []), parseThreshold(raw)];
  } catch (error) {
    if (error instanceof ThresholdError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export interface RunSummary {
  readonly scenario: 'sequential';
  readonly target: string;
  readonly passed: boolean;
  readonly seed: number;
  readonly durationSeconds: number;
  readonly cases: number;
  readonly operations: number;
  readonly operationsPerSecond: number;
  readonly expectedErrors: number;
  readonly unexpectedErrors: number;
  readonly checksPassed: number;
  readonly failure?: {
    readonly message: string;
    readonly path: string | undefined;
    readonly replay: string;
  };
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run the default scenario against the tracker (or --target) and print a summary')
    .option(
      '--seconds <n>',
      'time budget',
      positiveInteger('--seconds'),
      DEFAULT_BUDGETS.runSeconds,
    )
    .option('--seed <n>', 'seed of the run (printed by every run and failure)', seedFlag)
    .option('--path <p>', 'replay one case: the shrink path printed by a failure', pathFlag)
    .option(
      '--target <module>',
      'a module exporting createStore(options) (default: the built-in tracker)',
    )
    .option(
      '--max-commands <n>',
      'commands per case, at most',
      positiveInteger('--max-commands'),
      DEFAULT_BUDGETS.maxCommands,
    )
    .option('--json', 'print the summary as JSON')
    .option('--out <dir>', 'folder of report.md, report.json and report.html', DEFAULT_REPORT_DIR)
    .option(
      '--preset <name>',
      `a seed stress scenario on a load session: ${PRESET_NAMES.join(', ')}, or all ` +
        '(--seconds sets the time box of endurance and the budget of memory)',
      presetFlag,
    )
    .option(
      '--threshold <expr>',
      'with --preset: a pass/fail bound such as "p99 < 20ms" (repeatable; replaces the preset\'s)',
      thresholdFlag,
    )
    .action(async (flags: RunFlags, command: Command) => {
      if (flags.preset !== undefined) {
        await runPresetCommand(flags, command.getOptionValueSource('seconds') !== 'default');
        return;
      }
      if (flags.threshold !== undefined) {
        throw new UsageError('--threshold applies to --preset runs only');
      }
      const reports = new RunReportRecorder();
      const summary = await runDefaultScenario(flags, reports);
      const written = reports.write(flags.out ?? DEFAULT_REPORT_DIR, {
        seed: summary.seed,
        cases: summary.cases,
        operations: summary.operations,
        errors: summary.expectedErrors,
        replay: summary.failure?.replay,
      });
      console.log(flags.json ? JSON.stringify(summary, null, 2) : formatSummary(summary));
      if (written !== undefined && !flags.json) console.log(`  report           ${written}`);
      process.exitCode = summary.passed ? EXIT.clean : EXIT.failuresFound;
    });
}

async function runPresetCommand(flags: RunFlags, secondsGiven: boolean): Promise<void> {
  if (flags.path !== undefined) {
    throw new UsageError('--path replays a case of the default scenario: not with --preset');
  }
  const report = await runPresetFlags(flags, secondsGiven);
  console.log(flags.json ? JSON.stringify(report, null, 2) : formatPresetRun(report));
  process.exitCode = report.exitCode;
}

/** `stampede run --preset ...` as data. */
export async function runPresetFlags(
  flags: Pick<RunFlags, 'preset' | 'threshold' | 'target' | 'seed' | 'seconds' | 'json'>,
  secondsGiven: boolean,
): Promise<PresetRunReport> {
  const presets = presetsFor(flags.preset ?? 'all');
  if (presets === undefined) throw new UsageError(`no preset named ${flags.preset ?? ''}`);
  const target = targetSpecOf(flags.target);
  const seed = flags.seed ?? freshSeed();
  const replay = [
    'npx stampede run',
    `--preset ${flags.preset ?? 'all'}`,
    `--seed ${seed}`,
    ...(secondsGiven ? [`--seconds ${flags.seconds}`] : []),
    ...(flags.target ? [`--target ${flags.target}`] : []),
    ...(flags.threshold ?? []).map((t) => `--threshold '${t.text}'`),
  ].join(' ');
  return runPresets(
    presets,
    {
      target,
      targetLabel: targetName(target),
      seed,
      ...(secondsGiven ? { seconds: flags.seconds } : {}),
      ...(flags.threshold !== undefined ? { thresholds: flags.threshold } : {}),
      onPreset: (preset) => {
        if (!flags.json) process.stderr.write(`running ${preset.name}...\n`);
      },
    },
    replay,
  );
}

export async function runDefaultScenario(
  flags: RunFlags,
  reports?: RunReportRecorder,
): Promise<RunSummary> {
  const target = loadTarget(flags.target);
  const seed = flags.seed ?? freshSeed();
  const scratch = new ScratchDatabases();
  const stats = newSequentialStats();
  const replaying = flags.path !== undefined;
  let outcome: PropertyOutcome;
  try {
    outcome = await runProperty(
      sequentialProperty({
        createStore: reports
          ? reports.wrapStore(target.createStore, target.name, seed)
          : target.createStore,
        scratch,
        maxCommands: flags.maxCommands,
        stats,
      }),
      {
        // The time limit, not the count, bounds a normal run.
        numRuns: replaying ? 1 : Number.MAX_SAFE_INTEGER,
        seed,
        ...(flags.path !== undefined ? { path: flags.path } : {}),
        timeLimitMs: flags.seconds * 1000,
      },
    );
  } finally {
    scratch.removeAll();
  }
  reports?.onOutcome(outcome);
  return summarize(outcome, stats, target.name, flags);
}

function summarize(
  outcome: PropertyOutcome,
  stats: SequentialStats,
  target: string,
  flags: RunFlags,
): RunSummary {
  const seconds = outcome.durationMs / 1000;
  const replay = [
    'npx stampede run',
    `--seed ${outcome.seed}`,
    ...(outcome.path ? [`--path ${outcome.path}`] : []),
    ...(flags.target ? [`--target ${flags.target}`] : []),
    ...(flags.maxCommands !== DEFAULT_BUDGETS.maxCommands
      ? [`--max-commands ${flags.maxCommands}`]
      : []),
  ].join(' ');
  return {
    scenario: 'sequential',
    target,
    passed: !outcome.failed,
    seed: outcome.seed,
    durationSeconds: round(seconds),
    cases: stats.cases,
    operations: stats.operations,
    operationsPerSecond: round(stats.operations / Math.max(seconds, 1e-9)),
    expectedErrors: stats.expectedErrors,
    unexpectedErrors: outcome.failed ? 1 : 0,
    checksPassed: stats.checksPassed,
    ...(outcome.failed
      ? { failure: { message: formatFailure(outcome, replay), path: outcome.path, replay } }
      : {}),
  };
}

function formatSummary(summary: RunSummary): string {
  const lines = [
    `Stampede run: ${summary.scenario} scenario against ${summary.target}`,
    `  ${summary.passed ? 'PASSED' : 'FAILED'} in ${summary.durationSeconds} s`,
    `  cases            ${summary.cases}`,
    `  operations       ${summary.operations} (${summary.operationsPerSecond} ops/s, model-checked)`,
    `  typed errors     ${summary.expectedErrors} (all predicted by the model)`,
    `  checks passed    ${summary.checksPassed}`,
    `  failures         ${summary.unexpectedErrors}`,
    `  seed             ${summary.seed}`,
  ];
  if (summary.failure) lines.push('', summary.failure.message);
  return lines.join('\n');
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
