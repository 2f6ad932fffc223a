/**
 * The parallel and leak adapters, one small batch each: the correct tracker passes with calls
 * counted, a planted bug of the kind each engine is for fails with its replay command.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStore as pageCachePerCall } from '../catalogue/leaks/page-cache-per-call';
import type { EngineContext } from '../src/fuzz/engines';
import { leakEngine } from '../src/fuzz/leak-engine';
import { DEFAULT_PARALLEL_ENGINE, parallelEngine } from '../src/fuzz/parallel-engine';
import { sumHistograms } from '../src/report/latency';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory, type StoreFactory } from '../src/target/store-factory';

const scratch = new ScratchDatabases('stampede-engines-extra-');
const failureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stampede-engines-extra-'));
afterAll(() => {
  scratch.removeAll();
  fs.rmSync(failureDir, { recursive: true, force: true });
});

function contextOf(
  createStore: StoreFactory,
  noteBatchCalls: (calls: number) => void = () => undefined,
): EngineContext {
  return {
    createStore,
    scratch,
    shouldStop: () => false,
    recordLatencyMicros: () => undefined,
    noteBatchCalls,
  };
}

const parallel = (target: typeof DEFAULT_PARALLEL_ENGINE.target, seconds: number) =>
  parallelEngine({ ...DEFAULT_PARALLEL_ENGINE, target, seconds, failureDir });

test('parallel: the tracker passes one short batch, with calls, rounds and their latency', async () => {
  // Live call counts (from the threads' heartbeats), while the batch runs.
  const live: { calls: number; atMs: number }[] = [];
  const started = performance.now();
  const result = await parallel({ kind: 'builtin' }, 2).runBatch(
    7,
    { maxCases: 100, timeLimitMs: 2_000 },
    contextOf(defaultStoreFactory, (calls) => live.push({ calls, atMs: performance.now() })),
  );
  const endedMs = performance.now() - started;
  expect(result.failure).toBeUndefined();
  expect(result.cases).toBeGreaterThan(0);
  expect(result.operations).toBeGreaterThan(0);
  expect(sumHistograms([result.latencyHistogram ?? '']).totalCount).toBeGreaterThan(0);
  // Counts come during the 2-second batch, not only at its end, and only grow...
  expect(live.length).toBeGreaterThan(5);
  expect(live.some((n) => n.atMs - started < endedMs / 2)).toBe(true);
  for (let k = 1; k < live.length; k += 1) {
    expect(live[k]!.calls).toBeGreaterThan(live[k - 1]!.calls);
  }
  // ...to the calls made: each thread counts a call as it starts, so at most the calls still
  // running at the end (one per lane) are counted and not in the history.
  const lanes = DEFAULT_PARALLEL_ENGINE.threads * DEFAULT_PARALLEL_ENGINE.lanes;
  expect(live.at(-1)!.calls).toBeLessThanOrEqual(result.operations + lanes);
  expect(live.at(-1)!.calls).toBeGreaterThan(result.operations * 0.9);
});

test('parallel: a stop request ends the batch after its current round, checked', async () => {
  // Five rounds of a second are planned; the stop comes with the first calls of the first.
  let stop = false;
  const result = await parallel({ kind: 'builtin' }, 5).runBatch(
    7,
    { maxCases: 100, timeLimitMs: 5_000 },
    {
      ...contextOf(defaultStoreFactory, () => {
        stop = true;
      }),
      shouldStop: () => stop,
    },
  );
  expect(stop).toBe(true);
  expect(result.cases).toBe(1);
  expect(result.operations).toBeGreaterThan(0);
  expect(result.failure).toBeUndefined();
  expect(sumHistograms([result.latencyHistogram ?? '']).totalCount).toBe(result.operations);
});

test('parallel: a lost update fails the batch, drawn as lanes, saved, with its command', async () => {
  const result = await parallel({ kind: 'catalogue', name: 'lost-update-points' }, 6).runBatch(
    7,
    { maxCases: 100, timeLimitMs: 6_000 },
    contextOf(defaultStoreFactory),
  );
  const failure = result.failure;
  expect(failure).toBeDefined();
  expect(failure?.replay).toMatch(/^npx stampede parallel --seed 7 .*--target lost-update-points$/);
  expect(failure?.savedFile).toBeDefined();
  expect(fs.existsSync(failure?.savedFile ?? '')).toBe(true);
  expect(failure?.lanes?.ops.length).toBeGreaterThan(0);
});

test('leak: the tracker does not leak in a short search; calls are counted', async () => {
  const result = await leakEngine().runBatch(
    1,
    { maxCases: 2, timeLimitMs: 10_000 },
    contextOf(defaultStoreFactory),
  );
  expect(result.failure).toBeUndefined();
  expect(result.cases).toBeGreaterThan(0);
  expect(result.operations).toBeGreaterThan(0);
  expect(result.heapSeries?.samples.length).toBeGreaterThan(0);
});

test('leak: a planted per-call cache is a failure with its sequence, slopes and command', async () => {
  const result = await leakEngine().runBatch(
    1,
    { maxCases: 10, timeLimitMs: 15_000 },
    contextOf(pageCachePerCall),
  );
  const failure = result.failure;
  expect(failure).toBeDefined();
  expect(failure?.summary).toMatch(/Memory grows while this sequence repeats/);
  expect(failure?.summary).toMatch(/LEAK/);
  expect(failure?.replay).toMatch(/^npx stampede leak --seed 1( --path [\d:]+)?$/);
  expect(result.heapSeries?.verdict).toBe('leak');
});
