/** `stampede run` writes the same three reports as fuzz (into --out, stampede-report/ by default). */
import fs from 'node:fs';
import path from 'node:path';
import { readReport } from '../src/report/report-files';
import { ROOT, scratchDir, stampedeIn } from './helpers/stampede-cli';

test('run writes report.md, report.json and report.html into stampede-report/ by default', () => {
  const cwd = scratchDir('run-report');
  const { code, out } = stampedeIn(cwd, 'run', '--seconds', '2', '--seed', '3');
  expect(code).toBe(0);
  expect(out).toMatch(/report\s+.*stampede-report\/report\.md/);
  const report = readReport(path.join(cwd, 'stampede-report'));
  expect(report).toMatchObject({ kind: 'run', passed: true, baseSeed: 3 });
  expect(report.scenarios).toHaveLength(1);
  const [sequential] = report.scenarios;
  expect(sequential?.operations).toBeGreaterThan(0);
  expect(sequential?.latencyMicros.count).toBeGreaterThanOrEqual(sequential?.operations ?? 1);
  for (const file of ['report.md', 'report.html']) {
    expect(fs.existsSync(path.join(cwd, 'stampede-report', file))).toBe(true);
  }
});

test('a failing run reports the failure with its replay command, in --out', () => {
  const cwd = scratchDir('run-report-bug');
  const target = path.join(ROOT, 'catalogue', 'no-points-on-complete.ts');
  const run = stampedeIn(
    cwd,
    'run',
    '--seconds',
    '20',
    '--seed',
    '42',
    '--target',
    target,
    '--out',
    'r',
  );
  expect(run.code).toBe(1);
  const report = readReport(path.join(cwd, 'r'));
  expect(report.passed).toBe(false);
  expect(report.failures[0]?.replay).toMatch(/^npx stampede run --seed 42 --path [\d:]+ --target /);
  expect(fs.readFileSync(path.join(cwd, 'r', 'report.md'), 'utf8')).toContain('| sequential | ✗ |');
});
