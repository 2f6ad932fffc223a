/**
 * The fresh-process second opinion of the fuzz leak engine (src/fuzz/fresh-process-leak.ts):
 * real child processes replaying one case; a planted leak leaks there too, the same case on the
 * correct tracker does not.
 */
import path from 'node:path';
import { nativeOnly, replayLeakInFreshProcess } from '../src/fuzz/fresh-process-leak';

const PLANTED = path.join('catalogue', 'leaks', 'page-cache-per-call.ts');

test('only verdicts resting on native memory alone are sent for a second opinion', () => {
  expect(nativeOnly(['rss'])).toBe(true);
  expect(nativeOnly(['heap', 'rss'])).toBe(false);
  expect(nativeOnly(['external'])).toBe(false);
  expect(nativeOnly([])).toBe(false);
});

test('a fresh process replays the case: the planted leak leaks, the correct tracker does not', async () => {
  // Seed and path of the planted leak's case, as `stampede leak --seed 1 --target` prints them.
  const [planted, correct] = await Promise.all([
    replayLeakInFreshProcess(1, '0:0', PLANTED),
    replayLeakInFreshProcess(1, '0:0', undefined),
  ]);
  expect(planted).toBe('leak');
  expect(correct).toBe('no leak');
});
