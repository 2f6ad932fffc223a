/**
 * How a parallel failure reads: what went wrong, the witness drawn as lanes (one column per
 * logical worker involved, rows in time order), what the model expected of the offending calls,
 * and the command that runs the same streams again.
 */
import { diffValues } from '../../engine/diff';
import { renderLanes, type LaneOp } from '../../engine/lanes';
import { describeRunVerdict } from '../../engine/parallel/verdict';
import {
  describeOp,
  describeResult,
  summarizeResult,
  type OpResult,
} from '../../../models/operations';
import type { ParallelViolation } from './check-parallel-history';
import type { ParallelOutcome } from './parallel-case';

export function formatParallelFailure(outcome: ParallelOutcome, replay: string): string {
  const lines: string[] = [];
  if (outcome.verdict.kind !== 'completed') {
    lines.push(describeRunVerdict(outcome.verdict, describeOp));
  }
  for (const problem of outcome.problems) lines.push(`! ${problem}`);
  const violation = outcome.check?.violation;
  if (violation !== undefined) {
    lines.push(
      `No ordering of the calls explains what they observed (round ${(outcome.failure?.round ?? 0) + 1}, ` +
        `${violation.method === 'exact' ? 'exact check of the whole history' : violation.projection}):`,
    );
    lines.push(drawWitness(violation));
  }
  lines.push('', `again: ${replay}`);
  lines.push('(the same seeded streams of calls; thread timing differs from run to run)');
  return lines.join('\n');
}

/** The witness as lanes, with the model's expectation on each call it could not place. */
export function drawWitness(violation: ParallelViolation, format: 'text' = 'text'): string {
  void format;
  const { witness } = violation;
  const { lanes, workers } = witnessLanes(violation);
  const ops = witness.minimal;
  const names = workers
    .map(
      (w, k) =>
        `${k + 1} = ${w === -1 ? 'the final contents' : w < -1 ? 'a call that gave up with BUSY' : `lane ${w + 1}`}`,
    )
    .join(', ');
  const lines = [`columns: ${names}`, renderLanes(lanes, { workers: workers.length })];
  const inWitness = new Set(ops.map((op) => op.id));
  for (const b of witness.blocked) {
    if (b.expected === undefined || b.op.response === Infinity || !inWitness.has(b.op.id)) continue;
    const diffs = diffValues(b.expected, b.op.output as OpResult);
    if (diffs.length === 0 || diffs.length > 6) continue;
    lines.push(`${callOf(b.op.input)}:`);
    for (const d of diffs) lines.push(`  differs at ${d}`);
  }
  if (!witness.shrunk) lines.push('(not shrunk: the time budget ran out)');
  return lines.join('\n');
}

/**
 * The witness as lane operations (columns are the logical workers involved, in order; times are
 * steps), for drawing here and for reports that draw lanes themselves.
 */
export function witnessLanes(violation: ParallelViolation): {
  readonly lanes: LaneOp[];
  /** The logical worker of each column. */
  readonly workers: number[];
} {
  const { witness } = violation;
  const ops = witness.minimal;
  const workers = [...new Set(ops.map((op) => op.worker))].sort((a, b) => a - b);
  const column = new Map(workers.map((w, k) => [w, k]));
  const times = [...new Set(ops.flatMap((op) => [op.invoke, op.response]))]
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  const step = (t: number) => (t === Infinity ? Infinity : times.indexOf(t) + 1);
  const blocked = new Map(witness.blocked.map((b) => [b.op.id, b]));
  const lanes: LaneOp[] = ops.map((op) => {
    const b = blocked.get(op.id);
    return {
      worker: column.get(op.worker)!,
      invoke: step(op.invoke),
      response: step(op.response),
      call: callOf(op.input),
      outcome: op.response === Infinity ? 'never returned' : summarizeResult(op.output),
      ...(b?.expected !== undefined && op.response !== Infinity
        ? {
            mark: {
              expected: short(describeResult(b.expected)),
              observed: short(describeResult(op.output)),
            },
          }
        : {}),
    };
  });
  return { lanes, workers };
}

function callOf(input: unknown): string {
  const call = 'call' in (input as object) ? (input as { call: unknown }).call : input;
  const kind = (call as { kind: string }).kind;
  return kind === 'finalState' ? 'final database contents' : describeOp(call as never);
}

function short(text: string): string {
  return text.length > 200 ? `${text.slice(0, 197)}...` : text;
}
