/** How an interleaved failure reads: what went wrong, the schedule, and the lanes. */
import { diffEntries, diffValues, show, type Difference } from '../engine/diff';
import { renderLanes, type LaneOp } from '../engine/lanes';
import { describeSchedule } from '../engine/interleave/schedule';
import {
  describeOp,
  describeResult,
  summarizeResult,
  type OpResult,
} from '../../models/operations';
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
  const marked = blockedOps(seen);
  lines.push(renderLanes(lanesOf(seen), { workers: seen.programs.length }));
  const final = seen.history.find((op) => op.input.kind === 'finalState');
  const finalBlocked = final === undefined ? undefined : marked.get(final.id);
  if (final !== undefined && finalBlocked?.expected !== undefined) {
    lines.push('then the final database contents match no ordering of the calls above:');
    for (const line of diffValues(finalBlocked.expected, final.output)) {
      lines.push(`  differs at ${line}`);
    }
  }
  const minimal = check?.verdict === 'violation' ? check.witness.minimal : [];
  if (minimal.length > 1 && minimal.length < seen.history.length) {
    lines.push('the smallest set of these calls that still cannot be ordered:');
    for (const op of minimal) {
      const call = op.input.kind === 'finalState' ? 'the final contents' : describeOp(op.input);
      lines.push(`  worker ${op.worker + 1}: ${call}`);
    }
  }
  return lines.join('\n');
}

function blockedOps(seen: InterleavedObservation) {
  const check = seen.check;
  return new Map(
    check?.verdict === 'violation' ? check.witness.blocked.map((b) => [b.op.id, b]) : [],
  );
}

/** The workers' calls as lanes (the final-contents check is not a call), offending ones marked. */
export function lanesOf(seen: InterleavedObservation): LaneOp[] {
  const marked = blockedOps(seen);
  const calls = seen.history.filter((op) => op.input.kind !== 'finalState');
  return calls.map((op) => {
    const blocked = marked.get(op.id);
    return {
      worker: op.worker,
      invoke: op.invoke,
      response: op.response,
      call: op.input.kind === 'finalState' ? '' : describeOp(op.input),
      outcome: op.response === Infinity ? 'never returned' : summarizeResult(op.output),
      ...(blocked?.expected !== undefined ? { mark: markOf(blocked.expected, op.output) } : {}),
    };
  });
}

function short(text: string): string {
  return text.length > 300 ? `${text.slice(0, 297)}...` : text;
}

/** Where the observed result departs from the model's, field by field when that is short. */
function markOf(expected: OpResult, observed: OpResult): { expected: string; observed: string } {
  const differences = diffEntries(expected, observed);
  if (differences.length === 0 || differences.length > 3) {
    return { expected: short(describeResult(expected)), observed: short(describeResult(observed)) };
  }
  const side = (pick: (d: Difference) => unknown) =>
    differences.map((d) => `${d.path.replace(/^value\./, '')} = ${show(pick(d))}`).join(', ');
  return { expected: side((d) => d.expected), observed: side((d) => d.observed) };
}
