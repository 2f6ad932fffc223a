/**
 * Input schemas of the tracker's API (zod): part of the contract, so the store and the reference
 * model reject exactly the same inputs with the same field named.
 */
import { z } from 'zod';
import { parseDuration } from '../../duration';
import { TrackerError } from '../errors';
import {
  arrayRule,
  durationRule,
  enumRule,
  intRule,
  nonBlankRule,
  objectRule,
  textRule,
  withDefault,
} from './fast-accept';
import { CLIENT_STATUSES, EPIC_STATUSES, TASK_STATUSES, TDD_PHASES } from '../types';
import { LIMITS } from './limits';

// Control characters in keys and titles break logs, CSV exports and terminals: refuse them,
// C1 controls (U+009B is a terminal escape) and the line/paragraph separators included.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_CHARS = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029]*$/;
// eslint-disable-next-line no-control-regex -- NUL truncates text in many C consumers
const NO_NUL = /^[^\u0000]*$/;
// A lone surrogate is not text: SQLite stores it as U+FFFD, so the row would not read back as
// written and two different keys could collide. Refused like a control character.
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const wellFormed = (text: string) => !LONE_SURROGATE.test(text);
const WELL_FORMED = 'must not contain lone surrogates (malformed UTF-16)';

const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const notBlank = (text: string) => text.trim().length > 0;
const key = z
  .string()
  .min(1)
  .max(LIMITS.keyMaxLength)
  .regex(NO_CONTROL_CHARS)
  .refine(wellFormed, WELL_FORMED)
  .refine(notBlank, 'must not be blank');
const title = z
  .string()
  .max(LIMITS.titleMaxLength)
  .regex(NO_CONTROL_CHARS)
  .refine(wellFormed, WELL_FORMED)
  .refine(notBlank, 'must not be blank');
const intIn = (range: { min: number; max: number; default: number }) =>
  z.number().int().min(range.min).max(range.max).default(range.default);
const durationText = z
  .string()
  .max(LIMITS.durationTextMaxLength)
  .refine(wellFormed, WELL_FORMED)
  .refine(isParsableDuration, 'is not a duration such as "3 days" or "1.5 semanas"')
  .nullable()
  .default(null);

function isParsableDuration(text: string): boolean {
  try {
    parseDuration(text);
    return true;
  } catch {
    return false;
  }
}

export const newClientSchema = z.strictObject({
  clientKey: key,
  name: title,
  status: z.enum(CLIENT_STATUSES).default('active'),
  priorityLevel: intIn(LIMITS.priorityLevel),
});

export const newEpicSchema = z.strictObject({
  clientId: id,
  epicKey: key,
  title,
  description: z
    .string()
    .max(LIMITS.descriptionMaxLength)
    .regex(NO_NUL)
    .refine(wellFormed, WELL_FORMED)
    .default(''),
  pointsValue: intIn(LIMITS.pointsValue),
  durationText,
});

export const newTaskOfEpicSchema = z.strictObject({
  taskKey: key,
  title,
  tddPhase: z.enum(TDD_PHASES).default('analysis'),
  storyPoints: intIn(LIMITS.storyPoints),
  estimateMinutes: intIn(LIMITS.estimateMinutes),
});

export const newTaskSchema = newTaskOfEpicSchema.extend({ epicId: id });

export const tasksOfEpicSchema = z.array(newTaskOfEpicSchema).max(LIMITS.tasksPerEpicCreate);

const page = {
  page: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).default(1),
  pageSize: intIn(LIMITS.pageSize),
};

export const clientFilterSchema = z
  .strictObject({ ...page, status: z.enum(CLIENT_STATUSES).optional() })
  .default({ page: 1, pageSize: LIMITS.pageSize.default });

export const epicFilterSchema = z
  .strictObject({
    ...page,
    clientId: id.optional(),
    status: z.enum(EPIC_STATUSES).optional(),
  })
  .default({ page: 1, pageSize: LIMITS.pageSize.default });

export const taskFilterSchema = z
  .strictObject({
    ...page,
    epicId: id.optional(),
    status: z.enum(TASK_STATUSES).optional(),
    tddPhase: z.enum(TDD_PHASES).optional(),
  })
  .default({ page: 1, pageSize: LIMITS.pageSize.default });

export const idSchema = id;

/**
 * Each schema's fast acceptance test (fast-accept.ts), kept next to the schema it mirrors: it
 * answers zod's output for the common valid input, or "not sure" and zod decides.
 */
