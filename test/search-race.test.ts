/**
 * Searcher threads racing a trial: each runs its own seed, the first failure stops the others,
 * and the winner's seed and path replay on one thread, with no pool.
 */
import path from 'node:path';
import { CATALOGUE } from '../catalogue';
import { trialOf } from '../src/scenarios/catalogue-run';
import { searcherSeed } from '../src/scenarios/search-race/race-protocol';
import { SearchPool } from '../src/scenarios/search-race/search-pool';
import { ScratchDatabases } from '../src/scenarios/scratch-db';

const scratch = new ScratchDatabases('stampede-search-race-test-');
const budget = { numRuns: 100_000, timeLimitMs: 100_000, correctStoreRuns: 200 };
let pool: SearchPool;

beforeAll(() => {
  pool = new SearchPool(2);
});
afterAll(async () => {
  await pool.close();
  scratch.removeAll();
});

test('searcher 0 runs the seed itself; the others run distinct 32-bit seeds', () => {
  for (const seed of [1, 2, -7, 2_147_483_647, -2_147_483_648]) {
    const seeds = Array.from({ length: 8 }, (_, k) => searcherSeed(seed, k));
    expect(seeds[0]).toBe(seed);
    expect(new Set(seeds).size).toBe(8);
    for (const s of seeds) expect(s).toBe(s | 0);
  }
});

test('a pool needs a whole number of searchers', () => {
  expect(() => new SearchPool(0)).toThrow(RangeError);
  expect(() => new SearchPool(1.5)).toThrow(RangeError);
});

test('the first searcher to fail wins, the other is stopped, and the winner replays alone', async () => {
  const bug = CATALOGUE.find((entry) => entry.name === 'double-transition')!;
  const race = await pool.race({
    engine: 'interleaved',
    target: { kind: 'catalogue', name: bug.name },
    seed: 3,
    budget,
    checkReplay: true,
    reuseDatabase: true,
  });
  expect(race.trial.caught).toBe(true);
  expect(race.trial.replayReproduced).toBe(true);
  expect([searcherSeed(3, 0), searcherSeed(3, 1)]).toContain(race.trial.seed);
  expect(race.trial.replay).toContain(`--seed ${race.trial.seed} `);
  expect(race.searchers).toHaveLength(2);
  // Without the stop the loser would search on for its whole budget (100 s, past the test's
  // time-out): it either was stopped or met a failure of its own at about the same time.
  for (const loser of race.searchers.filter((r) => r.trial.seed !== race.trial.seed)) {
    expect(loser.stopped || loser.trial.caught).toBe(true);
  }
  // The winner's seed, run here without threads, fails too: the reproduction needs no pool.
  const alone = await trialOf(
    'interleaved',
    bug.createStore,
    race.trial.seed,
    { scratch, budget: { ...budget, timeLimitMs: 60_000 } },
    true,
    true,
  );
  expect(alone.caught).toBe(true);
  expect(alone.shrunkCalls).toBe(race.trial.shrunkCalls);
}, 120_000);

test('the correct tracker passes every searcher, none stopped', async () => {
  const race = await pool.race({
    engine: 'interleaved',
    target: { kind: 'builtin' },
    seed: 5,
    budget: { ...budget, numRuns: 150 },
    checkReplay: false,
    reuseDatabase: true,
  });
  expect(race.trial.caught).toBe(false);
  expect(race.searchers.map((r) => [r.trial.caught, r.stopped])).toEqual([
    [false, false],
    [false, false],
  ]);
}, 120_000);

test('a store no searcher can load fails the race with its name', async () => {
  await expect(
    pool.race({
      engine: 'sequential',
      target: { kind: 'catalogue', name: 'no-such-bug' },
      seed: 1,
      budget,
      checkReplay: false,
      reuseDatabase: false,
    }),
  ).rejects.toThrow(/no-such-bug/);
}, 60_000);

test('a searcher that dies fails its race and every later one, instead of hanging', async () => {
  const dying = new SearchPool(2);
  try {
    const request = {
      engine: 'sequential' as const,
      target: {
        kind: 'module' as const,
        path: path.join(__dirname, 'helpers/thread-exiting-store.ts'),
      },
      seed: 1,
      budget,
      checkReplay: false,
      reuseDatabase: false,
    };
    await expect(dying.race(request)).rejects.toThrow(/exited \(code 3\)/);
    await expect(dying.race({ ...request, target: { kind: 'builtin' } })).rejects.toThrow(
      /exited \(code 3\)/,
    );
  } finally {
    await dying.close();
  }
}, 60_000);
