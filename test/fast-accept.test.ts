/**
 * The fast acceptance test in front of zod (src/tracker/contract/fast-accept.ts) must answer
 * exactly what zod answers, field order included, or stay out of it; and it must answer the
 * common valid inputs, or it saves nothing.
 */
import fc from 'fast-check';
import type { z } from 'zod';
import {
  clientFilterSchema,
  epicFilterSchema,
  fastAcceptOf,
  newClientSchema,
  newEpicSchema,
  newTaskOfEpicSchema,
  newTaskSchema,
  taskFilterSchema,
  tasksOfEpicSchema,
} from '../src/tracker/contract/schemas';
import { hostileOp } from '../src/faults/hostile-ops';
import { hostileString, hostileValue } from '../src/faults/hostile-values';
import type { TrackerOp } from '../models/operations';

type Argument = readonly [z.ZodType, unknown];

/** The schema-checked arguments of a call. */
function argumentsOf(op: TrackerOp): Argument[] {
  const call = op as unknown as Record<string, unknown>;
  switch (op.kind) {
    case 'createClient':
      return [[newClientSchema, call.input]];
    case 'createEpic':
      return [[newEpicSchema, call.input]];
    case 'createEpicWithTasks':
      return [
        [newEpicSchema, call.epic],
        [tasksOfEpicSchema, call.tasks],
      ];
    case 'createTask':
      return [[newTaskSchema, call.input]];
    case 'listClients':
      return [[clientFilterSchema, call.filter]];
    case 'listEpics':
      return [[epicFilterSchema, call.filter]];
    case 'listTasks':
      return [[taskFilterSchema, call.filter]];
    default:
      return [];
  }
}

/** Same values and the same key order all the way down. */
function sameOutput(a: unknown, b: unknown): boolean {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  const keysB = Object.keys(b);
  if (keysA.join('\u0001') !== keysB.join('\u0001')) return false;
  return keysA.every((k) =>
    sameOutput((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

function agreesWithZod([schema, value]: Argument): boolean | 'zod decided' {
  const fast = fastAcceptOf(schema)!(value);
  if (fast === undefined) return 'zod decided';
  const parsed = schema.safeParse(value);
  return parsed.success && sameOutput(fast, parsed.data);
}

const printable = fc.string({
  unit: fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code)),
  maxLength: 70,
});
// Mostly valid values (so the fast path has work), with the edges and the hostile ones.
const text = fc.oneof(
  { weight: 6, arbitrary: printable },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.constantFrom(' ', '', 'é', 'a\u00a0b', 'a\u001f', 'b\u007f', '~') },
);
const int = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 100 }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, -0, 101, 1_000_001, 2 ** 53, 0.5) },
  { weight: 1, arbitrary: hostileValue },
);
const enumValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom('active', 'todo', 'green', 'analysis', 'completed') },
  { weight: 1, arbitrary: hostileValue },
);
const anyField = fc.oneof(text, int, enumValue);

/** Near-valid arguments: right shapes with edge values, present or missing, and odd extras. */
const nearValid: fc.Arbitrary<Argument> = fc.oneof(
  fc
    .record(
      { clientKey: text, name: text, status: enumValue, priorityLevel: int },
      { requiredKeys: ['clientKey', 'name'] },
    )
    .map((v) => [newClientSchema, v] as const),
  fc
    .record(
      {
        clientId: int,
        epicKey: text,
        title: text,
        description: text,
        pointsValue: int,
        durationText: fc.oneof(text, fc.constantFrom(null, '3 days', '1.5 semanas', '2 weeks')),
      },
      { requiredKeys: ['clientId', 'epicKey', 'title'] },
    )
    .map((v) => [newEpicSchema, v] as const),
  fc
    .record(
      { taskKey: text, title: text, tddPhase: enumValue, storyPoints: int, estimateMinutes: int },
      { requiredKeys: ['taskKey', 'title'] },
    )
    .chain((task) =>
      fc.constantFrom<Argument>(
        [newTaskOfEpicSchema, task],
        [newTaskSchema, { ...task, epicId: 3 }],
        [tasksOfEpicSchema, [task, { ...task, taskKey: 'other' }]],
      ),
    ),
  fc
    .record(
      { page: int, pageSize: int, status: enumValue, epicId: int, odd: anyField },
      { requiredKeys: [] },
    )
    .chain((filter) =>
      fc.constantFrom<Argument>(
        [clientFilterSchema, filter],
        [epicFilterSchema, filter],
        [taskFilterSchema, filter],
      ),
    ),
);

test('every answer of the fast path equals zod’s, on hostile and near-valid arguments', () => {
  const decidedBy = { fast: 0, zod: 0 };
  fc.assert(
    fc.property(fc.oneof(hostileOp.map(argumentsOf), fc.array(nearValid)), (args) => {
      for (const argument of args) {
        const verdict = agreesWithZod(argument);
        if (verdict === 'zod decided') decidedBy.zod += 1;
        else decidedBy.fast += 1;
        if (verdict === false) return false;
      }
      return true;
    }),
    { numRuns: 3_000, seed: 7 },
  );
  // Both sides were exercised: arguments the fast path answered, and ones it left to zod.
  expect(decidedBy.fast).toBeGreaterThan(500);
  expect(decidedBy.zod).toBeGreaterThan(500);
});

const validCalls: readonly TrackerOp[] = [
  { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme Corp', priorityLevel: 3 } },
  {
    kind: 'createEpicWithTasks',
    epic: { clientId: 1, epicKey: 'E-1', title: 'Checkout', pointsValue: 30 },
    tasks: [
      { taskKey: 'T-1', title: 'Failing test', storyPoints: 2 },
      { taskKey: 'T-2', title: 'Make it pass', tddPhase: 'green', estimateMinutes: 90 },
    ],
  },
  {
    kind: 'createEpic',
    input: { clientId: 2, epicKey: 'E-2', title: 'Search', durationText: '3 days' },
  },
  { kind: 'createTask', input: { epicId: 1, taskKey: 'T-3', title: 'Refactor' } },
  { kind: 'listTasks', filter: { epicId: 1, status: 'todo', page: 2, pageSize: 10 } },
  { kind: 'listEpics' } as TrackerOp,
];

test('the common valid arguments are answered by the fast path, as zod would', () => {
  for (const op of validCalls) {
    for (const argument of argumentsOf(op)) {
      expect(fastAcceptOf(argument[0])!(argument[1])).not.toBeUndefined();
      expect(agreesWithZod(argument)).toBe(true);
    }
  }
});
