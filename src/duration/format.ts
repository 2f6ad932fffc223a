import { DurationError, describeValue } from './errors';

export type FormatStyle = 'standard' | 'compact' | 'verbose';
export type Language = 'pt' | 'en';

export interface FormatOptions {
  readonly style?: FormatStyle;
  readonly lang?: Language;
}

type FormatUnit = 'day' | 'week' | 'month';

/** A value already rounded to one decimal, in the unit it will be shown in. */
interface Measure {
  readonly unit: FormatUnit;
  readonly value: number;
}

/** Formatting uses 30-day months, as the original tracker did (parsing uses 30.4375). */
const UNIT_DAYS: Readonly<Record<FormatUnit, number>> = { day: 1, week: 7, month: 30 };

/**
 * Above this, days * 10 is no longer an exact integer, so one-decimal rounding (and the
 * verbose decomposition, done in integer tenths of a day) would silently lose precision.
 */
const MAX_FORMAT_DAYS = Number.MAX_SAFE_INTEGER / 10;

const LABELS: Readonly<Record<Language, Readonly<Record<FormatUnit, readonly [string, string]>>>> =
  {
    pt: { day: ['dia', 'dias'], week: ['semana', 'semanas'], month: ['mês', 'meses'] },
    en: { day: ['day', 'days'], week: ['week', 'weeks'], month: ['month', 'months'] },
  };

/** Same letters in both languages, so compact output is language-neutral. */
const COMPACT_SUFFIX: Readonly<Record<FormatUnit, string>> = { day: 'd', week: 'w', month: 'm' };

const LAST_JOINER: Readonly<Record<Language, string>> = { pt: ' e ', en: ' and ' };

const STYLES: readonly string[] = ['standard', 'compact', 'verbose'];
const LANGUAGES: readonly string[] = ['pt', 'en'];

function invalidArgument(message: string): DurationError {
  return new DurationError('INVALID_ARGUMENT', message);
}

function checkDays(value: number, name: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw invalidArgument(
      `Invalid ${name}: expected a finite, non-negative number of days, got ${describeValue(value)}`,
    );
  }
  if (value > MAX_FORMAT_DAYS) {
    throw invalidArgument(`Invalid ${name}: ${value} days is too large to format`);
  }
  return value;
}

function resolveOptions(options: FormatOptions | undefined): Required<FormatOptions> {
  const style = options?.style ?? 'standard';
  const lang = options?.lang ?? 'pt';
  if (!STYLES.includes(style)) {
    throw invalidArgument(`Invalid style ${describeValue(style)}: expected ${STYLES.join(', ')}`);
  }
  if (!LANGUAGES.includes(lang)) {
    throw invalidArgument(`Invalid lang ${describeValue(lang)}: expected ${LANGUAGES.join(', ')}`);
  }
  return { style, lang };
}

function roundToTenth(value: number): number {
  return Math.round(value * 10) / 10;
}

/** Whole numbers without ".0", everything else with exactly one decimal. */
function showNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}

/** Weeks only when days / 7 has at most one decimal, so "10 days" never becomes "1.4 weeks". */
function isWholeTenthOfWeeks(days: number): boolean {
  const tenths = (days / 7) * 10;
  return Math.abs(tenths - Math.round(tenths)) < 1e-9;
}

function chooseUnit(days: number): FormatUnit {
  if (days >= UNIT_DAYS.month) return 'month';
  if (days >= UNIT_DAYS.week && isWholeTenthOfWeeks(days)) return 'week';
  return 'day';
}

function measure(days: number): Measure {
  const unit = chooseUnit(days);
  return { unit, value: roundToTenth(days / UNIT_DAYS[unit]) };
}

function label(unit: FormatUnit, value: number, lang: Language): string {
  const [singular, plural] = LABELS[lang][unit];
  return value === 1 ? singular : plural;
}

function render({ unit, value }: Measure, style: 'standard' | 'compact', lang: Language): string {
  if (style === 'compact') return `${showNumber(value)}${COMPACT_SUFFIX[unit]}`;
  return `${showNumber(value)} ${label(unit, value, lang)}`;
}

/** "a", "a e b", "a, b e c" (pt) / "a, b and c" (en). */
function joinList(items: readonly string[], lang: Language): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')}${LAST_JOINER[lang]}${items[items.length - 1]}`;
}

/** Whole 30-day months, whole weeks, then days with one decimal; computed in integer tenths. */
function renderVerbose(days: number, lang: Language): string {
  const tenths = Math.round(days * 10);
  const months = Math.floor(tenths / 300);
  const weeks = Math.floor((tenths - months * 300) / 70);
  const dayValue = (tenths - months * 300 - weeks * 70) / 10;
  const pieces: Measure[] = [
    { unit: 'month', value: months },
    { unit: 'week', value: weeks },
    { unit: 'day', value: dayValue },
  ];
  const shown = pieces.filter((piece) => piece.value > 0);
  if (shown.length === 0) return render({ unit: 'day', value: 0 }, 'standard', lang);
  return joinList(
    shown.map((piece) => render(piece, 'standard', lang)),
    lang,
  );
}

/**
 * Formats a number of days with the largest "nice" unit: "1 dia", "1.5 semanas", "3.3 meses"
 * (standard), "1.5w" (compact) or "1 mês, 2 semanas e 1 dia" (verbose).
 */
export function formatDuration(days: number, options?: FormatOptions): string {
  const value = checkDays(days, 'days');
  const { style, lang } = resolveOptions(options);
  if (style === 'verbose') return renderVerbose(value, lang);
  return render(measure(value), style, lang);
}

/**
 * "1-2 semanas" / "1-2w" when both ends show in the same unit, else "10 dias - 1 mês". A range
 * always takes the plural label; both ends rendering identically collapse to a single value.
 */
export function formatDurationRange(
  minDays: number,
  maxDays: number,
  options?: FormatOptions,
): string {
  const min = checkDays(minDays, 'minDays');
  const max = checkDays(maxDays, 'maxDays');
  if (min > max) {
    throw invalidArgument(`Invalid range: minDays (${min}) is greater than maxDays (${max})`);
  }
  const { style, lang } = resolveOptions(options);
  if (style === 'verbose') {
    const [low, high] = [renderVerbose(min, lang), renderVerbose(max, lang)];
    return low === high ? low : `${low} - ${high}`;
  }
  const low = measure(min);
  const high = measure(max);
  if (low.unit !== high.unit) return `${render(low, style, lang)} - ${render(high, style, lang)}`;
  if (low.value === high.value) return render(high, style, lang);
  const values = `${showNumber(low.value)}-${showNumber(high.value)}`;
  if (style === 'compact') return `${values}${COMPACT_SUFFIX[high.unit]}`;
  return `${values} ${LABELS[lang][high.unit][1]}`;
}
