/**
 * Sequential model-based property: the store (ours, or STAMPEDE_TARGET) against the model.
 * A failure prints the seed, the path and a command that replays exactly that case.
 */
import { budgetsFromEnv, replayFromEnv } from '../src/config/budgets';
import { formatFailure, runProperty } from '../src/engine/property-runner';
import { sequentialProperty } from '../src/scenarios/sequential-case';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { loadTarget } from '../src/target/load-target';

const TEST_NAME = 'store agrees with the model on random command sequences';
const budgets = budgetsFromEnv();
const replay = replayFromEnv();
const target = loadTarget();
const scratch = new ScratchDatabases();

afterAll(() => scratch.removeAll());

test(`${TEST_NAME} (${target.name})`, async () => {
  const outcome = await runProperty(
    sequentialProperty({
      createStore: target.createStore,
      scratch,
      maxCommands: budgets.maxCommands,
    }),
    { numRuns: replay ? 1 : budgets.sequentialRuns, ...replay },
  );
  if (outcome.failed) {
    const command =
      `STAMPEDE_SEED=${outcome.seed} STAMPEDE_PATH=${outcome.path ?? ''} ` +
      `npx jest properties/tracker-sequential -t '${TEST_NAME}'`;
    throw new Error(formatFailure(outcome, command));
  }
  expect(outcome.numRuns).toBeGreaterThan(0);
});
