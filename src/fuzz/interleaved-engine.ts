/** The interleaving engine as a fuzz engine: workers interleaved statement by statement. */
import {
  DEFAULT_INTERLEAVED,
  interleavedProperty,
  newInterleavedStats,
  type InterleavedSettings,
} from '../scenarios/interleaved-case';
import type { EngineContext, FuzzEngine } from './engines';
import { replayPropertyCase, runPropertyBatch } from './property-batch';
import { stoppable } from './stoppable-property';

export function interleavedEngine(settings: InterleavedSettings = DEFAULT_INTERLEAVED): FuzzEngine {
  const property = (context: EngineContext, stats = newInterleavedStats()) =>
    stoppable(
      interleavedProperty({
        createStore: context.createStore,
        scratch: context.scratch,
        settings,
        stats,
      }),
      context.shouldStop,
    );
  return {
    name: 'interleaved',
    // Shared with the jest suite, whose example database then replays what fuzzing found.
    property: 'tracker-interleaved',
    settings: { ...settings },
    async runBatch(seed, budget, context) {
      const stats = newInterleavedStats();
      return runPropertyBatch(property(context, stats), seed, budget, () => ({
        cases: stats.cases,
        operations: stats.operations,
        errors: stats.busy,
      }));
    },
    replay: (seed, path, context) => replayPropertyCase(property, seed, path, context),
  };
}
