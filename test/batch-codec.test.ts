/**
 * The batch codec gives back exactly what it was given: for any value v8's structured clone
 * carries, the round trip equals v8's own, compared as a description that spells out what
 * matters (types, key order, -0, holes, null prototypes) and not which realm made an object.
 */
import { deserialize, serialize } from 'node:v8';
import fc from 'fast-check';
import { BatchEncoder, decodeBatchValues } from '../src/engine/parallel/batch-codec';

const viaV8 = (values: unknown[]) => deserialize(serialize(values)) as unknown[];

function describe(value: unknown): unknown {
  if (typeof value === 'number') return Object.is(value, -0) ? 'number -0' : `number ${value}`;
  if (value === null || typeof value !== 'object') return `${typeof value} ${String(value)}`;
  const tag = Object.prototype.toString.call(value);
  if (tag === '[object Date]') return `date ${(value as Date).getTime()}`;
  if (tag === '[object Map]') return ['map', [...(value as Map<unknown, unknown>)].map(describe)];
  if (Array.isArray(value)) {
    return ['array', Array.from(value, (_, i) => (i in value ? describe(value[i]) : 'hole'))];
  }
  const proto = Object.getPrototypeOf(value) === null ? 'null prototype' : 'object';
  const record = value as Record<string, unknown>;
  return [proto, Object.keys(record).map((key) => [key, describe(record[key])])];
}
const viaCodec = (encoder: BatchEncoder, values: unknown[]) =>
  decodeBatchValues(encoder.encode(values));

class Point {
  constructor(
    readonly x: number,
    readonly y: number,
  ) {}
}

const leaf = fc.oneof(
  fc.double(),
  fc.integer(),
  fc.constantFrom(-0, NaN, Infinity, null, undefined, true, false),
  fc.string(),
  fc.bigInt(),
  fc.date({ noInvalidDate: true }),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    leaf,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 5 }),
    fc.record({ id: fc.nat(), status: fc.constantFrom('todo', 'completed'), nested: tie('value') }),
  ),
}));

test('the round trip of any plain data equals v8 structured clone (one encoder, many batches)', () => {
  const encoder = new BatchEncoder();
  fc.assert(
    fc.property(fc.array(value, { maxLength: 20 }), (values) => {
      expect(describe(viaCodec(encoder, values))).toEqual(describe(viaV8(values)));
    }),
    { numRuns: 300 },
  );
});

test('keys keep their order, and objects of one shape share it in a batch', () => {
  const encoder = new BatchEncoder();
  const values = [
    { b: 1, a: 2 },
    { a: 3, b: 4 },
    { b: 5, a: 6 },
  ];
  const encoded = encoder.encode(values);
  expect(encoded.shapes).toEqual([
    ['b', 'a'],
    ['a', 'b'],
  ]);
  const decoded = decodeBatchValues(encoded) as Record<string, number>[];
  expect(decoded.map((o) => Object.keys(o))).toEqual([
    ['b', 'a'],
    ['a', 'b'],
    ['b', 'a'],
  ]);
  expect(Object.is((decodeBatchValues(encoder.encode([-0])) as number[])[0], -0)).toBe(true);
});

test('what is not plain data goes through v8 on its own, as it did before', () => {
  const encoder = new BatchEncoder();
  const holey = [1, , 3]; // eslint-disable-line no-sparse-arrays
  const nullProto = Object.assign(Object.create(null) as object, { a: 1 });
  const protoKey = JSON.parse('{"__proto__": 1, "b": 2}') as unknown;
  const values = [new Point(1, 2), new Map([[1, 2]]), 10n, holey, nullProto, protoKey];
  const encoded = encoder.encode(values);
  expect(encoded.others).toHaveLength(values.length);
  expect(describe(decodeBatchValues(encoded))).toEqual(describe(viaV8(values)));
});

test('a corrupt batch is refused with a clear error, not decoded into garbage', () => {
  const encoder = new BatchEncoder();
  const good = encoder.encode([{ a: 1 }]);
  expect(() => decodeBatchValues({ ...good, tags: new Uint8Array([...good.tags, 99]) })).toThrow(
    /Corrupt batch/,
  );
  expect(() => decodeBatchValues({ ...good, tags: new Uint8Array([4]) })).toThrow(/Corrupt batch/);
});

test('a batch larger than the first buffers grows them and still round-trips', () => {
  const encoder = new BatchEncoder();
  const values = Array.from({ length: 5000 }, (_, i) => ({ id: i, ok: i % 2 === 0 }));
  expect(viaCodec(encoder, values)).toEqual(values);
});
