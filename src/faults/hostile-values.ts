/**
 * Hostile values for fuzzing an API or a command line: SQL injection, huge and empty strings,
 * control characters, odd Unicode and lone surrogates, NaN, infinities, negative, huge and
 * fractional numbers, wrong types, prototype-pollution keys, and objects whose reading throws.
 */
import fc from 'fast-check';

export const HOSTILE_STRINGS: readonly string[] = [
  "Robert'); DROP TABLE tasks;--",
  "' OR '1'='1",
  '1; DELETE FROM epics',
  '" OR ""="',
  '%',
  '_',
  '\\',
  '$1',
  '${process.exit(1)}',
  '<script>alert(1)</script>',
  '',
  ' ',
  '\u00a0',
  '\u0000',
  'a\u0000b',
  '\u001b[2J',
  '\r\n',
  '\u0085',
  '\u2028',
  '\u202eevil',
  '\ufeff',
  '\u200b',
  'e\u0301',
  '名前 ✓ 🚀',
  '👩‍👩‍👧‍👦',
  '\ud800',
  '\udfff',
  'a\ud83db',
  '__proto__',
  'constructor',
  'NaN',
  '-0',
  '1e309',
  'null',
  'x'.repeat(65),
  'x'.repeat(201),
  'x'.repeat(2_001),
  'y'.repeat(1_000_000),
];

export const HOSTILE_NUMBERS: readonly number[] = [
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  -1,
  0.5,
  1.5,
  1e-300,
  2 ** 31,
  -(2 ** 31),
  2 ** 53,
  2 ** 53 + 2,
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e21,
];

/** Objects that try to pollute prototypes: own `__proto__` keys, as JSON.parse makes them. */
export function pollutingObjects(base: Record<string, unknown> = {}): unknown[] {
  const withBase = (json: string) => Object.assign(JSON.parse(json) as object, base);
  return [
    withBase('{"__proto__":{"polluted":true}}'),
    withBase('{"constructor":{"prototype":{"polluted":true}}}'),
    { ...base, prototype: { polluted: true } },
    Object.assign(Object.create(null) as object, base),
  ];
}

/** Objects whose reading throws: a getter and a Proxy. */
export function treacherousObjects(base: Record<string, unknown> = {}): unknown[] {
  return [
    Object.defineProperty({ ...base }, 'title', {
      enumerable: true,
      get() {
        throw new Error('getter says no');
      },
    }),
    new Proxy(
      { ...base },
      {
        get() {
          throw new Error('proxy says no');
        },
      },
    ),
  ];
}

/**
 * Any code point, lone surrogates included. fast-check's `unit: 'binary'` draws the same, but
 * builds a table of every code point when the arbitrary is made: 85 MB of heap in every process
 * that imports this file, which made each full GC of the leak watcher several times slower.
 */
const anyCodePoint = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((codePoint) => String.fromCodePoint(codePoint));

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: anyCodePoint, maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ minLength: 60, maxLength: 260 }) },
);

export const hostileNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 10 }) },
);

/** Any hostile value, of any type. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 4, arbitrary: hostileNumber },
  {
    weight: 2,
    arbitrary: fc.constantFrom<unknown>(
      null,
      undefined,
      true,
      false,
      [],
      {},
      [1, 2],
      10n,
      Symbol('hostile'),
      () => 1,
      new Date(NaN),
      /x/,
      new Map(),
    ),
  },
  { weight: 1, arbitrary: fc.constantFrom(...pollutingObjects({ a: 1 })) },
  { weight: 1, arbitrary: fc.constantFrom(...treacherousObjects({ a: 1 })) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);
