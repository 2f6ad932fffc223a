/**
 * `stampede faults`: crash consistency (SIGKILLed writers), a full disk, busy storms, worker
 * faults and hostile input against the built-in tracker, with the figures of each.
 */
import type { Command } from 'commander';
import { DEFAULT_FAULT_BUDGETS } from '../../config/budgets';
import { formatFaultsReport } from '../../faults/faults-report';
import { runFaults } from '../../faults/run-faults';
import { EXIT } from '../exit-codes';
import { positiveInteger, seedFlag } from '../parse-flags';

interface FaultsFlags {
  kills: number;
  cycles: number;
  hostile: number;
  seed?: number;
  json?: boolean;
}

export function registerFaults(program: Command): void {
  program
    .command('faults')
    .description('kill writers mid-transaction, fill the disk, storm the lock, feed hostile input')
    .option(
      '--kills <n>',
      'SIGKILLs of writer processes',
      positiveInteger('--kills'),
      DEFAULT_FAULT_BUDGETS.kills,
    )
    .option(
      '--cycles <n>',
      'disk-full cycles',
      positiveInteger('--cycles'),
      DEFAULT_FAULT_BUDGETS.diskFullCycles,
    )
    .option(
      '--hostile <n>',
      'hostile API calls (command lines and files get a fifth each)',
      positiveInteger('--hostile'),
      DEFAULT_FAULT_BUDGETS.hostileInputs,
    )
    .option('--seed <n>', 'seed of the run (printed at the end)', seedFlag)
    .option('--json', 'print the figures as JSON')
    .action(async (flags: FaultsFlags) => {
      const report = await runFaults(
        {
          kills: flags.kills,
          diskFullCycles: flags.cycles,
          hostileInputs: flags.hostile,
          busyWrites: DEFAULT_FAULT_BUDGETS.busyWrites,
          seed: flags.seed ?? (Date.now() ^ (Math.random() * 0x7fffffff)) | 0,
        },
        (stage) => !flags.json && process.stderr.write(`${stage}...\n`),
      );
      console.log(flags.json ? JSON.stringify(report, null, 2) : formatFaultsReport(report));
      process.exitCode = report.passed ? EXIT.clean : EXIT.failuresFound;
    });
}
