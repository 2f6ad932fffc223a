/**
 * `stampede replay <failure-file>` or `stampede replay --seed N --path P [--engine E]`: runs
 * exactly one saved case again against the target (the built-in tracker unless --target; never
 * a target named by the file). Exit 1 while the bug is there, 0 once fixed, 2 for a malformed
 * or hostile file, which is reported and never executed.
 */
import { Option, type Command } from 'commander';
import { FailureFileError, FailureStore, type SavedFailure } from '../../engine/failure-store';
import { ScratchDatabases } from '../../scenarios/scratch-db';
import { loadTarget } from '../../target/load-target';
import { ReplayElsewhereError, type FuzzEngine } from '../../fuzz/engines';
import { engineFor, EngineSettingsError, FUZZ_ENGINES } from '../../fuzz/engine-registry';
import { EXIT } from '../exit-codes';
import { pathFlag, positiveInteger, seedFlag } from '../parse-flags';
import { UsageError } from './catalogue';

interface ReplayFlags {
  engine?: (typeof FUZZ_ENGINES)[number];
  seed?: number;
  path?: string;
  target?: string;
  maxCommands?: number;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay one saved failure (a file under .stampede/failures/) or --seed/--path')
    .argument('[failure-file]', 'a saved failure (.stampede/failures/*.json)')
    .addOption(
      new Option('--engine <name>', 'engine of the case (with --seed)').choices([...FUZZ_ENGINES]),
    )
    .option('--seed <n>', 'seed of the case', seedFlag)
    .option('--path <p>', 'shrink path of the case', pathFlag)
    .option('--target <module>', 'the store to replay against (default: the built-in tracker)')
    .option(
      '--max-commands <n>',
      'commands per sequential case, at most',
      positiveInteger('--max-commands'),
    )
    .action(async (file: string | undefined, flags: ReplayFlags) => {
      process.exitCode = await replay(file, flags);
    });
}

function caseToReplay(
  file: string | undefined,
  flags: ReplayFlags,
): { engine: FuzzEngine; seed: number; path: string; from: string; savedReplay?: string } {
  if (file !== undefined) {
    if (flags.seed !== undefined || flags.path !== undefined || flags.engine !== undefined) {
      throw new UsageError('give either a failure file or --seed/--path/--engine, not both');
    }
    let saved: SavedFailure;
    try {
      saved = new FailureStore().load(file);
    } catch (error) {
      if (error instanceof FailureFileError) {
        throw new UsageError(`cannot replay ${error.message} (nothing was run)`);
      }
      throw error;
    }
    const settings = { ...saved.settings };
    if (flags.maxCommands !== undefined) settings.maxCommands = flags.maxCommands;
    return {
      engine: settingsEngine(saved.engine, settings, file, flags.target),
      seed: saved.seed,
      path: saved.path,
      from: file,
      savedReplay: saved.replay,
    };
  }
  if (flags.seed === undefined) {
    throw new UsageError(
      'give a failure file, or --seed (and usually --path) of the case to replay',
    );
  }
  const name = flags.engine ?? 'sequential';
  const settings: SavedFailure['settings'] =
    flags.maxCommands !== undefined ? { maxCommands: flags.maxCommands } : {};
  return {
    engine: settingsEngine(name, settings, undefined, flags.target),
    seed: flags.seed,
    path: flags.path ?? '',
    from: 'the command line',
  };
}

function settingsEngine(
  name: SavedFailure['engine'],
  settings: SavedFailure['settings'],
  file: string | undefined,
  targetFlag: string | undefined,
): FuzzEngine {
  try {
    return engineFor(name, settings, targetFlag);
  } catch (error) {
    if (error instanceof EngineSettingsError) {
      throw new UsageError(
        `cannot replay ${file ?? 'this case'}: ${error.message} (nothing was run)`,
      );
    }
    throw error;
  }
}

async function replay(file: string | undefined, flags: ReplayFlags): Promise<number> {
  const { engine, seed, path, from, savedReplay } = caseToReplay(file, flags);
  const target = loadTarget(flags.target);
  console.log(
    `Replaying the ${engine.name} case from ${from} against ${target.name}\n` +
      `seed: ${seed}  path: ${path === '' ? '(none)' : path}`,
  );
  const scratch = new ScratchDatabases();
  try {
    const result = await engine
      .replay(seed, path, {
        createStore: target.createStore,
        scratch,
        shouldStop: () => false,
        recordLatencyMicros: () => undefined,
        noteBatchCalls: () => undefined,
      })
      .catch((error: unknown) => {
        // Some engines' failures replay with their own command: say which, exit 2.
        if (!(error instanceof ReplayElsewhereError)) throw error;
        throw new UsageError(
          error.message +
            (savedReplay !== undefined ? `; the command saved with it: ${savedReplay}` : ''),
        );
      });
    if (result.failed) {
      console.log(`\nSTILL FAILING:\n${result.report}`);
      return EXIT.failuresFound;
    }
    console.log('\nPASSES: the case no longer fails against this target.');
    return EXIT.clean;
  } finally {
    scratch.removeAll();
  }
}
