/**
 * `stampede fuzz --for 8h`: cycles the engines with fresh seeds until the time is up, shows its
 * progress, rewrites the reports every few minutes, and on SIGINT or SIGTERM stops within
 * seconds and writes the final report.
 */
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DEFAULT_BUDGETS, FUZZ_DEFAULTS } from '../../config/budgets';
import { FailureStore } from '../../engine/failure-store';
import { freshSeed } from '../../engine/property-runner';
import { ScratchDatabases } from '../../scenarios/scratch-db';
import { loadTarget } from '../../target/load-target';
import { batchShareMs } from '../../fuzz/batch-share';
import { durationFlag, formatDurationMs } from '../../fuzz/duration-flag';
import { engineFor, FUZZ_ENGINES } from '../../fuzz/engine-registry';
import { fuzz, type StopReason } from '../../fuzz/fuzz-run';
import { ProgressDisplay } from '../../fuzz/progress';
import { ResourceSampler, sampleIntervalMs } from '../../fuzz/resource-sampler';
import { RunRecorder } from '../../fuzz/run-recorder';
import { parseShard, ShardError, WHOLE_RUN, type Shard } from '../../fuzz/seed-space';
import { DEFAULT_REPORT_DIR, writeReport } from '../../report/report-files';
import type { Report } from '../../report/report-schema';
import { EXIT } from '../exit-codes';
import { positiveInteger, seedFlag } from '../parse-flags';
import { UsageError } from './catalogue';

interface FuzzFlags {
  for: number;
  rounds?: number;
  seed?: number;
  shard?: Shard;
  engines: string[];
  target?: string;
  maxCommands: number;
  casesPerSeed: number;
  keepGoing?: boolean;
  maxFailures: number;
  out: string;
  checkpoint: number;
  progressEvery: number;
}

