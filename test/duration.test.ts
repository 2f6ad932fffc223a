import {
  DurationError,
  addBusinessDays,
  addCalendarDays,
  businessDaysBetween,
  calendarDaysBetween,
  endDate,
  formatDuration,
  formatDurationRange,
  parseDuration,
} from '../src/duration';
import type { DurationErrorCode, FormatOptions } from '../src/duration';

const MONTH = 365.25 / 12;

/** Runs fn and returns the DurationError it throws; fails the test on anything else. */
function thrown(fn: () => unknown): DurationError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(DurationError);
    return error as DurationError;
  }
  throw new Error('expected a DurationError, nothing was thrown');
}

function expectCode(fn: () => unknown, code: DurationErrorCode): DurationError {
  const error = thrown(fn);
  expect(error.code).toBe(code);
  expect(error.name).toBe('DurationError');
  return error;
}

describe('DurationError', () => {
  test('is an Error with a code and a name', () => {
    const error = new DurationError('INVALID_DATE', 'bad');
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe('INVALID_DATE');
    expect(error.name).toBe('DurationError');
    expect(error.message).toBe('bad');
  });

  test('quotes the offending input, truncated to 80 characters', () => {
    const text = `${'x'.repeat(100)} days`;
    const error = expectCode(() => parseDuration(text), 'INVALID_DURATION');
    expect(error.message).toContain(`"${'x'.repeat(80)}…"`);
    expect(error.message).not.toContain('x'.repeat(81));
  });
});

