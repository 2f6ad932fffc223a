/** The small pieces of `stampede fuzz`: durations, the progress line, keep-going dedup. */
import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { parseDurationMs } from '../src/fuzz/duration-flag';
import { heapTrendMbPerMinute, ProgressDisplay, progressLine } from '../src/fuzz/progress';
import type { SamplePoint } from '../src/report/report-schema';
import { readReport } from '../src/report/report-files';
import { ROOT, scratchDir, stampedeIn } from './helpers/stampede-cli';

test.each([
  ['90s', 90_000],
  ['2m', 120_000],
  ['8h', 28_800_000],
  ['1h30m', 5_400_000],
  ['45', 45_000],
  ['500ms', 500],
])('duration %s is %d ms', (raw, ms) => expect(parseDurationMs(raw)).toBe(ms));

test.each(['', 'soon', '2 m', '1.5h', 'h', '-3s'])('duration %j is refused', (raw) => {
  expect(parseDurationMs(raw)).toBeUndefined();
});

function sample(minute: number, heapUsedMb: number): SamplePoint {
  return {
    source: '1/1',
    elapsedMs: minute * 60_000,
    cases: 0,
    operations: 0,
    operationsPerSecond: 1234,
    p99Micros: 0,
    heapUsedMb,
    rssMb: 0,
    cpuPercent: 0,
  };
}

test('the progress line shows elapsed, cases, ops/s, failures, heap trend and ETA', () => {
  const recent = [sample(1, 40), sample(2, 42), sample(3, 44)];
  expect(heapTrendMbPerMinute(recent)).toBeCloseTo(2);
  expect(
    progressLine({
      elapsedMs: 3 * 60_000,
      plannedMs: 8 * 3_600_000,
      cases: 12_345,
      operations: 0,
      failures: 1,
      recent,
    }),
  ).toBe(
    'elapsed 3m00s | cases 12,345 | 1,234 ops/s | failures 1 | heap 44 MB (+2.0 MB/min) | ETA 7h57m',
  );
});

test('on a terminal the progress line is redrawn in place; elsewhere it is a plain line', () => {
  const state = () => ({
    elapsedMs: 1000,
    plannedMs: 2000,
    cases: 1,
    operations: 1,
    failures: 0,
    recent: [],
  });
  const written = (tty: boolean) => {
    const out = Object.assign(new PassThrough(), { isTTY: tty }) as unknown as NodeJS.WriteStream;
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const display = new ProgressDisplay(state, out, 1000);
    display.draw();
    display.stop();
    return text;
  };
  const live = written(true);
  expect(live.startsWith('\r\u001b[Kelapsed 1s | ')).toBe(true);
  expect(live.endsWith('\n')).toBe(true); // stop() leaves the terminal on a fresh line
  expect(written(false)).toMatch(/^progress: elapsed 1s \| .*\n$/);
});

test('--keep-going counts the same shrunk case from several seeds once, and saves it once', () => {
  // The seed is fixed, so the same batches fail each time; some of them shrink to one case.
  const cwd = scratchDir('keep-going');
  const target = path.join(ROOT, 'catalogue', 'no-points-on-complete.ts');
  const run = stampedeIn(
    cwd,
    ...[
      'fuzz',
      '--keep-going',
      '--rounds',
      '8',
      '--for',
      '10m',
      '--engines',
      'sequential',
      '--seed',
      '11',
    ],
    ...['--cases-per-seed', '60', '--max-commands', '20', '--target', target],
  );
  expect(run.code).toBe(1);
  const report = readReport(path.join(cwd, 'stampede-report'));
  const failed = report.batches.filter((b) => b.failed).length;
  expect(failed).toBeGreaterThan(1);
  expect(report.failures.length).toBeLessThan(failed);
  expect(report.failures.reduce((n, f) => n + f.occurrences, 0)).toBe(failed);
  const saved = fs.readdirSync(path.join(cwd, '.stampede', 'failures'));
  expect(saved).toHaveLength(report.failures.length);
});
