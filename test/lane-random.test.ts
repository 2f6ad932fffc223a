/**
 * The lanes' seeded PRNG: weighted draws follow the mix, keys of weight zero never come out,
 * and the same seed draws the same stream (a parallel replay depends on it).
 */
import fc from 'fast-check';
import { Random } from '../src/scenarios/parallel/random';

/** The plain definition of a weighted draw, for the cached one to agree with. */
function weightedByDefinition(random: Random, weights: Record<string, number>): string {
  const entries = Object.entries(weights);
  let pick = random.next() * entries.reduce((sum, [, w]) => sum + w, 0);
  for (const [key, weight] of entries) {
    pick -= weight;
    if (pick < 0) return key;
  }
  return entries[entries.length - 1]![0];
}

const weightsArb = fc
  .dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.nat(20), { minKeys: 1 })
  .filter((weights) => Object.values(weights).some((w) => w > 0));

describe('Random.weighted', () => {
  it('draws exactly what the definition draws, from the same seed', () => {
    fc.assert(
      fc.property(weightsArb, fc.integer(), (weights, seed) => {
        const cached = new Random(seed);
        const plain = new Random(seed);
        for (let k = 0; k < 50; k += 1) {
          expect(cached.weighted(weights)).toBe(weightedByDefinition(plain, weights));
        }
      }),
    );
  });

  it('never draws a key of weight zero, and follows the weights', () => {
    const random = new Random(7);
    const mix = { rare: 1, never: 0, common: 9 };
    const counts: Record<string, number> = { rare: 0, never: 0, common: 0 };
    for (let k = 0; k < 20_000; k += 1) counts[random.weighted(mix)]! += 1;
    expect(counts.never).toBe(0);
    // 10% expected: 2,000 of 20,000, with a standard deviation of about 42.
    expect(counts.rare).toBeGreaterThan(1_800);
    expect(counts.rare).toBeLessThan(2_200);
  });

  it('gives the same stream for the same seed and another for another seed', () => {
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 20 }, () => random.weighted({ x: 1, y: 1, z: 1 }));
    };
    expect(draw(3)).toEqual(draw(3));
    expect(draw(3)).not.toEqual(draw(4));
  });
});
