/** How an interleaved failure reads: what went wrong, the schedule, and the lanes. */
import { diffValues } from '../engine/diff';
import { describeSchedule } from '../engine/interleave/schedule';
import type { Operation } from '../engine/history';
import type { OpResult } from '../../models/operations';
import { describeOp, describeResult } from '../../models/operations';
import type { LinInput } from '../../models/tracker-lin-model';
import type { InterleavedObservation } from './interleaved-case';

export function formatInterleavedFailure(seen: InterleavedObservation): string {
  const lines: string[] = [];
  const check = seen.check;
  if (check?.verdict === 'violation') {
    lines.push("No ordering of the workers' calls explains what they observed:");
  } else {
    lines.push('The interleaved case failed its checks:');
  }
  for (const problem of seen.problems) lines.push(`  ! ${problem}`);
  if (seen.prefix.length > 0) {
    lines.push('prefix (sequential):');
    seen.prefix.forEach((step, i) => lines.push(`  ${i + 1}. ${step.call}  -> ${step.outcome}`));
  }
  lines.push(`schedule: ${describeSchedule(seen.schedule)}`);
  const marked = new Map(
    check?.verdict === 'violation' ? check.witness.blocked.map((b) => [b.op.id, b]) : [],
  );
  lines.push('history (by step; the workers ran concurrently):');
  for (const op of [...seen.history].sort((a, b) => a.invoke - b.invoke || a.id - b.id)) {
    const blocked = marked.get(op.id);
    lines.push(`  ${formatOp(op)}${blocked ? '   <- no ordering can place this' : ''}`);
    if (blocked?.expected !== undefined) {
      const diff = diffValues(blocked.expected, op.output);
      if (op.input.kind === 'finalState' || diff.length <= 3) {
        for (const line of diff) lines.push(`        differs at ${line}`);
      } else {
        lines.push(`        expected: ${short(describeResult(blocked.expected))}`);
        lines.push(`        observed: ${short(describeResult(op.output))}`);
      }
    }
  }
  if (check?.verdict === 'violation' && check.witness.minimal.length < seen.history.length) {
    const ids = check.witness.minimal.map((op) => `#${op.id}`).join(', ');
    lines.push(`smallest subset that still cannot be ordered: ${ids}`);
  }
  return lines.join('\n');
}

function formatOp(op: Operation<LinInput, OpResult>): string {
  if (op.input.kind === 'finalState') return `#${op.id} [after all] final database contents`;
  const call = describeOp(op.input);
  const when =
    op.invoke === op.response ? `step ${op.invoke}` : `steps ${op.invoke}-${op.response}`;
  const outcome = op.response === Infinity ? 'never returned' : short(describeResult(op.output));
  return `#${op.id} [worker ${op.worker + 1}, ${when}] ${call} -> ${outcome}`;
}

function short(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}
