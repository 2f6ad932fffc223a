/**
 * Thresholds as data: every metric and comparison parses to its normalised value, bad input
 * fails with a message that says what would be valid, evaluation is right at, below and above
 * each bound, and the canonical text parses back to the same threshold.
 */
import fc from 'fast-check';
import {
  THRESHOLD_METRICS,
  THRESHOLD_OPS,
  ThresholdError,
  allPassed,
  evaluateThresholds,
  formatObserved,
  formatThreshold,
  parseThreshold,
  parseThresholds,
  type LevelMetrics,
  type ThresholdMetric,
  type ThresholdOp,
} from '../src/engine/thresholds';

const METRICS: LevelMetrics = {
  latencyMicros: { p50: 1_000, p90: 5_000, p99: 23_400, p999: 61_000, max: 2_500_000, mean: 1_800 },
  errorRate: 0.0025,
  violations: 0,
  operationsPerSecond: 512.5,
};

describe('parseThreshold', () => {
  test.each<[string, ThresholdMetric, ThresholdOp, number, string]>([
    // Latency: every metric, every unit, normalised to microseconds.
    ['p50 < 20ms', 'p50', '<', 20_000, 'p50 < 20ms'],
    ['p90 <= 500us', 'p90', '<=', 500, 'p90 <= 500us'],
    ['p99 < 20ms', 'p99', '<', 20_000, 'p99 < 20ms'],
    ['p99.9 < 1.5s', 'p99.9', '<', 1_500_000, 'p99.9 < 1.5s'],
    ['max < 2s', 'max', '<', 2_000_000, 'max < 2s'],
    ['mean > 250µs', 'mean', '>', 250, 'mean > 250us'],
    ['mean >= 250μs', 'mean', '>=', 250, 'mean >= 250us'],
    ['p50 == 0.5ms', 'p50', '==', 500, 'p50 == 500us'],
    ['p99 < 1500us', 'p99', '<', 1_500, 'p99 < 1.5ms'],
    ['p99 < 1.1ms', 'p99', '<', 1_100, 'p99 < 1.1ms'],
    ['p99 < 0ms', 'p99', '<', 0, 'p99 < 0ms'],
    // k6 spelling, case and whitespace.
    ['p(99) < 50ms', 'p99', '<', 50_000, 'p99 < 50ms'],
    ['p(99.9)<=2s', 'p99.9', '<=', 2_000_000, 'p99.9 <= 2s'],
    ['P(50)>1MS', 'p50', '>', 1_000, 'p50 > 1ms'],
    ['  MAX   <   20 ms  ', 'max', '<', 20_000, 'max < 20ms'],
    ['Mean<.5s', 'mean', '<', 500_000, 'mean < 500ms'],
    // Error rate: a percentage or a fraction, normalised to a fraction.
    ['errors < 0.1%', 'errors', '<', 0.001, 'errors < 0.1%'],
    ['errors <= 0.001', 'errors', '<=', 0.001, 'errors <= 0.1%'],
    ['ERRORS == 0', 'errors', '==', 0, 'errors == 0%'],
    ['errors < 100 %', 'errors', '<', 1, 'errors < 100%'],
    ['errors > 1', 'errors', '>', 1, 'errors > 100%'],
    // Violations: a count.
    ['violations == 0', 'violations', '==', 0, 'violations == 0'],
    ['Violations<3', 'violations', '<', 3, 'violations < 3'],
    // Throughput and its alias, optionally per second.
    ['throughput >= 500', 'throughput', '>=', 500, 'throughput >= 500/s'],
    ['ops/s > 12.5/s', 'throughput', '>', 12.5, 'throughput > 12.5/s'],
    ['OPS/S >= 1000 ops/s', 'throughput', '>=', 1_000, 'throughput >= 1000/s'],
    // Achieved share of the offered load.
    ['achieved >= 95%', 'achieved', '>=', 0.95, 'achieved >= 95%'],
    ['achieved>=0.95', 'achieved', '>=', 0.95, 'achieved >= 95%'],
    ['achieved == 1', 'achieved', '==', 1, 'achieved == 100%'],
  ])('%j parses to %s %s %d', (text, metric, op, value, canonical) => {
    expect(parseThreshold(text)).toEqual({ text: canonical, metric, op, value });
  });

  test.each<[string, RegExp]>([
    ['p99 < 20', /^Threshold "p99 < 20" needs a unit: us, ms or s \(e\.g\. "p99 < 20ms"\)$/],
    ['', /empty: write <metric> <op> <value>/],
    ['   ', /empty/],
    ['p99 20ms', /has no comparison.*< <= > >= ==/],
    ['p99 = 20ms', /unknown comparison "=": use < <= > >= ==/],
    ['p99 => 20ms', /unknown comparison "=>"/],
    ['p99 != 20ms', /unknown comparison "!="/],
    ['p99 < 20ms < 30ms', /more than one comparison/],
    ['< 20ms', /names no metric before "<".*p99\.9/],
    ['p95 < 20ms', /unknown metric "p95": use p50, p90, p99, p99\.9, max, mean, errors/],
    ['p(95) < 20ms', /unknown metric "p\(95\)"/],
    ['latency < 20ms', /unknown metric "latency"/],
    ['p99 <', /no value after "<"/],
    ['p99 < ms', /not a number: "ms"/],
    ['p99 < NaN', /not a number: "NaN"/],
    ['p99 < Infinity ms', /not a number/],
    ['p99 < -5ms', /negative/],
    ['errors < -1%', /negative/],
    ['p99 < 20min', /unknown unit "min": use us, ms or s/],
    ['p99 < 20ms!', /unknown unit "ms!"/],
    ['p99 < 1e3ms', /unknown unit "e3ms"/],
    ['p99 < 20.ms', /unknown unit ".ms"/],
    ['errors < 101%', /over 100%/],
    ['achieved >= 150%', /over 100%/],
    ['errors < 5', /is over 1: .*fraction from 0 to 1 or a percentage \(e\.g\. "errors < 0\.1%"\)/],
    ['achieved >= 95', /is over 1: .*e\.g\. "achieved >= 95%"/],
    ['errors < 1ms', /unknown unit "ms": use "%" or a fraction/],
    ['violations < 1.5', /whole number/],
    ['violations < 2%', /stray characters after the count: "%"/],
    ['throughput > 5 per s', /unknown unit "per s".*plain number or "\/s"/],
    ['throughput > 5ms', /unknown unit "ms"/],
    [`p99 < 1${'0'.repeat(400)}ms`, /too large/],
  ])('%j throws a ThresholdError matching %s', (text, message) => {
    let caught: unknown;
    try {
      parseThreshold(text);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ThresholdError);
    const error = caught as ThresholdError;
    expect(error.name).toBe('ThresholdError');
    expect(error.text).toBe(text);
    expect(error.message).toMatch(message);
  });

  test('a long bad input is quoted truncated', () => {
    const text = `p99 < 20${'x'.repeat(500)}`;
    expect(() => parseThreshold(text)).toThrow(/…/);
    try {
      parseThreshold(text);
    } catch (error) {
      expect((error as Error).message.length).toBeLessThan(300);
    }
  });

  test('parseThresholds parses each line and fails on the first bad one', () => {
    expect(parseThresholds(['p99 < 20ms', 'errors < 1%']).map((t) => t.text)).toEqual([
      'p99 < 20ms',
      'errors < 1%',
    ]);
    expect(parseThresholds([])).toEqual([]);
    expect(() => parseThresholds(['p99 < 20ms', 'p99 < 20'])).toThrow(ThresholdError);
  });

  test('a threshold is plain JSON data', () => {
    const threshold = parseThreshold('p(99) < 20ms');
    expect(JSON.parse(JSON.stringify(threshold))).toEqual(threshold);
  });
});

