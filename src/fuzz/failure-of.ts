/** A property runner's failing outcome as an engine failure. */
import type { PropertyOutcome } from '../engine/property-runner';
import { callsOf } from '../scenarios/catalogue-run';
import { InterleavingFailure } from '../scenarios/interleaved-case';
import { lanesOf } from '../scenarios/interleaved-report';
import type { EngineFailure } from './engines';

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function failureOf(outcome: PropertyOutcome): EngineFailure {
  const summary = messageOf(outcome.error);
  const error = outcome.error;
  return {
    seed: outcome.seed,
    path: outcome.path ?? '',
    summary,
    // The message renders the shrunk case call by call: two seeds that shrink to the same calls
    // (and, interleaved, the same lanes) give the same text, once the free text is set aside
    // (a title shrinks to "!" from one seed and stays "Login page" from another).
    caseKey: summary.replace(/"(?:[^"\\]|\\.)*"/g, '"…"'),
    calls: callsOf(error),
    lanes:
      error instanceof InterleavingFailure
        ? { workers: error.observation.programs.length, ops: lanesOf(error.observation) }
        : undefined,
  };
}
