/**
 * fast-check arbitraries of tracker operations. Ids are drawn as references to rows the model
 * holds when the command runs (as PropEr's symbolic variables), so calls hit real rows and drive
 * tasks through their transitions; unknown and ill-typed ids, invalid fields and hostile text
 * are mixed in now and then, and must be refused identically by the store and the model.
 */
import fc from 'fast-check';
import type { NewClient, NewEpic, NewTaskOfEpic, TaskStatus } from '../src/tracker';
import { CLIENT_STATUSES, EPIC_STATUSES, TASK_STATUSES, TDD_PHASES } from '../src/tracker';
import type { OpKind, TrackerOp } from './operations';
import type { TrackerState } from './tracker-state';

/** Builds a concrete operation from the model state the command meets when it runs. */
export type OpBuilder = (state: TrackerState) => TrackerOp;

type Entity = 'client' | 'epic' | 'task';
/**
 * A reference to the pick-th existing row (modulo their count), or a literal (often invalid).
 * A task reference may prefer tasks in a status (todo for start, in_progress for advance and
 * complete): like a precondition, it makes transitions land, while the rest of the draws still
 * try the refused ones.
 */
export type IdChoice =
  | {
      readonly entity: Entity;
      readonly pick: number;
      readonly prefer?: TaskStatus;
      /** A parent reference: an existing row only, never the row a create will make next. */
      readonly existing?: true;
    }
  | { readonly literal: unknown };

export function resolveId(choice: IdChoice, state: TrackerState): number {
  if ('literal' in choice) return choice.literal as number;
  const rows =
    choice.entity === 'client'
      ? state.clients
      : choice.entity === 'epic'
        ? state.epics
        : state.tasks;
  const last =
    choice.entity === 'client'
      ? state.lastIds.client
      : choice.entity === 'epic'
        ? state.lastIds.epic
        : state.lastIds.task;
  // With no rows yet the reference names the next id: a NOT_FOUND today.
  if (rows.size === 0) return last + 1;
  const preferred =
    choice.prefer === undefined
      ? []
      : [...state.tasks.values()].filter((t) => t.status === choice.prefer).map((t) => t.id);
  // Without a preference, the row the next create will make is a candidate too: a reader
  // racing with a concurrent create of that row is exactly what interleavings need.
  const ids =
    preferred.length > 0
      ? preferred
      : choice.existing === true
        ? [...rows.keys()]
        : [...rows.keys(), last + 1];
  return ids[choice.pick % ids.length] as number;
}

/** Pass a valid arbitrary and the invalid values that may replace it now and then. */
function mostly<T>(
  valid: fc.Arbitrary<T>,
  invalid: readonly unknown[],
  odds = 150,
): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: odds, arbitrary: valid },
    { weight: 1, arbitrary: fc.constantFrom(...invalid) as fc.Arbitrary<T> },
  );
}

function hasControlChar(text: string): boolean {
  return [...text].some((c) => {
    const code = c.charCodeAt(0);
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
  });
}

const HOSTILE_TEXT = [
  "Robert'); DROP TABLE tasks;--",
  '%_\\',
  '名前 ✓ 🚀',
  'e\u0301',
  '\u202eevil',
];

function idChoice(entity: Entity, existing?: true): fc.Arbitrary<IdChoice> {
  return fc.oneof(
    {
      weight: 30,
      arbitrary: fc
        .nat({ max: 30 })
        .map((pick): IdChoice => ({ entity, pick, ...(existing && { existing }) })),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom<unknown>(0, -1, 1.5, NaN, Infinity, 9999, '1', null)
        .map((literal) => ({ literal })),
    },
  );
}

/**
 * The parent of a create: mostly a row that exists (a create under a missing parent is refused
 * before it races with anything), sometimes any reference, the next row's id included.
 */
function parentChoice(entity: Entity): fc.Arbitrary<IdChoice> {
  return fc.oneof(
    { weight: 3, arbitrary: idChoice(entity, true) },
    { weight: 1, arbitrary: idChoice(entity) },
  );
}

