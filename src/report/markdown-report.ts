/**
 * `report.md`: the run as people read it in the morning. Per scenario a ✓ or ✗, duration,
 * operations, ops/s, error rate and latency percentiles; peak memory and CPU; then every
 * failure with its shrunk case and the command that replays it.
 */
import { grouped, micros, percent, seconds, shardsLabel } from './format';
import type { Report } from './report-schema';

export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const verdict = report.passed ? '✓ PASSED' : `✗ FAILED (${report.totals.failures} failure(s))`;
  out.push(`# Stampede ${report.kind} report: ${verdict}`, '');
  out.push(
    `- Target: \`${report.target}\``,
    `- Status: ${report.status}${report.status === 'running' ? ' (checkpoint; the run goes on)' : ''}`,
    `- Started: ${report.startedAt}; updated: ${report.updatedAt}; wall time ${seconds(report.wallMs)}`,
    `- Seeds: base ${report.baseSeed}, ${shardsLabel(report.shards)}, ${report.batches.length} batch(es)`,
    `- Scenarios: ${report.scenarios.length} (${report.scenarios.filter((s) => s.passed).length} passed, ` +
      `${report.scenarios.filter((s) => !s.passed).length} failed)`,
    `- Totals: ${grouped(report.totals.cases)} cases, ${grouped(report.totals.operations)} operations, ` +
      `${grouped(report.totals.errors)} typed errors, ${report.totals.failures} failure(s)`,
    `- Peak memory: ${report.resources.peakRssMb} MB RSS, ${report.resources.peakHeapUsedMb} MB heap used; ` +
      `peak CPU ${report.resources.peakCpuPercent}% of one core`,
    '',
  );
  out.push('## Scenarios', '');
  out.push(
    '| scenario | result | duration | cases | operations | ops/s | error rate | p50 | p90 | p99 | p99.9 | max |',
    '| --- | :-: | --: | --: | --: | --: | --: | --: | --: | --: | --: | --: |',
  );
  for (const s of report.scenarios) {
    const l = s.latencyMicros;
    out.push(
      `| ${s.name} | ${s.passed ? '✓' : '✗'} | ${seconds(s.engineMs)} | ${grouped(s.cases)} | ` +
        `${grouped(s.operations)} | ${grouped(s.operationsPerSecond)} | ${percent(s.errorRate)} | ` +
        `${micros(l.p50)} | ${micros(l.p90)} | ${micros(l.p99)} | ${micros(l.p999)} | ${micros(l.max)} |`,
    );
  }
  out.push(
    '',
    'Error rate: calls refused with a typed error the model predicted (sequential) or given up ' +
      'after BUSY retries (interleaved), per operation. Latency: each call on the store, in the ' +
      'engine (interleaved calls include the time parked by the schedule).',
    '',
  );
  if (report.leak) {
    out.push(
      '## Heap after GC',
      '',
      `Trend ${report.leak.slopeMbPerHour.toFixed(2)} MB/h over ${report.leak.samples.length} ` +
        `samples: ${report.leak.verdict}.`,
      '',
    );
  }
  if (report.breakpoint) {
    const b = report.breakpoint;
    out.push(
      '## Breakpoint',
      '',
      '| load | ops/s | p99 | error rate |',
      '| --: | --: | --: | --: |',
    );
    for (const p of b.points) {
      out.push(
        `| ${p.load} | ${grouped(p.operationsPerSecond)} | ${micros(p.p99Micros)} | ${percent(p.errorRate)} |`,
      );
    }
    out.push('', `Breaking load: ${b.breakingLoad ?? 'none reached'}.`, '');
  }
  const notes = report.batches.filter((b) => b.note !== undefined);
  if (notes.length > 0) {
    out.push('## Notes', '');
    for (const b of notes) out.push(`- ${b.engine}, seed ${b.seed}: ${b.note}`);
    out.push('');
  }
  out.push('## Failures', '');
  if (report.failures.length === 0) out.push('None.', '');
  report.failures.forEach((f, i) => {
    out.push(
      `### ${i + 1}. ${f.engine}: seed ${f.seed}` +
        (f.occurrences > 1 ? ` (found ${f.occurrences} times)` : ''),
      '',
      '```',
      f.summary,
      '```',
      '',
      `Replay: \`${f.replay}\``,
      ...(f.savedFile ? ['', `Saved: \`${f.savedFile}\``] : []),
      '',
    );
  });
  return `${out.join('\n').trimEnd()}\n`;
}
