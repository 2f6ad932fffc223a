import fc from 'fast-check';
import {
  DurationError,
  addBusinessDays,
  addCalendarDays,
  businessDaysBetween,
  calendarDaysBetween,
  endDate,
  formatDuration,
  parseDuration,
} from '../src/duration';
import type { DurationUnit } from '../src/duration';

// Modest run counts keep the whole file well under 5 s.
const RUNS = { numRuns: 300 };

/** Independent oracle for unit sizes (the parser's table is not reused on purpose). */
const PARSE_UNIT_DAYS: Readonly<Record<DurationUnit, number>> = {
  hour: 1 / 24,
  day: 1,
  week: 7,
  month: 365.25 / 12,
};

const UNIT_WORDS: Readonly<Record<DurationUnit, readonly string[]>> = {
  hour: ['hour', 'hours', 'hora', 'horas'],
  day: ['day', 'days', 'dia', 'dias'],
  week: ['week', 'weeks', 'semana', 'semanas'],
  month: ['month', 'months', 'mes', 'meses', 'mês'],
};

const SEPARATORS = [' ', '  ', ' and ', ' e ', ', ', ' , ', ',', ' + ', '+'];

const ANCHOR = '2000-01-01';

/** Dates from about 1450 to 2550, built through the module itself. */
const isoDate = fc.integer({ min: -200_000, max: 200_000 }).map((n) => addCalendarDays(ANCHOR, n));

/** Weekday oracle from the JS Date in UTC, independent of the module's own arithmetic. */
function utcWeekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

const isWeekend = (date: string): boolean => utcWeekday(date) === 0 || utcWeekday(date) === 6;

const unit = fc.constantFrom<DurationUnit>('hour', 'day', 'week', 'month');

/** A non-negative number with at most one decimal, rendered with '.' or ','. */
const decimalText = fc
  .tuple(fc.integer({ min: 0, max: 100_000 }), fc.boolean())
  .map(([tenths, comma]) => {
    const text = String(tenths / 10);
    return { value: tenths / 10, text: comma ? text.replace('.', ',') : text };
  });

/** Randomly upper-cases characters, since parsing is case-insensitive. */
const randomCase = (word: string): fc.Arbitrary<string> =>
  fc
    .array(fc.boolean(), { minLength: word.length, maxLength: word.length })
    .map((flags) => [...word].map((ch, i) => (flags[i] ? ch.toUpperCase() : ch)).join(''));

const part = fc.record({
  number: decimalText,
  unit,
  gap: fc.constantFrom('', ' ', '  '),
  wordIndex: fc.nat(),
  upper: fc.nat(),
});

const compound = fc
  .tuple(
    fc.array(part, { minLength: 1, maxLength: 5 }),
    fc.array(fc.constantFrom(...SEPARATORS), { minLength: 4, maxLength: 4 }),
  )
  .filter(([parts]) => parts.some((p) => p.number.value > 0))
  .chain(([parts, separators]) => {
    const words = parts.map((p) => {
      const choices = UNIT_WORDS[p.unit];
      return randomCase(choices[p.wordIndex % choices.length] ?? p.unit);
    });
    return fc.tuple(fc.constant(parts), fc.constant(separators), fc.tuple(...words));
  })
  .map(([parts, separators, words]) => {
    const text = parts
      .map(
        (p, i) => `${i > 0 ? (separators[i - 1] ?? ' ') : ''}${p.number.text}${p.gap}${words[i]}`,
      )
      .join('');
    const expected = parts.reduce((sum, p) => sum + p.number.value * PARSE_UNIT_DAYS[p.unit], 0);
    return { text, expected };
  });

/** Format unit sizes (30-day months) paired with the parser's sizes, keyed by English label. */
const FORMAT_TO_PARSE: Readonly<Record<string, readonly [number, number]>> = {
  day: [1, 1],
  days: [1, 1],
  week: [7, 7],
  weeks: [7, 7],
  month: [30, 365.25 / 12],
  months: [30, 365.25 / 12],
};

