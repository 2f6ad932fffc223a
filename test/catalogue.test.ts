/**
 * The catalogue at a small seed count: every planted bug the interleaving engine can reach is
 * caught on seed 1 (deterministic: the case count, not the clock, bounds the search), its shrunk
 * case replays, and the correct tracker passes the same seed through both engines.
 */
import { CATALOGUE } from '../catalogue';
import { runCorrectStore, runPlantedBug } from '../src/scenarios/catalogue-run';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory } from '../src/target/store-factory';

const scratch = new ScratchDatabases('stampede-catalogue-test-');
afterAll(() => scratch.removeAll());

const options = {
  seeds: [1],
  scratch,
  anchor: false,
  budget: { numRuns: 3_000, timeLimitMs: 120_000, correctStoreRuns: 500 },
};

const reachable = CATALOGUE.filter((bug) => bug.shows !== 'parallel-only');

test('the catalogue has the bugs the engines are measured on', () => {
  expect(reachable.length).toBeGreaterThanOrEqual(8);
  expect(new Set(CATALOGUE.map((bug) => bug.name)).size).toBe(CATALOGUE.length);
});

test.each(reachable.map((bug) => [bug.name, bug] as const))(
  '%s is caught, shrunk and replayed',
  async (_name, bug) => {
    const row = await runPlantedBug(bug, options);
    expect(row.stampede.caught).toBe(1);
    expect(row.stampede.replayed).toBe(1);
    const calls = row.trials[0]?.shrunkCalls ?? Infinity;
    // Shrinking never grows a case, and always keeps at least the calls that show the bug.
    expect(calls).toBeGreaterThanOrEqual(Math.min(bug.shortestCase, 2));
    expect(calls).toBeLessThanOrEqual(20);
  },
  120_000,
);

test('the correct tracker passes the same seed through both engines', async () => {
  const correct = await runCorrectStore(defaultStoreFactory, options);
  expect(correct.failures).toEqual([]);
}, 120_000);
