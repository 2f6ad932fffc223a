/**
 * Pass/fail thresholds as data, in the spirit of k6's `p(99) < 50ms`: a line of text parses to
 * plain JSON (`{ text, metric, op, value }`, the value normalised to one unit per metric), so
 * thresholds can live in config files and reports, and be evaluated against any load level.
 *
 *   latency     p50 p90 p99 p99.9 max mean (or p(99)...)  unit required: us, ms, s -> micros
 *   errors      error rate, 0.1% or 0.001                                         -> fraction
 *   violations  a count of wrong results                                          -> integer
 *   throughput  (alias ops/s) operations per second, optionally suffixed /s        -> ops/s
 *   achieved    share of the offered load served (open-model runs), 95% or 0.95    -> fraction
 */

export type ThresholdOp = '<' | '<=' | '>' | '>=' | '==';
export type LatencyMetric = 'p50' | 'p90' | 'p99' | 'p99.9' | 'max' | 'mean';
export type ThresholdMetric = LatencyMetric | 'errors' | 'violations' | 'throughput' | 'achieved';

export interface Threshold {
  /** The canonical form, e.g. "p99 < 20ms" (what formatThreshold prints). */
  readonly text: string;
  readonly metric: ThresholdMetric;
  readonly op: ThresholdOp;
  /** Microseconds (latency), a fraction 0..1 (errors, achieved), a count, or ops/s. */
  readonly value: number;
}

/** What one load level measured, in the units thresholds are normalised to. */
export interface LevelMetrics {
  readonly latencyMicros: {
    readonly p50: number;
    readonly p90: number;
    readonly p99: number;
    readonly p999: number;
    readonly max: number;
    readonly mean: number;
  };
  /** Failed calls (of the kinds that count as errors) over all calls, 0..1. */
  readonly errorRate: number;
  readonly violations: number;
  readonly operationsPerSecond: number;
  /** Served over offered load, 0..1; only open-model (fixed arrival rate) runs have one. */
  readonly achievedRatio?: number;
}

export interface ThresholdResult {
  readonly threshold: Threshold;
  /** In the threshold's unit; null when the metric does not apply to this run. */
  readonly observed: number | null;
  readonly passed: boolean;
}

export class ThresholdError extends Error {
  override readonly name = 'ThresholdError';

  constructor(
    /** The text that failed to parse, as given. */
    readonly text: string,
    message: string,
  ) {
    super(message);
  }
}

export const THRESHOLD_OPS: readonly ThresholdOp[] = ['<', '<=', '>', '>=', '=='];
export const LATENCY_METRICS: readonly LatencyMetric[] = [
  'p50',
  'p90',
  'p99',
  'p99.9',
  'max',
  'mean',
];
export const THRESHOLD_METRICS: readonly ThresholdMetric[] = [
  ...LATENCY_METRICS,
  'errors',
  'violations',
  'throughput',
  'achieved',
];

const VALID_METRICS_TEXT = `${LATENCY_METRICS.join(', ')}, errors, violations, throughput (ops/s), achieved`;
const VALID_OPS_TEXT = THRESHOLD_OPS.join(' ');

/** Spellings of each metric (lower case): ours, plus k6's `p(99)`. */
const METRIC_ALIASES: Readonly<Record<string, ThresholdMetric>> = {
  ...Object.fromEntries(LATENCY_METRICS.map((m) => [m, m])),
  ...Object.fromEntries(['p50', 'p90', 'p99', 'p99.9'].map((m) => [`p(${m.slice(1)})`, m])),
  errors: 'errors',
  violations: 'violations',
  throughput: 'throughput',
  'ops/s': 'throughput',
  achieved: 'achieved',
};

/** Latency units to microseconds; both the micro sign and the Greek mu are accepted. */
const LATENCY_UNITS: Readonly<Record<string, number>> = {
  us: 1,
  µs: 1,
  μs: 1,
  ms: 1_000,
  s: 1_000_000,
};

// Parsed values are rounded to a fixed grid, so float noise ("1.1ms" = 1100.0000000000002 us)
// never reaches the data and format -> parse gives back the very same number.
const MICROS_DECIMALS = 3;
const FRACTION_DECIMALS = 9;
const RATE_DECIMALS = 6;

