/** `stampede run` as a user runs it: a real process, its output and its exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', 'bin', 'stampede.cjs');

function stampede(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('run prints a summary with operations, ops/s, errors, checks and seed, and exits 0', () => {
  const { code, out } = stampede('run', '--seconds', '2', '--seed', '11');
  expect(code).toBe(0);
  expect(out).toMatch(/PASSED/);
  for (const label of [
    'operations',
    'ops/s',
    'typed errors',
    'checks passed',
    'seed             11',
  ]) {
    expect(out).toContain(label);
  }
});

test('run --json prints a machine-readable summary', () => {
  const { code, out } = stampede('run', '--seconds', '1', '--json');
  expect(code).toBe(0);
  const summary = JSON.parse(out) as { passed: boolean; operations: number; seed: number };
  expect(summary.passed).toBe(true);
  expect(summary.operations).toBeGreaterThan(0);
  expect(Number.isInteger(summary.seed)).toBe(true);
});

test('a planted bug fails the run with exit 1 and a replay command that reproduces it', () => {
  const target = path.join('catalogue', 'no-points-on-complete.ts');
  const first = stampede('run', '--seconds', '20', '--seed', '42', '--target', target);
  expect(first.code).toBe(1);
  const replay = /replay: npx stampede (.*)/.exec(first.out)?.[1];
  expect(replay).toBeDefined();
  const again = stampede(...(replay as string).split(' '));
  expect(again.code).toBe(1);
  expect(again.out).toContain('Property failed after 1 case(s)');
});

test.each([
  [['run', '--seconds', 'soon'], /--seconds must be a positive integer/],
  [['run', '--seed', '1.5'], /--seed must be an integer/],
  [['run', '--path', 'a:b'], /--path must look like/],
  [['run', '--target', 'no/such/module.js'], /Cannot load target module/],
  [['run', '--target', 'package.json'], /must export a function createStore/],
  [['run', '--no-such-flag'], /unknown option/],
  [['launch'], /unknown command/],
])('bad usage %j exits 2 with a clear message', (args, message) => {
  const { code, err } = stampede(...args);
  expect(code).toBe(2);
  expect(err).toMatch(message);
});

test('catalogue runs a planted bug through its engine and prints its row', () => {
  const { code, out } = stampede(
    'catalogue',
    '--seeds',
    '1',
    '--only',
    'double-transition',
    '--no-anchor',
    '--searchers',
    '2',
  );
  expect(code).toBe(0);
  expect(out).toContain('2 searcher threads racing each seed');
  expect(out).toMatch(/double-transition\s+interleaved\s+1\/1/);
  expect(out).toMatch(/correct store \(tracker \(built-in\)\): 0 failure\(s\)/);
  expect(out).toContain('PASSED');
});

test("a catalogue trial's replay command, run as printed, reproduces the shrunk case", () => {
  const { code, out } = stampede(
    'catalogue',
    '--seeds',
    '1',
    '--only',
    'no-points-on-complete',
    '--no-anchor',
    '--no-parallel',
    '--searchers',
    '1',
    '--json',
  );
  expect(code).toBe(0);
  const report = JSON.parse(out) as { rows: { name: string; trials: { replay?: string }[] }[] };
  const replay = report.rows.find((row) => row.name === 'no-points-on-complete')?.trials[0]?.replay;
  expect(replay).toMatch(
    /^npx stampede replay --engine sequential --seed -?\d+ --path [\d:]+ --target catalogue\/no-points-on-complete\.ts$/,
  );
  const again = stampede(...(replay as string).split(' ').slice(2));
  expect(again.code).toBe(1);
  expect(again.out).toContain('STILL FAILING');
});

test.each([
  [['catalogue', '--only', 'no-such-bug'], /no planted bug named no-such-bug/],
  [['catalogue', '--seeds', '0'], /--seeds must be a positive integer/],
  [['catalogue', '--schedule', 'chaotic'], /Allowed choices are mixed, pct, random, points/],
  [['catalogue', '--searchers', '0'], /--searchers must be a positive integer/],
])('catalogue: bad usage %j exits 2 with a clear message', (args, message) => {
  const { code, err } = stampede(...args);
  expect(code).toBe(2);
  expect(err).toMatch(message);
});
