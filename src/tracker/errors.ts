/**
 * Every failure the tracker reports is a TrackerError with a stable `code`, so callers (and the
 * reference model) can compare failures as data.
 */
export const TRACKER_ERROR_CODES = [
  /** An argument has the wrong type, range or shape; `field` names it. */
  'INVALID_INPUT',
  /** An id refers to no row (including a parent id given on create). */
  'NOT_FOUND',
  /** A unique key (clientKey, epicKey, taskKey within its epic) is taken. */
  'DUPLICATE_KEY',
  /** The task is not in a state that allows this transition. */
  'INVALID_TRANSITION',
  /** The database stayed locked beyond the retry budget. */
  'BUSY',
  /** The database file or its cap is full. */
  'STORAGE_FULL',
  /** No pooled connection became free within the acquire time-out. */
  'POOL_TIMEOUT',
  /** The store was closed. */
  'CLOSED',
  /** Any other storage failure (I/O, corruption). */
  'STORAGE_ERROR',
] as const;

export type TrackerErrorCode = (typeof TRACKER_ERROR_CODES)[number];

export class TrackerError extends Error {
  override readonly name = 'TrackerError';

  constructor(
    readonly code: TrackerErrorCode,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isTrackerError(error: unknown): error is TrackerError {
  return error instanceof TrackerError;
}
