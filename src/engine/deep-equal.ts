/**
 * Structural equality of plain data (results, states, histories). It ignores prototypes: rows
 * built by a native module, in a worker or in jest's sandbox come from other realms and must
 * still equal the model's objects. Object keys holding `undefined` count as absent.
 */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  // The common case first: two plain records of this realm.
  if (
    Object.getPrototypeOf(a) === Object.prototype &&
    Object.getPrototypeOf(b) === Object.prototype
  ) {
    return plainRecordsEqual(a as Record<string, unknown>, b as Record<string, unknown>);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i += 1) {
      if (a[i] !== b[i] && !deepEqual(a[i], b[i])) return false;
    }
    return true;
  }
  if (a instanceof Map || b instanceof Map) return mapsEqual(a, b);
  if (a instanceof Set || b instanceof Set) return setsEqual(a, b);
  if (a instanceof Date || b instanceof Date) {
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  }
  return recordsEqual(a as Record<string, unknown>, b as Record<string, unknown>);
}

function mapsEqual(a: object, b: object): boolean {
  if (!(a instanceof Map && b instanceof Map) || a.size !== b.size) return false;
  for (const [k, v] of a) {
    if (!b.has(k) || !deepEqual(v, b.get(k))) return false;
  }
  return true;
}

function setsEqual(a: object, b: object): boolean {
  if (!(a instanceof Set && b instanceof Set) || a.size !== b.size) return false;
  const rest: unknown[] = [...b];
  for (const x of a) {
    const i = rest.findIndex((y) => deepEqual(x, y));
    if (i < 0) return false;
    rest.splice(i, 1);
  }
  return true;
}

/**
 * Two records whose prototype is Object.prototype, whose only enumerable keys are their own:
 * `for...in` walks them without building key arrays, 2-3x faster than `Object.keys` on an
 * analytics result (measured: 0.6 against 1.4-2.4 µs), and the checker compares every output
 * it replays.
 */
function plainRecordsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  let definedInA = 0;
  for (const key in a) {
    const value = a[key];
    if (value === undefined) continue;
    definedInA += 1;
    const other = b[key];
    if (value !== other && !deepEqual(value, other)) return false;
  }
  let definedInB = 0;
  for (const key in b) if (b[key] !== undefined) definedInB += 1;
  return definedInA === definedInB;
}

// Records of other realms or classes: their own keys only, whatever their prototypes hold.
function recordsEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keysA = Object.keys(a);
  let definedInA = 0;
  for (let k = 0; k < keysA.length; k += 1) {
    const key = keysA[k]!;
    const value = a[key];
    if (value === undefined) continue;
    definedInA += 1;
    if (!deepEqual(value, b[key])) return false;
  }
  const keysB = Object.keys(b);
  let definedInB = 0;
  for (let k = 0; k < keysB.length; k += 1) if (b[keysB[k]!] !== undefined) definedInB += 1;
  return definedInA === definedInB;
}
