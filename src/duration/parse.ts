import { DurationError, describeValue, quote } from './errors';

export type DurationUnit = 'hour' | 'day' | 'week' | 'month';

export interface DurationPart {
  readonly value: number;
  readonly unit: DurationUnit;
}

export interface ParsedDuration {
  /** Sum of all parts, in (possibly fractional) days. */
  readonly days: number;
  readonly parts: readonly DurationPart[];
}

/** Longer texts are rejected before any scanning, so hostile input costs O(1). */
export const MAX_DURATION_TEXT_LENGTH = 200;

/**
 * Days per unit as numerator / denominator: dividing last keeps "24 hours" exactly 1 day, and a
 * month is the mean Gregorian month, 365.25 / 12 = 30.4375 (exact in binary floating point).
 */
const UNIT_RATIO: Readonly<Record<DurationUnit, readonly [number, number]>> = {
  hour: [1, 24],
  day: [1, 1],
  week: [7, 1],
  month: [365.25, 12],
};

const UNIT_WORDS: ReadonlyMap<string, DurationUnit> = new Map<string, DurationUnit>([
  ['hour', 'hour'],
  ['hours', 'hour'],
  ['hora', 'hour'],
  ['horas', 'hour'],
  ['day', 'day'],
  ['days', 'day'],
  ['dia', 'day'],
  ['dias', 'day'],
  ['week', 'week'],
  ['weeks', 'week'],
  ['semana', 'week'],
  ['semanas', 'week'],
  ['month', 'month'],
  ['months', 'month'],
  ['mes', 'month'],
  ['meses', 'month'],
  ['mês', 'month'],
]);

/** Words allowed between two parts ("2 weeks and 3 days", "1 semana e 2 dias"). */
const CONNECTOR_WORDS: ReadonlySet<string> = new Set(['and', 'e']);

/** Converts one part to days. */
export function partToDays(value: number, unit: DurationUnit): number {
  const [numerator, denominator] = UNIT_RATIO[unit];
  return (value * numerator) / denominator;
}

type Token =
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  | { readonly kind: 'word'; readonly text: string }
  | { readonly kind: 'symbol'; readonly text: string };

// Single-character tests only: no regex ever sees more than one character, so nothing can backtrack.
const isDigit = (ch: string): boolean => ch >= '0' && ch <= '9';
const isSpace = (ch: string): boolean => ch !== '' && /\s/.test(ch);
const isLetter = (ch: string): boolean => ch !== '' && /\p{L}/u.test(ch);

function invalid(text: string, reason: string): DurationError {
  return new DurationError('INVALID_DURATION', `Invalid duration ${quote(text)}: ${reason}`);
}

/** End index of the number starting at `start`: digits, optionally '.' or ',' and more digits. */
function scanNumber(source: string, start: number): number {
  let end = start;
  while (isDigit(source.charAt(end))) end++;
  const separator = source.charAt(end);
  // A ',' not followed by a digit is a part separator ("1 week, 2 days"), not a decimal comma.
  if ((separator === '.' || separator === ',') && isDigit(source.charAt(end + 1))) {
    end++;
    while (isDigit(source.charAt(end))) end++;
  }
  return end;
}

function scanWord(source: string, start: number): number {
  let end = start;
  while (isLetter(source.charAt(end))) end++;
  return end;
}

/** Splits normalized text into numbers, words and ',' / '+' symbols, in one linear pass. */
function tokenize(source: string, original: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source.charAt(i);
    if (isSpace(ch)) {
      i++;
    } else if (isDigit(ch)) {
      const end = scanNumber(source, i);
      const text = source.slice(i, end);
      tokens.push({ kind: 'number', value: Number(text.replace(',', '.')), text });
      i = end;
    } else if (isLetter(ch)) {
      const end = scanWord(source, i);
      const text = source.slice(i, end);
      // "3days" is fine, but "days4" is almost certainly a typo: require a separator.
      if (isDigit(source.charAt(end))) {
        throw invalid(original, `missing space between ${quote(text)} and the number after it`);
      }
      tokens.push({ kind: 'word', text });
      i = end;
    } else if (ch === ',' || ch === '+') {
      tokens.push({ kind: 'symbol', text: ch });
      i++;
    } else if (ch === '-') {
      throw invalid(original, "'-' is not allowed: durations cannot be negative");
    } else {
      throw invalid(original, `unexpected character ${quote(ch)}`);
    }
  }
  return tokens;
}

function isConnector(token: Token): boolean {
  return token.kind === 'symbol' || (token.kind === 'word' && CONNECTOR_WORDS.has(token.text));
}

/** Reads `number unit ([connector] number unit)*`; at most one connector between parts. */
function readParts(tokens: readonly Token[], original: string): DurationPart[] {
  const parts: DurationPart[] = [];
  let i = 0;
  for (;;) {
    const numberToken = tokens[i];
    if (numberToken === undefined) throw invalid(original, 'expected a number');
    if (numberToken.kind !== 'number') {
      const reason =
        numberToken.kind === 'word' && UNIT_WORDS.has(numberToken.text)
          ? `missing number before ${quote(numberToken.text)}`
          : `expected a number, found ${quote(numberToken.text)}`;
      throw invalid(original, reason);
    }
    const unitToken = tokens[i + 1];
    if (unitToken === undefined) {
      throw invalid(original, `missing unit after ${quote(numberToken.text)}`);
    }
    const unit = unitToken.kind === 'word' ? UNIT_WORDS.get(unitToken.text) : undefined;
    if (unit === undefined) {
      const reason =
        unitToken.kind === 'word'
          ? `unknown unit ${quote(unitToken.text)}`
          : `missing unit after ${quote(numberToken.text)}`;
      throw invalid(original, reason);
    }
    if (!Number.isFinite(numberToken.value)) {
      throw invalid(original, `${quote(numberToken.text)} is not a finite number`);
    }
    parts.push({ value: numberToken.value, unit });
    i += 2;

    const next = tokens[i];
    if (next === undefined) return parts;
    if (isConnector(next)) {
      i++;
      if (tokens[i] === undefined) throw invalid(original, `nothing after ${quote(next.text)}`);
    }
  }
}

/**
 * Parses "3 days", "1,5 semanas", "2 weeks and 3 days", "1 semana e 2 dias", "1 week, 2 days".
 * Throws DurationError('INVALID_DURATION') for anything else, including a zero total.
 */
export function parseDuration(text: string): ParsedDuration {
  if (typeof text !== 'string') {
    throw new DurationError(
      'INVALID_DURATION',
      `Invalid duration: expected a string, got ${describeValue(text)}`,
    );
  }
  if (text.length > MAX_DURATION_TEXT_LENGTH) {
    throw invalid(text, `longer than ${MAX_DURATION_TEXT_LENGTH} characters`);
  }
  // NFC so a decomposed "mês" (e + combining circumflex) matches the composed spelling.
  const source = text.trim().normalize('NFC').toLowerCase();
  if (source === '') throw invalid(text, 'text is empty');

  const parts = readParts(tokenize(source, text), text);
  const days = parts.reduce((sum, part) => sum + partToDays(part.value, part.unit), 0);
  if (!Number.isFinite(days)) throw invalid(text, 'total is not a finite number');
  if (days <= 0) throw invalid(text, 'total must be greater than zero');
  return { days, parts };
}
