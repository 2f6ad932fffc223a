/**
 * A map keyed by row ids, for indexes over a whole history: ids a store hands out are small
 * non-negative integers, held in a plain array (one load per lookup); anything else (a buggy
 * store's -1, "7" or 1.5) goes to a Map, so every key still finds its own entry. A Map of 40k
 * numbers costs a hash and a cache miss or two per lookup, on calls that are mostly lookups.
 * Iterates in insertion order, like a Map.
 */
const DENSE_LIMIT = 1 << 24;

/** Stands for a value of undefined, so that a hole in the array means "no entry". */
const UNDEFINED = Symbol('undefined');

export class IdIndex<V> {
  private readonly dense: (V | typeof UNDEFINED | undefined)[] = [];
  private readonly sparse = new Map<unknown, V>();
  private readonly order: unknown[] = [];

  get size(): number {
    return this.order.length;
  }

  get(id: unknown): V | undefined {
    if (!isDense(id)) return this.sparse.get(id);
    const value = this.dense[id];
    return value === UNDEFINED ? undefined : value;
  }

  has(id: unknown): boolean {
    return isDense(id) ? this.dense[id] !== undefined : this.sparse.has(id);
  }

  set(id: unknown, value: V): this {
    // As a Map does, -0 is kept as 0.
    if (!this.has(id)) this.order.push(isDense(id) ? id + 0 : id);
    if (isDense(id)) this.dense[id] = value === undefined ? UNDEFINED : value;
    else this.sparse.set(id, value);
    return this;
  }

  *entries(): IterableIterator<[unknown, V]> {
    for (const id of this.order) yield [id, this.get(id) as V];
  }
}

function isDense(id: unknown): id is number {
  return typeof id === 'number' && Number.isInteger(id) && id >= 0 && id < DENSE_LIMIT;
}