describe('round trip', () => {
  test.each([
    'p99 < 20ms',
    'p99.9 <= 1.234567s',
    'mean > 0.001us',
    'max == 999.999us',
    'p50 >= 1.1ms',
    'errors < 0.0000001%',
    'errors < 33.3333333%',
    'achieved >= 99.99%',
    'violations == 12',
    'throughput > 0.000001',
  ])('parse(format(parse(%j))) is the same threshold', (text) => {
    const threshold = parseThreshold(text);
    expect(parseThreshold(formatThreshold(threshold))).toEqual(threshold);
    expect(threshold.text).toBe(formatThreshold(threshold));
  });

  test('holds for any metric, op and value on the grid', () => {
    const values: Record<string, fc.Arbitrary<number>> = {
      latency: fc.integer({ min: 0, max: 3_600_000_000_000 }).map((k) => k / 1_000),
      fraction: fc.integer({ min: 0, max: 1_000_000_000 }).map((k) => k / 1_000_000_000),
      violations: fc.integer({ min: 0, max: 1_000_000 }),
      throughput: fc.integer({ min: 0, max: 1_000_000_000_000 }).map((k) => k / 1_000_000),
    };
    const kindOf = (metric: ThresholdMetric) =>
      metric === 'errors' || metric === 'achieved'
        ? 'fraction'
        : metric === 'violations' || metric === 'throughput'
          ? metric
          : 'latency';
    const threshold = fc
      .record({
        metric: fc.constantFrom(...THRESHOLD_METRICS),
        op: fc.constantFrom(...THRESHOLD_OPS),
      })
      .chain(({ metric, op }) =>
        (values[kindOf(metric)] as fc.Arbitrary<number>).map((value) => ({ metric, op, value })),
      );
    fc.assert(
      fc.property(threshold, (t) => {
        const parsed = parseThreshold(formatThreshold(t));
        expect(parsed).toEqual({ ...t, text: formatThreshold(t) });
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('evaluateThresholds', () => {
  /** The metrics with one figure set to `observed` (in the normalised unit). */
  function withObserved(metric: ThresholdMetric, observed: number): LevelMetrics {
    switch (metric) {
      case 'errors':
        return { ...METRICS, errorRate: observed };
      case 'violations':
        return { ...METRICS, violations: observed };
      case 'throughput':
        return { ...METRICS, operationsPerSecond: observed };
      case 'achieved':
        return { ...METRICS, achievedRatio: observed };
      default: {
        const key = metric === 'p99.9' ? 'p999' : metric;
        return { ...METRICS, latencyMicros: { ...METRICS.latencyMicros, [key]: observed } };
      }
    }
  }

  // [threshold, observed below, at, above the bound]
  const bounds: [string, number, number, number][] = [
    ['p50 OP 1ms', 999, 1_000, 1_001],
    ['p90 OP 5ms', 4_000, 5_000, 6_000],
    ['p99 OP 20ms', 19_999.5, 20_000, 20_000.5],
    ['p99.9 OP 1s', 999_999, 1_000_000, 1_000_001],
    ['max OP 2s', 1_000_000, 2_000_000, 3_000_000],
    ['mean OP 250us', 249, 250, 251],
    ['errors OP 0.1%', 0.0009, 0.001, 0.0011],
    ['violations OP 1', 0, 1, 2],
    ['throughput OP 500/s', 499.9, 500, 500.1],
    ['achieved OP 95%', 0.94, 0.95, 0.96],
  ];
  // [op, passes below, at, above]
  const ops: [ThresholdOp, boolean, boolean, boolean][] = [
    ['<', true, false, false],
    ['<=', true, true, false],
    ['>', false, false, true],
    ['>=', false, true, true],
    ['==', false, true, false],
  ];
  const cases = bounds.flatMap(([template, below, at, above]) =>
    ops.flatMap(([op, passBelow, passAt, passAbove]) => {
      const text = template.replace('OP', op);
      return [
        [text, 'below', below, passBelow],
        [text, 'at', at, passAt],
        [text, 'above', above, passAbove],
      ] as [string, string, number, boolean][];
    }),
  );

  test.each(cases)(
    '%s with the observed value %s the bound (%d) passes: %s',
    (text, _, observed, passes) => {
      const threshold = parseThreshold(text);
      const [result] = evaluateThresholds([threshold], withObserved(threshold.metric, observed));
      expect(result).toEqual({ threshold, observed, passed: passes });
    },
  );

  test('achieved does not apply to a closed-loop run (no achievedRatio)', () => {
    const [result] = evaluateThresholds([parseThreshold('achieved >= 95%')], METRICS);
    expect(result).toMatchObject({ observed: null, passed: true });
    expect(formatObserved(result!)).toMatch(/^achieved = n\/a/);
  });

  test('a metric that is not a number fails every bound', () => {
    const metrics = { ...METRICS, operationsPerSecond: Number.NaN };
    const results = evaluateThresholds(parseThresholds(['throughput > 0', 'ops/s < 1']), metrics);
    expect(results.map((r) => r.passed)).toEqual([false, false]);
  });

  test('allPassed is true only when every threshold passed (and for none)', () => {
    const passing = parseThresholds(['p99 < 30ms', 'violations == 0', 'errors < 1%']);
    expect(allPassed(evaluateThresholds(passing, METRICS))).toBe(true);
    const oneFails = [...passing, parseThreshold('p99 < 20ms')];
    expect(allPassed(evaluateThresholds(oneFails, METRICS))).toBe(false);
    expect(allPassed([])).toBe(true);
  });
});

describe('formatObserved', () => {
  test.each([
    ['p99 < 20ms', 'p99 = 23.4ms'],
    ['p99 < 30000us', 'p99 = 23.4ms'],
    ['p99 < 900us', 'p99 = 23400us'],
    ['p99 < 1s', 'p99 = 0.023s'],
    ['p99.9 < 100ms', 'p99.9 = 61ms'],
    ['max < 1s', 'max = 2.5s'],
    ['mean < 2ms', 'mean = 1.8ms'],
    ['errors < 0.1%', 'errors = 0.25%'],
    ['errors < 0.001', 'errors = 0.25%'],
    ['violations == 0', 'violations = 0'],
    ['throughput > 500', 'throughput = 512.5/s'],
  ])('%s reads as %s', (text, shown) => {
    const [result] = evaluateThresholds([parseThreshold(text)], METRICS);
    expect(formatObserved(result!)).toBe(shown);
  });

  test('a tiny non-zero figure is not shown as 0', () => {
    const [result] = evaluateThresholds([parseThreshold('errors == 0')], {
      ...METRICS,
      errorRate: 0.000_000_12,
    });
    expect(formatObserved(result!)).toBe('errors = 0.000012%');
  });

  test('an open-model run shows its achieved share', () => {
    const [result] = evaluateThresholds([parseThreshold('achieved >= 95%')], {
      ...METRICS,
      achievedRatio: 0.9234,
    });
    expect(result?.passed).toBe(false);
    expect(formatObserved(result!)).toBe('achieved = 92.34%');
  });
});