describe('parseDuration', () => {
  test.each<[string, number]>([
    // English
    ['1 hour', 1 / 24],
    ['6 hours', 0.25],
    ['1 day', 1],
    ['3 days', 3],
    ['1 week', 7],
    ['2 weeks', 14],
    ['1 month', MONTH],
    ['2 months', 2 * MONTH],
    // Portuguese
    ['1 hora', 1 / 24],
    ['12 horas', 0.5],
    ['1 dia', 1],
    ['5 dias', 5],
    ['1 semana', 7],
    ['3 semanas', 21],
    ['1 mes', MONTH],
    ['1 mês', MONTH],
    ['4 meses', 4 * MONTH],
    // spacing, case, surrounding whitespace
    ['3days', 3],
    ['  3   days  ', 3],
    ['\t2 semanas\n', 14],
    ['3 DAYS', 3],
    ['1 Mês', MONTH],
    ['1 MÊS', MONTH],
    ['1 me\u0302s', MONTH], // decomposed ê
    // decimals with '.' or ','
    ['1.5 weeks', 10.5],
    ['1,5 semanas', 10.5],
    ['0.5 day', 0.5],
    ['0,25 dias', 0.25],
    ['007 days', 7],
    ['24 hours', 1],
    // compound
    ['2 weeks 3 days', 17],
    ['12 days 5 hours', 12 + 5 / 24],
    ['1 semana e 2 dias', 9],
    ['1 week, 2 days', 9],
    ['1 week,2 days', 9],
    ['1 week + 2 days', 9],
    ['1 week+2 days', 9],
    ['2 weeks and 3 days', 17],
    ['1 month, 2 weeks and 1 day', MONTH + 15],
    ['1 mês, 2 semanas e 1 dia', MONTH + 15],
    ['1,5 semanas e 0,5 dias', 11],
    ['2 days 3 days', 5], // same unit twice is allowed
    ['0 weeks 1 day', 1], // a zero part is fine when the total is not
  ])('%j -> %d days', (text, days) => {
    expect(parseDuration(text).days).toBeCloseTo(days, 12);
  });

  test('returns the parts in order', () => {
    expect(parseDuration('1 Semana e 2,5 DIAS + 3 horas')).toEqual({
      days: 7 + 2.5 + 3 / 24,
      parts: [
        { value: 1, unit: 'week' },
        { value: 2.5, unit: 'day' },
        { value: 3, unit: 'hour' },
      ],
    });
  });

  test.each<[string, unknown]>([
    ['number', 3],
    ['null', null],
    ['undefined', undefined],
    ['object', { days: 3 }],
    ['array', ['3 days']],
  ])('non-string input (%s) -> INVALID_DURATION', (_name, input) => {
    expectCode(() => parseDuration(input as string), 'INVALID_DURATION');
  });

  test.each<[string, string]>([
    ['empty', ''],
    ['blank', '   \t\n '],
    ['too long', `1 day${' '.repeat(196)}`],
    ['unknown unit', '3 fortnights'],
    ['abbreviated unit', '3 d'],
    ['abbreviated hour', '3h'],
    ['missing unit', '3'],
    ['missing unit before connector', '3 and 2 days'],
    ['missing number', 'days'],
    ['missing number in compound', '2 weeks and days'],
    ['negative', '-1 day'],
    ['negative part', '2 weeks -1 day'],
    ['zero', '0 days'],
    ['zero compound', '0 days 0 hours'],
    ['zero decimal', '0,0 semanas'],
    ['NaN', 'NaN days'],
    ['Infinity', 'Infinity days'],
    ['exponent', '1e3 days'],
    ['leading decimal point', '.5 days'],
    ['trailing decimal point', '1. day'],
    ['two decimal points', '1.5.3 days'],
    ['garbage between parts', '2 weeks foo 3 days'],
    ['symbol between parts', '2 weeks / 3 days'],
    ['two connectors', '2 weeks and and 3 days'],
    ['comma then and', '2 weeks, and 3 days'],
    ['leading connector', 'and 2 days'],
    ['trailing connector', '2 days and'],
    ['trailing comma', '2 days,'],
    ['unit glued to next number', '2 weeks3 days'],
    ['number glued to number', '2 3 days'],
    ['unit only words', 'some days'],
    ['emoji', '3 days 🎉'],
  ])('%s (%j) -> INVALID_DURATION', (_name, text) => {
    expectCode(() => parseDuration(text), 'INVALID_DURATION');
  });

  test('accepts exactly 200 characters', () => {
    const text = `1 day${' '.repeat(195)}`;
    expect(text).toHaveLength(200);
    expect(parseDuration(text).days).toBe(1);
  });

  test.each<[string, string]>([
    ['huge input', '1'.repeat(1_000_000)],
    ['200 digits', '9'.repeat(200)],
    ['many digits and a comma', `${'1'.repeat(99)},${'1'.repeat(99)}x`],
    ['many short parts', '1 day '.repeat(33).trim() + ' x'],
    ['alternating separators', ', '.repeat(100)],
    ['long word', `1 ${'a'.repeat(198)}`],
  ])('hostile input is rejected quickly: %s', (_name, text) => {
    const started = Date.now();
    expectCode(() => parseDuration(text), 'INVALID_DURATION');
    expect(Date.now() - started).toBeLessThan(100);
  });
});

