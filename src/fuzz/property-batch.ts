/**
 * The batch and the replay of an engine that is one fast-check property (the sequential and
 * interleaved engines): only how the property is built and what its stats count differ.
 */
import type fc from 'fast-check';
import { runProperty } from '../engine/property-runner';
import type { BatchBudget, BatchResult, EngineContext, ReplayResult } from './engines';
import { failureOf, messageOf } from './failure-of';
import { afterFirstCase } from './stoppable-property';

/** Builds the property for a context; it runs every case through `context.shouldStop`. */
export type PropertyOf<Ts> = (context: EngineContext) => fc.IAsyncPropertyWithHooks<Ts>;

export async function runPropertyBatch<Ts>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  seed: number,
  budget: BatchBudget,
  counts: () => Pick<BatchResult, 'cases' | 'operations' | 'errors'>,
): Promise<BatchResult> {
  const outcome = await runProperty(property, {
    numRuns: budget.maxCases,
    seed,
    timeLimitMs: budget.timeLimitMs,
  });
  return { ...counts(), failure: outcome.failed ? failureOf(outcome) : undefined };
}

/** Runs exactly the case at `path` (the first case of `seed` when the path is empty). */
export async function replayPropertyCase<Ts>(
  propertyOf: PropertyOf<Ts>,
  seed: number,
  path: string,
  context: EngineContext,
): Promise<ReplayResult> {
  const outcome = await runProperty(propertyOf({ ...context, shouldStop: afterFirstCase() }), {
    numRuns: 1,
    seed,
    ...(path !== '' ? { path } : {}),
  });
  return {
    failed: outcome.failed,
    report: outcome.failed ? messageOf(outcome.error) : 'the case passes',
  };
}
