/**
 * Breakpoint search on synthetic systems (no database): a system of capacity C passes a level
 * iff the load is at most C. The search brackets C to the asked precision in a logarithmic
 * number of levels, ramps down from a start that already fails, reports the edges of its range
 * and its budget; the linear sweep finds the same knee the slow way; confirmFailures discards
 * a level that fails only once.
 */
import fc from 'fast-check';
import type { Probe, ProbeOutcome } from '../src/engine/breakpoint/probe';
import { SAFE_SHARE, searchBreakpoint, type SearchOptions } from '../src/engine/breakpoint/search';
import { kneeAgreement, linearSweep } from '../src/engine/breakpoint/sweep';
import { confirmFailures } from '../src/engine/breakpoint/confirmed-probe';

const failedAt = (load: number) => [`p99 < 20ms (observed ${load}ms)`, 'errors < 1%'];

function outcome(load: number, phase: ProbeOutcome['phase'], passed: boolean): ProbeOutcome {
  return {
    load,
    passed,
    failed: passed ? [] : failedAt(load),
    operationsPerSecond: passed ? load : 0,
    p99Micros: load,
    errorRate: 0,
    seed: load * 7,
    phase,
  };
}

/** A system that passes a level iff load <= capacity; it remembers every call. */
function system(capacity: number) {
  const calls: { load: number; phase: ProbeOutcome['phase'] }[] = [];
  const probe: Probe = async (load, phase) => {
    calls.push({ load, phase });
    return outcome(load, phase, load <= capacity);
  };
  return { probe, calls };
}

const base: SearchOptions = {
  start: 10,
  growth: 2,
  max: 10_000_000,
  min: 1,
  precision: 0.05,
  integer: false,
  maxProbes: 100,
};

/** Levels a linear ladder from `start` in steps of `step` measures before its first failure. */
function linearLadderCount(capacity: number, start: number, step: number): number {
  let count = 0;
  for (let load = start; ; load += step) {
    count += 1;
    if (load > capacity) return count;
  }
}