describe('formatDuration', () => {
  test.each<[number, FormatOptions | undefined, string]>([
    // pt standard (default)
    [0, undefined, '0 dias'],
    [1, undefined, '1 dia'],
    [1.5, undefined, '1.5 dias'],
    [7, undefined, '1 semana'],
    [10, undefined, '10 dias'],
    [10.5, undefined, '1.5 semanas'],
    [14, undefined, '2 semanas'],
    [30, undefined, '1 mês'],
    [45, undefined, '1.5 meses'],
    [100, undefined, '3.3 meses'],
    [0.04, undefined, '0 dias'],
    [1.04, undefined, '1 dia'], // singular because the shown value is exactly 1
    [2.25, undefined, '2.3 dias'],
    [6.99, undefined, '7 dias'], // below 7, so still days
    [29, undefined, '29 dias'], // 29 / 7 has more than one decimal
    [28, undefined, '4 semanas'],
    [60, undefined, '2 meses'],
    // en standard
    [0, { lang: 'en' }, '0 days'],
    [1, { lang: 'en' }, '1 day'],
    [1.5, { lang: 'en' }, '1.5 days'],
    [7, { lang: 'en' }, '1 week'],
    [10.5, { lang: 'en' }, '1.5 weeks'],
    [30, { lang: 'en' }, '1 month'],
    [100, { lang: 'en' }, '3.3 months'],
    [100, { lang: 'en', style: 'standard' }, '3.3 months'],
    // compact: same letters for both languages
    [0, { style: 'compact' }, '0d'],
    [1, { style: 'compact' }, '1d'],
    [10.5, { style: 'compact' }, '1.5w'],
    [45, { style: 'compact' }, '1.5m'],
    [10.5, { style: 'compact', lang: 'en' }, '1.5w'],
    [45, { style: 'compact', lang: 'en' }, '1.5m'],
    // verbose
    [45, { style: 'verbose' }, '1 mês, 2 semanas e 1 dia'],
    [45, { style: 'verbose', lang: 'en' }, '1 month, 2 weeks and 1 day'],
    [7, { style: 'verbose' }, '1 semana'],
    [0, { style: 'verbose' }, '0 dias'],
    [0, { style: 'verbose', lang: 'en' }, '0 days'],
    [10, { style: 'verbose' }, '1 semana e 3 dias'],
    [10.5, { style: 'verbose', lang: 'en' }, '1 week and 3.5 days'],
    [60, { style: 'verbose' }, '2 meses'],
    [37, { style: 'verbose', lang: 'en' }, '1 month and 1 week'],
    [31.5, { style: 'verbose' }, '1 mês e 1.5 dias'],
    [6.96, { style: 'verbose' }, '1 semana'], // rounds to 7.0 before decomposing
  ])('%d with %j -> %j', (days, options, expected) => {
    expect(formatDuration(days, options)).toBe(expected);
  });

  test.each<[string, unknown]>([
    ['negative', -1],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['string', '3'],
    ['null', null],
    ['too large', Number.MAX_SAFE_INTEGER],
  ])('%s days -> INVALID_ARGUMENT', (_name, days) => {
    expectCode(() => formatDuration(days as number), 'INVALID_ARGUMENT');
  });

  test.each<[string, unknown]>([
    ['style', { style: 'fancy' }],
    ['lang', { lang: 'fr' }],
  ])('unknown %s -> INVALID_ARGUMENT', (_name, options) => {
    expectCode(() => formatDuration(1, options as FormatOptions), 'INVALID_ARGUMENT');
  });
});

describe('formatDurationRange', () => {
  test.each<[number, number, FormatOptions | undefined, string]>([
    [7, 14, undefined, '1-2 semanas'],
    [7, 14, { style: 'compact' }, '1-2w'],
    [7, 14, { lang: 'en' }, '1-2 weeks'],
    [10, 30, undefined, '10 dias - 1 mês'],
    [10, 30, { lang: 'en' }, '10 days - 1 month'],
    [10, 30, { style: 'compact' }, '10d - 1m'],
    [1, 3, undefined, '1-3 dias'],
    [0, 1, { lang: 'en' }, '0-1 days'], // a range always takes the plural
    [30, 45, undefined, '1-1.5 meses'],
    [7, 7, undefined, '1 semana'], // identical ends collapse
    [0, 0, { style: 'compact' }, '0d'],
    [45, 60, { style: 'verbose' }, '1 mês, 2 semanas e 1 dia - 2 meses'],
    [7, 7, { style: 'verbose', lang: 'en' }, '1 week'],
  ])('%d..%d with %j -> %j', (min, max, options, expected) => {
    expect(formatDurationRange(min, max, options)).toBe(expected);
  });

  test.each<[string, unknown, unknown]>([
    ['min > max', 14, 7],
    ['negative min', -1, 7],
    ['NaN max', 1, Number.NaN],
    ['infinite max', 1, Number.POSITIVE_INFINITY],
    ['string min', '1', 7],
  ])('%s -> INVALID_ARGUMENT', (_name, min, max) => {
    expectCode(() => formatDurationRange(min as number, max as number), 'INVALID_ARGUMENT');
  });
});

