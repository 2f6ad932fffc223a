/**
 * The leak decision on synthetic series whose truth is known: flat, growing, noisy, a one-off
 * step, growth that dies out. Memory is in bytes, x in calls, as the watcher records them.
 */
import { normalQuantile, theilSen } from '../src/engine/leak/slope';
import { judgeSeries } from '../src/engine/leak/verdict';

const CALLS_PER_ROUND = 100;
const ROUNDS = 10;
const xs = Array.from({ length: ROUNDS + 1 }, (_, i) => i * CALLS_PER_ROUND);
const options = { minBytesPerOp: 32, confidence: 0.95 };

/** Deterministic noise (a small linear congruential generator), so every run sees the same. */
function noise(seed: number, amplitude: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648 - 0.5) * 2 * amplitude;
  };
}

const BASE = 12_000_000;

describe('Theil-Sen slope', () => {
  test('recovers the slope of a straight line, with an interval that shrinks to it', () => {
    const estimate = theilSen(
      xs,
      xs.map((x) => BASE + 250 * x),
    );
    expect(estimate.slope).toBeCloseTo(250);
    expect(estimate.lower).toBeCloseTo(250);
    expect(estimate.upper).toBeCloseTo(250);
  });

  test('ignores one wild outlier that would drag a least-squares fit', () => {
    const ys = xs.map((x) => BASE + 10 * x);
    ys[ROUNDS] = BASE + 10 * (xs[ROUNDS] as number) + 500_000;
    const estimate = theilSen(xs, ys);
    expect(estimate.slope).toBeCloseTo(10);
  });

  test('interval brackets the true slope under noise and widens with it', () => {
    const quiet = noise(1, 2_000);
    const loud = noise(1, 20_000);
    const narrow = theilSen(
      xs,
      xs.map((x) => BASE + 100 * x + quiet()),
    );
    const wide = theilSen(
      xs,
      xs.map((x) => BASE + 100 * x + loud()),
    );
    for (const estimate of [narrow, wide]) {
      expect(estimate.lower).toBeLessThanOrEqual(100);
      expect(estimate.upper).toBeGreaterThanOrEqual(100);
    }
    expect(wide.upper - wide.lower).toBeGreaterThan(narrow.upper - narrow.lower);
  });

  test('too few points give an unbounded interval, not a false certainty', () => {
    const estimate = theilSen([0, 100, 200], [BASE, BASE + 50_000, BASE + 100_000]);
    expect(estimate.lower).toBe(-Infinity);
  });

  test('normal quantiles match the tables', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 9);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326348, 5);
  });
});

describe('leak verdict', () => {
  test.each([
    ['flat', () => BASE],
    ['flat with noise of 20 KB per sample', noise(7, 20_000)],
  ])('%s: no leak', (_name, wobble) => {
    const ys = xs.map(() => BASE + wobble());
    const verdict = judgeSeries(xs, ys, options);
    expect(verdict.leaking).toBe(false);
  });

  test.each([
    ['growing 250 B per call', 250, 0],
    ['growing 80 B per call under 5 KB of noise', 80, 5_000],
  ])('%s: leak, with the slope inside the reported interval', (_name, slope, amplitude) => {
    const wobble = noise(3, amplitude);
    const verdict = judgeSeries(
      xs,
      xs.map((x) => BASE + slope * x + wobble()),
      options,
    );
    expect(verdict.leaking).toBe(true);
    expect(verdict.overall.lower).toBeLessThanOrEqual(slope);
    expect(verdict.overall.upper).toBeGreaterThanOrEqual(slope);
  });

  test('growth below the minimum effect is not a leak, however certain', () => {
    const verdict = judgeSeries(
      xs,
      xs.map((x) => BASE + 8 * x),
      options,
    );
    expect(verdict.overall.lower).toBeGreaterThan(0);
    expect(verdict.leaking).toBe(false);
  });

  test.each([1, 3, 5, 7, 9])('a one-off step of 200 KB after round %i: no leak', (round) => {
    const wobble = noise(round, 2_000);
    const ys = xs.map((_, i) => BASE + (i > round ? 200_000 : 0) + wobble());
    expect(judgeSeries(xs, ys, options).leaking).toBe(false);
  });

  test('growth that has died out by the later half (a bounded cache filling) is not a leak', () => {
    // 300 KB approached with a time constant of 160 calls: steep at first, slow by the later half.
    const ys = xs.map((x) => BASE + 300_000 * (1 - Math.exp(-x / 160)));
    const verdict = judgeSeries(xs, ys, options);
    expect(verdict.overall.lower).toBeGreaterThan(options.minBytesPerOp);
    expect(verdict.leaking).toBe(false);
  });

  test('a flat series is clearly flat; a leaking one is not', () => {
    expect(
      judgeSeries(
        xs,
        xs.map(() => BASE),
        options,
      ).clearlyFlat,
    ).toBe(true);
    expect(
      judgeSeries(
        xs,
        xs.map((x) => BASE + 250 * x),
        options,
      ).clearlyFlat,
    ).toBe(false);
  });
});
