/** The interleaving engine as a fuzz engine: workers interleaved statement by statement. */
import { runProperty } from '../engine/property-runner';
import {
  DEFAULT_INTERLEAVED,
  interleavedProperty,
  newInterleavedStats,
  type InterleavedSettings,
} from '../scenarios/interleaved-case';
import type { EngineContext, FuzzEngine } from './engines';
import { failureOf, messageOf } from './failure-of';
import { afterFirstCase, stoppable } from './stoppable-property';

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
      const outcome = await runProperty(property(context, stats), {
        numRuns: budget.maxCases,
        seed,
        timeLimitMs: budget.timeLimitMs,
      });
      return {
        cases: stats.cases,
        operations: stats.operations,
        errors: stats.busy,
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
