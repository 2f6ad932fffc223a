/**
 * Saved failures are replayed first, forgotten once fixed, and a corrupt saved file is reported
 * and skipped, never executed.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runRemembering, type ExampleDatabaseOptions } from '../src/engine/example-database';
import { FailureStore } from '../src/engine/failure-store';
import { sequentialProperty } from '../src/scenarios/sequential-case';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory, type StoreFactory } from '../src/target/store-factory';
import { createStore as brokenStore } from '../catalogue/no-points-on-complete';

const scratch = new ScratchDatabases();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-examples-'));
afterAll(() => {
  scratch.removeAll();
  fs.rmSync(dir, { recursive: true, force: true });
});

function remember(createStore: StoreFactory, warnings: string[] = []) {
  const options: ExampleDatabaseOptions = {
    store: new FailureStore(dir),
    property: 'tracker-sequential',
    engine: 'sequential',
    target: 'the tracker',
    settings: { maxCommands: 50 },
    replayCommand: (seed, p) => `npx stampede run --seed ${seed} --path ${p ?? ''}`,
    warn: (message) => warnings.push(message),
  };
  return runRemembering(
    () => sequentialProperty({ createStore, scratch, maxCommands: 50 }),
    { numRuns: 300, seed: 42 },
    options,
  );
}

test('a failure is saved, replayed first next time, and forgotten once fixed', async () => {
  const found = await remember(brokenStore);
  expect(found.failed).toBe(true);
  expect(found.savedFile).toBeDefined();
  expect(fs.existsSync(found.savedFile as string)).toBe(true);

  // Next run: the saved case comes back first, as one case, without a search.
  const again = await remember(brokenStore);
  expect(again.replayedSaved).toBe(1);
  expect(again.failed).toBe(true);
  expect(again.numRuns).toBe(1);
  expect(again.path).toBe(found.path);

  // Fixed: the saved case passes, is removed, and the search runs as usual.
  const fixed = await remember(defaultStoreFactory);
  expect(fixed.replayedSaved).toBe(1);
  expect(fixed.failed).toBe(false);
  expect(fs.readdirSync(dir)).toEqual([]);
});

test('a corrupt saved failure is reported and skipped, and the run goes on', async () => {
  fs.writeFileSync(path.join(dir, 'tracker-sequential-7-0123abcd.json'), '{"version": 1, "seed":');
  const warnings: string[] = [];
  const outcome = await remember(defaultStoreFactory, warnings);
  expect(outcome.failed).toBe(false);
  expect(outcome.replayedSaved).toBe(0);
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toMatch(/tracker-sequential-7-0123abcd\.json/);
});
