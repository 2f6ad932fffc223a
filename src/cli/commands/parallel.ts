/**
 * `stampede parallel`: N worker threads, each with its own store on one WAL file, run seeded
 * streams of calls for S seconds; every round's history is checked against the model. A failure
 * is drawn as lanes, saved under .stampede/failures/ with its history, and replayed with the
 * interleaving engine. Exit 0 clean, 1 a failure was found, 2 bad usage.
 */
import os from 'node:os';
import { Option, type Command } from 'commander';
import { DEFAULT_FAILURE_DIR } from '../../engine/failure-store';
import { DEFAULT_PARALLEL } from '../../scenarios/parallel/parallel-case';
import { runParallel, type ParallelRunReport } from '../../scenarios/parallel/parallel-run';
import { MIXES, type MixName } from '../../scenarios/parallel/mixes';
import { targetName, targetSpecOf } from '../../scenarios/parallel/target-spec';
import type { Reproduction } from '../../scenarios/parallel/reproduce';
import { EXIT } from '../exit-codes';
import { positiveInteger, seedFlag } from '../parse-flags';

interface ParallelFlags {
  workers: number;
  lanes: number;
  seconds: number;
  mix: MixName;
  repeat: number;
  seed?: number;
  target?: string;
  json?: boolean;
  reproduce: boolean;
  save: boolean;
}

export function registerParallel(program: Command): void {
  program
    .command('parallel')
    .description('run worker threads against one database file and check their histories')
    .option(
      '--workers <n>',
      'worker threads (default: available parallelism)',
      positiveInteger('--workers'),
      Math.max(2, os.availableParallelism()),
    )
    .option(
      '--lanes <n>',
      'concurrent calls per worker, on its one store',
      positiveInteger('--lanes'),
      DEFAULT_PARALLEL.lanes,
    )
    .option(
      '--seconds <n>',
      'time budget per repetition',
      positiveInteger('--seconds'),
      DEFAULT_PARALLEL.seconds,
    )
    .addOption(
      new Option('--mix <name>', 'operation mix').choices(Object.keys(MIXES)).default('mixed'),
    )
    .option(
      '--repeat <n>',
      'run the case R times; any failing repetition fails it',
      positiveInteger('--repeat'),
      1,
    )
    .option('--seed <n>', 'seed of the streams of calls (printed by every run)', seedFlag)
    .option('--target <module>', 'a catalogue bug by name, or a module exporting createStore')
    .option('--no-reproduce', 'skip the deterministic replay of a failure')
    .option('--no-save', 'do not save a failure under .stampede/failures/')
    .option('--json', 'print the report as JSON')
    .action(async (flags: ParallelFlags) => {
      const target = targetSpecOf(flags.target);
      const seed = flags.seed ?? (Math.random() * 2 ** 31) | 0;
      const settings = {
        ...DEFAULT_PARALLEL,
        target,
        seed,
        threads: flags.workers,
        lanes: flags.lanes,
        seconds: flags.seconds,
        roundSeconds: Math.min(DEFAULT_PARALLEL.roundSeconds, flags.seconds),
        mix: MIXES[flags.mix],
      };
      const report = await runParallel(settings, {
        repeat: flags.repeat,
        reproduce: flags.reproduce,
        mixName: flags.mix,
        ...(flags.save ? { failureDir: DEFAULT_FAILURE_DIR } : {}),
        onRepetition: () => {
          if (!flags.json) process.stderr.write('.');
        },
      });
      if (!flags.json) process.stderr.write('\n');
      const header = { target: targetName(target), seed, ...flagsOf(flags) };
      console.log(
        flags.json
          ? JSON.stringify({ ...header, ...report }, null, 2)
          : formatReport(header, report),
      );
      process.exitCode = report.passed ? EXIT.clean : EXIT.failuresFound;
    });
}

function flagsOf(flags: ParallelFlags) {
  return {
    workers: flags.workers,
    lanes: flags.lanes,
    seconds: flags.seconds,
    mix: flags.mix,
    repeat: flags.repeat,
  };
}

function formatReport(
  header: ReturnType<typeof flagsOf> & { target: string; seed: number },
  report: ParallelRunReport,
): string {
  const lines = [
    `Stampede parallel: ${header.workers} worker threads x ${header.lanes} lanes against ${header.target}, ` +
      `${header.mix} mix, ${header.seconds} s x ${header.repeat}`,
  ];
  for (const [k, r] of report.repetitions.entries()) {
    lines.push(
      `  run ${k + 1}: ${r.failed ? 'FAILED' : 'passed'}  ${r.operations} calls (${Math.round(r.opsPerSecond)}/s), ` +
        `${r.rounds} round(s), check ${r.check} in ${Math.round(r.checkMs)} ms` +
        (r.unchecked > 0 ? ` (${r.unchecked} list calls not judged by the fast path)` : ''),
    );
  }
  lines.push(`  seed ${header.seed}`);
  const failure = report.failure;
  if (failure !== undefined) {
    lines.push('', failure.report);
    if (failure.savedTo !== undefined) lines.push(`saved: ${failure.savedTo}`);
    if (failure.historyFile !== undefined) lines.push(`history: ${failure.historyFile}`);
    const r = failure.reproduction;
    if (r !== undefined) {
      lines.push(reproductionHeadline(r));
      if (r.report !== undefined) lines.push(r.report);
    }
  }
  lines.push(report.passed ? 'PASSED' : 'FAILED');
  return lines.join('\n');
}

/** The line that says whether, and how, a parallel failure was reproduced. */
function reproductionHeadline(r: Reproduction): string {
  if (r.inObservedOrder === true) {
    return 'reproduced deterministically by the calls one at a time, in the order they were invoked:';
  }
  return r.reproduced
    ? `reproduced deterministically by the interleaving engine (schedule ${r.attempts} tried):`
    : `not reproduced by the interleaving engine after ${r.attempts} schedule(s): ${r.note ?? ''}`;
}
