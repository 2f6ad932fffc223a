/**
 * Recorded operations encoded for the trip from a worker thread to the main thread. Generic
 * encoders (v8.serialize, JSON, msgpackr) all cost about a microsecond per tracker call here,
 * which is a seventh of a read's whole time on one connection, and v8.serialize scaled badly
 * across threads (two threads gained 1.55x, against 1.8x without it). Calls of one kind return
 * values of one shape, so this encoder writes each object's keys once per batch (its shape)
 * and then only its values: tags in one byte array, numbers and references in one float array,
 * both transferred without a copy.
 *
 * Exact for plain data: objects whose prototype is Object.prototype, arrays without holes,
 * numbers (-0 and NaN included), strings, booleans, null and undefined. Anything else (class
 * instances, Dates, Maps, bigints, null-prototype objects, holey arrays, a `__proto__` key) goes
 * through v8.serialize on its own, so it arrives exactly as it did before this codec existed.
 */
import { deserialize, serialize } from 'node:v8';

export interface EncodedBatch {
  readonly tags: Uint8Array;
  readonly numbers: Float64Array;
  readonly strings: readonly string[];
  /** Key lists of the objects, referred to by index. */
  readonly shapes: readonly (readonly string[])[];
  /** Values that are not plain data, v8-serialized one by one. */
  readonly others: readonly Uint8Array[];
}

const UNDEFINED = 0;
const NULL = 1;
const FALSE = 2;
const TRUE = 3;
const NUMBER = 4;
const STRING = 5;
const ARRAY = 6;
const OBJECT = 7;
const OTHER = 8;

/**
 * Shapes met so far, as a trie of keys. Bounded: a target whose objects carry data in their keys
 * would otherwise grow it without end; it is dropped between batches past this many nodes.
 */
const MAX_SHAPE_NODES = 4096;

class ShapeNode {
  readonly next = new Map<string, ShapeNode>();
  /** The key last followed from here, and where: objects of one shape skip the map lookups. */
  lastKey: string | undefined;
  lastNext: ShapeNode | undefined;
  /** The batch in which `id` was given. */
  batch = -1;
  id = -1;
  constructor(readonly keys: readonly string[]) {}
}

export class BatchEncoder {
  private tags = new Uint8Array(1 << 12);
  private tagCount = 0;
  private numbers = new Float64Array(1 << 12);
  private numberCount = 0;
  private strings: string[] = [];
  private stringIds = new Map<string, number>();
  private shapes: (readonly string[])[] = [];
  private others: Uint8Array[] = [];
  private batch = 0;
  private root = new ShapeNode([]);
  private shapeNodes = 0;

  encode(values: readonly unknown[]): EncodedBatch {
    this.batch += 1;
    if (this.shapeNodes > MAX_SHAPE_NODES) {
      this.root = new ShapeNode([]);
      this.shapeNodes = 0;
    }
    this.value(values);
    const encoded: EncodedBatch = {
      tags: this.tags.slice(0, this.tagCount),
      numbers: this.numbers.slice(0, this.numberCount),
      strings: this.strings,
      shapes: this.shapes,
      others: this.others,
    };
    this.tagCount = 0;
    this.numberCount = 0;
    this.strings = [];
    this.stringIds = new Map();
    this.shapes = [];
    this.others = [];
    return encoded;
  }

  private value(value: unknown): void {
    switch (typeof value) {
      case 'number':
        this.tag(NUMBER);
        this.number(value);
        return;
      case 'string':
        this.tag(STRING);
        this.number(this.stringId(value));
        return;
      case 'boolean':
        this.tag(value ? TRUE : FALSE);
        return;
      case 'undefined':
        this.tag(UNDEFINED);
        return;
      case 'object':
        if (value === null) {
          this.tag(NULL);
          return;
        }
        if (Array.isArray(value)) {
          if (isPackedArray(value)) {
            this.tag(ARRAY);
            this.number(value.length);
            for (const item of value) this.value(item);
            return;
          }
        } else if (Object.getPrototypeOf(value) === Object.prototype) {
          const shape = this.shapeOf(value as Record<string, unknown>);
          if (shape !== undefined) {
            this.tag(OBJECT);
            this.number(shape.id);
            for (const key of shape.keys) this.value((value as Record<string, unknown>)[key]);
            return;
          }
        }
        break;
      default:
        break;
    }
    this.tag(OTHER);
    this.number(this.others.length);
    this.others.push(serialize(value));
  }

  /** The shape of a plain object, given an id in this batch; undefined for a `__proto__` key. */
  private shapeOf(object: Record<string, unknown>): ShapeNode | undefined {
    let node = this.root;
    for (const key in object) {
      if (key === node.lastKey) {
        node = node.lastNext as ShapeNode;
        continue;
      }
      if (key === '__proto__') return undefined;
      let next = node.next.get(key);
      if (next === undefined) {
        next = new ShapeNode([...node.keys, key]);
        node.next.set(key, next);
        this.shapeNodes += 1;
      }
      node.lastKey = key;
      node.lastNext = next;
      node = next;
    }
    if (node.batch !== this.batch) {
      node.batch = this.batch;
      node.id = this.shapes.length;
      this.shapes.push(node.keys);
    }
    return node;
  }

  private stringId(text: string): number {
    let id = this.stringIds.get(text);
    if (id === undefined) {
      id = this.strings.length;
      this.strings.push(text);
      this.stringIds.set(text, id);
    }
    return id;
  }

  private tag(tag: number): void {
    if (this.tagCount === this.tags.length) this.tags = doubled(this.tags, Uint8Array);
    this.tags[this.tagCount] = tag;
    this.tagCount += 1;
  }

  private number(value: number): void {
    if (this.numberCount === this.numbers.length) {
      this.numbers = doubled(this.numbers, Float64Array);
    }
    this.numbers[this.numberCount] = value;
    this.numberCount += 1;
  }
}

/** A full buffer's contents in one twice its size. */
function doubled<A extends Uint8Array | Float64Array>(full: A, make: new (length: number) => A): A {
  const grown = new make(full.length * 2);
  grown.set(full);
  return grown;
}

function isPackedArray(array: readonly unknown[]): boolean {
  if (Object.getPrototypeOf(array) !== Array.prototype) return false;
  for (let i = 0; i < array.length; i += 1) if (!(i in array)) return false;
  return true;
}

/** The values `BatchEncoder.encode` was given, rebuilt. */
export function decodeBatchValues(batch: EncodedBatch): unknown[] {
  const { tags, numbers, strings, shapes, others } = batch;
  let t = 0;
  let n = 0;
  const next = (): number => numbers[n++] as number;
  const read = (): unknown => {
    const tag = tags[t++];
    switch (tag) {
      case UNDEFINED:
        return undefined;
      case NULL:
        return null;
      case FALSE:
        return false;
      case TRUE:
        return true;
      case NUMBER:
        return next();
      case STRING:
        return strings[next()];
      case ARRAY: {
        const length = next();
        const array: unknown[] = [];
        for (let i = 0; i < length; i += 1) array.push(read());
        return array;
      }
      case OBJECT: {
        const keys = shapes[next()] as readonly string[];
        const object: Record<string, unknown> = {};
        for (const key of keys) object[key] = read();
        return object;
      }
      case OTHER:
        return deserialize(others[next()] as Uint8Array);
      default:
        throw new Error(`Corrupt batch: tag ${String(tag)} at ${t - 1}`);
    }
  };
  const values = read();
  if (!Array.isArray(values) || t !== tags.length || n !== numbers.length) {
    throw new Error('Corrupt batch: it does not hold exactly one array of values');
  }
  return values;
}
