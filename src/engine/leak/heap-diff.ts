/**
 * What grows: one heap diff around a few more rounds of a workload already judged leaking.
 * HeapDiff takes two full heap snapshots synchronously (about a second each on a large heap),
 * so it is taken once, after detection, never while measuring.
 */
import memwatch from '@airbnb/node-memwatch';

export interface GrowingType {
  /** The constructor or V8 type name (`CachedPage`, `Array`, `(closure)`...). */
  readonly what: string;
  readonly sizeBytes: number;
  /** Objects allocated and freed between the two snapshots. */
  readonly allocated: number;
  readonly freed: number;
}

export interface HeapGrowth {
  readonly sizeBytes: number;
  /** Types whose retained size grew, largest first. */
  readonly types: readonly GrowingType[];
}

export async function heapGrowthAround(work: () => Promise<void>, top = 5): Promise<HeapGrowth> {
  const diff = new memwatch.HeapDiff();
  await work();
  const result = diff.end();
  const types = result.change.details
    .filter((detail) => detail.size_bytes > 0 && detail['+'] > detail['-'])
    .sort((a, b) => b.size_bytes - a.size_bytes)
    .slice(0, top)
    .map((detail) => ({
      what: detail.what,
      sizeBytes: detail.size_bytes,
      allocated: detail['+'],
      freed: detail['-'],
    }));
  return { sizeBytes: result.change.size_bytes, types };
}