describe('calendar', () => {
  // 2024-01-05 is a Friday, 2024-01-06 Saturday, 2024-01-07 Sunday, 2024-01-08 Monday.
  test.each<[string, string, number]>([
    ['2024-01-05', '2024-01-08', 1], // Fri -> Mon
    ['2024-01-01', '2024-01-08', 5], // Mon -> next Mon
    ['2024-01-08', '2024-01-08', 0],
    ['2024-01-08', '2024-01-09', 1],
    ['2024-01-06', '2024-01-07', 0], // Sat -> Sun
    ['2024-01-06', '2024-01-08', 0], // Sat -> Mon
    ['2024-01-06', '2024-01-09', 1], // Sat -> Tue
    ['2024-01-01', '2024-02-01', 23],
    ['2024-01-08', '2024-01-05', -1], // reversed: negative
    ['2024-01-08', '2024-01-01', -5],
    ['2024-01-07', '2024-01-06', 0], // reversed weekend: 0, not -0
    ['2023-12-29', '2024-01-02', 2], // across a year boundary
  ])('businessDaysBetween(%s, %s) = %d', (start, end, expected) => {
    expect(businessDaysBetween(start, end)).toBe(expected);
  });

  test.each<[string, number, string]>([
    ['2024-01-05', 1, '2024-01-08'], // Fri + 1 = Mon
    ['2024-01-01', 5, '2024-01-08'], // Mon + 5 = next Mon
    ['2024-01-05', 0, '2024-01-05'],
    ['2024-01-06', 0, '2024-01-06'], // n = 0 keeps a weekend start unchanged
    ['2024-01-06', 1, '2024-01-08'], // Sat + 1 = Mon
    ['2024-01-07', 1, '2024-01-08'], // Sun + 1 = Mon
    ['2024-01-01', 1, '2024-01-02'],
    ['2024-01-04', 2, '2024-01-08'], // Thu + 2 = Mon
    ['2024-01-01', 10, '2024-01-15'],
    ['2024-01-01', 260, '2024-12-30'],
  ])('addBusinessDays(%s, %d) = %s', (start, n, expected) => {
    expect(addBusinessDays(start, n)).toBe(expected);
  });

  test.each<[string, string, number]>([
    ['2024-01-01', '2024-01-31', 30],
    ['2024-01-31', '2024-01-01', -30],
    ['2024-02-28', '2024-03-01', 2], // leap year
    ['2023-02-28', '2023-03-01', 1],
    ['1999-12-31', '2000-01-01', 1],
    ['2024-01-01', '2025-01-01', 366],
    ['0000-01-01', '9999-12-31', 3652424],
  ])('calendarDaysBetween(%s, %s) = %d', (start, end, expected) => {
    expect(calendarDaysBetween(start, end)).toBe(expected);
  });

  test.each<[string, number, string]>([
    ['2024-01-31', 1, '2024-02-01'],
    ['2024-02-28', 1, '2024-02-29'],
    ['2100-02-28', 1, '2100-03-01'], // 2100 is not a leap year
    ['2000-02-28', 1, '2000-02-29'], // 2000 is
    ['2024-03-01', -1, '2024-02-29'],
    ['2024-01-01', 0, '2024-01-01'],
    ['0050-03-01', -1, '0050-02-28'], // two-digit years are not shifted to 19xx
  ])('addCalendarDays(%s, %d) = %s', (start, n, expected) => {
    expect(addCalendarDays(start, n)).toBe(expected);
  });

  test.each<[string, string, 'calendar' | 'business', string]>([
    ['2024-01-05', '3 days', 'calendar', '2024-01-08'],
    ['2024-01-05', '1 dia', 'business', '2024-01-08'],
    ['2024-01-01', '1 week', 'calendar', '2024-01-08'],
    ['2024-01-01', '1 semana', 'business', '2024-01-10'], // 7 business days
    ['2024-01-01', '1.5 days', 'calendar', '2024-01-03'], // rounded up to 2
    ['2024-01-01', '1 hour', 'calendar', '2024-01-02'], // rounded up to 1
    ['2024-01-01', '24 horas', 'calendar', '2024-01-02'],
    ['2024-01-01', '0.1 days 0.2 days 0.7 days', 'calendar', '2024-01-02'], // float sum ~1
    ['2024-01-01', '1 month', 'calendar', '2024-02-01'], // 30.4375 -> 31
    ['2024-01-01', '12 months', 'calendar', '2025-01-01'], // 365.25 -> 366 in a leap year
  ])('endDate(%s, %j, %s) = %s', (start, text, mode, expected) => {
    expect(endDate(start, text, mode)).toBe(expected);
  });

  test.each<[string, unknown]>([
    ['non-existent day', '2024-02-30'],
    ['non-leap Feb 29', '2023-02-29'],
    ['month 13', '2024-13-01'],
    ['month 0', '2024-00-10'],
    ['day 0', '2024-01-00'],
    ['day 32', '2024-01-32'],
    ['word', 'yesterday'],
    ['empty', ''],
    ['no padding', '2024-1-5'],
    ['slashes', '2024/01/05'],
    ['time part', '2024-01-05T00:00:00Z'],
    ['surrounding space', ' 2024-01-05'],
    ['trailing newline', '2024-01-05\n'],
    ['five-digit year', '12024-01-05'],
    ['non-ASCII digits', '２０２４-01-05'],
    ['number', 20240105],
    ['Date object', new Date(0)],
  ])('invalid date (%s) -> INVALID_DATE', (_name, date) => {
    expectCode(() => calendarDaysBetween(date as string, '2024-01-01'), 'INVALID_DATE');
    expectCode(() => businessDaysBetween('2024-01-01', date as string), 'INVALID_DATE');
    expectCode(() => addCalendarDays(date as string, 1), 'INVALID_DATE');
    expectCode(() => addBusinessDays(date as string, 1), 'INVALID_DATE');
    expectCode(() => endDate(date as string, '1 day', 'calendar'), 'INVALID_DATE');
  });

  test.each<[string, unknown]>([
    ['negative', -1],
    ['fraction', 1.5],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['unsafe integer', 2 ** 60],
    ['string', '1'],
  ])('addBusinessDays with %s n -> INVALID_ARGUMENT', (_name, n) => {
    expectCode(() => addBusinessDays('2024-01-01', n as number), 'INVALID_ARGUMENT');
  });

  test.each<[string, unknown]>([
    ['fraction', 0.5],
    ['NaN', Number.NaN],
    ['-Infinity', Number.NEGATIVE_INFINITY],
  ])('addCalendarDays with %s n -> INVALID_ARGUMENT', (_name, n) => {
    expectCode(() => addCalendarDays('2024-01-01', n as number), 'INVALID_ARGUMENT');
  });

  test.each<[string, () => unknown]>([
    ['addCalendarDays past 9999', () => addCalendarDays('9999-12-31', 1)],
    ['addCalendarDays before 0000', () => addCalendarDays('0000-01-01', -1)],
    ['addBusinessDays past 9999', () => addBusinessDays('9999-12-31', 1)],
    ['huge addBusinessDays', () => addBusinessDays('2024-01-01', Number.MAX_SAFE_INTEGER)],
    ['huge endDate', () => endDate('2024-01-01', `${'9'.repeat(100)} months`, 'calendar')],
    ['unknown mode', () => endDate('2024-01-01', '1 day', 'weekly' as 'calendar')],
  ])('%s -> INVALID_ARGUMENT', (_name, fn) => {
    expectCode(fn, 'INVALID_ARGUMENT');
  });

  test('endDate with a bad duration -> INVALID_DURATION', () => {
    expectCode(() => endDate('2024-01-01', 'soon', 'business'), 'INVALID_DURATION');
    expectCode(() => endDate('2024-01-01', '0 days', 'calendar'), 'INVALID_DURATION');
  });
});
