/**
 * The multi-knob search for the smallest breaking configuration, on synthetic systems whose
 * breaking rule is known, so the shrunk answer can be checked exactly. (The real thing runs a
 * model-checked level per configuration: `stampede breakpoint --shrink`.)
 */
import fc from 'fast-check';
import {
  loadConfigArbitrary,
  shrinkBreakingConfig,
  type ConfigMeasurement,
  type LoadConfig,
} from '../src/scenarios/load/config-shrink';

const BUDGET = { runs: 200, timeLimitMs: 30_000, levelSeconds: 1 } as const;

/** Whether a system of `capacityPerLane` calls/s a lane (writes cost double) breaks here. */
function breaks(config: LoadConfig, capacityPerLane: number): boolean {
  const cost = 1 + config.writePercent / 100;
  return config.rate > (config.threads * config.lanes * capacityPerLane) / cost;
}

/** One step lighter in each knob, where there is one. */
function lighter(config: LoadConfig): LoadConfig[] {
  return [
    { ...config, threads: config.threads - 1 },
    { ...config, lanes: config.lanes - 1 },
    { ...config, rate: config.rate - 250 },
    { ...config, writePercent: config.writePercent - 1 },
    { ...config, poolSize: config.poolSize + 1 },
  ].filter(
    (c) =>
      c.threads >= 1 && c.lanes >= 1 && c.rate >= 250 && c.writePercent >= 0 && c.poolSize <= 8,
  );
}

function synthetic(capacityPerLane: number, flaky?: () => boolean) {
  const calls: LoadConfig[] = [];
  const measure = async (config: LoadConfig): Promise<ConfigMeasurement> => {
    calls.push(config);
    const passed = !breaks(config, capacityPerLane) && !(flaky?.() ?? false);
    return {
      verdict: { passed, failed: passed ? [] : ['achieved >= 95% (observed achieved = 80%)'] },
      result: {
        operationsPerSecond: passed ? config.rate : config.rate / 2,
        errorRate: 0,
        latency: { p99: passed ? 1_000 : 90_000 },
        check: { violations: 0 },
        problems: [],
      },
    };
  };
  return { calls, measure };
}

test('configurations shrink towards the lightest load: 1 thread, 1 lane, no writes, a full pool', () => {
  const arbitrary = loadConfigArbitrary(20_000);
  const [smallest] = fc.sample(arbitrary, { numRuns: 1, seed: 1 });
  expect(smallest).toBeDefined();
  // Shrinking a config that always "fails" walks to the minimum of every knob.
  const details = fc.check(
    fc.property(arbitrary, () => false),
    { seed: 4, numRuns: 1 },
  );
  expect(details.counterexample?.[0]).toEqual({
    threads: 1,
    lanes: 1,
    rate: 250,
    writePercent: 0,
    poolSize: 8,
  });
});

test.each([500, 1_000, 3_000])(
  'finds the smallest breaking configuration of a system of %i calls/s a lane',
  async (capacityPerLane) => {
    const system = synthetic(capacityPerLane);
    const shrunk = await shrinkBreakingConfig({ seed: 7, max: 64_000 }, BUDGET, system.measure);
    expect(shrunk.found).toBe(true);
    const config = shrunk.config!;
    // It breaks, and one step lighter in any knob it no longer does: a local minimum.
    expect(breaks(config, capacityPerLane)).toBe(true);
    for (const lighterConfig of lighter(config)) {
      expect({ lighterConfig, breaks: breaks(lighterConfig, capacityPerLane) }).toEqual({
        lighterConfig,
        breaks: false,
      });
    }
    // Threads and lanes only add capacity here: the smallest breaking config has one of each.
    expect(config).toMatchObject({ threads: 1, lanes: 1, poolSize: 8 });
    expect(shrunk.failed).toEqual(['achieved >= 95% (observed achieved = 80%)']);
    expect(shrunk.wrongResults).toBe(false);
    expect(shrunk.rerun).toContain(`--level ${config.rate} --threads 1 --lanes 1 --pool-size 8`);
  },
);

test('a failure counts only if it fails again: a one-off stall does not become the answer', async () => {
  // Every 7th measurement fails whatever the load (a stall); real overload fails every time.
  let n = 0;
  const system = synthetic(2_000, () => ++n % 7 === 0);
  const shrunk = await shrinkBreakingConfig({ seed: 3, max: 64_000 }, BUDGET, system.measure);
  expect(shrunk.found).toBe(true);
  // Confirmed failures only: the answer really breaks the system.
  expect(breaks(shrunk.config!, 2_000)).toBe(true);
});

test('a system that never breaks within the range reports nothing found', async () => {
  const system = synthetic(1_000_000);
  const shrunk = await shrinkBreakingConfig(
    { seed: 1, max: 8_000 },
    { ...BUDGET, runs: 30 },
    system.measure,
  );
  expect(shrunk.found).toBe(false);
  expect(shrunk.measured).toBe(30);
});
