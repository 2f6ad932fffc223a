/**
 * Runs a fast-check property with a known seed and reports the outcome as data, so every
 * failure carries the seed, the shrink path and one command that replays exactly that case.
 */
import fc from 'fast-check';

export interface PropertyRunOptions<Ts = unknown> {
  readonly numRuns: number;
  /** Replays one case: the seed and path printed by an earlier failure. */
  readonly seed?: number;
  readonly path?: string;
  /** Stops starting new cases after this long (the outcome says it was interrupted). */
  readonly timeLimitMs?: number;
  /**
   * Cases run before the generated ones (fast-check's examples). They take the first indexes
   * of a shrink path, so a replay must be given the same ones.
   */
  readonly examples?: readonly Ts[];
}

export interface PropertyOutcome<Ts = unknown> {
  readonly failed: boolean;
  readonly seed: number;
  readonly path: string | undefined;
  readonly numRuns: number;
  readonly numShrinks: number;
  readonly interrupted: boolean;
  /** The error the smallest failing case threw (its message explains the failure). */
  readonly error: unknown;
  /** fast-check's rendering of the shrunk counterexample, and the value itself. */
  readonly counterexample: string | undefined;
  readonly counterexampleValue: Ts | undefined;
  readonly durationMs: number;
}

export function freshSeed(): number {
  // Same range fast-check uses for its own seeds.
  return (Date.now() ^ (Math.random() * 0x100000000)) | 0;
}

export async function runProperty<Ts>(
  property: fc.IAsyncPropertyWithHooks<Ts> | fc.IAsyncProperty<Ts>,
  options: PropertyRunOptions<Ts>,
): Promise<PropertyOutcome<Ts>> {
  const seed = options.seed ?? freshSeed();
  const started = performance.now();
  const examples = options.examples !== undefined ? { examples: [...options.examples] } : {};
  const details = await fc.check(property, {
    ...examples,
    numRuns: options.numRuns,
    seed,
    ...(options.path !== undefined ? { path: options.path } : {}),
    ...(options.timeLimitMs !== undefined ? { interruptAfterTimeLimit: options.timeLimitMs } : {}),
    // A replay runs exactly the case at the path: shrinking it further would show another one.
    endOnFailure: options.path !== undefined,
  });
  if (details.failed && details.interrupted && details.counterexamplePath) {
    // Interrupted while shrinking, fast-check reports the error of an earlier, larger case than
    // the path it prints; replay the path once so the failure shown is the one that replays.
    const replayed = await fc.check(property, {
      ...examples,
      numRuns: 1,
      seed,
      path: details.counterexamplePath,
      endOnFailure: true,
    });
    if (replayed.failed) {
      const outcome = outcomeOf(replayed, seed, started, details.numRuns, details.numShrinks, true);
      return { ...outcome, path: details.counterexamplePath };
    }
  }
  return outcomeOf(
    details,
    seed,
    started,
    details.numRuns,
    details.numShrinks,
    details.interrupted,
  );
}

function outcomeOf<Ts>(
  details: fc.RunDetails<Ts>,
  seed: number,
  started: number,
  numRuns: number,
  numShrinks: number,
  interrupted: boolean,
): PropertyOutcome<Ts> {
  return {
    failed: details.failed,
    seed,
    path: details.failed ? (details.counterexamplePath ?? undefined) : undefined,
    numRuns,
    numShrinks,
    interrupted,
    error: details.errorInstance,
    counterexample:
      details.counterexample === null ? undefined : fc.stringify(details.counterexample),
    counterexampleValue: details.counterexample ?? undefined,
    durationMs: performance.now() - started,
  };
}

/** The failure as people read it: what went wrong, then how to get it back. */
export function formatFailure(outcome: PropertyOutcome, replayCommand: string): string {
  const reason = outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
  return [
    `Property failed after ${outcome.numRuns} case(s) and ${outcome.numShrinks} shrink(s).`,
    reason,
    '',
    `seed: ${outcome.seed}  path: ${outcome.path ?? '(none)'}`,
    `replay: ${replayCommand}`,
  ].join('\n');
}
