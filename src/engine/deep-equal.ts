/**
 * Structural equality of plain data (what results, states and histories are made of). Unlike
 * util.isDeepStrictEqual it ignores prototypes: rows built by a native module, in a worker or in
 * jest's sandbox come from other realms, and must still equal the model's objects.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Map || b instanceof Map) return mapsEqual(a, b);
  if (a instanceof Set || b instanceof Set) return setsEqual(a, b);
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.length !== keysB.length) return false;
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  for (const key of keysA) {
    if (!Object.prototype.hasOwnProperty.call(b, key)) return false;
    if (!deepEqual(recordA[key], recordB[key])) return false;
  }
  return true;
}

function mapsEqual(a: object, b: object): boolean {
  if (!(a instanceof Map) || !(b instanceof Map) || a.size !== b.size) return false;
  for (const [key, value] of a) {
    if (!b.has(key) || !deepEqual(value, b.get(key))) return false;
  }
  return true;
}

function setsEqual(a: object, b: object): boolean {
  if (!(a instanceof Set) || !(b instanceof Set) || a.size !== b.size) return false;
  for (const member of a) if (!b.has(member)) return false;
  return true;
}
