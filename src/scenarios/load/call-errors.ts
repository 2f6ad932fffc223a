/**
 * Which failed calls count as errors of the system under load. A refusal the model predicts
 * (NOT_FOUND for an id nobody created yet, INVALID_TRANSITION, DUPLICATE_KEY, INVALID_INPUT) is
 * a right answer, judged by the checker like any result; a call the store could not serve
 * (gave up on a lock, found no connection, failed in storage, threw untyped) is an error.
 */
import type { OpResult } from '../../../models/operations';

const SERVICE_FAILURES: ReadonlySet<string> = new Set([
  'BUSY',
  'POOL_TIMEOUT',
  'STORAGE_ERROR',
  'STORAGE_FULL',
  'CLOSED',
  'UNTYPED_ERROR',
]);

/** The error code when the store failed to serve the call, else undefined. */
export function serviceFailureOf(result: OpResult): string | undefined {
  return !result.ok && SERVICE_FAILURES.has(result.code) ? result.code : undefined;
}
