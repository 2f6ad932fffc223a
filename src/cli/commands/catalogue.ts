/**
 * `stampede catalogue`: every planted bug through the engine meant to catch it, over N seeds,
 * side by side with fast-check's own scheduler; then the correct store (or --target) on the same
 * seeds, which must pass. Exits 1 when a bug is caught in fewer than 95% of seeds or the
 * correct store fails.
 */
import { Option, type Command } from 'commander';
import type { ScheduleKind } from '../../engine/interleave/schedule';
import { CATALOGUE } from '../../../catalogue';
import { LEAKS } from '../../../catalogue/leaks';
import { DEFAULT_LEAK_CASE } from '../../config/leak-budgets';
import { runPlantedLeak } from '../../scenarios/leak-catalogue-run';
import {
  DEFAULT_CATALOGUE_BUDGET,
  runCorrectStore,
  runPlantedBug,
  type CatalogueRow,
  type EngineSummary,
  type Trial,
} from '../../scenarios/catalogue-run';
import { ScratchDatabases } from '../../scenarios/scratch-db';
import { loadTarget } from '../../target/load-target';
import {
  DEFAULT_PARALLEL_TRIAL,
  parallelCorrectStore,
  runParallelCatalogue,
  type ParallelCatalogueRow,
} from '../../scenarios/parallel/catalogue-parallel';
import { formatParallelRows } from '../../scenarios/parallel/catalogue-parallel-report';
import { targetSpecOf } from '../../scenarios/parallel/target-spec';
import { defaultSearchers, SearchPool } from '../../scenarios/search-race/search-pool';
import { EXIT } from '../exit-codes';
import { positiveInteger, seedFlag } from '../parse-flags';

interface CatalogueFlags {
  seeds: number;
  seed: number;
  only?: string;
  target?: string;
  anchor: boolean;
  json?: boolean;
  timeLimit: number;
  schedule: ScheduleKind;
  parallel: boolean;
  parallelSeconds: number;
  searchers: number;
}

export const REQUIRED_CATCH_RATE = 0.95;

export function registerCatalogue(program: Command): void {
  program
    .command('catalogue')
    .description('run every planted bug through its engine and report how well each is caught')
    .option('--seeds <n>', 'seeds per bug', positiveInteger('--seeds'), 20)
    .option('--seed <n>', 'first seed (seeds are consecutive)', seedFlag, 1)
    .option('--only <names>', 'comma-separated bug names to run')
    .option('--target <module>', 'the store that must pass (default: the built-in tracker)')
    .addOption(
      new Option('--schedule <kind>', 'schedules of the interleaving engine')
        .choices(['mixed', 'pct', 'random', 'points'])
        .default('mixed'),
    )
    .option(
      '--searchers <n>',
      'threads that race each seed of the sequential and interleaved engines (1: the seed alone)',
      positiveInteger('--searchers'),
      defaultSearchers(),
    )
    .option('--no-anchor', "skip the comparison with fast-check's own scheduler")
    .option(
      '--time-limit <seconds>',
      'time per seed before a bug counts as missed',
      positiveInteger('--time-limit'),
      DEFAULT_CATALOGUE_BUDGET.timeLimitMs / 1000,
    )
    .option('--no-parallel', 'skip the parallel engine (real worker threads)')
    .option(
      '--parallel-seconds <seconds>',
      'time per seed of the parallel engine',
      positiveInteger('--parallel-seconds'),
      DEFAULT_PARALLEL_TRIAL.seconds,
    )
    .option('--json', 'print the report as JSON')
    .action(async (flags: CatalogueFlags) => {
      const report = await runCatalogueCommand(flags);
      console.log(flags.json ? JSON.stringify(report, null, 2) : formatReport(report));
      process.exitCode = report.passed ? EXIT.clean : EXIT.failuresFound;
    });
}

export interface CatalogueReport {
  readonly seeds: readonly number[];
  /** Searcher threads per seed of the sequential and interleaved engines. */
  readonly searchers: number;
  readonly schedule: ScheduleKind;
  readonly rows: readonly CatalogueRow[];
  readonly correct: { readonly target: string; readonly cases: number; readonly failures: number };
  /** Planted bugs no engine here can reach yet (they need the parallel engine). */
  readonly notRun: readonly string[];
  /** The same bugs (those that show under real parallelism) through the parallel engine. */
  readonly parallel: readonly ParallelCatalogueRow[];
  readonly parallelCorrect: { readonly runs: number; readonly failures: number } | undefined;
  readonly passed: boolean;
}

