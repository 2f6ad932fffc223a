/** The sequential engine as a fuzz engine: one store, one call at a time, model-checked. */
import { DEFAULT_BUDGETS } from '../config/budgets';
import { runProperty } from '../engine/property-runner';
import { newSequentialStats, sequentialProperty } from '../scenarios/sequential-case';
import type { EngineContext, FuzzEngine } from './engines';
import { failureOf, messageOf } from './failure-of';
import { afterFirstCase, stoppable } from './stoppable-property';

export interface SequentialEngineOptions {
  readonly maxCommands: number;
}

export function sequentialEngine(
  options: SequentialEngineOptions = { maxCommands: DEFAULT_BUDGETS.maxCommands },
): FuzzEngine {
  const property = (context: EngineContext, stats = newSequentialStats()) =>
    stoppable(
      sequentialProperty({
        createStore: context.createStore,
        scratch: context.scratch,
        maxCommands: options.maxCommands,
        stats,
      }),
      context.shouldStop,
    );
  return {
    name: 'sequential',
    property: 'tracker-sequential',
    settings: { maxCommands: options.maxCommands },
    async runBatch(seed, budget, context) {
      const stats = newSequentialStats();
      const outcome = await runProperty(property(context, stats), {
        numRuns: budget.maxCases,
        seed,
        timeLimitMs: budget.timeLimitMs,
      });
      return {
        cases: stats.cases,
        operations: stats.operations,
        errors: stats.expectedErrors,
        failure: outcome.failed ? failureOf(outcome) : undefined,
      };
    },
    async replay(seed, path, context) {
      const outcome = await runProperty(property({ ...context, shouldStop: afterFirstCase() }), {
        numRuns: 1,
        seed,
        ...(path !== '' ? { path } : {}),
      });
      return {
        failed: outcome.failed,
        report: outcome.failed ? messageOf(outcome.error) : 'the case passes',
      };
    },
  };
}
