/**
 * `stampede leak`: looks for a command sequence that leaks memory when repeated against the
 * store (the built-in tracker or --target), shrinks it to the shortest one and names what grows;
 * then measures the duration code the same way. Exits 1 when anything leaks.
 */
import type { Command } from 'commander';
import {
  DEFAULT_LEAK_CASE,
  DEFAULT_LEAK_SECONDS,
  DURATION_CALLS_PER_ROUND,
} from '../../config/leak-budgets';
import { formatFailure } from '../../engine/property-runner';
import { watchDurationCode } from '../../scenarios/leak-duration';
import { searchForLeak } from '../../scenarios/leak-search';
import { ScratchDatabases } from '../../scenarios/scratch-db';
import { loadTarget } from '../../target/load-target';
import { EXIT } from '../exit-codes';
import { pathFlag, positiveInteger, seedFlag } from '../parse-flags';
import { formatLeakSummary, summarizeLeakRun, type LeakSummary } from './leak-summary';

export interface LeakFlags {
  seconds: number;
  seed?: number;
  path?: string;
  target?: string;
  json?: boolean;
  duration: boolean;
}

export function registerLeak(program: Command): void {
  program
    .command('leak')
    .description('look for a command sequence that leaks memory, shrink it, and name what grows')
    .option(
      '--target <module>',
      'a module exporting createStore(options) (default: the built-in tracker)',
    )
    .option(
      '--seconds <n>',
      'time spent looking for a leaking sequence',
      positiveInteger('--seconds'),
      DEFAULT_LEAK_SECONDS,
    )
    .option('--seed <n>', 'seed of the search (printed by every run)', seedFlag)
    .option('--path <p>', 'replay one case: the shrink path printed by a leak', pathFlag)
    .option('--no-duration', 'skip the duration code')
    .option('--json', 'print the summary as JSON')
    .action(async (flags: LeakFlags) => {
      const summary = await runLeakCommand(flags);
      console.log(flags.json ? JSON.stringify(summary, null, 2) : formatLeakSummary(summary));
      process.exitCode = summary.leakFound ? EXIT.failuresFound : EXIT.clean;
    });
}

export async function runLeakCommand(flags: LeakFlags): Promise<LeakSummary> {
  const target = loadTarget(flags.target);
  const scratch = new ScratchDatabases('stampede-leak-');
  try {
    const search = await searchForLeak({
      createStore: target.createStore,
      scratch,
      settings: DEFAULT_LEAK_CASE,
      timeLimitMs: flags.seconds * 1000,
      ...(flags.seed !== undefined ? { seed: flags.seed } : {}),
      ...(flags.path !== undefined ? { path: flags.path } : {}),
    });
    // A replay is about the one case; the duration code is measured on ordinary runs.
    const duration =
      flags.duration && flags.path === undefined
        ? await watchDurationCode(DEFAULT_LEAK_CASE.watch, DURATION_CALLS_PER_ROUND)
        : undefined;
    const replay = [
      'npx stampede leak',
      `--seed ${search.outcome.seed}`,
      ...(search.outcome.path !== undefined ? [`--path ${search.outcome.path}`] : []),
      ...(flags.target !== undefined ? [`--target ${flags.target}`] : []),
    ].join(' ');
    return summarizeLeakRun(target.name, search, duration, replay, (outcome) =>
      formatFailure(outcome, replay),
    );
  } finally {
    scratch.removeAll();
  }
}
