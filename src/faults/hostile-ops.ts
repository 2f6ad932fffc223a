/**
 * Hostile calls of the tracker's API: each argument is a valid one with a field replaced by a
 * hostile value, a stray or prototype-polluting field added, or wholly replaced; ids are real,
 * unknown or hostile. Some calls are valid with hostile text (which must then be stored as
 * given): the model decides which.
 */
import fc from 'fast-check';
import type { OpKind, TrackerOp } from '../../models/operations';
import {
  hostileNumber,
  hostileString,
  hostileValue,
  pollutingObjects,
  treacherousObjects,
} from './hostile-values';

type Fields = Record<string, unknown>;

/** Rows the seeded fixture holds (hostile-api.ts), plus unknown and hostile ids. */
const idArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(1, 2, 3, 4, 5, 999) },
  { weight: 3, arbitrary: hostileNumber },
  { weight: 2, arbitrary: hostileValue },
);

/** `base` spoilt in one of several ways (or, now and then, left valid but for hostile text). */
function spoilt(base: Fields, textFields: readonly string[]): fc.Arbitrary<unknown> {
  const fields = Object.keys(base);
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.constantFrom(...fields, 'status', 'pointsValue', 'storyPoints'), hostileValue)
        .map(([field, value]) => ({ ...base, [field]: value })),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.constantFrom(...textFields), hostileString)
        .map(([field, value]) => ({ ...base, [field]: value })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(hostileString, hostileValue)
        .map(([field, value]) => ({ ...base, [field]: value })),
    },
    { weight: 1, arbitrary: fc.constantFrom(...pollutingObjects(base)) },
    { weight: 1, arbitrary: fc.constantFrom(...treacherousObjects(base)) },
    { weight: 2, arbitrary: hostileValue },
  );
}

const key = fc.constantFrom('acme', 'k-1', 'k-2', 'E-1', 'T-1');
const clientArg = key.chain((clientKey) =>
  spoilt({ clientKey, name: 'Client' }, ['clientKey', 'name']),
);
const epicArg = fc
  .tuple(key, idArb)
  .chain(([epicKey, clientId]) =>
    spoilt({ clientId, epicKey, title: 'Epic', durationText: '3 days' }, [
      'epicKey',
      'title',
      'description',
      'durationText',
    ]),
  );
const taskOfEpicArg = key.chain((taskKey) =>
  spoilt({ taskKey, title: 'Task', storyPoints: 3 }, ['taskKey', 'title', 'tddPhase']),
);
const taskArg = fc
  .tuple(key, idArb)
  .chain(([taskKey, epicId]) =>
    spoilt({ epicId, taskKey, title: 'Task' }, ['taskKey', 'title', 'tddPhase']),
  );
const filterArg = fc.oneof(
  fc.constant(undefined),
  spoilt({ page: 1, pageSize: 5 }, ['status', 'tddPhase']),
  fc.record({ page: idArb, pageSize: idArb, epicId: idArb, clientId: idArb }, { requiredKeys: [] }),
);
const tasksArg = fc.oneof(
  fc.array(taskOfEpicArg, { maxLength: 4 }),
  hostileValue,
  fc.constant(Array.from({ length: 51 }, (_, i) => ({ taskKey: `T-${i}`, title: 'Task' }))),
  fc.constant(new Array(3)),
);

const BY_KIND: { readonly [K in OpKind]: fc.Arbitrary<TrackerOp> } = {
  createClient: clientArg.map((input) => ({ kind: 'createClient', input }) as TrackerOp),
  createEpic: epicArg.map((input) => ({ kind: 'createEpic', input }) as TrackerOp),
  createEpicWithTasks: fc
    .tuple(epicArg, tasksArg)
    .map(([epic, tasks]) => ({ kind: 'createEpicWithTasks', epic, tasks }) as TrackerOp),
  createTask: taskArg.map((input) => ({ kind: 'createTask', input }) as TrackerOp),
  startTask: idArb.map((taskId) => ({ kind: 'startTask', taskId }) as TrackerOp),
  advanceTaskPhase: idArb.map((taskId) => ({ kind: 'advanceTaskPhase', taskId }) as TrackerOp),
  completeTask: idArb.map((taskId) => ({ kind: 'completeTask', taskId }) as TrackerOp),
  getClient: idArb.map((id) => ({ kind: 'getClient', id }) as TrackerOp),
  getEpic: idArb.map((id) => ({ kind: 'getEpic', id }) as TrackerOp),
  getTask: idArb.map((id) => ({ kind: 'getTask', id }) as TrackerOp),
  listClients: filterArg.map((filter) => ({ kind: 'listClients', filter }) as TrackerOp),
  listEpics: filterArg.map((filter) => ({ kind: 'listEpics', filter }) as TrackerOp),
  listTasks: filterArg.map((filter) => ({ kind: 'listTasks', filter }) as TrackerOp),
  getEpicAnalytics: idArb.map((epicId) => ({ kind: 'getEpicAnalytics', epicId }) as TrackerOp),
};

export const hostileOp: fc.Arbitrary<TrackerOp> = fc.oneof(...Object.values(BY_KIND));