describe('searchBreakpoint on a system of capacity C', () => {
  test.each<[number, number, number, number]>([
    // capacity, start, growth, precision
    [1_000, 10, 2, 0.05],
    [37, 5, 1.5, 0.05],
    [12_345, 100, 3, 0.01],
    [99_999, 50, 1.3, 0.02],
    [5_000, 4_999, 2, 0.001],
    [250_000, 1, 4, 0.03],
  ])('C=%d start=%d growth=%d precision=%d', async (capacity, start, growth, precision) => {
    const { probe, calls } = system(capacity);
    const result = await searchBreakpoint(probe, { ...base, start, growth, precision });

    expect(result.end).toBe('found');
    const { maxSustained, breakingLoad } = result;
    if (maxSustained === null || breakingLoad === null) throw new Error('no bracket');
    expect(maxSustained).toBeLessThanOrEqual(capacity);
    expect(breakingLoad).toBeGreaterThan(capacity);
    expect((breakingLoad - maxSustained) / breakingLoad).toBeLessThanOrEqual(precision);
    expect(result.safeLimit).toBe(Math.floor(SAFE_SHARE * maxSustained));
    expect(result.safeLimit).toBe(Math.floor(0.8 * maxSustained));
    expect(result.firstFailed).toEqual(failedAt(breakingLoad));

    // Every probe the search made is in its result, in the order made.
    expect(result.probes.map((p) => p.load)).toEqual(calls.map((c) => c.load));
    expect(result.probes.map((p) => p.phase)).toEqual(calls.map((c) => c.phase));

    // Ramp first, then bisect only.
    const phases = result.probes.map((p) => p.phase);
    const firstBisect = phases.indexOf('bisect');
    const rampCount = firstBisect === -1 ? phases.length : firstBisect;
    expect(phases.slice(0, rampCount).every((p) => p === 'ramp')).toBe(true);
    expect(phases.slice(rampCount).every((p) => p === 'bisect')).toBe(true);
    const ramp = result.probes.slice(0, rampCount);
    // The ramp starts at `start`, climbs by `growth` (at least +1) while passing, stops at
    // the first failure.
    expect(ramp[0]!.load).toBe(start);
    for (let k = 1; k < ramp.length; k += 1) {
      expect(ramp[k - 1]!.passed).toBe(true);
      expect(ramp[k]!.load).toBe(
        Math.round(Math.max(ramp[k - 1]!.load + 1, ramp[k - 1]!.load * growth)),
      );
    }
    expect(ramp[ramp.length - 1]!.passed).toBe(false);

    // Each bisect level lies strictly inside the bracket known when it was chosen.
    let low = ramp[ramp.length - 2]?.load ?? -Infinity;
    let high = ramp[ramp.length - 1]!.load;
    for (const p of result.probes.slice(rampCount)) {
      expect(p.load).toBeGreaterThan(low);
      expect(p.load).toBeLessThan(high);
      if (p.passed) low = p.load;
      else high = p.load;
    }
    expect([low, high]).toEqual([maxSustained, breakingLoad]);

    // Logarithmic: the ramp needs about log_growth(C / start) levels, the bisection about
    // log2((growth - 1) / precision).
    const rampBound = Math.ceil(Math.log(capacity / start) / Math.log(growth)) + 2;
    const bisectBound = Math.ceil(Math.log2(Math.max(1, (growth - 1) / precision))) + 2;
    expect(result.probes.length).toBeLessThanOrEqual(rampBound + bisectBound);
    // A linear ladder reaching the same precision steps by at most precision x C, so it
    // measures about 1 / precision levels from a start far below C: many more.
    const linear = linearLadderCount(capacity, start, Math.max(1, precision * capacity));
    if (capacity / start >= 5) expect(result.probes.length).toBeLessThan(linear);
  });

  test('the probe count grows with log(C), a linear ladder with C', async () => {
    const counts: number[] = [];
    for (const capacity of [1_000, 10_000, 100_000, 1_000_000]) {
      const { probe } = system(capacity);
      const result = await searchBreakpoint(probe, { ...base, precision: 0.05 });
      counts.push(result.probes.length);
      expect(linearLadderCount(capacity, 10, 0.05 * capacity)).toBeGreaterThanOrEqual(20);
    }
    // Ten times the capacity costs about log2(10) ~ 3.3 more levels, never ten times as many.
    for (let k = 1; k < counts.length; k += 1) {
      expect(counts[k]! - counts[k - 1]!).toBeGreaterThanOrEqual(2);
      expect(counts[k]! - counts[k - 1]!).toBeLessThanOrEqual(5);
    }
  });

  test('a start that already fails ramps down until a level passes, then bisects', async () => {
    const { probe } = system(100);
    const result = await searchBreakpoint(probe, { ...base, start: 1_000, growth: 2 });
    expect(result.end).toBe('found');
    const ramp = result.probes.filter((p) => p.phase === 'ramp');
    expect(ramp.map((p) => p.load)).toEqual([1_000, 500, 250, 125, 63]);
    expect(ramp.map((p) => p.passed)).toEqual([false, false, false, false, true]);
    expect(result.probes.slice(0, ramp.length)).toEqual(ramp);
    expect(result.maxSustained).toBeLessThanOrEqual(100);
    expect(result.breakingLoad).toBeGreaterThan(100);
    expect(result.breakingLoad).toBeLessThan(125);
    const { maxSustained, breakingLoad } = result;
    expect((breakingLoad! - maxSustained!) / breakingLoad!).toBeLessThanOrEqual(0.05);
  });

  test("a system that never breaks ends 'never-broke' at max", async () => {
    const { probe } = system(Infinity);
    const result = await searchBreakpoint(probe, { ...base, start: 10, max: 1_000 });
    expect(result.end).toBe('never-broke');
    expect(result.probes.map((p) => p.load)).toEqual([10, 20, 40, 80, 160, 320, 640, 1_000]);
    expect(result.probes.every((p) => p.passed && p.phase === 'ramp')).toBe(true);
    expect(result.maxSustained).toBe(1_000);
    expect(result.breakingLoad).toBeNull();
    expect(result.safeLimit).toBe(800);
    expect(result.firstFailed).toEqual([]);
  });

  test("a system that breaks even at the minimum ends 'broke-at-minimum'", async () => {
    const { probe } = system(0);
    const result = await searchBreakpoint(probe, { ...base, start: 100, min: 5 });
    expect(result.end).toBe('broke-at-minimum');
    expect(result.probes.map((p) => p.load)).toEqual([100, 50, 25, 13, 7, 5]);
    expect(result.probes.every((p) => !p.passed)).toBe(true);
    expect(result.maxSustained).toBeNull();
    expect(result.safeLimit).toBeNull();
    expect(result.breakingLoad).toBe(5);
    expect(result.firstFailed).toEqual(failedAt(5));
  });

  test("maxProbes is honoured in the ramp ('probe-budget')", async () => {
    const { probe, calls } = system(1_000_000);
    const result = await searchBreakpoint(probe, { ...base, start: 1, maxProbes: 5 });
    expect(calls).toHaveLength(5);
    expect(result.end).toBe('probe-budget');
    expect(result.maxSustained).toBe(16);
    expect(result.breakingLoad).toBeNull();
  });

  test("maxProbes is honoured in the bisection ('probe-budget'), the bracket still right", async () => {
    const { probe, calls } = system(1_000);
    const result = await searchBreakpoint(probe, { ...base, precision: 0.0001, maxProbes: 10 });
    // Ramp 10 .. 1280 is 8 levels; two bisect levels fit in the budget.
    expect(calls).toHaveLength(10);
    expect(calls.filter((c) => c.phase === 'bisect')).toHaveLength(2);
    expect(result.end).toBe('probe-budget');
    expect(result.maxSustained).toBeLessThanOrEqual(1_000);
    expect(result.breakingLoad).toBeGreaterThan(1_000);
  });

  test("a ramp-down that runs out of budget ends 'probe-budget', not 'broke-at-minimum'", async () => {
    const { probe, calls } = system(0);
    const result = await searchBreakpoint(probe, { ...base, start: 1_000, maxProbes: 3 });
    expect(calls).toHaveLength(3);
    expect(result.end).toBe('probe-budget');
    expect(result.breakingLoad).toBe(250);
  });

  test("a bracket already within precision when the budget runs out is 'found'", async () => {
    // Ramp 10, 20, ..., 640 pass, 1280 fails: (1280 - 640) / 1280 = 0.5 is within precision.
    const { probe, calls } = system(1_000);
    const result = await searchBreakpoint(probe, { ...base, precision: 0.5, maxProbes: 8 });
    expect(calls).toHaveLength(8);
    expect(result.end).toBe('found');
    expect([result.maxSustained, result.breakingLoad]).toEqual([640, 1_280]);
  });

  test("reaching max with the last level of the budget is 'never-broke'", async () => {
    const { probe, calls } = system(Infinity);
    const result = await searchBreakpoint(probe, { ...base, start: 10, max: 80, maxProbes: 4 });
    expect(calls.map((c) => c.load)).toEqual([10, 20, 40, 80]);
    expect(result.end).toBe('never-broke');
    expect(result.maxSustained).toBe(80);
  });

  test('integer mode stops at a gap of 1, on the exact capacity', async () => {
    const { probe } = system(37);
    const result = await searchBreakpoint(probe, {
      ...base,
      start: 5,
      integer: true,
      precision: 0,
    });
    expect(result.end).toBe('found');
    expect(result.maxSustained).toBe(37);
    expect(result.breakingLoad).toBe(38);
    expect(result.probes.every((p) => Number.isInteger(p.load))).toBe(true);
    // No level was measured twice.
    expect(new Set(result.probes.map((p) => p.load)).size).toBe(result.probes.length);
  });

  test('firstFailed carries the failing thresholds of the breaking level', async () => {
    const failures = new Map<number, string[]>();
    const probe: Probe = async (load, phase) => {
      const failed = load > 300 ? [`p99 < 20ms (observed ${load / 10}ms)`] : [];
      if (load > 315) failed.push(`errors < 1% (observed ${load / 100}%)`);
      failures.set(load, failed);
      return { ...outcome(load, phase, failed.length === 0), failed };
    };
    const result = await searchBreakpoint(probe, { ...base, start: 10 });
    expect(result.breakingLoad).not.toBeNull();
    expect(result.firstFailed).toEqual(failures.get(result.breakingLoad!));
    expect(result.firstFailed).toEqual([`p99 < 20ms (observed ${result.breakingLoad! / 10}ms)`]);
    // The ramp's first failure (320) failed both; the bisected breaking level only the first.
    expect(failures.get(320)).toHaveLength(2);
    expect(result.breakingLoad).toBeLessThan(320);
  });

  test('bad options throw RangeError', async () => {
    const { probe, calls } = system(100);
    await expect(searchBreakpoint(probe, { ...base, growth: 1 })).rejects.toThrow(RangeError);
    await expect(searchBreakpoint(probe, { ...base, start: 0 })).rejects.toThrow(RangeError);
    await expect(searchBreakpoint(probe, { ...base, max: 5 })).rejects.toThrow(RangeError);
    await expect(searchBreakpoint(probe, { ...base, min: 0 })).rejects.toThrow(RangeError);
    expect(calls).toHaveLength(0);
  });

  test('property: for any capacity and start, the answer brackets the capacity', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 100, max: 100_000 }),
        fc.integer({ min: 10, max: 5_000 }),
        async (capacity, start) => {
          const { probe } = system(capacity);
          const result = await searchBreakpoint(probe, { ...base, start, maxProbes: 60 });
          expect(result.end).toBe('found');
          expect(result.maxSustained).toBeLessThanOrEqual(capacity);
          expect(result.breakingLoad).toBeGreaterThan(capacity);
          const gap = result.breakingLoad! - result.maxSustained!;
          expect(gap / result.breakingLoad!).toBeLessThanOrEqual(0.05);
          expect(result.probes.length).toBeLessThanOrEqual(25);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('linearSweep and kneeAgreement', () => {
  test('the knee is the last pass before the first failure, and the sweep stops there', async () => {
    const { probe, calls } = system(437);
    const sweep = await linearSweep(probe, 100, 1_000, 10);
    expect(calls.map((c) => c.load)).toEqual([100, 200, 300, 400, 500]);
    expect(calls.every((c) => c.phase === 'sweep')).toBe(true);
    expect(sweep.probes.map((p) => p.load)).toEqual([100, 200, 300, 400, 500]);
    expect(sweep.knee).toBe(400);
  });

  test('a later pass after the first failure does not move the knee', async () => {
    const probe: Probe = async (load, phase) => outcome(load, phase, load !== 30);
    const sweep = await linearSweep(probe, 10, 100, 10);
    expect(sweep.knee).toBe(20);
    expect(sweep.probes.map((p) => p.load)).toEqual([10, 20, 30]);
  });

  test('no pass at all gives no knee; no failure gives the top level', async () => {
    expect((await linearSweep(system(0).probe, 10, 50, 5)).knee).toBeNull();
    const all = await linearSweep(system(Infinity).probe, 10, 50, 5);
    expect(all.knee).toBe(50);
    expect(all.probes.map((p) => p.load)).toEqual([10, 20, 30, 40, 50]);
  });

  test('levels that round alike are measured once', async () => {
    const { probe, calls } = system(Infinity);
    await linearSweep(probe, 1, 3, 5);
    expect(calls.map((c) => c.load)).toEqual([1, 2, 3]);
  });

  test('bad sweeps throw RangeError', async () => {
    const { probe } = system(10);
    await expect(linearSweep(probe, 10, 20, 1)).rejects.toThrow(RangeError);
    await expect(linearSweep(probe, 20, 10, 5)).rejects.toThrow(RangeError);
    await expect(linearSweep(probe, 0, 10, 5)).rejects.toThrow(RangeError);
  });

  test.each([
    [1_000, 2_000],
    [37, 100],
    [12_345, 20_000],
  ])('C=%d: the sweep agrees with the search within its step', async (capacity, top) => {
    const { probe } = system(capacity);
    const search = await searchBreakpoint(probe, { ...base, precision: 0.02 });
    const steps = 21;
    const sweep = await linearSweep(probe, 1, top, steps);
    const step = (top - 1) / (steps - 1);
    expect(sweep.knee).not.toBeNull();
    expect(sweep.knee!).toBeLessThanOrEqual(capacity);
    expect(Math.abs(sweep.knee! - search.maxSustained!)).toBeLessThanOrEqual(step + 1);
    const agreement = kneeAgreement(search.maxSustained, sweep.knee);
    expect(agreement).toBeCloseTo(
      Math.abs(sweep.knee! - search.maxSustained!) / search.maxSustained!,
    );
    expect(agreement!).toBeLessThanOrEqual((step + 1) / search.maxSustained!);
  });

  test('kneeAgreement: relative difference, null when either knee is missing or zero', () => {
    expect(kneeAgreement(100, 90)).toBeCloseTo(0.1);
    expect(kneeAgreement(100, 110)).toBeCloseTo(0.1);
    expect(kneeAgreement(200, 200)).toBe(0);
    expect(kneeAgreement(null, 90)).toBeNull();
    expect(kneeAgreement(100, null)).toBeNull();
    expect(kneeAgreement(0, 5)).toBeNull();
  });
});

describe('confirmFailures', () => {
  /** A probe that answers each level from a script, pass or fail, and counts the calls. */
  function scripted(script: Record<number, boolean[]>) {
    const calls: number[] = [];
    const probe: Probe = async (load, phase) => {
      calls.push(load);
      const answers = script[load] ?? [];
      const seen = calls.filter((l) => l === load).length;
      return outcome(load, phase, answers[seen - 1] ?? true);
    };
    return { probe, calls };
  }

  test('a level that fails once at random is reported passed, with retried', async () => {
    const { probe, calls } = scripted({ 50: [false, true] });
    const discarded: ProbeOutcome[] = [];
    const confirmed = await confirmFailures(probe, (first) => discarded.push(first))(50, 'ramp');
    expect(confirmed.passed).toBe(true);
    expect(confirmed.retried).toBe(true);
    expect(confirmed.failed).toEqual([]);
    expect(calls).toEqual([50, 50]);
    expect(discarded).toHaveLength(1);
    expect(discarded[0]!.passed).toBe(false);
    expect(discarded[0]!.failed).toEqual(failedAt(50));
  });

  test('a real failure (fail, fail) stays failed, with the second measurement', async () => {
    const { probe, calls } = scripted({ 70: [false, false] });
    const discarded: ProbeOutcome[] = [];
    const confirmed = await confirmFailures(probe, (first) => discarded.push(first))(70, 'bisect');
    expect(confirmed.passed).toBe(false);
    expect(confirmed.retried).toBe(true);
    expect(confirmed.phase).toBe('bisect');
    expect(confirmed.failed).toEqual(failedAt(70));
    expect(calls).toEqual([70, 70]);
    expect(discarded).toHaveLength(0);
  });

  test('a passing level is measured once and not marked retried', async () => {
    const { probe, calls } = scripted({});
    const confirmed = await confirmFailures(probe)(30, 'sweep');
    expect(confirmed.passed).toBe(true);
    expect(confirmed.retried).toBeUndefined();
    expect(calls).toEqual([30]);
  });

  test('a search through confirmFailures shrugs off a one-off stall below the capacity', async () => {
    const capacity = 1_000;
    const stalledOnce = new Set<number>();
    const calls: number[] = [];
    const probe: Probe = async (load, phase) => {
      calls.push(load);
      // The first measurement of 320 stalls (a GC pause): it fails although under capacity.
      if (load === 320 && !stalledOnce.has(load)) {
        stalledOnce.add(load);
        return outcome(load, phase, false);
      }
      return outcome(load, phase, load <= capacity);
    };
    const plain = await searchBreakpoint(probe, base);
    expect(plain.breakingLoad).toBe(320); // fooled without confirmation

    stalledOnce.clear();
    calls.length = 0;
    const result = await searchBreakpoint(confirmFailures(probe), base);
    expect(result.maxSustained).toBeLessThanOrEqual(capacity);
    expect(result.breakingLoad).toBeGreaterThan(capacity);
    const retried = result.probes.filter((p) => p.retried === true);
    // 320 once, and every level above the capacity.
    expect(retried.find((p) => p.load === 320)?.passed).toBe(true);
    expect(retried.filter((p) => !p.passed).every((p) => p.load > capacity)).toBe(true);
    // Passing levels once each, failing (and the stalled) levels twice.
    const twice = result.probes.filter((p) => !p.passed).length + 1;
    expect(calls).toHaveLength(result.probes.length + twice);
  });
});
