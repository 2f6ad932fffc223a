/**
 * Calls made in other threads count while their batch runs: the recorder takes the batch's live
 * count, then its histogram, without counting a call twice or letting the series step back.
 */
import { ResourceSampler } from '../src/fuzz/resource-sampler';
import { RunRecorder } from '../src/fuzz/run-recorder';
import { WHOLE_RUN } from '../src/fuzz/seed-space';
import { encodeHistogram, newHistogram, recordMicros } from '../src/report/latency';

function histogramOf(calls: number): string {
  const h = newHistogram();
  for (let k = 0; k < calls; k += 1) recordMicros(h, 100);
  return encodeHistogram(h);
}

const recorderOf = () =>
  new RunRecorder({ kind: 'fuzz', target: 't', baseSeed: 1, shard: WHOLE_RUN });

test('a running batch counts with its live calls, then with its histogram, once', () => {
  const recorder = recorderOf();
  recorder.recordLatency(50);
  recorder.noteBatchCalls(40);
  recorder.noteBatchCalls(100);
  recorder.noteBatchCalls(90); // an older heartbeat arriving late changes nothing
  expect(recorder.callsSoFar()).toBe(101);
  // The batch's histogram holds 97 calls: 3 never returned. The count does not step back...
  recorder.addLatencyHistogram('parallel', histogramOf(97));
  expect(recorder.calls).toBe(98);
  expect(recorder.callsSoFar()).toBe(101);
  // ...and the next batch's calls are counted on top, not added to the last one's.
  recorder.noteBatchCalls(10);
  expect(recorder.callsSoFar()).toBe(108);
  recorder.addLatencyHistogram('parallel', histogramOf(10));
  expect(recorder.callsSoFar()).toBe(108);
});

test('the throughput series moves while a batch runs in other threads', async () => {
  const recorder = recorderOf();
  const sampler = new ResourceSampler(recorder, 60_000);
  sampler.sample();
  await new Promise((resolve) => setTimeout(resolve, 50));
  recorder.noteBatchCalls(500); // nothing timed in this thread: only the live count
  sampler.sample();
  expect(recorder.timeline.at(-1)!.operationsPerSecond).toBeGreaterThan(0);
  await new Promise((resolve) => setTimeout(resolve, 50));
  recorder.addLatencyHistogram('parallel', histogramOf(480));
  sampler.sample();
  // The histogram brought no new calls: 0 per second, never a negative figure.
  expect(recorder.timeline.at(-1)!.operationsPerSecond).toBe(0);
});
