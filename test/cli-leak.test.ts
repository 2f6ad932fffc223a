/**
 * `stampede leak` as a user runs it, in a process of its own (the heap diff needs a small
 * heap): a planted leak's printed replay reproduces it, names the leaking call and the type that
 * grows, and exits 1; bad flags exit 2 with a message.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const BIN = path.join(__dirname, '..', 'bin', 'stampede.cjs');

function stampede(...args: string[]) {
  const result = spawnSync(process.execPath, [BIN, 'leak', ...args], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: result.status ?? result.signal, out: result.stdout, err: result.stderr };
}

test('the replay of a planted cache leak leaks again: exit 1, its one call, CachedPage grows', () => {
  // Seed and path as printed by `npx stampede leak --seed 1 --target <this leak>`.
  const { code, out } = stampede(
    '--seed',
    '1',
    '--path',
    '0:0',
    '--target',
    path.join('catalogue', 'leaks', 'page-cache-per-call.ts'),
    '--json',
  );
  expect(code).toBe(1);
  const summary = JSON.parse(out) as {
    leakFound: boolean;
    leak: {
      calls: string[];
      verdict: { slopes: { heap: { leaking: boolean; bytesPerCall: number } } };
      growingTypes: { what: string }[];
      replay: string;
    };
  };
  expect(summary.leakFound).toBe(true);
  expect(summary.leak.calls).toEqual([
    'store.listClients({ page: 2, pageSize: 5, status: "inactive" })',
  ]);
  expect(summary.leak.verdict.slopes.heap.leaking).toBe(true);
  expect(summary.leak.growingTypes.map((type) => type.what)).toContain('CachedPage');
  expect(summary.leak.replay).toContain('--seed 1 --path 0:0');
});

test.each([
  [['--seconds', '0'], /--seconds must be a positive integer/],
  [['--seed', 'abc'], /--seed must be an integer/],
  [['--target', 'no-such-store.ts'], /Cannot load target module/],
])('bad usage %j exits 2 and says why', (args, message) => {
  const { code, err } = stampede(...args);
  expect(code).toBe(2);
  expect(err).toMatch(message);
});
