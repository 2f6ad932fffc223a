/**
 * The whole loop on a planted bug: fuzz finds it and saves it, `stampede replay` on the saved
 * file reproduces it (exit 1), and the same file against the correct tracker passes (exit 0).
 * A malformed or hostile file is refused with exit 2 and never run.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readReport } from '../src/report/report-files';
import { ROOT, scratchDir, stampedeHere, stampedeIn } from './helpers/stampede-cli';

const BUGGY = path.join(ROOT, 'catalogue', 'no-points-on-complete.ts');
const cwd = scratchDir('replay');
let saved: string;

beforeAll(() => {
  const run = stampedeIn(
    cwd,
    ...['fuzz', '--for', '60s', '--seed', '7', '--engines', 'sequential', '--target', BUGGY],
  );
  expect(run.code).toBe(1);
  expect(run.out).toContain('failure found by sequential');
  const files = fs.readdirSync(path.join(cwd, '.stampede', 'failures'));
  expect(files).toHaveLength(1);
  saved = path.join('.stampede', 'failures', files[0] as string);
});

test('fuzz reports the failure it found, with its replay command and saved file', () => {
  const report = readReport(path.join(cwd, 'stampede-report'));
  expect(report.passed).toBe(false);
  expect(report.scenarios[0]).toMatchObject({ name: 'sequential', passed: false, failures: 1 });
  const [failure] = report.failures;
  expect(failure?.savedFile).toBe(saved);
  expect(failure?.summary).toContain('pointsEarned');
  expect(failure?.replay).toMatch(/^npx stampede replay --engine sequential --seed -?\d+/);
  const markdown = fs.readFileSync(path.join(cwd, 'stampede-report', 'report.md'), 'utf8');
  expect(markdown).toContain(`Replay: \`${failure?.replay}\``);
});

test('replaying the saved file against the buggy store reproduces the failure (exit 1)', () => {
  const { code, out } = stampedeIn(cwd, 'replay', saved, '--target', BUGGY);
  expect(code).toBe(1);
  expect(out).toContain('STILL FAILING');
  expect(out).toMatch(/store\.completeTask\(\d+\)/);
});

test('replaying the same file against the correct tracker passes (exit 0)', () => {
  const { code, out } = stampedeIn(cwd, 'replay', saved);
  expect(code).toBe(0);
  expect(out).toContain('PASSES');
});

test('the printed replay command (seed and path) reproduces it too', () => {
  const { failures } = readReport(path.join(cwd, 'stampede-report'));
  const args = (failures[0]?.replay ?? '').replace(/^npx stampede /, '').split(' ');
  const { code } = stampedeIn(cwd, ...args);
  expect(code).toBe(1);
});

const hostile: [string, string, RegExp][] = [
  ['not JSON', '{"version": 1,', /is not valid JSON/],
  [
    'a prototype-polluting key',
    JSON.stringify({
      version: 1,
      engine: 'sequential',
      property: 'tracker-sequential',
      target: 'x',
      seed: 1,
      path: '',
      settings: {},
      summary: '',
      replay: '',
      createdAt: '2026-01-01T00:00:00Z',
    }).replace('"settings":{}', '"settings":{"__proto__":{"polluted":1}}'),
    /"__proto__", which is reserved/,
  ],
  [
    'an engine that does not exist',
    '{"version": 1, "engine": "rm -rf"}',
    /field "engine" must be one of/,
  ],
];

test.each(hostile)(
  'a saved failure with %s is refused with exit 2 and not run',
  async (_what, text, message) => {
    const file = path.join(cwd, 'bad.json');
    fs.writeFileSync(file, text);
    const { code, err, out } = await stampedeHere('replay', file);
    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(err).toContain('nothing was run');
    expect(out).not.toContain('Replaying');
  },
);

test.each([
  [['replay'], /give a failure file, or --seed/],
  [['replay', 'x.json', '--seed', '3'], /either a failure file or --seed/],
  [['replay', '--seed', '3', '--engine', 'psychic'], /Allowed choices are sequential, interleaved/],
])('replay: bad usage %j exits 2 with a clear message', async (args, message) => {
  const { code, err } = await stampedeHere(...args);
  expect(code).toBe(2);
  expect(err).toMatch(message);
});
