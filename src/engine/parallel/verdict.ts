/** How a parallel run ended, as far as the workers go (the history's check is separate). */
import type { InFlightOp, RecordedOp } from './protocol';

export type WorkerFailure<I, O> = {
  /** Thread index (0-based). */
  readonly thread: number;
  readonly reason: string;
  /** Its last completed operations, oldest first. */
  readonly lastOps: readonly RecordedOp<I, O>[];
  /** What it was running when it stopped answering (as of its last heartbeat). */
  readonly inFlight: readonly InFlightOp<I>[];
};

export type RunVerdict<I, O> =
  | { readonly kind: 'completed' }
  | ({ readonly kind: 'crash' } & WorkerFailure<I, O>)
  | ({ readonly kind: 'hang' } & WorkerFailure<I, O>);

export function describeRunVerdict<I, O>(
  verdict: RunVerdict<I, O>,
  describe: (input: I) => string,
): string {
  if (verdict.kind === 'completed') return 'every worker completed';
  const what = verdict.kind === 'crash' ? 'crashed' : 'hung';
  const lines = [`worker thread ${verdict.thread + 1} ${what}: ${verdict.reason}`];
  if (verdict.inFlight.length > 0) {
    lines.push('  running when it stopped:');
    for (const op of verdict.inFlight) lines.push(`    [w${op.worker + 1}] ${describe(op.input)}`);
  }
  if (verdict.lastOps.length > 0) {
    lines.push('  its last completed operations:');
    for (const op of verdict.lastOps) lines.push(`    [w${op.worker + 1}] ${describe(op.input)}`);
  }
  return lines.join('\n');
}
