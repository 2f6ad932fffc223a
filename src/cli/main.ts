/** The `stampede` command. */
import { Command, CommanderError } from 'commander';
import { ConfigError } from '../config/budgets';
import { visibleControls } from '../engine/lanes';
import { TargetError } from '../target/load-target';
import { registerBreakpoint } from './commands/breakpoint';
import { UsageError, registerCatalogue } from './commands/catalogue';
import { registerFuzz } from './commands/fuzz';
import { registerReport } from './commands/report';
import { registerReplay } from './commands/replay';
import { registerFaults } from './commands/faults';
import { registerLeak } from './commands/leak';
import { registerParallel } from './commands/parallel';
import { registerRun } from './commands/run';
import { EXIT } from './exit-codes';

export function buildProgram(): Command {
  const program = new Command()
    .name('stampede')
    .description('Property-based concurrency stress tester for data layers')
    .showHelpAfterError('(run "stampede --help" for the commands and flags)')
    // A hostile flag value is echoed in the error: never let it drive the terminal.
    .configureOutput({ outputError: (text, write) => write(visibleControls(text, true)) })
    .exitOverride();
  registerRun(program);
  registerCatalogue(program);
  registerFuzz(program);
  registerReplay(program);
  registerReport(program);
  registerFaults(program);
  registerLeak(program);
  registerParallel(program);
  registerBreakpoint(program);
  return program;
}

export async function main(argv: readonly string[]): Promise<number> {
  try {
    await buildProgram().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.clean;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander already printed the message (or the help).
      return error.exitCode === 0 ? EXIT.clean : EXIT.usage;
    }
    if (
      error instanceof TargetError ||
      error instanceof ConfigError ||
      error instanceof UsageError
    ) {
      console.error(`stampede: ${visibleControls(error.message, true)}`);
      return EXIT.usage;
    }
    console.error('stampede: internal error:', error);
    return EXIT.internal;
  }
}
