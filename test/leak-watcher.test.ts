/**
 * The watcher inside a jest worker: node-memwatch forces full GCs here without --expose-gc, a
 * planted leak is judged a leak with its slope, the correct tracker running the same calls is
 * not. (The heap diff is tested through the CLI, in a process of its own: node-memwatch's
 * HeapDiff on a jest worker's heap, TypeScript compiler included, takes minutes.)
 */
import fc from 'fast-check';
import { OP_BUILDERS } from '../models/arbitraries';
import { createStore as pageCachePerCall } from '../catalogue/leaks/page-cache-per-call';
import { DEFAULT_LEAK_CASE } from '../src/config/leak-budgets';
import { sampleAfterGc } from '../src/engine/leak/memory-sample';
import { watchSequence } from '../src/scenarios/leak-case';
import { ScratchDatabases } from '../src/scenarios/scratch-db';
import { defaultStoreFactory } from '../src/target/store-factory';

const scratch = new ScratchDatabases('stampede-leak-test-');
afterAll(() => scratch.removeAll());

const listClients = fc.sample(OP_BUILDERS.listClients, { seed: 1, numRuns: 1 });
const settings = DEFAULT_LEAK_CASE;

test('a sample forces a full GC (no --expose-gc needed) and reads the memory after it', async () => {
  const kept: number[][] = [];
  for (let i = 0; i < 6000; i += 1) kept.push(new Array<number>(1000).fill(i));
  const held = await sampleAfterGc();
  kept.length = 0;
  const released = await sampleAfterGc();
  // 6000 arrays of 1000 numbers: at least 48 MB, which only a full GC takes away once they are
  // garbage. The drop is measured, not the growth: a reused jest worker may still be letting go
  // of the previous test file's modules (a CI run saw the heap fall by 121 MB across the
  // allocation), and that only deepens a drop. Growth on its own (code compiled, a CI run saw
  // 9 MB) works against it, so the bar is half the signal.
  expect(held.heap - released.heap).toBeGreaterThan(24_000_000);
  expect(released.rss).toBeGreaterThan(0);
});

test('the planted cache leak is judged a leak, with a slope of hundreds of bytes per call', async () => {
  // Up to three watches, as the leak property itself would go on to another case: a reused jest
  // worker under CI load once let go of megabytes mid-series (a previous file's modules), which
  // hid a ~28 KB-a-round signal from one watch. A watcher that cannot see this leak fails all three.
  const seen: string[] = [];
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const { report, calls } = await watchSequence(listClients, {
      createStore: pageCachePerCall,
      scratch,
      settings,
    });
    expect(calls).toHaveLength(1);
    const heap = report.verdicts.heap.overall;
    seen.push(`slope ${heap.slope.toFixed(0)} B/call, lower ${heap.lower.toFixed(0)}`);
    if (!report.leaking) continue;
    expect(report.leakingMetrics).toContain('heap');
    expect(heap.lower).toBeGreaterThan(settings.watch.minBytesPerOp.heap);
    return;
  }
  throw new Error(`the planted leak was not judged a leak in 3 watches: ${seen.join('; ')}`);
});

test('the correct tracker running the same call is not', async () => {
  const { report } = await watchSequence(listClients, {
    createStore: defaultStoreFactory,
    scratch,
    settings,
  });
  expect(report.leaking).toBe(false);
  expect(report.verdicts.heap.overall.slope).toBeLessThan(settings.watch.minBytesPerOp.heap);
});
