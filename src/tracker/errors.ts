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

/**
 * Refusals of a call for what it asked (bad input, no such row, a key taken, a transition not
 * allowed) are answers, fully described by code, field and message: they carry no stack trace,
 * whose capture was most of the cost of a refused call. Storage faults keep theirs.
 */
const ANSWERS: ReadonlySet<TrackerErrorCode> = new Set([
  'INVALID_INPUT',
  'NOT_FOUND',
  'DUPLICATE_KEY',
  'INVALID_TRANSITION',
]);

export class TrackerError extends Error {
  override readonly name = 'TrackerError';
  readonly code: TrackerErrorCode;
  readonly field?: string;

  constructor(
    code: TrackerErrorCode,
    message: string,
    field?: string,
    options?: { cause?: unknown },
  ) {
    const stackLimit = Error.stackTraceLimit;
    if (ANSWERS.has(code)) Error.stackTraceLimit = 0;
    try {
      super(message, options);
    } finally {
      Error.stackTraceLimit = stackLimit;
    }
    this.code = code;
    if (field !== undefined) this.field = field;
  }
}

export function isTrackerError(error: unknown): error is TrackerError {
  return error instanceof TrackerError;
}