/** Longest slice of the input echoed in a message. */
const MAX_QUOTED_LENGTH = 80;

export function parseThreshold(text: string): Threshold {
  if (typeof text !== 'string') {
    throw new ThresholdError(String(text), `A threshold must be a string, got ${typeof text}`);
  }
  const fail = (problem: string): never => {
    throw new ThresholdError(text, `Threshold ${quote(text)} ${problem}`);
  };
  if (text.trim() === '') {
    throw new ThresholdError(
      text,
      'A threshold is empty: write <metric> <op> <value>, e.g. "p99 < 20ms"',
    );
  }
  const split = /^([^<>=!]*)([<>=!]+)(.*)$/s.exec(text);
  if (split === null) {
    return fail(`has no comparison: write <metric> <op> <value> with op one of ${VALID_OPS_TEXT}`);
  }
  const [, metricPart = '', opPart = '', valuePart = ''] = split;
  if (!isOp(opPart)) return fail(`has an unknown comparison "${opPart}": use ${VALID_OPS_TEXT}`);
  if (/[<>=]/.test(valuePart)) return fail('has more than one comparison: write one per line');

  const metricName = metricPart.trim().toLowerCase();
  if (metricName === '') {
    return fail(`names no metric before "${opPart}": use ${VALID_METRICS_TEXT}`);
  }
  const metric = METRIC_ALIASES[metricName];
  if (metric === undefined) {
    return fail(`has an unknown metric ${quote(metricPart.trim())}: use ${VALID_METRICS_TEXT}`);
  }

  const valueText = valuePart.trim();
  if (valueText === '') return fail(`has no value after "${opPart}"`);
  const number = /^(\d+(?:\.\d+)?|\.\d+)\s*(.*)$/s.exec(valueText);
  if (number === null) {
    if (valueText.startsWith('-')) return fail('has a negative value: bounds are never negative');
    return fail(`has a value that is not a number: ${quote(valueText)}`);
  }
  const amount = Number(number[1]);
  const suffix = (number[2] ?? '').toLowerCase();
  if (!Number.isFinite(amount)) return fail('has a value too large to be a number');

  const op: ThresholdOp = opPart;
  const value = normalisedValue(metric, op, amount, suffix, fail);
  return { text: formatThreshold({ metric, op, value }), metric, op, value };
}

export function parseThresholds(texts: readonly string[]): Threshold[] {
  return texts.map(parseThreshold);
}

/** The canonical text: metric, op and value in the unit that reads best for the value. */
export function formatThreshold(threshold: Pick<Threshold, 'metric' | 'op' | 'value'>): string {
  return `${threshold.metric} ${threshold.op} ${formatValue(threshold.metric, threshold.value, threshold.value)}`;
}

export function evaluateThresholds(
  thresholds: readonly Threshold[],
  metrics: LevelMetrics,
): ThresholdResult[] {
  return thresholds.map((threshold) => {
    const observed = observedValue(threshold.metric, metrics);
    // `achieved` means nothing for a closed-loop run (no offered load): it does not apply.
    if (observed === null) return { threshold, observed, passed: true };
    return { threshold, observed, passed: compare(observed, threshold.op, threshold.value) };
  });
}

export function allPassed(results: readonly ThresholdResult[]): boolean {
  return results.every((result) => result.passed);
}

/** The observed value in the threshold's own unit, e.g. "p99 = 23.4ms" for "p99 < 20ms". */
export function formatObserved(result: ThresholdResult): string {
  const { metric, value } = result.threshold;
  if (result.observed === null) return `${metric} = n/a (not an open-model run)`;
  return `${metric} = ${formatValue(metric, result.observed, value, true)}`;
}

function isOp(text: string): text is ThresholdOp {
  return (THRESHOLD_OPS as readonly string[]).includes(text);
}

