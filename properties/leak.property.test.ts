/**
 * Leak property: no command sequence, repeated against one store, makes its memory grow. The
 * quick suite measures a few sequences; the full run (STAMPEDE_LEAK_FULL=1) searches for a
 * minute. A failure prints the shrunk sequence, the slopes, and a command that replays it.
 */
import { replayFromEnv } from '../src/config/budgets';
import {
  DEFAULT_LEAK_CASE,
  FULL_LEAK_ENV,
  FULL_LEAK_SECONDS,
  QUICK_LEAK_RUNS,
} from '../src/config/leak-budgets';
import { formatFailure } from '../src/engine/property-runner';
import { searchForLeak } from '../src/scenarios/leak-search';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { loadTarget } from '../src/target/load-target';

const QUICK_NAME = 'no command sequence leaks memory (quick)';
const FULL_NAME = 'no command sequence leaks memory (full)';
const replay = replayFromEnv();
const target = loadTarget();
const scratch = new ScratchDatabases('stampede-leak-');
const full = process.env[FULL_LEAK_ENV] === '1';

afterAll(() => scratch.removeAll());

async function expectNoLeak(
  name: string,
  budget: { numRuns?: number; timeLimitMs: number; warmUpSequences?: number },
) {
  const search = await searchForLeak({
    createStore: target.createStore,
    scratch,
    settings: DEFAULT_LEAK_CASE,
    // A heap diff of a jest worker (TypeScript compiler included) takes minutes: the replay
    // command's CLI twin (npx stampede leak --seed --path) prints it.
    heapDiff: false,
    ...budget,
    ...replay,
  });
  const { outcome } = search;
  if (outcome.failed) {
    const command =
      `STAMPEDE_SEED=${outcome.seed} STAMPEDE_PATH=${outcome.path ?? ''} ` +
      `npx jest properties/leak -t '${name}'`;
    throw new Error(formatFailure(outcome, command));
  }
  expect(outcome.numRuns).toBeGreaterThan(0);
}

test(`${QUICK_NAME} (${target.name})`, async () => {
  await expectNoLeak(QUICK_NAME, {
    numRuns: QUICK_LEAK_RUNS,
    timeLimitMs: 30_000,
    warmUpSequences: 5,
  });
});

(full ? test : test.skip)(
  full
    ? `${FULL_NAME} (${target.name})`
    : `${FULL_NAME}: skipped, set ${FULL_LEAK_ENV}=1 to run it`,
  async () => {
    await expectNoLeak(FULL_NAME, { timeLimitMs: FULL_LEAK_SECONDS * 1000 });
  },
  (FULL_LEAK_SECONDS + 60) * 1000,
);
