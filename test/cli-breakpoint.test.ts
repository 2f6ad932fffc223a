/**
 * `stampede breakpoint` as a user runs it (a real process, real worker threads, real WAL files),
 * kept short: levels of half a second, a few levels, no sweep. The planted slow variant must
 * break far below the load the correct tracker sustains in the same settings, and the output
 * must say which threshold failed first and how to rerun the breaking level.
 */
import fs from 'node:fs';
import path from 'node:path';
import { reportSchema } from '../src/report/report-schema';
import { scratchDir, stampedeHere, stampedeIn } from './helpers/stampede-cli';

const SHORT = ['--level-seconds', '0.5', '--max-probes', '6', '--no-sweep', '--seed', '11'];

test.each([
  [['breakpoint', '--threshold', 'p99 < 20'], /needs a unit/],
  [['breakpoint', '--threshold', 'p42 < 1ms'], /Threshold/],
  [['breakpoint', '--knob', 'speed'], /Allowed choices are rate, clients/],
  [['breakpoint', '--level-seconds', '-1'], /--level-seconds must be a positive number/],
  [['breakpoint', '--write-percent', '120'], /--write-percent must be a whole number/],
  [['breakpoint', '--start', '900', '--max', '100'], /--start \(900\) must not be above --max/],
])('bad usage %j exits 2 with a clear message', async (args, message) => {
  const { code, err } = await stampedeHere(...args);
  expect(code).toBe(2);
  expect(err).toMatch(message);
});

test('a lock held across an await breaks far below the load the tracker sustains', () => {
  const dir = scratchDir('breakpoint');
  const slow = stampedeIn(
    dir,
    'breakpoint',
    ...SHORT,
    '--start',
    '200',
    '--max',
    '3200',
    '--target',
    'lock-across-await',
    '--json',
  );
  expect(slow.code).toBe(0);
  const slowRun = JSON.parse(slow.out) as {
    search: { breakingLoad: number | null; maxSustained: number | null; firstFailed: string[] };
  };
  // One call at a time with a 2 ms stall: about 500 calls/s at most.
  expect(slowRun.search.breakingLoad).not.toBeNull();
  expect(slowRun.search.breakingLoad!).toBeLessThanOrEqual(800);
  expect(slowRun.search.firstFailed.join(' ')).toMatch(/p99 < 50ms|achieved >= 95%/);

  const fast = stampedeIn(dir, 'breakpoint', ...SHORT, '--start', '200', '--max', '3200', '--json');
  expect(fast.code).toBe(0);
  const fastRun = JSON.parse(fast.out) as typeof slowRun;
  // Relative, never absolute (a loaded machine lowers both): the tracker sustains several
  // times the load at which the planted variant breaks.
  expect(fastRun.search.maxSustained).not.toBeNull();
  expect(fastRun.search.maxSustained!).toBeGreaterThanOrEqual(3 * slowRun.search.breakingLoad!);
  // The report carries the curve: every level, its seed, and whether it passed.
  const report = reportSchema.parse(
    JSON.parse(fs.readFileSync(path.join(dir, 'stampede-report', 'report.json'), 'utf8')),
  );
  expect(report.breakpoint?.points.length).toBeGreaterThanOrEqual(4);
  expect(report.breakpoint?.points.every((p) => p.seed !== undefined)).toBe(true);
  expect(report.breakpoint?.points.some((p) => p.passed === true)).toBe(true);
  expect(report.breakpoint?.knob).toBe('rate');
}, 180_000);

test('--level reruns one level by its seed; a failing threshold exits 3', () => {
  const dir = scratchDir('breakpoint-level');
  const args = ['breakpoint', '--seed', '5', '--level-seconds', '0.5'];
  // Four times what one call at a time with a 2 ms stall can serve.
  const slow = stampedeIn(dir, ...args, '--level', '2000', '--target', 'lock-across-await');
  expect(slow.code).toBe(3);
  expect(slow.out).toMatch(/FAIL (p99 < 50ms|achieved >= 95%)/);
  expect(slow.out).toMatch(/model check ok/);
  const fast = stampedeIn(dir, ...args, '--level', '300');
  expect(fast.code).toBe(0);
  expect(fast.out).toMatch(/seed 5\b/);
}, 120_000);
