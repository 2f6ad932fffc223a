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
    const entries = Object.entries(weights) as [K, number][];
    const total = entries.reduce((sum, [, w]) => sum + w, 0);
    let pick = this.next() * total;
    for (const [key, weight] of entries) {
      pick -= weight;
      if (pick < 0) return key;
    }
    return entries[entries.length - 1]![0];
  }
}

/** Mixes a run seed and a lane number into a lane's seed. */
export function laneSeed(seed: number, worker: number): number {
  return (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(worker + 1, 0xc2b2ae35)) | 0;
}
