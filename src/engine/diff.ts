/** Where two plain-data values differ, as `path: expected X, observed Y` lines. */
import { deepEqual } from './deep-equal';

export function diffValues(expected: unknown, observed: unknown, path = '', limit = 8): string[] {
  return diffEntries(expected, observed, path, limit).map(
    (d) => `${d.path}: expected ${show(d.expected)}, observed ${show(d.observed)}`,
  );
}

export interface Difference {
  readonly path: string;
  readonly expected: unknown;
  readonly observed: unknown;
}

/** The leaves where two values differ, at most `limit` of them. */
export function diffEntries(
  expected: unknown,
  observed: unknown,
  path = '',
  limit = 8,
): Difference[] {
  const found: Difference[] = [];
  walk(expected, observed, path, found, limit);
  return found;
}

function walk(a: unknown, b: unknown, path: string, found: Difference[], limit: number): void {
  if (found.length >= limit || deepEqual(a, b)) return;
  if (isRecord(a) && isRecord(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      walk(a[key], b[key], path === '' ? key : `${path}.${key}`, found, limit);
    }
    return;
  }
  found.push({ path: path === '' ? '(value)' : path, expected: a, observed: b });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
