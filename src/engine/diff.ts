/** Where two plain-data values differ, as `path: expected X, observed Y` lines. */
import { deepEqual } from './deep-equal';

export function diffValues(expected: unknown, observed: unknown, path = '', limit = 8): string[] {
  const lines: string[] = [];
  walk(expected, observed, path, lines, limit);
  return lines;
}

function walk(a: unknown, b: unknown, path: string, lines: string[], limit: number): void {
  if (lines.length >= limit || deepEqual(a, b)) return;
  if (isRecord(a) && isRecord(b) && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      walk(a[key], b[key], path === '' ? key : `${path}.${key}`, lines, limit);
    }
    return;
  }
  lines.push(`${path === '' ? '(value)' : path}: expected ${show(a)}, observed ${show(b)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
