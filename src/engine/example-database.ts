/**
 * Failures are remembered, like Hypothesis's example database: a run first replays every saved
 * failure of its property (still failing: reported at once; now passing: forgotten), then
 * searches as usual, and saves what it finds. A saved file is data only: its seed and path are
 * replayed against the current target, and a corrupt or hostile file is reported and skipped.
 */
import type fc from 'fast-check';
import { FailureStore, type FailureEngine } from './failure-store';
import { runProperty, type PropertyOutcome, type PropertyRunOptions } from './property-runner';

export interface ExampleDatabaseOptions {
  readonly store: FailureStore;
  readonly property: string;
  readonly engine: FailureEngine;
  /** The target's name: a failure found on another target is not replayed here. */
  readonly target: string;
  readonly settings: Readonly<Record<string, number | boolean | string>>;
  readonly replayCommand: (seed: number, path: string | undefined) => string;
  readonly warn?: (message: string) => void;
}

export interface RememberedOutcome<Ts> extends PropertyOutcome<Ts> {
  /** Saved failures replayed before the search, and how many of them still fail. */
  readonly replayedSaved: number;
  readonly savedFile: string | undefined;
}

export async function runRemembering<Ts>(
  makeProperty: () => fc.IAsyncPropertyWithHooks<Ts> | fc.IAsyncProperty<Ts>,
  run: PropertyRunOptions<Ts>,
  options: ExampleDatabaseOptions,
): Promise<RememberedOutcome<Ts>> {
  let replayedSaved = 0;
  // An explicit replay (seed and path given) runs exactly that case and nothing else.
  if (run.path === undefined) {
    for (const entry of options.store.list(options.property)) {
      if (!entry.ok) {
        options.warn?.(`skipping saved failure: ${entry.error.message}`);
        continue;
      }
      const saved = entry.failure;
      if (saved.target !== options.target || saved.engine !== options.engine) continue;
      replayedSaved += 1;
      const replay = await runProperty(makeProperty(), {
        numRuns: 1,
        seed: saved.seed,
        ...(saved.path !== '' ? { path: saved.path } : {}),
      });
      if (replay.failed) return { ...replay, replayedSaved, savedFile: entry.file };
      options.store.remove(entry.file);
    }
  }
  const outcome = await runProperty(makeProperty(), run);
  let savedFile: string | undefined;
  if (outcome.failed) {
    const message = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
    savedFile = options.store.save({
      engine: options.engine,
      property: options.property,
      target: options.target,
      seed: outcome.seed,
      path: outcome.path ?? '',
      settings: options.settings,
      summary: message,
      replay: options.replayCommand(outcome.seed, outcome.path),
    });
  }
  return { ...outcome, replayedSaved, savedFile };
}