function shardFlag(raw: string): Shard {
  try {
    return parseShard(raw);
  } catch (error) {
    if (error instanceof ShardError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

function enginesFlag(raw: string): string[] {
  const names = raw.split(',').map((n) => n.trim());
  for (const name of names) {
    if (!(FUZZ_ENGINES as readonly string[]).includes(name)) {
      throw new InvalidArgumentError(
        `--engines takes a comma-separated list of ${FUZZ_ENGINES.join(', ')}; got "${name}".`,
      );
    }
  }
  return [...new Set(names)];
}

export function registerFuzz(program: Command): void {
  program
    .command('fuzz')
    .description('fuzz for a while with fresh seeds, cycling the engines; write reports')
    .addOption(
      new Option('--for <duration>', 'how long: 90s, 2m, 8h, 1h30m')
        .argParser(durationFlag('--for'))
        .default(FUZZ_DEFAULTS.durationMs, formatDurationMs(FUZZ_DEFAULTS.durationMs)),
    )
    .option(
      '--rounds <n>',
      'stop once every engine has run this many seeds',
      positiveInteger('--rounds'),
    )
    .option(
      '--seed <n>',
      'base seed: round r uses a seed derived from it (printed by every run)',
      seedFlag,
    )
    .option(
      '--shard <i/n>',
      'run shard i of n of the seed space (needs the same --seed on every shard)',
      shardFlag,
    )
    .option('--engines <list>', `engines to cycle (${FUZZ_ENGINES.join(',')})`, enginesFlag, [
      ...FUZZ_ENGINES,
    ])
    .option(
      '--target <module>',
      'a module exporting createStore(options) (default: the built-in tracker)',
    )
    .option(
      '--max-commands <n>',
      'commands per sequential case, at most',
      positiveInteger('--max-commands'),
      DEFAULT_BUDGETS.maxCommands,
    )
    .option(
      '--cases-per-seed <n>',
      'cases each engine runs per seed',
      positiveInteger('--cases-per-seed'),
      FUZZ_DEFAULTS.casesPerSeed,
    )
    .option('--keep-going', 'collect distinct failures instead of stopping at the first')
    .option(
      '--max-failures <n>',
      'with --keep-going: stop after this many distinct failures',
      positiveInteger('--max-failures'),
      FUZZ_DEFAULTS.maxFailures,
    )
    .option('--out <dir>', 'folder of report.md, report.json and report.html', DEFAULT_REPORT_DIR)
    .addOption(
      new Option('--checkpoint <duration>', 'rewrite the reports this often while running')
        .argParser(durationFlag('--checkpoint'))
        .default(FUZZ_DEFAULTS.checkpointMs, formatDurationMs(FUZZ_DEFAULTS.checkpointMs)),
    )
    .addOption(
      new Option(
        '--progress-every <duration>',
        'progress line interval when stdout is not a terminal',
      )
        .argParser(durationFlag('--progress-every'))
        .default(FUZZ_DEFAULTS.progressEveryMs, formatDurationMs(FUZZ_DEFAULTS.progressEveryMs)),
    )
    .action(async (flags: FuzzFlags) => {
      process.exitCode = await runFuzz(flags);
    });
}

async function runFuzz(flags: FuzzFlags): Promise<number> {
  if (flags.shard !== undefined && flags.shard.count > 1 && flags.seed === undefined) {
    throw new UsageError(
      '--shard needs --seed: every shard of a run must split the same seed space ' +
        '(for example --seed $(date +%Y%m%d) on each machine).',
    );
  }
  const target = loadTarget(flags.target);
  const shard = flags.shard ?? WHOLE_RUN;
  const baseSeed = flags.seed ?? freshSeed();
  const engines = flags.engines.map((name) =>
    engineFor(
      name as (typeof FUZZ_ENGINES)[number],
      name === 'sequential' ? { maxCommands: flags.maxCommands } : {},
      flags.target,
    ),
  );
  const recorder = new RunRecorder({ kind: 'fuzz', target: target.name, baseSeed, shard });
  const sampler = new ResourceSampler(recorder, sampleIntervalMs(flags.for));
  const progress = new ProgressDisplay(
    () => ({
      elapsedMs: recorder.elapsedMs(),
      plannedMs: flags.for,
      ...recorder.totals(),
      recent: recorder.timeline.slice(-30),
    }),
    process.stdout,
    flags.progressEvery,
  );
  const scratch = new ScratchDatabases();
  const out = path.resolve(flags.out);
  const write = (status: Report['status']) => writeReport(out, recorder.report(status));

  let stopRequested = false;
  let finished = false;
  let hardStop: NodeJS.Timeout | undefined;
  const finish = (status: Report['status']): number => {
    if (finished) return EXIT.internal;
    finished = true;
    if (hardStop) clearTimeout(hardStop);
    clearInterval(checkpoints);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    progress.stop();
    sampler.sample();
    sampler.stop();
    const report = recorder.report(status);
    const files = writeReport(out, report);
    scratch.removeAll();
    console.log(summaryLines(report, files.markdown, status).join('\n'));
    if (!report.passed) return EXIT.failuresFound;
    return status === 'interrupted' ? EXIT.interrupted : EXIT.clean;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // A second signal means "now": write the report from what is there and leave.
    if (stopRequested) {
      if (!finished) process.exit(finish('interrupted'));
      return;
    }
    stopRequested = true;
    progress.stop();
    console.log(`\n${signal}: stopping after the current case and writing the final report...`);
    // If the current case does not end in time, write the report from what is there and leave.
    hardStop = setTimeout(() => {
      process.exit(finish('interrupted'));
    }, FUZZ_DEFAULTS.stopGraceMs);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const checkpoints = setInterval(() => write('running'), flags.checkpoint);

  console.log(
    `Stampede fuzz: ${engines.map((e) => e.name).join(' + ')} against ${target.name} for ` +
      `${formatDurationMs(flags.for)}${flags.rounds ? ` (at most ${flags.rounds} seeds)` : ''}; ` +
      `base seed ${baseSeed}, shard ${shard.index}/${shard.count}; reports in ${path.relative(process.cwd(), out) || '.'}/`,
  );
  sampler.start();
  progress.start();
  let reason: StopReason;
  try {
    reason = await fuzz({
      engines,
      createStore: target.createStore,
      targetFlag: flags.target,
      targetName: target.name,
      durationMs: flags.for,
      batchTimeLimitMs: batchShareMs(flags.for, engines.length),
      maxRounds: flags.rounds,
      baseSeed,
      shard,
      casesPerBatch: flags.casesPerSeed,
      keepGoing: flags.keepGoing === true,
      maxFailures: flags.maxFailures,
      failureStore: new FailureStore(),
      scratch,
      recorder,
      shouldStop: () => stopRequested,
      onFailure: (failure, isNew) => {
        if (!isNew) return;
        progress.stop();
        console.log(
          `\nfailure found by ${failure.engine} (seed ${failure.seed}):\n${failure.summary}\nreplay: ${failure.replay}\n`,
        );
        if (!stopRequested) progress.start();
      },
    });
  } catch (error) {
    finish('interrupted');
    throw error;
  }
  if (finished) return EXIT.interrupted; // the grace timer already wrote the report
  return finish(reason === 'stopped' ? 'interrupted' : 'completed');
}

function summaryLines(report: Report, markdownFile: string, status: Report['status']): string[] {
  const lines = [
    `Stampede fuzz ${status}: ${report.passed ? 'PASSED' : 'FAILED'} after ${formatDurationMs(report.wallMs)}`,
  ];
  for (const s of report.scenarios) {
    lines.push(
      `  ${s.passed ? '✓' : '✗'} ${s.name.padEnd(12)} ${s.cases} cases, ${s.operations} operations, ` +
        `${s.operationsPerSecond} ops/s, p99 ${(s.latencyMicros.p99 / 1000).toFixed(2)} ms`,
    );
  }
  lines.push(`  failures ${report.failures.length}`);
  for (const f of report.failures) lines.push(`    ${f.engine}: ${f.replay}`);
  lines.push(
    `  base seed ${report.baseSeed}`,
    `  report: ${path.relative(process.cwd(), markdownFile)} (and .json, .html)`,
  );
  return lines;
}