function normalisedValue(
  metric: ThresholdMetric,
  op: ThresholdOp,
  amount: number,
  suffix: string,
  fail: (problem: string) => never,
): number {
  switch (metric) {
    case 'errors':
    case 'achieved':
      return fractionOf(metric, amount, suffix, fail);
    case 'violations':
      if (suffix !== '') return fail(`has stray characters after the count: ${quote(suffix)}`);
      if (!Number.isInteger(amount)) return fail('needs a whole number of violations');
      return amount;
    case 'throughput':
      if (suffix !== '' && suffix !== '/s' && suffix !== 'ops/s') {
        return fail(`has an unknown unit ${quote(suffix)}: throughput is a plain number or "/s"`);
      }
      return roundTo(amount, RATE_DECIMALS);
    default: {
      const example = `${metric} ${op} ${amount}ms`;
      if (suffix === '') return fail(`needs a unit: us, ms or s (e.g. ${quote(example)})`);
      const factor = LATENCY_UNITS[suffix];
      if (factor === undefined)
        return fail(`has an unknown unit ${quote(suffix)}: use us, ms or s`);
      return roundTo(amount * factor, MICROS_DECIMALS);
    }
  }
}

function fractionOf(
  metric: 'errors' | 'achieved',
  amount: number,
  suffix: string,
  fail: (problem: string) => never,
): number {
  const what = metric === 'errors' ? 'an error rate' : 'the share of the offered load served';
  const example = metric === 'errors' ? '"errors < 0.1%"' : '"achieved >= 95%"';
  if (suffix === '%') {
    if (amount > 100) return fail(`is over 100%: ${what} is at most 100%`);
    return roundTo(amount / 100, FRACTION_DECIMALS);
  }
  if (suffix !== '') return fail(`has an unknown unit ${quote(suffix)}: use "%" or a fraction`);
  if (amount > 1) {
    return fail(`is over 1: ${what} is a fraction from 0 to 1 or a percentage (e.g. ${example})`);
  }
  return roundTo(amount, FRACTION_DECIMALS);
}

function observedValue(metric: ThresholdMetric, metrics: LevelMetrics): number | null {
  switch (metric) {
    case 'errors':
      return metrics.errorRate;
    case 'violations':
      return metrics.violations;
    case 'throughput':
      return metrics.operationsPerSecond;
    case 'achieved':
      return metrics.achievedRatio ?? null;
    case 'p99.9':
      return metrics.latencyMicros.p999;
    default:
      return metrics.latencyMicros[metric];
  }
}

function compare(observed: number, op: ThresholdOp, bound: number): boolean {
  switch (op) {
    case '<':
      return observed < bound;
    case '<=':
      return observed <= bound;
    case '>':
      return observed > bound;
    case '>=':
      return observed >= bound;
    case '==':
      return observed === bound;
  }
}

/**
 * `value` in the unit chosen for `unitValue` (the threshold's own value, so an observed figure
 * reads in the same unit as its bound). Canonical text keeps every digit of the grid; an observed
 * figure is shown to three decimals (more when that would hide a non-zero value).
 */
function formatValue(
  metric: ThresholdMetric,
  value: number,
  unitValue: number,
  observed = false,
): string {
  const show = (n: number, decimals: number) => (observed ? readable(n) : decimal(n, decimals));
  switch (metric) {
    case 'errors':
    case 'achieved':
      return `${show(value * 100, FRACTION_DECIMALS - 2)}%`;
    case 'violations':
      return show(value, 0);
    case 'throughput':
      return `${show(value, RATE_DECIMALS)}/s`;
    default: {
      const [unit, factor, decimals] = latencyUnitFor(unitValue);
      return `${show(value / factor, decimals)}${unit}`;
    }
  }
}

function latencyUnitFor(micros: number): [unit: string, factor: number, decimals: number] {
  if (micros >= 1_000_000) return ['s', 1_000_000, MICROS_DECIMALS + 6];
  if (micros >= 1_000 || micros === 0) return ['ms', 1_000, MICROS_DECIMALS + 3];
  return ['us', 1, MICROS_DECIMALS];
}

/** Fixed-point text without trailing zeros (never exponent notation, which we do not parse). */
function decimal(n: number, decimals: number): string {
  const text = n.toFixed(decimals);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

function readable(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  const short = decimal(n, 3);
  return short === '0' && n !== 0 ? String(Number(n.toPrecision(3))) : short;
}

function roundTo(n: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(n * scale) / scale;
}

function quote(input: string): string {
  const shown = input.length > MAX_QUOTED_LENGTH ? `${input.slice(0, MAX_QUOTED_LENGTH)}…` : input;
  return JSON.stringify(shown);
}
