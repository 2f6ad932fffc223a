/**
 * A fast acceptance test in front of zod for the inputs nearly every call carries: plain objects
 * of short printable-ASCII text and in-range integers. It answers with zod's own output or with
 * `undefined` ("not sure"), never with a refusal, so zod stays the only judge of what is invalid
 * and of how it is reported. Parsing was most of the cost of a write call in the store and of a
 * model step in the checker (about 6.5 µs per epic against well under 1 µs here); a test checks
 * that every answer equals zod's.
 */
import { parseDuration } from '../../duration';

/** One field's rule; `undefined` from `accept` means "not sure". */
export interface FieldRule {
  accept(value: unknown): unknown;
  /** The value a missing field takes (zod's `.default`), if it has one. */
  readonly fallback?: () => unknown;
  /** A missing field without a default is left out (zod's `.optional()`). */
  readonly optional?: boolean;
}

const NOT_SURE = undefined;

/** Printable ASCII only: no controls, no surrogates, nothing zod's text rules could refuse. */
function printableAscii(text: string, minLength: number, maxLength: number): boolean {
  if (text.length < minLength || text.length > maxLength) return false;
  for (let k = 0; k < text.length; k += 1) {
    const code = text.charCodeAt(k);
    if (code < 0x20 || code > 0x7e) return false;
  }
  return true;
}

/** Keys and titles: printable, within the length, not blank. */
export function nonBlankRule(maxLength: number): FieldRule {
  return {
    accept: (v) =>
      typeof v === 'string' && printableAscii(v, 1, maxLength) && v.trim().length > 0
        ? v
        : NOT_SURE,
  };
}

export function textRule(maxLength: number, fallback: string): FieldRule {
  return {
    accept: (v) => (typeof v === 'string' && printableAscii(v, 0, maxLength) ? v : NOT_SURE),
    fallback: () => fallback,
  };
}

export function durationRule(maxLength: number): FieldRule {
  return {
    accept(v) {
      if (v === null) return null;
      if (typeof v !== 'string' || !printableAscii(v, 0, maxLength)) return NOT_SURE;
      try {
        parseDuration(v);
        return v;
      } catch {
        return NOT_SURE;
      }
    },
    fallback: () => null,
  };
}

export function intRule(range: { min: number; max: number; default?: number }): FieldRule {
  return withFieldDefault(
    (v) =>
      typeof v === 'number' && Number.isSafeInteger(v) && v >= range.min && v <= range.max
        ? v
        : NOT_SURE,
    range.default,
  );
}

export function enumRule(values: readonly string[], fallback?: string): FieldRule {
  return withFieldDefault(
    (v) => (typeof v === 'string' && values.includes(v) ? v : NOT_SURE),
    fallback,
  );
}

/** A field with zod's `.default(fallback)`, or `.optional()` when there is none. */
function withFieldDefault(accept: (v: unknown) => unknown, fallback: unknown): FieldRule {
  return fallback === undefined ? { accept, optional: true } : { accept, fallback: () => fallback };
}

/**
 * A strict object of these fields, output in the fields' order like zod's. Only plain objects
 * with no unknown key and no field present as `undefined` are answered; anything odd (a class
 * instance, a getter that throws) goes to zod.
 */
export function objectRule(fields: Readonly<Record<string, FieldRule>>): (v: unknown) => unknown {
  const names = Object.keys(fields);
  const rules = names.map((name) => fields[name]!);
  return (input) => {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) return NOT_SURE;
    const proto = Object.getPrototypeOf(input) as unknown;
    if (proto !== Object.prototype && proto !== null) return NOT_SURE;
    try {
      const record = input as Record<string, unknown>;
      let known = 0;
      const out: Record<string, unknown> = {};
      for (let k = 0; k < names.length; k += 1) {
        const name = names[k]!;
        const rule = rules[k]!;
        if (!Object.hasOwn(record, name)) {
          if (rule.fallback !== undefined) out[name] = rule.fallback();
          else if (rule.optional !== true) return NOT_SURE;
          continue;
        }
        known += 1;
        const value = rule.accept(record[name]);
        if (value === NOT_SURE) return NOT_SURE;
        out[name] = value;
      }
      return Object.keys(record).length === known ? out : NOT_SURE;
    } catch {
      return NOT_SURE;
    }
  };
}

/** An array of at most `maxLength` items, each answered by `item`. */
export function arrayRule(
  item: (v: unknown) => unknown,
  maxLength: number,
): (v: unknown) => unknown {
  return (input) => {
    if (!Array.isArray(input) || input.length > maxLength) return NOT_SURE;
    if (Object.getPrototypeOf(input) !== Array.prototype) return NOT_SURE;
    const out: unknown[] = [];
    for (let k = 0; k < input.length; k += 1) {
      if (!Object.hasOwn(input, k)) return NOT_SURE;
      const value = item(input[k]);
      if (value === NOT_SURE) return NOT_SURE;
      out.push(value);
    }
    return out;
  };
}

/** zod's `.default(...)` around a whole argument (the list filters): a missing filter. */
export function withDefault(
  accept: (v: unknown) => unknown,
  fallback: () => unknown,
): (v: unknown) => unknown {
  return (input) => (input === undefined ? fallback() : accept(input));
}
