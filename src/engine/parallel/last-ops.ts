/** The last few operations of each logical worker: what a crash or hang report shows, in O(1) memory. */
import type { RecordedOp } from './protocol';

export class LastOps<I, O> {
  private readonly rings = new Map<number, RecordedOp<I, O>[]>();

  constructor(private readonly keep = 5) {}

  add(op: RecordedOp<I, O>): void {
    let ring = this.rings.get(op.worker);
    if (ring === undefined) this.rings.set(op.worker, (ring = []));
    ring.push(op);
    if (ring.length > this.keep) ring.shift();
  }

  /** Operations of the logical workers in `workers`, oldest first. */
  of(workers: (worker: number) => boolean): RecordedOp<I, O>[] {
    return [...this.rings.entries()]
      .filter(([worker]) => workers(worker))
      .flatMap(([, ops]) => ops)
      .sort((a, b) => a.invoke - b.invoke);
  }
}
