import { DurationError, describeValue, quote } from './errors';
import { parseDuration } from './parse';

export type EndDateMode = 'calendar' | 'business';

/**
 * Dates are handled as day numbers (days since 1970-01-01, proleptic Gregorian) computed with
 * integer arithmetic, never through Date: no local time zone, no DST, and no Date.UTC quirk that
 * maps years 0-99 to 1900-1999.
 */

// Anchored, fixed-width and free of nested quantifiers: cannot backtrack.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Rounding slack for endDate: sums like 0.1 + 0.2 + 0.7 = 1.0000000000000002 must not become 2. */
const CEIL_EPSILON = 1e-9;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Howard Hinnant's days_from_civil. */
function dayNumberFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/** Howard Hinnant's civil_from_days. */
function civilFromDayNumber(dayNumber: number): [number, number, number] {
  const z = dayNumber + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36524) -
      Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  // Months are counted from March so the leap day falls at the end of the shifted year.
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return [year, month, day];
}

/** 'YYYY-MM-DD' only has four year digits, so results must stay within 0000-01-01..9999-12-31. */
const MIN_DAY_NUMBER = dayNumberFromCivil(0, 1, 1);
const MAX_DAY_NUMBER = dayNumberFromCivil(9999, 12, 31);

function outOfRange(): DurationError {
  return new DurationError(
    'INVALID_ARGUMENT',
    'Result date is outside the supported range 0000-01-01..9999-12-31',
  );
}

/** Strictly validates an ISO calendar date and returns its day number. */
function toDayNumber(date: string): number {
  if (typeof date !== 'string') {
    throw new DurationError(
      'INVALID_DATE',
      `Invalid date: expected a 'YYYY-MM-DD' string, got ${describeValue(date)}`,
    );
  }
  const match = ISO_DATE.exec(date);
  const [year, month, day] = match ? [match[1], match[2], match[3]].map(Number) : [];
  if (
    year === undefined ||
    month === undefined ||
    day === undefined ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    throw new DurationError(
      'INVALID_DATE',
      `Invalid date ${quote(date)}: expected a real calendar date as 'YYYY-MM-DD'`,
    );
  }
  return dayNumberFromCivil(year, month, day);
}

function fromDayNumber(dayNumber: number): string {
  if (!(dayNumber >= MIN_DAY_NUMBER && dayNumber <= MAX_DAY_NUMBER)) throw outOfRange();
  const [year, month, day] = civilFromDayNumber(dayNumber);
  const pad = (value: number, width: number): string => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/** 1970-01-01 (day 0) was a Thursday; returns 0 = Sunday .. 6 = Saturday. */
function weekday(dayNumber: number): number {
  return (((dayNumber + 4) % 7) + 7) % 7;
}

function isBusinessDay(dayNumber: number): boolean {
  const day = weekday(dayNumber);
  return day !== 0 && day !== 6;
}

/** Business days in [from, to), from <= to; whole weeks in O(1) so huge spans stay cheap. */
function countBusinessDays(from: number, to: number): number {
  const fullWeeks = Math.floor((to - from) / 7);
  let count = fullWeeks * 5;
  for (let day = from + fullWeeks * 7; day < to; day++) {
    if (isBusinessDay(day)) count++;
  }
  return count;
}

function checkInteger(n: number, name: string, allowNegative: boolean): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || (!allowNegative && n < 0)) {
    const expected = allowNegative ? 'an integer' : 'a non-negative integer';
    throw new DurationError(
      'INVALID_ARGUMENT',
      `Invalid ${name}: expected ${expected}, got ${describeValue(n)}`,
    );
  }
  return n;
}

/** Whole days from start to end (end - start); negative when end is before start. */
export function calendarDaysBetween(start: string, end: string): number {
  return toDayNumber(end) - toDayNumber(start);
}

/**
 * Monday-Friday days counted from start (included) up to end (excluded): Fri -> Mon = 1,
 * Mon -> next Mon = 5. When end < start the result is -businessDaysBetween(end, start), which
 * keeps the count additive: between(a, b) + between(b, c) === between(a, c).
 */
export function businessDaysBetween(start: string, end: string): number {
  const from = toDayNumber(start);
  const to = toDayNumber(end);
  // `0 - x` rather than `-x`: a reversed span without business days must give 0, not -0.
  return from <= to ? countBusinessDays(from, to) : 0 - countBusinessDays(to, from);
}

export function addCalendarDays(start: string, n: number): string {
  const from = toDayNumber(start);
  return fromDayNumber(from + checkInteger(n, 'number of days', true));
}

/**
 * The date reached after counting n business days strictly after start (Fri + 1 = Mon,
 * Mon + 5 = next Mon, Sat + 1 = Mon). n = 0 returns start unchanged, even on a weekend.
 */
export function addBusinessDays(start: string, n: number): string {
  const from = toDayNumber(start);
  const count = checkInteger(n, 'number of business days', false);
  if (count === 0) return start;
  // n business days span at least n calendar days; reject early so the walk below never runs on
  // day numbers beyond 2^53, where day++ would stop changing the value.
  if (count > MAX_DAY_NUMBER - from) throw outOfRange();
  // Any 7 consecutive days hold exactly 5 business days: jump whole weeks, then walk <= 7 days.
  const fullWeeks = Math.floor((count - 1) / 5);
  let day = from + fullWeeks * 7;
  let remaining = count - fullWeeks * 5;
  while (remaining > 0) {
    day++;
    if (isBusinessDay(day)) remaining--;
  }
  return fromDayNumber(day);
}

/** Parses the duration, rounds it up to whole days, then adds calendar or business days. */
export function endDate(start: string, durationText: string, mode: EndDateMode): string {
  toDayNumber(start);
  if (mode !== 'calendar' && mode !== 'business') {
    throw new DurationError(
      'INVALID_ARGUMENT',
      `Invalid mode ${describeValue(mode)}: expected 'calendar' or 'business'`,
    );
  }
  const { days } = parseDuration(durationText);
  // Parsed totals are > 0, so at least one day is added even for "1 hour".
  const wholeDays = Math.max(1, Math.ceil(days - CEIL_EPSILON));
  if (wholeDays > MAX_DAY_NUMBER - MIN_DAY_NUMBER) throw outOfRange();
  return mode === 'calendar'
    ? addCalendarDays(start, wholeDays)
    : addBusinessDays(start, wholeDays);
}
