/**
 * Stress (opt-in): both engines fuzzed for STAMPEDE_STRESS_SECONDS (default 60) with fresh
 * seeds; reports in stampede-report/stress/. Run: STAMPEDE_STRESS=1 npx jest properties
 */
import { suiteSecondsFromEnv } from '../src/config/budgets';
import { optInTest } from './opt-in-fuzz';

optInTest('STAMPEDE_STRESS', 'stress', suiteSecondsFromEnv().stress, (report) => {
  for (const scenario of report.scenarios) expect(scenario.operations).toBeGreaterThan(0);
});
