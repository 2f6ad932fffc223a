/**
 * How a fuzz run splits its seed space. Round r of a run with base seed B uses seed
 * `seedOf(B, r)`; shard i of n takes the rounds r with r mod n = i - 1. `seedOf` is a bijection
 * of r for a fixed B, so shards sharing B never repeat each other's seeds, and the rounds of
 * shards 1..n together are exactly the rounds of one unsharded run.
 */
export interface Shard {
  /** 1-based. */
  readonly index: number;
  readonly count: number;
}

export const WHOLE_RUN: Shard = { index: 1, count: 1 };

export class ShardError extends Error {
  override readonly name = 'ShardError';
}

export function parseShard(raw: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(raw);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count || count > 1_000_000) {
    throw new ShardError(`--shard must look like "2/4" (shard 2 of 4, from 1), got "${raw}".`);
  }
  return { index, count };
}

/** The r-th round this shard runs (k = 0, 1, 2...) as a round of the whole run. */
export function roundOf(shard: Shard, k: number): number {
  return k * shard.count + (shard.index - 1);
}

/** murmur3's finaliser: a bijection on 32-bit integers that spreads neighbouring inputs. */
function fmix32(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

/** The seed of round r: distinct rounds below 2^32 get distinct seeds. */
export function seedOf(base: number, round: number): number {
  // Multiplying by an odd constant and xoring with the base are bijections mod 2^32 too.
  return fmix32(Math.imul(round | 0, 0x9e3779b1) ^ base);
}