const key_ = nonBlankRule(LIMITS.keyMaxLength);
const title_ = nonBlankRule(LIMITS.titleMaxLength);
const idRange = { min: 1, max: Number.MAX_SAFE_INTEGER };
const taskOfEpicFields = {
  taskKey: key_,
  title: title_,
  tddPhase: enumRule(TDD_PHASES, 'analysis'),
  storyPoints: intRule(LIMITS.storyPoints),
  estimateMinutes: intRule(LIMITS.estimateMinutes),
};
const taskOfEpicFast = objectRule(taskOfEpicFields);
const pageFields = {
  page: intRule({ ...idRange, default: 1 }),
  pageSize: intRule(LIMITS.pageSize),
};
const defaultPage = () => ({ page: 1, pageSize: LIMITS.pageSize.default });
const FAST_ACCEPT = new Map<z.ZodType, (input: unknown) => unknown>([
  [
    newClientSchema,
    objectRule({
      clientKey: key_,
      name: title_,
      status: enumRule(CLIENT_STATUSES, 'active'),
      priorityLevel: intRule(LIMITS.priorityLevel),
    }),
  ],
  [
    newEpicSchema,
    objectRule({
      clientId: intRule(idRange),
      epicKey: key_,
      title: title_,
      description: textRule(LIMITS.descriptionMaxLength, ''),
      pointsValue: intRule(LIMITS.pointsValue),
      durationText: durationRule(LIMITS.durationTextMaxLength),
    }),
  ],
  [newTaskOfEpicSchema, taskOfEpicFast],
  // As `newTaskOfEpicSchema.extend({ epicId })`: the epic's id comes last.
  [newTaskSchema, objectRule({ ...taskOfEpicFields, epicId: intRule(idRange) })],
  [tasksOfEpicSchema, arrayRule(taskOfEpicFast, LIMITS.tasksPerEpicCreate)],
  [
    clientFilterSchema,
    withDefault(objectRule({ ...pageFields, status: enumRule(CLIENT_STATUSES) }), defaultPage),
  ],
  [
    epicFilterSchema,
    withDefault(
      objectRule({
        ...pageFields,
        clientId: intRule(idRange),
        status: enumRule(EPIC_STATUSES),
      }),
      defaultPage,
    ),
  ],
  [
    taskFilterSchema,
    withDefault(
      objectRule({
        ...pageFields,
        epicId: intRule(idRange),
        status: enumRule(TASK_STATUSES),
        tddPhase: enumRule(TDD_PHASES),
      }),
      defaultPage,
    ),
  ],
]);

/** The schemas with a fast acceptance test, for the test that holds it to zod's answers. */
export function fastAcceptOf(schema: z.ZodType): ((input: unknown) => unknown) | undefined {
  return FAST_ACCEPT.get(schema);
}

/** An id argument: the common valid case skips zod (it is on every call's hot path). */
export function parseId(value: unknown, argument: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 1) return value;
  return parseInput(idSchema, value, argument);
}

export type ValidNewClient = z.output<typeof newClientSchema>;
export type ValidNewEpic = z.output<typeof newEpicSchema>;
export type ValidNewTaskOfEpic = z.output<typeof newTaskOfEpicSchema>;
export type ValidNewTask = z.output<typeof newTaskSchema>;
export type ValidClientFilter = z.output<typeof clientFilterSchema>;
export type ValidEpicFilter = z.output<typeof epicFilterSchema>;
export type ValidTaskFilter = z.output<typeof taskFilterSchema>;

/**
 * Parses `input` or throws TrackerError('INVALID_INPUT') naming the first offending field:
 * `argument` when the value itself is wrong (e.g. not an object), else the field's path, prefixed
 * with `argument` when `qualify` is set (e.g. `tasks.0.title`).
 */
export function parseInput<S extends z.ZodType>(
  schema: S,
  input: unknown,
  argument: string,
  qualify = false,
): z.output<S> {
  const quick = FAST_ACCEPT.get(schema)?.(input);
  if (quick !== undefined) return quick as z.output<S>;
  const result = safeParse(schema, input, argument);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue?.path ?? [];
  const unknownKey = issue?.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const inner = [...path.map(String), ...(unknownKey === undefined ? [] : [unknownKey])];
  const field = inner.length === 0 ? argument : (qualify ? [argument, ...inner] : inner).join('.');
  const message =
    unknownKey !== undefined
      ? `${field} is not a known field`
      : `${field}: ${issue?.message ?? 'invalid'} (got ${describe(valueAt(input, path))})`;
  throw new TrackerError('INVALID_INPUT', message, field);
}

/**
 * zod reads the input's properties: a getter or a Proxy that throws would escape as an untyped
 * error. Such an input is refused like any other malformed one.
 */
function safeParse<S extends z.ZodType>(schema: S, input: unknown, argument: string) {
  try {
    return schema.safeParse(input);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TrackerError(
      'INVALID_INPUT',
      `${argument} could not be read (reading it threw: ${reason.slice(0, 200)})`,
      argument,
    );
  }
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[step];
  }
  return value;
}

function describe(value: unknown): string {
  if (typeof value === 'string') {
    return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  }
  if (typeof value === 'number') return String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return typeof value;
}