async function runCatalogueCommand(flags: CatalogueFlags): Promise<CatalogueReport> {
  const target = loadTarget(flags.target);
  const names = flags.only?.split(',').map((name) => name.trim());
  const known = [...CATALOGUE, ...LEAKS].map((bug) => bug.name);
  const unknown = names?.filter((name) => !known.includes(name)) ?? [];
  if (unknown.length > 0) {
    throw new UsageError(
      `--only: no planted bug named ${unknown.join(', ')} (known: ${known.join(', ')})`,
    );
  }
  const bugs = CATALOGUE.filter((bug) => names === undefined || names.includes(bug.name));
  const seeds = Array.from({ length: flags.seeds }, (_, i) => flags.seed + i);
  const scratch = new ScratchDatabases('stampede-catalogue-');
  const searchPool = flags.searchers > 1 ? new SearchPool(flags.searchers) : undefined;
  const options = {
    ...(searchPool !== undefined ? { searchPool } : {}),
    seeds,
    scratch,
    anchor: flags.anchor,
    correctStoreReusesDatabase: target.reusableDatabase,
    scheduleKind: flags.schedule,
    budget: { ...DEFAULT_CATALOGUE_BUDGET, timeLimitMs: flags.timeLimit * 1000 },
    onTrial: (bug: string, engine: string, trial: Trial) => {
      if (!flags.json)
        process.stderr.write(trial.caught ? '.' : bug === 'correct store' ? '.' : 'x');
      void engine;
    },
  };
  try {
    const rows: CatalogueRow[] = [];
    // Bugs that need concurrent calls on ONE store instance wait for the parallel engine: the
    // interleaving engine gives each worker its own store.
    const notRun = flags.parallel
      ? []
      : bugs.filter((bug) => bug.shows === 'parallel-only').map((bug) => bug.name);
    for (const bug of bugs)
      if (bug.shows !== 'parallel-only') rows.push(await runPlantedBug(bug, options));
    const leakOptions = {
      ...options,
      settings: DEFAULT_LEAK_CASE,
      timeLimitMs: options.budget.timeLimitMs,
    };
    for (const leak of LEAKS.filter((l) => names === undefined || names.includes(l.name)))
      rows.push(await runPlantedLeak(leak, leakOptions));
    const correct = await runCorrectStore(target.createStore, options, targetSpecOf(flags.target));
    await searchPool?.close();
    const trialOptions = { ...DEFAULT_PARALLEL_TRIAL, seconds: flags.parallelSeconds };
    const parallel = flags.parallel
      ? await runParallelCatalogue(
          bugs.map((bug) => bug.name),
          seeds,
          trialOptions,
          (_bug, trial) => options.onTrial(_bug, 'parallel', trial as unknown as Trial),
        )
      : [];
    // The correct store runs the parallel seeds too, when any bug ran through that engine.
    const parallelCorrect =
      parallel.length > 0
        ? await parallelCorrectStore(targetSpecOf(flags.target), seeds, trialOptions)
        : undefined;
    if (!flags.json) process.stderr.write('\n');
    const passed =
      correct.failures.length === 0 &&
      (parallelCorrect?.failures ?? 0) === 0 &&
      [...rows.map((row) => row.stampede), ...parallel].every(
        (row) => row.caught >= Math.ceil(REQUIRED_CATCH_RATE * row.seeds),
      );
    return {
      seeds,
      searchers: flags.searchers,
      schedule: flags.schedule,
      rows,
      correct: { target: target.name, cases: correct.cases, failures: correct.failures.length },
      notRun,
      parallel,
      parallelCorrect,
      passed,
    };
  } finally {
    await searchPool?.close();
    scratch.removeAll();
  }
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function formatReport(report: CatalogueReport): string {
  const header = [
    'bug',
    'engine',
    'caught',
    'catch',
    'calls',
    'shortest',
    'replay',
    'schedule',
    '| anchor caught',
    'catch',
    'calls',
    'schedule',
  ];
  const rows = report.rows.map((row) => [
    row.name,
    row.engine,
    `${row.stampede.caught}/${row.stampede.seeds}`,
    ms(row.stampede.medianTimeToCatchMs),
    num(row.stampede.medianShrunkCalls),
    String(row.shortestCase),
    `${row.stampede.replayed}/${row.stampede.caught}`,
    chars(row.stampede.medianScheduleChars),
    ...anchorCells(row.anchor),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    `Planted bugs, ${report.seeds.length} seeds each, ${report.schedule} schedules, ` +
      `${searchersText(report.searchers)}`,
    '(catch = median time to the first failing case; calls = median length of the shrunk case;',
    'schedule = characters of its printed schedule)',
    '',
    line(header),
    ...rows.map(line),
    ...(report.notRun.length > 0
      ? [
          `not run (need concurrent calls on one store: the parallel engine): ${report.notRun.join(', ')}`,
        ]
      : []),
    '',
    `correct store (${report.correct.target}): ${report.correct.failures} failure(s) in ` +
      `${report.correct.cases} runs (sequential and interleaved, same seeds)`,
    ...formatParallelRows(report.rows, report.parallel, report.parallelCorrect),
    report.passed
      ? `PASSED: every bug caught in >= ${REQUIRED_CATCH_RATE * 100}% of seeds, correct store clean`
      : 'FAILED: a bug was missed in too many seeds, or the correct store failed',
  ].join('\n');
}

function searchersText(searchers: number): string {
  return searchers === 1
    ? 'one search per seed'
    : `${searchers} searcher threads racing each seed (the anchor runs one)`;
}

function anchorCells(anchor: EngineSummary | undefined): string[] {
  if (anchor === undefined) return ['| -', '', '', ''];
  return [
    `| ${anchor.caught}/${anchor.seeds}`,
    ms(anchor.medianTimeToCatchMs),
    num(anchor.medianShrunkCalls),
    chars(anchor.medianScheduleChars),
  ];
}

function ms(value: number | undefined): string {
  if (value === undefined) return '-';
  return value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(1)} s`;
}

function num(value: number | undefined): string {
  return value === undefined ? '-' : String(Math.round(value * 10) / 10);
}

function chars(value: number | undefined): string {
  return value === undefined ? '-' : `${Math.round(value)} ch`;
}
