/**
 * Under random picks a call removed by shrinking stays as a ghost that takes its expected steps:
 * the other calls start and return at the very steps they did before, where deleting the call
 * outright shifts every later pick. Also: the step estimates match the built-in tracker.
 */
import fc from 'fast-check';
import type { TaggedOpBuilder } from '../models/arbitraries';
import type { TrackerOp } from '../models/operations';
import { stepTracker } from '../models/tracker-model';
import {
  DEFAULT_INTERLEAVED,
  interleavedCaseArbitrary,
  runInterleavedCase,
  type InterleavedCase,
  type ProgramCall,
} from '../src/scenarios/interleaved-case';
import { expectedSteps } from '../src/scenarios/expected-steps';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory } from '../src/target/store-factory';

const scratch = new ScratchDatabases('stampede-ghosts-test-');
afterAll(() => scratch.removeAll());

const options = { createStore: defaultStoreFactory, scratch, settings: DEFAULT_INTERLEAVED };

const call = (op: TrackerOp): TaggedOpBuilder => ({ kind: op.kind, build: () => op });

const PREFIX = [
  () => ({ kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } }) as TrackerOp,
  () =>
    ({
      kind: 'createEpicWithTasks',
      epic: { clientId: 1, epicKey: 'E-1', title: 'One' },
      tasks: [{ taskKey: 'T-1', title: 'Task', storyPoints: 2 }],
    }) as TrackerOp,
];

function caseOf(first: ProgramCall | undefined): InterleavedCase {
  return {
    prefix: PREFIX,
    programs: [
      [first, call({ kind: 'listClients' }), call({ kind: 'getEpicAnalytics', epicId: 1 })],
      [
        call({ kind: 'createClient', input: { clientKey: 'beta', name: 'Beta' } }),
        call({ kind: 'startTask', taskId: 1 }),
      ],
    ],
    swarm: undefined,
    schedule: { kind: 'random', picks: [0, 0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0, 0, 1] },
  };
}

/** When each call other than the first one of worker 1 started and returned. */
async function timesOfTheOthers(c: InterleavedCase): Promise<string[]> {
  const seen = await runInterleavedCase(c, options);
  return seen.history
    .filter(({ input }) => input.kind !== 'finalState' && input.kind !== 'getEpic')
    .map(({ input, invoke, response }) => `${input.kind} ${invoke}-${response}`);
}

test('a removed call keeps the steps of the others; deleting it shifts them', async () => {
  const getEpic = call({ kind: 'getEpic', id: 1 });
  const before = await timesOfTheOthers(caseOf(getEpic));
  const ghost = await timesOfTheOthers(caseOf({ removed: getEpic }));
  const deleted = await timesOfTheOthers(caseOf(undefined));
  expect(ghost).toEqual(before);
  expect(deleted).not.toEqual(before);
});

test('the step estimates are what the built-in tracker takes, run alone', async () => {
  // Generated cases under no interleaving at all: each call's steps, start to return.
  const cases = fc.sample(interleavedCaseArbitrary(DEFAULT_INTERLEAVED), { seed: 7, numRuns: 200 });
  let compared = 0;
  const wrong = new Set<string>();
  for (const generated of cases) {
    const c = { ...generated, schedule: { kind: 'random' as const, picks: [] } };
    const seen = await runInterleavedCase(c, options).catch((error: { observation?: unknown }) => {
      throw new Error(`the correct tracker failed a case: ${String(error)}`);
    });
    // Run one worker after the other, every call meets the state the model expects of it.
    let state = seen.prefixState;
    for (const op of seen.history) {
      if (op.input.kind === 'finalState') continue;
      const expected = stepTracker(state, op.input as TrackerOp);
      state = expected.state;
      const actual = op.response - op.invoke + 1;
      const estimate = expectedSteps(op.input as TrackerOp, expected.result);
      const outcome = expected.result.ok ? 'ok' : expected.result.code;
      if (actual !== estimate)
        wrong.add(`${op.input.kind} ${outcome}: ${actual} steps, estimated ${estimate}`);
      compared += 1;
    }
  }
  expect([...wrong]).toEqual([]);
  expect(compared).toBeGreaterThan(100);
});
