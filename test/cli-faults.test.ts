/** `stampede faults` as a user runs it: a real process, its figures and its exit code. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', 'bin', 'stampede.cjs');

function stampede(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    timeout: 280_000,
  });
  return { code: result.status, out: result.stdout, err: result.stderr };
}

test('faults prints every figure and exits 0 on the built-in tracker', () => {
  const { code, out } = stampede(
    'faults',
    '--kills',
    '3',
    '--cycles',
    '1',
    '--hostile',
    '200',
    '--seed',
    '9',
  );
  expect(code).toBe(0);
  expect(out).toMatch(/3 SIGKILLs: integrity ok 3\/3, acknowledged-but-missing 0, half-applied 0/);
  expect(out).toMatch(
    /STORAGE_FULL 1, integrity ok 1\/1, model agrees 1\/1, recovered after raising the cap 1\/1/,
  );
  expect(out).toMatch(
    /API 200 calls .*crashes 0, model disagreements 0, writes from rejected calls 0/,
  );
  expect(out).toMatch(/PASSED/);
  expect(out).toContain('replay: npx stampede faults --seed 9');
}, 300_000);

// Hostile flags in general are covered in-process (test/faults-hostile.test.ts); one spawn here.
test('faults: a bad flag exits 2 with a clear message', () => {
  const { code, err } = stampede('faults', '--kills', '0');
  expect(code).toBe(2);
  expect(err).toMatch(/--kills must be a positive integer/);
});
