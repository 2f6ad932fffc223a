/**
 * `stampede run --preset`: the seed stress suite's scenarios on load sessions, run for real but
 * small (fewer calls per lane), and the usage errors of the new flags.
 */
import { stampedeHere } from './helpers/stampede-cli';
import { presetNamed, type Preset } from '../src/scenarios/load/presets';
import {
  formatPresetRun,
  runPresets,
  type PresetRunOptions,
} from '../src/scenarios/load/run-preset';
import { targetName, targetSpecOf } from '../src/scenarios/parallel/target-spec';

jest.setTimeout(120_000);

function preset(name: string): Preset {
  const found = presetNamed(name);
  if (found === undefined) throw new Error(`no preset ${name}`);
  return found;
}

function optionsFor(target: string | undefined, opsPerLane: number): PresetRunOptions {
  const spec = targetSpecOf(target);
  return {
    target: spec,
    targetLabel: targetName(spec),
    seed: 17,
    override: { opsPerLane, warmUp: false },
  };
}

test('concurrent-writes and pool-stress pass: every call counted and model-checked, the pool queues', async () => {
  const report = await runPresets(
    [preset('concurrent-writes'), preset('pool-stress')],
    optionsFor(undefined, 10),
    'replay',
  );
  const [writes, pool] = report.presets;
  expect(writes?.name).toBe('concurrent-writes');
  expect(pool?.name).toBe('pool-stress');
  for (const p of [writes, pool]) {
    expect(p?.problems).toEqual([]);
    expect(p?.check.verdict).toBe('ok');
    expect(p?.check.violations).toBe(0);
    expect(p?.thresholds.map((t) => t.text)).toEqual([
      // Five writer threads on two cores: the seed's shape, its own measured bound.
      p?.name === 'concurrent-writes' ? 'p99 < 100ms' : 'p99 < 50ms',
      'errors < 0.1%',
      'violations == 0',
    ]);
    expect(p?.seedCondition.passed).toBe(true);
  }
  // 5 threads x 1 lane x 10 calls; 2 threads x 10 lanes x 10 calls.
  expect(writes?.operations).toBe(5 * 1 * 10);
  expect(pool?.operations).toBe(2 * 10 * 10);
  expect(pool?.pool?.queuedAcquires).toBeGreaterThan(0);
  expect(pool?.expectations.map((e) => e.passed)).toEqual([true, true]);
  expect(writes?.expectations.map((e) => e.passed)).toEqual([true]);
  expect(report.exitCode === 0 || report.exitCode === 3).toBe(true);
  if (report.exitCode === 0) expect(report.passed).toBe(true);

  const text = formatPresetRun(report);
  expect(text).toContain('# Stress Test Report');
  expect(text).toMatch(/## concurrent-writes [✓✗]/);
  expect(text).toContain("Seed's condition: ✓ error rate < 10%, > 10 ops/s (would have passed)");
  expect(text).toMatch(/Latency: p50 [\d.]+ms, p90 [\d.]+ms, p99 [\d.]+ms, p99\.9 [\d.]+ms, max/);
  expect(text).toMatch(/Pool: [1-9]\d* queued acquire/);
  expect(text).toContain('Model check: ok');
});

test('a leaked pooled connection (catalogue/slow/unreleased-connection) is a problem: the preset fails', async () => {
  const report = await runPresets(
    [preset('pool-stress')],
    {
      // Enough lookups that some miss (each keeps its connection); the time box ends the level
      // once the pool has run dry, and the calls left waiting fail with POOL_TIMEOUT.
      ...optionsFor('unreleased-connection', 15),
      override: { opsPerLane: 15, seconds: 3, warmUp: false },
    },
    'replay',
  );
  const [pool] = report.presets;
  expect(report.target).toBe('catalogue/unreleased-connection');
  expect(pool?.passed).toBe(false);
  expect(pool?.failure).toBe('failures');
  expect(pool?.problems.join('\n')).toMatch(/connection leak: \d+ pooled connection/);
  expect(pool?.pool?.leakedConnections).toBeGreaterThan(0);
  expect(report.exitCode).toBe(1);
  expect(formatPresetRun(report)).toMatch(/✗ connection leak/);
});

test('the endurance preset runs consecutive levels on one session and reports the RSS trend', async () => {
  const spec = targetSpecOf(undefined);
  const report = await runPresets(
    [preset('endurance')],
    {
      target: spec,
      targetLabel: targetName(spec),
      seed: 3,
      seconds: 2,
      override: { warmUp: false },
    },
    'replay',
  );
  const [endurance] = report.presets;
  expect(endurance?.levels).toHaveLength(1);
  expect(endurance?.check.verdict).toBe('ok');
  expect(endurance?.problems).toEqual([]);
  expect(endurance?.rssTrend?.firstMb).toBeGreaterThan(0);
  expect(endurance?.operations).toBeGreaterThan(100);
});

test.each([
  [
    ['run', '--preset', 'stampede-all'],
    /--preset must be one of concurrent-writes, read-heavy, pool-stress, endurance, memory, or all/,
  ],
  [['run', '--preset', 'all', '--threshold', 'p99 < 20'], /Threshold "p99 < 20" needs a unit/],
  [['run', '--preset', 'all', '--threshold', 'speed > 3'], /unknown metric "speed"/],
  [['run', '--threshold', 'p99 < 20ms'], /--threshold applies to --preset runs only/],
  [['run', '--preset', 'memory', '--path', '1:2'], /--path replays a case of the default scenario/],
])('bad usage %j exits 2 with a clear message', async (args, message) => {
  const { code, err } = await stampedeHere(...args);
  expect(code).toBe(2);
  expect(err).toMatch(message);
});

test('the CLI runs a preset: exit 0 when it passes, 3 when only a --threshold fails', async () => {
  // The correctness bound only: latency on a shared machine is no business of this test.
  const passed = await stampedeHere(
    'run',
    '--preset',
    'pool-stress',
    '--seed',
    '4',
    '--threshold',
    'violations == 0',
    '--json',
  );
  expect(passed.code).toBe(0);
  const report = JSON.parse(passed.out) as {
    exitCode: number;
    presets: { name: string; operations: number; pool: { queuedAcquires: number } }[];
    replay: string;
  };
  expect(report.exitCode).toBe(0);
  expect(report.presets[0]).toMatchObject({ name: 'pool-stress', operations: 2 * 10 * 25 });
  expect(report.presets[0]?.pool.queuedAcquires).toBeGreaterThan(0);
  expect(report.replay).toBe(
    "npx stampede run --preset pool-stress --seed 4 --threshold 'violations == 0'",
  );

  const strict = await stampedeHere(
    'run',
    '--preset',
    'pool-stress',
    '--seed',
    '4',
    '--threshold',
    'p50 < 1us',
  );
  expect(strict.code).toBe(3);
  expect(strict.out).toMatch(/✗ p50 < 1us {2}\(p50 = [\d.]+us\)/);
  expect(strict.out).toContain('FAILED: thresholds only');
  expect(strict.out).toContain("--threshold 'p50 < 1us'");
});