const clientKeyArb = mostly(
  fc.constantFrom('acme', 'globex', 'initech', 'umbrella', 'hooli', HOSTILE_TEXT[0] as string),
  ['', 'k'.repeat(65), 'line\nbreak', 7],
);
const epicKeyArb = mostly(
  fc.integer({ min: 1, max: 15 }).map((n) => `E-${n}`),
  ['', 'E'.repeat(65), undefined],
);
const taskKeyArb = mostly(
  fc.integer({ min: 1, max: 6 }).map((n) => `T-${n}`),
  ['', '\u0000', 3],
);
const titleArb = mostly(
  fc.oneof(
    fc.constantFrom('Login page', 'Relatório mensal', ...HOSTILE_TEXT),
    fc
      .string({ minLength: 1, maxLength: 12 })
      .filter((s) => s.trim().length > 0 && !hasControlChar(s)),
  ),
  ['', '   ', 't'.repeat(201), 'tab\there', 42],
);
const durationArb = mostly(
  fc.constantFrom('3 days', '1.5 semanas', '2 weeks 3 days', '12 days 5 hours', '1 mês', null),
  ['soon', '-3 days', ''],
);
const int = (min: number, max: number, invalid: readonly unknown[]) =>
  mostly(fc.integer({ min, max }), invalid);

const clientFieldsArb: fc.Arbitrary<NewClient> = fc.record(
  {
    clientKey: clientKeyArb,
    name: titleArb,
    status: mostly(fc.constantFrom(...CLIENT_STATUSES), ['deleted', 1]),
    priorityLevel: int(1, 10, [0, 11, 2.5, NaN]),
  },
  { requiredKeys: ['clientKey', 'name'] },
);

const epicFieldsArb: fc.Arbitrary<Omit<NewEpic, 'clientId'>> = fc.record(
  {
    epicKey: epicKeyArb,
    title: titleArb,
    description: mostly(fc.constantFrom('', 'Line one\nline two', HOSTILE_TEXT[2] as string), [
      '\u0000',
      'd'.repeat(2001),
    ]),
    pointsValue: int(0, 100, [-1, 1e9, NaN, '5']),
    durationText: durationArb,
  },
  { requiredKeys: ['epicKey', 'title'] },
);

const taskFieldsArb: fc.Arbitrary<NewTaskOfEpic> = fc.record(
  {
    taskKey: taskKeyArb,
    title: titleArb,
    tddPhase: mostly(fc.constantFrom(...TDD_PHASES), ['done', 'RED']),
    storyPoints: int(0, 8, [-2, 101, 0.5]),
    estimateMinutes: int(0, 240, [-30, 1e6, NaN]),
  },
  { requiredKeys: ['taskKey', 'title'] },
);

/** A valid object with a field nobody asked for, now and then (a misspelt option, say). */
function withStrayField<T extends object>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.oneof(
    { weight: 80, arbitrary: arb },
    { weight: 1, arbitrary: arb.map((value) => ({ ...value, pointValue: 3 }) as T) },
  );
}

const pageArb = fc.record(
  { page: int(1, 3, [0, -1, 1.5]), pageSize: int(1, 5, [0, 101, NaN]) },
  { requiredKeys: [] },
);
const optionalRef = (entity: Entity) => fc.option(idChoice(entity), { nil: undefined, freq: 2 });

/** A call whose only argument is an id (`taskId`, `id` or `epicId`) referring to `entity`. */
function idCall<K extends OpKind, A extends string>(
  kind: K,
  argument: A,
  entity: Entity,
  prefer?: TaskStatus,
) {
  const choice =
    prefer === undefined
      ? idChoice(entity)
      : fc.oneof(
          { weight: 3, arbitrary: fc.nat({ max: 30 }).map((pick) => ({ entity, pick, prefer })) },
          { weight: 1, arbitrary: idChoice(entity) },
        );
  return choice.map(
    (choice): OpBuilder =>
      (state) =>
        ({ kind, [argument]: resolveId(choice, state) }) as unknown as TrackerOp,
  );
}

