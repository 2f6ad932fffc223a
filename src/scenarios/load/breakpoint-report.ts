/**
 * A breakpoint run as people read it: the terminal summary (every level, the knee, the safe
 * limit, what failed first, the sweep's confirmation, the command that reruns any level) and
 * the report files (the `breakpoint` section, one batch and one timeline point per level).
 */
import { RunRecorder } from '../../fuzz/run-recorder';
import { WHOLE_RUN } from '../../fuzz/seed-space';
import { writeReport } from '../../report/report-files';
import type { BreakpointSection } from '../../report/report-schema';
import type { BreakpointRun, Knob } from './breakpoint-run';

export const KNOB_UNITS: Readonly<Record<Knob, string>> = {
  rate: 'calls/s offered',
  clients: 'concurrent clients',
};

export function rerunCommand(run: BreakpointRun, load: number, seed: number): string {
  const s = run.settings;
  const target =
    s.target === 'tracker (built-in)' ? '' : ` --target ${s.target.replace(/^catalogue\//, '')}`;
  return (
    `npx stampede breakpoint --knob ${s.knob} --level ${load} --seed ${seed}` +
    ` --threads ${s.threads} --lanes ${s.lanes} --pool-size ${s.poolSize} --mix ${s.mixName}` +
    ` --level-seconds ${s.levelSeconds}${target}`
  );
}

export function breakpointSection(run: BreakpointRun): BreakpointSection {
  const points = [...run.levels]
    .map(({ outcome }) => ({
      load: outcome.load,
      operationsPerSecond: outcome.operationsPerSecond,
      p99Micros: outcome.p99Micros,
      errorRate: outcome.errorRate,
      passed: outcome.passed,
      phase: outcome.phase,
      seed: outcome.seed,
      failed: [...outcome.failed],
    }))
    .sort((a, b) => a.load - b.load);
  return {
    points,
    breakingLoad: run.search.breakingLoad,
    knob: run.settings.knob,
    unit: KNOB_UNITS[run.settings.knob],
    thresholds: run.settings.thresholds.map((t) => t.text),
    maxSustained: run.search.maxSustained,
    safeLimit: run.search.safeLimit,
    firstFailed: [...run.search.firstFailed],
    sweepKnee: run.sweep?.knee ?? null,
    agreement: run.agreement,
  };
}

/** Writes report.md, report.json and report.html; returns the Markdown file's path. */
export function writeBreakpointReport(run: BreakpointRun, dir: string): string {
  const recorder = new RunRecorder({
    kind: 'run',
    target: run.settings.target,
    baseSeed: run.settings.seed,
    shard: WHOLE_RUN,
  });
  let elapsedMs = 0;
  for (const [round, { outcome, result }] of run.levels.entries()) {
    elapsedMs += result.wallMs;
    recorder.batches.push({
      round,
      engine: 'breakpoint',
      seed: outcome.seed,
      cases: 1,
      operations: result.operations,
      errors: result.errors,
      durationMs: Math.round(result.wallMs * 10) / 10,
      failed: !outcome.passed,
    });
    if (result.latency.histogram !== '') {
      recorder.addLatencyHistogram('breakpoint', result.latency.histogram);
    }
    recorder.timeline.push({
      source: recorder.source,
      elapsedMs: Math.round(elapsedMs),
      cases: round + 1,
      operations: result.operations,
      operationsPerSecond: Math.round(result.operationsPerSecond),
      p99Micros: result.latency.p99,
      heapUsedMb: round1(result.resources.peakHeapUsedMb),
      rssMb: round1(result.resources.peakRssMb),
      cpuPercent: round1(result.resources.peakCpuPercent),
    });
  }
  recorder.breakpoint = breakpointSection(run);
  // The recorder is made after the run: its clock would say the run took no time.
  const report = recorder.report('completed');
  const startedAt = new Date(Date.parse(report.updatedAt) - run.elapsedMs).toISOString();
  return writeReport(dir, { ...report, startedAt, wallMs: run.elapsedMs }).markdown;
}

export function formatBreakpoint(run: BreakpointRun): string {
  const s = run.settings;
  const unit = KNOB_UNITS[s.knob];
  const lines = [
    `Stampede breakpoint: ${s.knob} (${unit}) against ${s.target}`,
    `  ${s.threads} thread(s) x ${s.lanes} lane(s), pool ${s.poolSize}, ${s.mixName} mix, ` +
      `${s.levelSeconds} s a level, every level model-checked`,
    `  thresholds: ${s.thresholds.map((t) => t.text).join(', ')}`,
    '',
    '  phase    load     ops/s    p50      p99      p99.9    errors   check  verdict',
  ];
  for (const { outcome, result } of run.levels) {
    lines.push(
      '  ' +
        [
          pad(outcome.phase, 7),
          pad(String(outcome.load), 8),
          pad(String(Math.round(result.operationsPerSecond)), 8),
          pad(ms(result.latency.p50), 8),
          pad(ms(result.latency.p99), 8),
          pad(ms(result.latency.p999), 8),
          pad(`${(result.errorRate * 100).toFixed(2)}%`, 8),
          pad(result.check.verdict, 6),
          outcome.passed ? 'pass' : `FAIL ${outcome.failed.join('; ')}`,
        ].join(' '),
    );
  }
  const { search } = run;
  lines.push('');
  if (search.maxSustained !== null) {
    lines.push(`  maximum sustained   ${search.maxSustained} ${unit}`);
  }
  if (search.breakingLoad !== null) {
    lines.push(`  breaking point      ${search.breakingLoad} ${unit}`);
  }
  if (search.safeLimit !== null) {
    lines.push(`  safe limit (80%)    ${search.safeLimit} ${unit}`);
  }
  if (search.firstFailed.length > 0) {
    lines.push(`  failed first        ${search.firstFailed.join('; ')}`);
  }
  if (search.end === 'never-broke') lines.push(`  never broke up to ${s.max} ${unit}`);
  if (search.end === 'broke-at-minimum') lines.push(`  broke even at ${s.min} ${unit}`);
  if (search.end === 'probe-budget') lines.push(`  stopped at the budget of ${s.maxProbes} levels`);
  if (run.sweep !== undefined) {
    const agreement = run.agreement === null ? 'n/a' : `${(run.agreement * 100).toFixed(1)}% apart`;
    lines.push(
      `  linear sweep knee   ${run.sweep.knee ?? 'none passed'} (${run.sweep.probes.length} levels; ${agreement})`,
    );
  }
  const breaking = run.levels.find(
    (l) => l.outcome.load === search.breakingLoad && !l.outcome.passed,
  );
  if (breaking !== undefined) {
    lines.push(
      `  rerun the breaking level: ${rerunCommand(run, breaking.outcome.load, breaking.outcome.seed)}`,
    );
  }
  lines.push(`  took ${(run.elapsedMs / 1000).toFixed(1)} s, seed ${s.seed}`);
  return lines.join('\n');
}

function ms(micros: number): string {
  return micros >= 1000 ? `${(micros / 1000).toFixed(1)}ms` : `${micros}us`;
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}

function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
