/** A small seeded PRNG (mulberry32): each worker lane draws its own reproducible stream. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A key of `weights` drawn with its weight. */
  weighted<K extends string>(weights: Readonly<Partial<Record<K, number>>>): K {
    const { keys, cumulative, total } = cumulativeOf(weights);
    const pick = this.next() * total;
    for (let k = 0; k < cumulative.length; k += 1) if (pick < cumulative[k]!) return keys[k] as K;
    return keys[keys.length - 1] as K;
  }
}

interface Cumulative {
  readonly keys: readonly string[];
  /** Running sums of the weights, in key order. */
  readonly cumulative: readonly number[];
  readonly total: number;
}

// A lane draws once per call from the same mix object: its sums are worked out once.
const CUMULATIVE = new WeakMap<object, Cumulative>();

function cumulativeOf(weights: Readonly<Record<string, number | undefined>>): Cumulative {
  let found = CUMULATIVE.get(weights);
  if (found === undefined) {
    const keys: string[] = [];
    const cumulative: number[] = [];
    let total = 0;
    for (const [key, weight] of Object.entries(weights)) {
      total += weight ?? 0;
      keys.push(key);
      cumulative.push(total);
    }
    found = { keys, cumulative, total };
    CUMULATIVE.set(weights, found);
  }
  return found;
}

/** Mixes a run seed and a lane number into a lane's seed. */
export function laneSeed(seed: number, worker: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(worker + 1, 0xc2b2ae35)) | 0;
}
