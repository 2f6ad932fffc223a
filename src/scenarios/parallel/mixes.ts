/** Operation mixes of the parallel engine: relative weights of each kind of call. */
import { isWriteKind, type OpKind } from '../../../models/operations';

export type Mix = Readonly<Partial<Record<OpKind, number>>>;

export const MIXES = {
  /** Mostly "an epic with 3 tasks" per call, with the transitions that race on its points. */
  'write-heavy': {
    createEpicWithTasks: 60,
    createClient: 3,
    createTask: 5,
    startTask: 10,
    advanceTaskPhase: 2,
    completeTask: 10,
    getEpicAnalytics: 6,
    getTask: 4,
  },
  /** Mostly point reads and analytics, with enough writes that the reads see changes. */
  'read-heavy': {
    getEpicAnalytics: 40,
    getEpic: 20,
    getTask: 20,
    getClient: 3,
    createEpicWithTasks: 5,
    createTask: 3,
    startTask: 4,
    completeTask: 5,
  },
  /** Everything the fast checker can judge, in even measure. */
  mixed: {
    createClient: 4,
    createEpicWithTasks: 15,
    createTask: 10,
    startTask: 15,
    advanceTaskPhase: 6,
    completeTask: 15,
    getClient: 4,
    getEpic: 8,
    getTask: 8,
    getEpicAnalytics: 15,
  },
} as const satisfies Record<string, Mix>;

export type MixName = keyof typeof MIXES;

export function isMixName(name: string): name is MixName {
  return Object.prototype.hasOwnProperty.call(MIXES, name);
}

/**
 * The mix with its writes scaled to `share` (0..1) of the calls and its reads to the rest,
 * each side keeping its own proportions: the write-ratio knob of the load engine.
 */
export function withWriteShare(mix: Mix, share: number): Mix {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`share must be in [0, 1], got ${share}`);
  const entries = Object.entries(mix) as [OpKind, number][];
  const writes = entries.filter(([kind]) => isWriteKind(kind));
  const reads = entries.filter(([kind]) => !isWriteKind(kind));
  const total = (list: [OpKind, number][]) => list.reduce((sum, [, w]) => sum + w, 0);
  const scaled: Partial<Record<OpKind, number>> = {};
  const writeTotal = total(writes);
  const readTotal = total(reads);
  for (const [kind, weight] of writes) {
    if (writeTotal > 0 && share > 0) scaled[kind] = (weight / writeTotal) * share;
  }
  for (const [kind, weight] of reads) {
    if (readTotal > 0 && share < 1) scaled[kind] = (weight / readTotal) * (1 - share);
  }
  if (Object.keys(scaled).length === 0) throw new RangeError('the mix has no calls of that kind');
  return scaled;
}
