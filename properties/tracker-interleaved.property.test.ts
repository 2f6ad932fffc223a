/**
 * Interleaved property: K workers, each with its own connection to one WAL file, interleaved
 * statement by statement under a generated (and shrunk) schedule; the history must be
 * linearizable against the model, final contents included.
 */
import { budgetsFromEnv, replayFromEnv } from '../src/config/budgets';
import { formatFailure, runProperty } from '../src/engine/property-runner';
import { DEFAULT_INTERLEAVED, interleavedProperty } from '../src/scenarios/interleaved-case';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { loadTarget } from '../src/target/load-target';

const TEST_NAME = 'concurrent workers observe a linearizable history';
const budgets = budgetsFromEnv();
const replay = replayFromEnv();
const target = loadTarget();
const scratch = new ScratchDatabases();

afterAll(() => scratch.removeAll());

test(`${TEST_NAME} (${target.name})`, async () => {
  const outcome = await runProperty(
    interleavedProperty({
      createStore: target.createStore,
      scratch,
      settings: DEFAULT_INTERLEAVED,
    }),
    { numRuns: replay ? 1 : budgets.interleavedRuns, ...replay },
  );
  if (outcome.failed) {
    const command =
      `STAMPEDE_SEED=${outcome.seed} STAMPEDE_PATH=${outcome.path ?? ''} ` +
      `npx jest properties/tracker-interleaved -t '${TEST_NAME}'`;
    throw new Error(formatFailure(outcome, command));
  }
  expect(outcome.numRuns).toBeGreaterThan(0);
});
