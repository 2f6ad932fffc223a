/** Machine-readable reason, so callers can branch without parsing messages. */
export type DurationErrorCode = 'INVALID_DURATION' | 'INVALID_DATE' | 'INVALID_ARGUMENT';

/** Longest slice of user input echoed in a message: hostile input must not bloat logs. */
const MAX_QUOTED_LENGTH = 80;

/** The only error type the duration module throws on bad input. */
export class DurationError extends Error {
  readonly code: DurationErrorCode;

  constructor(code: DurationErrorCode, message: string) {
    super(message);
    this.name = 'DurationError';
    this.code = code;
  }
}

/** Quotes user input for a message, truncated to 80 characters (JSON escapes control chars). */
export function quote(input: string): string {
  const shown = input.length > MAX_QUOTED_LENGTH ? `${input.slice(0, MAX_QUOTED_LENGTH)}…` : input;
  return JSON.stringify(shown);
}

/** Names the type of a value that is not what we expected, without echoing it whole. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return `the string ${quote(value)}`;
  return `a value of type ${typeof value}`;
}
