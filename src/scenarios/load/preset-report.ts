import { MEMORY_METRICS } from '../../engine/leak/memory-sample';
import type { CheckFigures, PresetReport, PresetRunReport } from './preset-run-types';

const CHECK_TEXT: Readonly<Record<CheckFigures['verdict'], string>> = {
  ok: 'ok',
  violation: 'VIOLATION',
  unknown: 'undecided',
  'not run': 'not run',
};

/** The seed's report format, extended: latency, model check, thresholds beside the seed's. */
export function formatPresetRun(report: PresetRunReport, now = new Date()): string {
  const passed = report.presets.filter((p) => p.passed).length;
  const total = report.presets.length;
  const lines = [
    '# Stress Test Report',
    '='.repeat(50),
    `Generated: ${now.toISOString()}`,
    `Target: ${report.target}`,
    `Seed: ${report.seed}`,
    '',
    '## Summary',
    `Total Tests: ${total}`,
    `Passed: ${passed}`,
    `Failed: ${total - passed}`,
    `Success Rate: ${total > 0 ? ((passed / total) * 100).toFixed(1) : '0.0'}%`,
    `Seed suite's conditions met: ${report.presets.filter((p) => p.seedCondition.passed).length}/${total}`,
    '',
  ];
  for (const preset of report.presets) lines.push(...formatPreset(preset), '');
  lines.push(
    report.exitCode === 0
      ? 'PASSED'
      : report.exitCode === 1
        ? 'FAILED: a wrong result or a problem was found'
        : 'FAILED: thresholds only',
    `replay: ${report.replay}`,
  );
  return lines.join('\n');
}

function formatPreset(p: PresetReport): string[] {
  const mark = (ok: boolean) => (ok ? '✓' : '✗');
  const lines = [
    `## ${p.name} ${mark(p.passed)} ${p.passed ? 'PASS' : 'FAIL'}`,
    `  ${p.summary}`,
    `  ${p.shape}`,
    `- Duration: ${p.durationSeconds.toFixed(2)}s`,
    `- Operations: ${p.operations}`,
    `- Ops/sec: ${p.operationsPerSecond.toFixed(2)}`,
    `- Error Rate: ${percent(p.errorRate)} (${p.errors} error(s)${codes(p.errorsByCode)})`,
  ];
  if (p.latencyMs !== null) {
    const l = p.latencyMs;
    lines.push(
      `- Latency${p.levels !== undefined ? ' (worst level)' : ''}: p50 ${l.p50}ms, p90 ${l.p90}ms, ` +
        `p99 ${l.p99}ms, p99.9 ${l.p999}ms, max ${l.max}ms`,
    );
  }
  lines.push(
    `- Peak Memory: ${p.peakRssMb.toFixed(2)}MB (RSS)`,
    `- Peak CPU: ${p.peakCpuPercent}%`,
  );
  if (p.memory === undefined) {
    lines.push(
      `- Model check: ${CHECK_TEXT[p.check.verdict]}` +
        (p.check.unchecked > 0 ? ` (${p.check.unchecked} call(s) not judged)` : ''),
    );
  }
  if (p.pool !== null) {
    lines.push(
      `- Pool: ${p.pool.queuedAcquires} queued acquire(s), peak ${p.pool.peakWaiting} waiting, ` +
        `${p.pool.acquireTimeouts} time-out(s), ${p.pool.busyRetries} busy retr(ies), ` +
        `${p.pool.leakedConnections} leaked`,
    );
  }
  if (p.levels !== undefined) {
    lines.push(`- Levels (${p.levels.length}):`);
    for (const [k, level] of p.levels.entries()) {
      lines.push(
        `  ${mark(level.passed)} ${k + 1}: ${level.seconds} s, ${level.operations} ops ` +
          `(${level.operationsPerSecond}/s), errors ${percent(level.errorRate)}, ` +
          `p99 ${level.p99Ms}ms, peak RSS ${level.peakRssMb}MB, check ${CHECK_TEXT[level.check]}`,
      );
    }
  }
  if (p.rssTrend !== undefined) {
    const { firstMb, lastMb, deltaMb } = p.rssTrend;
    lines.push(
      `- RSS trend: ${firstMb}MB (first level) -> ${lastMb}MB (last), ${deltaMb >= 0 ? '+' : ''}${deltaMb}MB`,
    );
  }
  if (p.memory !== undefined) {
    const m = p.memory;
    lines.push(
      `- Leak watcher: ${m.leaking ? 'LEAK' : 'no leak'} (${m.calls} calls, ${m.rounds} rounds; ` +
        `RSS ${m.rssGrowthMb >= 0 ? '+' : ''}${m.rssGrowthMb}MB first to last sample)`,
    );
    for (const metric of MEMORY_METRICS) {
      const s = m.slopes[metric];
      lines.push(
        `  ${mark(!s.leaking)} ${metric.padEnd(8)} ${s.bytesPerCall} B/call [${s.lower}, ${s.upper}] ` +
          `(minimum effect ${s.minBytesPerCall})`,
      );
    }
  }
  if (p.thresholds.length > 0 || p.expectations.length > 0) {
    lines.push('- Thresholds:');
    for (const t of [...p.thresholds, ...p.expectations]) {
      lines.push(`  ${mark(t.passed)} ${t.text}  (${t.observed})`);
    }
  }
  lines.push(
    `- Seed's condition: ${mark(p.seedCondition.passed)} ${p.seedCondition.text} ` +
      `(${p.seedCondition.passed ? 'would have passed' : 'would have failed'})`,
  );
  if (p.problems.length > 0) {
    lines.push('- Problems:', ...p.problems.map((problem) => `  ✗ ${problem}`));
  }
  if (p.check.detail !== undefined && p.check.verdict === 'violation') {
    lines.push('- Witness:', p.check.detail);
  }
  lines.push(`- Seed: ${p.seed}`);
  return lines;
}

function codes(byCode: Readonly<Record<string, number>>): string {
  const entries = Object.entries(byCode);
  return entries.length === 0 ? '' : `: ${entries.map(([c, n]) => `${c} ${n}`).join(', ')}`;
}

/** A percentage to two decimals, or to three significant digits when that would read 0.00. */
function percent(fraction: number): string {
  const value = fraction * 100;
  return value > 0 && value < 0.005 ? `${Number(value.toPrecision(3))}%` : `${value.toFixed(2)}%`;
}
