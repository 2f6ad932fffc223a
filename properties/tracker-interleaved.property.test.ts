/**
 * Interleaved property: K workers, each with its own connection to one WAL file, interleaved
 * statement by statement under a generated (and shrunk) schedule; the history must be
 * linearizable against the model, final contents included.
 */
import { budgetsFromEnv, replayFromEnv } from '../src/config/budgets';
import { runRemembering } from '../src/engine/example-database';
import { FailureStore } from '../src/engine/failure-store';
import { formatFailure } from '../src/engine/property-runner';
import { DEFAULT_INTERLEAVED, interleavedProperty } from '../src/scenarios/interleaved-case';
import { SharedCaseFile } from '../src/scenarios/case-file';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { loadTarget } from '../src/target/load-target';

const TEST_NAME = 'concurrent workers observe a linearizable history';
const budgets = budgetsFromEnv();
const replay = replayFromEnv();
const target = loadTarget();
const scratch = new ScratchDatabases();
const caseFile = target.reusableDatabase ? new SharedCaseFile(scratch) : undefined;

afterAll(() => {
  caseFile?.close();
  scratch.removeAll();
});

test(`${TEST_NAME} (${target.name})`, async () => {
  const command = (seed: number, path: string | undefined) =>
    `STAMPEDE_SEED=${seed} STAMPEDE_PATH=${path ?? ''} ` +
    `npx jest properties/tracker-interleaved -t '${TEST_NAME}'`;
  const outcome = await runRemembering(
    () =>
      interleavedProperty({
        createStore: target.createStore,
        scratch,
        ...(caseFile !== undefined ? { caseFile } : {}),
        settings: DEFAULT_INTERLEAVED,
      }),
    { numRuns: replay ? 1 : budgets.interleavedRuns, ...replay },
    {
      store: new FailureStore(),
      property: 'tracker-interleaved',
      engine: 'interleaved',
      target: target.name,
      settings: { scheduleKind: DEFAULT_INTERLEAVED.scheduleKind },
      replayCommand: command,
      warn: (message) => console.warn(message),
    },
  );
  if (outcome.failed) {
    const saved = outcome.savedFile
      ? `\nsaved: ${outcome.savedFile} (replayed first next run)`
      : '';
    throw new Error(formatFailure(outcome, command(outcome.seed, outcome.path)) + saved);
  }
  expect(outcome.numRuns).toBeGreaterThan(0);
});
