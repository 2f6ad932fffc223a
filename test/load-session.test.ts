/**
 * Load sessions with real worker threads: levels run one after another on warm threads, each
 * on a fresh database and model-checked whole; a paced level offers its rate and no more, a
 * closed-model level runs flat out, a quota of calls per lane is exact; a closed session
 * refuses more levels; a planted connection leak is named among the level's problems.
 */
import {
  LoadSession,
  LoadSessionError,
  type LevelResult,
  type LoadLevel,
} from '../src/scenarios/load/load-session';
import { MIXES } from '../src/scenarios/parallel/mixes';

const level = (overrides: Partial<LoadLevel>): LoadLevel => ({
  seconds: 0.5,
  mix: MIXES.mixed,
  poolSize: 4,
  seed: 42,
  ...overrides,
});

function expectClean(result: LevelResult) {
  expect(result.check.verdict).toBe('ok');
  expect(result.check.violations).toBe(0);
  expect(result.problems).toEqual([]);
  expect(result.pool.leakedConnections).toBe(0);
}

describe('a session of the built-in tracker', () => {
  let session: LoadSession;
  beforeAll(async () => {
    session = await LoadSession.open({ target: { kind: 'builtin' }, threads: 1, lanes: 3 });
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  }, 60_000);

  let paced: LevelResult;
  let closed: LevelResult;

  test('a paced level makes about rate x seconds calls, on a fresh database', async () => {
    paced = await session.measure(level({ rate: 200, seconds: 0.5 }));
    expectClean(paced);
    expect(paced.threads).toBe(1);
    expect(paced.lanes).toBe(3);
    expect(paced.operations).toBeGreaterThanOrEqual(80);
    expect(paced.operations).toBeLessThanOrEqual(120);
    expect(paced.achievedRatio).toBeDefined();
    expect(paced.achievedRatio!).toBeGreaterThanOrEqual(0.8);
    expect(paced.achievedRatio!).toBeLessThanOrEqual(1);
    expect(paced.achievedRatio).toBeCloseTo(Math.min(1, paced.operations / 100), 10);
    expect(paced.level.rate).toBe(200);
  }, 60_000);

  test('a closed-model level on the same session makes many more calls, checked ok', async () => {
    closed = await session.measure(level({ seconds: 0.5 }));
    // The second level starts on its own database: were the first level's rows still there,
    // the model (which starts empty) would disagree with the ids and the final state.
    expectClean(closed);
    expect(closed.achievedRatio).toBeUndefined();
    expect(closed.operations).toBeGreaterThan(paced.operations * 3);
    expect(closed.operationsPerSecond).toBeGreaterThan(paced.operationsPerSecond * 3);
  }, 60_000);

  test('a level with opsPerLane makes exactly threads x lanes x opsPerLane calls', async () => {
    const result = await session.measure(level({ seconds: 30, opsPerLane: 25, seed: 7 }));
    expectClean(result);
    expect(result.operations).toBe(1 * 3 * 25);
    expect(result.latency.count).toBe(75);
    expect(result.wallMs).toBeLessThan(30_000);
  }, 60_000);

  test('the correct tracker keeps no connection on lookups of missing clients', async () => {
    const result = await session.measure(level({ mix: { getClient: 1 }, seconds: 0.3 }));
    expectClean(result);
    expect(result.byKind.getClient?.count).toBeGreaterThan(10);
    expect(result.errors).toBe(0);
  }, 60_000);
});

test('measure after close rejects with LoadSessionError', async () => {
  const session = await LoadSession.open({ target: { kind: 'builtin' }, threads: 1, lanes: 2 });
  const result = await session.measure(level({ seconds: 0.3 }));
  expect(result.check.verdict).toBe('ok');
  await session.close();
  await expect(session.measure(level({ seconds: 0.3 }))).rejects.toBeInstanceOf(LoadSessionError);
}, 60_000);

test('a planted connection leak is named among the level problems', async () => {
  const session = await LoadSession.open({
    target: { kind: 'catalogue', name: 'unreleased-connection' },
    threads: 1,
    lanes: 2,
  });
  try {
    // getClient sometimes asks for ids just past the newest: each miss keeps a connection.
    const result = await session.measure(level({ mix: { getClient: 1 }, seconds: 0.4 }));
    expect(result.pool.leakedConnections).toBeGreaterThan(0);
    const leak = result.problems.find((p) => /connection leak/.test(p));
    expect(leak).toBeDefined();
    expect(leak).toMatch(/never released/);
  } finally {
    await session.close();
  }
}, 60_000);
