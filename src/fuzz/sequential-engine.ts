/** The sequential engine as a fuzz engine: one store, one call at a time, model-checked. */
import { DEFAULT_BUDGETS } from '../config/budgets';
import { newSequentialStats, sequentialProperty } from '../scenarios/sequential-case';
import type { EngineContext, FuzzEngine } from './engines';
import { replayPropertyCase, runPropertyBatch } from './property-batch';
import { stoppable } from './stoppable-property';

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
      return runPropertyBatch(property(context, stats), seed, budget, () => ({
        cases: stats.cases,
        operations: stats.operations,
        errors: stats.expectedErrors,
      }));
    },
    replay: (seed, path, context) => replayPropertyCase(property, seed, path, context),
  };
}