describe('duration properties', () => {
  /*
   * Round trip, precisely: formatDuration shows v = round(d / F, 1 decimal) in a unit whose
   * format size is F (day 1, week 7, month 30) and the parser reads it back as v * P (P = 1, 7,
   * 30.4375). So |parsed / P - d / F| <= 0.05 (half a tenth of the unit), plus 1e-9 for floating
   * point. In days: within 0.05 days for days; exact (1e-9) for weeks, since weeks are only chosen
   * when d / 7 has one decimal; and for months within 0.05 * 30.4375 of d * 30.4375 / 30.
   */
  test('parse(format(d, en standard)) round-trips within half a tenth of the shown unit', () => {
    const days = fc.oneof(
      fc.double({ min: 0.1, max: 100_000, noNaN: true }),
      fc.integer({ min: 1, max: 1_000_000 }).map((tenths) => tenths / 10),
    );
    fc.assert(
      fc.property(days, (d) => {
        const text = formatDuration(d, { lang: 'en' });
        const label = text.slice(text.indexOf(' ') + 1);
        const sizes = FORMAT_TO_PARSE[label];
        if (sizes === undefined) throw new Error(`unexpected label in ${text}`);
        const [formatSize, parseSize] = sizes;
        const parsed = parseDuration(text).days;
        expect(Math.abs(parsed / parseSize - d / formatSize)).toBeLessThanOrEqual(0.05 + 1e-9);
        if (formatSize === 7) expect(Math.abs(parsed - d)).toBeLessThanOrEqual(1e-9 * d);
      }),
      RUNS,
    );
  });

  test('a generated compound text parses to the sum of its parts', () => {
    fc.assert(
      fc.property(compound, ({ text, expected }) => {
        const { days } = parseDuration(text);
        expect(Math.abs(days - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, expected));
      }),
      RUNS,
    );
  });

  test('parsing is monotone: a <= b implies parse("a days") <= parse("b days")', () => {
    const tenths = fc.integer({ min: 1, max: 1_000_000 });
    fc.assert(
      fc.property(tenths, tenths, unit, (x, y, u) => {
        const [a, b] = x <= y ? [x / 10, y / 10] : [y / 10, x / 10];
        const word = UNIT_WORDS[u][1] ?? u;
        expect(parseDuration(`${a} days`).days).toBeLessThanOrEqual(
          parseDuration(`${b} days`).days,
        );
        expect(parseDuration(`${a} ${word}`).days).toBeLessThanOrEqual(
          parseDuration(`${b} ${word}`).days,
        );
      }),
      RUNS,
    );
  });

  test('endDate is monotone in the duration, in both modes', () => {
    const duration = fc
      .tuple(fc.integer({ min: 1, max: 20_000 }), unit)
      .map(([tenths, u]) => `${tenths / 10} ${UNIT_WORDS[u][0] ?? u}`);
    fc.assert(
      fc.property(isoDate, duration, duration, (start, first, second) => {
        const [short, long] =
          parseDuration(first).days <= parseDuration(second).days
            ? [first, second]
            : [second, first];
        for (const mode of ['calendar', 'business'] as const) {
          const early = endDate(start, short, mode);
          const late = endDate(start, long, mode);
          expect(calendarDaysBetween(early, late)).toBeGreaterThanOrEqual(0);
          expect(calendarDaysBetween(start, early)).toBeGreaterThan(0);
        }
      }),
      RUNS,
    );
  });

  test('calendar arithmetic agrees with JS Date in UTC', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: -5_000, max: 5_000 }), (start, n) => {
        const end = addCalendarDays(start, n);
        const expected = new Date(Date.parse(`${start}T00:00:00Z`) + n * 86_400_000);
        expect(end).toBe(expected.toISOString().slice(0, 10));
        expect(calendarDaysBetween(start, end)).toBe(n);
      }),
      RUNS,
    );
  });

  test('businessDaysBetween(s, addBusinessDays(s, n)) === n for a weekday start', () => {
    const weekday = isoDate.filter((date) => !isWeekend(date));
    fc.assert(
      fc.property(weekday, fc.integer({ min: 0, max: 5_000 }), (start, n) => {
        expect(businessDaysBetween(start, addBusinessDays(start, n))).toBe(n);
      }),
      RUNS,
    );
  });

  test('businessDaysBetween is additive: (a, b) + (b, c) === (a, c)', () => {
    const near = fc.integer({ min: -1_000, max: 1_000 });
    fc.assert(
      fc.property(isoDate, near, near, (a, db, dc) => {
        const b = addCalendarDays(a, db);
        const c = addCalendarDays(a, dc);
        expect(businessDaysBetween(a, b) + businessDaysBetween(b, c)).toBe(
          businessDaysBetween(a, c),
        );
        expect(businessDaysBetween(b, a)).toBe(0 - businessDaysBetween(a, b)); // never -0
      }),
      RUNS,
    );
  });

  test('any 7 consecutive calendar days contain exactly 5 business days', () => {
    fc.assert(
      fc.property(isoDate, (start) => {
        expect(businessDaysBetween(start, addCalendarDays(start, 7))).toBe(5);
      }),
      RUNS,
    );
  });

  test('addBusinessDays never lands on a weekend for n >= 1', () => {
    fc.assert(
      fc.property(isoDate, fc.integer({ min: 1, max: 5_000 }), (start, n) => {
        const end = addBusinessDays(start, n);
        expect(isWeekend(end)).toBe(false);
        expect(calendarDaysBetween(start, end)).toBeGreaterThan(0);
      }),
      RUNS,
    );
  });

  describe('parse only ever throws DurationError, and quickly', () => {
    /** Strings built from the parser's own vocabulary reach deeper than random characters. */
    const tokenSoup = fc
      .array(
        fc.constantFrom(
          '1',
          '0',
          '2.5',
          '3,5',
          ',',
          '.',
          '+',
          '-',
          ' ',
          'e',
          'and',
          'days',
          'Semanas',
          'mês',
          'me\u0302s',
          'horas',
          'x',
          '\u00a0',
          '\n',
          '🎉',
          '\ud800',
        ),
        { maxLength: 60 },
      )
      .map((tokens) => tokens.join(''));

    test.each<[string, fc.Arbitrary<string>]>([
      ['fc.string()', fc.string({ maxLength: 220 })],
      ["fc.string({ unit: 'binary' })", fc.string({ unit: 'binary', maxLength: 220 })],
      ['strings around the 200-character limit', fc.string({ minLength: 190, maxLength: 210 })],
      ['token soup', tokenSoup],
    ])('%s', (_name, strings) => {
      fc.assert(
        fc.property(strings, (text) => {
          const started = performance.now();
          try {
            const { days, parts } = parseDuration(text);
            expect(Number.isFinite(days) && days > 0).toBe(true);
            expect(parts.length).toBeGreaterThan(0);
          } catch (error) {
            if (!(error instanceof DurationError)) throw error;
            expect(error.code).toBe('INVALID_DURATION');
          }
          // Generous bound against CI noise; a backtracking blow-up would take seconds.
          expect(performance.now() - started).toBeLessThan(250);
        }),
        { numRuns: 500 },
      );
    });
  });
});
