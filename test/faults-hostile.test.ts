/**
 * Hostile input: thousands of hostile calls, command lines and files, each refused with a typed
 * error (or answered correctly), with the model in agreement and nothing written by a refusal;
 * and stores that break those rules are caught.
 */
import { runHostileApi } from '../src/faults/hostile-api';
import { runHostileCli } from '../src/faults/hostile-cli';
import { runHostileFiles } from '../src/faults/hostile-files';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { stepTracker } from '../models/tracker-model';
import { initialTrackerState } from '../models/tracker-state';
import { SqliteTracker, type NewClient, type StoreOptions } from '../src/tracker';

const scratch = new ScratchDatabases('faults-hostile-');
afterAll(() => scratch.removeAll());

test('2,000 hostile API calls: no crash, no disagreement with the model, no write from a refusal', async () => {
  const figures = await runHostileApi({ inputs: 2_000, seed: 2, scratch });
  expect(figures.problems).toEqual([]);
  expect(figures).toMatchObject({ inputs: 2_000, crashes: 0, modelDisagreements: 0 });
  expect(figures.writesFromRejectedCalls).toBe(0);
  // Both sides of the contract were exercised.
  expect(figures.refused).toBeGreaterThan(1_000);
  expect(figures.accepted).toBeGreaterThan(50);
});

test.each([
  ['a lone surrogate in a key', { clientKey: '\ud800', name: 'Acme' }],
  ['a lone surrogate in a name', { clientKey: 'acme', name: 'a\udc00' }],
  [
    'a getter that throws',
    Object.defineProperty({ clientKey: 'acme' }, 'name', {
      enumerable: true,
      get: () => {
        throw new Error('no');
      },
    }),
  ],
])('%s is refused by the store and the model alike', async (_, input) => {
  const store = new SqliteTracker({ dbPath: scratch.next() });
  try {
    await expect(store.createClient(input as NewClient)).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    const model = stepTracker(initialTrackerState(), {
      kind: 'createClient',
      input: input as NewClient,
    });
    expect(model.result).toMatchObject({ ok: false, code: 'INVALID_INPUT' });
    expect((await store.listClients()).total).toBe(0);
  } finally {
    await store.close();
  }
});

/** Planted: a refused createClient still leaves an audit row behind. */
class AuditsRefusals extends SqliteTracker {
  private audits = 0;
  override async createClient(input: NewClient) {
    try {
      return await super.createClient(input);
    } catch (error) {
      this.audits += 1;
      await super.createClient({ clientKey: `refused-${this.audits}`, name: 'Refused call' });
      throw error;
    }
  }
}

test('a store whose refused calls write is caught', async () => {
  const figures = await runHostileApi({
    inputs: 300,
    seed: 2,
    scratch,
    createStore: (options: StoreOptions) => new AuditsRefusals(options),
  });
  expect(figures.writesFromRejectedCalls).toBeGreaterThan(0);
});

test('hostile command lines exit 2 with a clear message, never throw or exit 4', async () => {
  const figures = await runHostileCli(400, 3);
  expect(figures.problems).toEqual([]);
  expect(figures).toMatchObject({ inputs: 400, crashes: 0 });
});

test('hostile saved-failure files and settings are refused with a typed error', async () => {
  const figures = await runHostileFiles(400, 3, scratch.next());
  expect(figures.problems).toEqual([]);
  expect(figures.crashes).toBe(0);
  expect(figures.refused).toBeGreaterThan(300);
});