export const OP_BUILDERS: { readonly [K in OpKind]: fc.Arbitrary<OpBuilder> } = {
  createClient: withStrayField(clientFieldsArb).map((input): OpBuilder => () => ({
    kind: 'createClient',
    input,
  })),
  createEpic: fc
    .tuple(withStrayField(epicFieldsArb), parentChoice('client'))
    .map(([fields, client]): OpBuilder => (state) => ({
      kind: 'createEpic',
      input: { clientId: resolveId(client, state), ...fields },
    })),
  createEpicWithTasks: fc
    .tuple(epicFieldsArb, parentChoice('client'), fc.array(taskFieldsArb, { maxLength: 3 }))
    .map(([fields, client, tasks]): OpBuilder => (state) => ({
      kind: 'createEpicWithTasks',
      epic: { clientId: resolveId(client, state), ...fields },
      tasks,
    })),
  createTask: fc
    .tuple(withStrayField(taskFieldsArb), parentChoice('epic'))
    .map(([fields, epic]): OpBuilder => (state) => ({
      kind: 'createTask',
      input: { epicId: resolveId(epic, state), ...fields },
    })),
  startTask: idCall('startTask', 'taskId', 'task', 'todo'),
  advanceTaskPhase: idCall('advanceTaskPhase', 'taskId', 'task', 'in_progress'),
  completeTask: idCall('completeTask', 'taskId', 'task', 'in_progress'),
  getClient: idCall('getClient', 'id', 'client'),
  getEpic: idCall('getEpic', 'id', 'epic'),
  getTask: idCall('getTask', 'id', 'task'),
  listClients: fc
    .option(fc.tuple(pageArb, fc.option(fc.constantFrom(...CLIENT_STATUSES), { nil: undefined })), {
      nil: undefined,
    })
    .map((filter): OpBuilder => () => ({
      kind: 'listClients',
      ...(filter && { filter: { ...filter[0], ...(filter[1] && { status: filter[1] }) } }),
    })),
  listEpics: fc
    .option(
      fc.tuple(
        pageArb,
        optionalRef('client'),
        fc.option(fc.constantFrom(...EPIC_STATUSES), { nil: undefined }),
      ),
      { nil: undefined },
    )
    .map((filter): OpBuilder => (state) => ({
      kind: 'listEpics',
      ...(filter && {
        filter: {
          ...filter[0],
          ...(filter[1] && { clientId: resolveId(filter[1], state) }),
          ...(filter[2] && { status: filter[2] }),
        },
      }),
    })),
  listTasks: fc
    .option(
      fc.tuple(
        pageArb,
        optionalRef('epic'),
        fc.option(fc.constantFrom(...TASK_STATUSES), { nil: undefined }),
        fc.option(fc.constantFrom(...TDD_PHASES), { nil: undefined }),
      ),
      { nil: undefined },
    )
    .map((filter): OpBuilder => (state) => ({
      kind: 'listTasks',
      ...(filter && {
        filter: {
          ...filter[0],
          ...(filter[1] && { epicId: resolveId(filter[1], state) }),
          ...(filter[2] && { status: filter[2] }),
          ...(filter[3] && { tddPhase: filter[3] }),
        },
      }),
    })),
  getEpicAnalytics: idCall('getEpicAnalytics', 'epicId', 'epic'),
};

/** How often each operation is drawn in a mixed workload: transitions often, lists seldom. */
export const DEFAULT_MIX: { readonly [K in OpKind]: number } = {
  createClient: 2,
  createEpic: 1,
  createEpicWithTasks: 4,
  createTask: 2,
  startTask: 4,
  advanceTaskPhase: 2,
  completeTask: 4,
  getClient: 1,
  getEpic: 2,
  getTask: 1,
  listClients: 1,
  listEpics: 1,
  listTasks: 1,
  getEpicAnalytics: 3,
};

function weightedKinds(mix: Partial<Record<OpKind, number>>): [OpKind, number][] {
  return (Object.entries(mix) as [OpKind, number][]).filter(([, weight]) => weight > 0);
}

export function opBuilderArbitrary(
  mix: Partial<Record<OpKind, number>> = DEFAULT_MIX,
): fc.Arbitrary<OpBuilder> {
  return fc.oneof(
    ...weightedKinds(mix).map(([kind, weight]) => ({ weight, arbitrary: OP_BUILDERS[kind] })),
  );
}

/** A builder that knows which operation it builds, so a case can switch kinds off. */
export interface TaggedOpBuilder {
  readonly kind: OpKind;
  readonly build: OpBuilder;
}

export function taggedOpArbitrary(
  mix: Partial<Record<OpKind, number>> = DEFAULT_MIX,
): fc.Arbitrary<TaggedOpBuilder> {
  return fc.oneof(
    ...weightedKinds(mix).map(([kind, weight]) => ({
      weight,
      arbitrary: OP_BUILDERS[kind].map((build): TaggedOpBuilder => ({ kind, build })),
    })),
  );
}

/**
 * Swarm testing (Groce et al.): each case enables a random subset of the operations and drops
 * the others. A case made of a few kinds repeats them (the same epic read twice, a create and
 * its readers), which is how most races show; a case of every kind rarely does. Shrinks towards
 * fewer kinds, hence shorter cases.
 */
export function swarmArbitrary(
  mix: Partial<Record<OpKind, number>> = DEFAULT_MIX,
): fc.Arbitrary<readonly OpKind[]> {
  return fc.subarray(
    weightedKinds(mix).map(([kind]) => kind),
    { minLength: 1 },
  );
}
