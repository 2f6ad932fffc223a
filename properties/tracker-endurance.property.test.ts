/**
 * Endurance (opt-in): both engines fuzzed for STAMPEDE_ENDURANCE_SECONDS (default 600); the
 * report (stampede-report/endurance/) charts the heap over the run.
 * Run: STAMPEDE_ENDURANCE=1 npx jest properties
 */
import { suiteSecondsFromEnv } from '../src/config/budgets';
import { optInTest } from './opt-in-fuzz';

optInTest('STAMPEDE_ENDURANCE', 'endurance', suiteSecondsFromEnv().endurance, (report) => {
  // Throughput sampled all along: a run that stalled would leave gaps of zero.
  expect(report.timeline.length).toBeGreaterThan(2);
});
