/**
 * What a call depends on within one projection, so a shrunk witness keeps it: the creation of
 * the rows it names and the successful writes that brought them to their state (a completeTask
 * without the startTask before it would fail for a reason that has nothing to do with the bug).
 */
import type { Operation } from '../../engine/history';
import type { OpResult } from '../../../models/operations';
import type { ProjectedInput } from './projected-models';

type ProjectedOperation = Operation<ProjectedInput, OpResult>;

/** Rows a successful write changed: `epic`, `client`, `task:<id>`. */
function touched(op: ProjectedOperation): string[] {
  const { call } = op.input;
  if (op.response === Infinity || !op.output.ok) return [];
  const value = op.output.value as Record<string, unknown>;
  switch (call.kind) {
    case 'createClient':
      return ['client'];
    case 'createEpic':
      return ['epic'];
    case 'createEpicWithTasks':
      return ['epic', ...(value.tasks as { id: number }[]).map((t) => `task:${t.id}`)];
    case 'createTask':
      return [`task:${String(value.id)}`];
    case 'startTask':
    case 'advanceTaskPhase':
    case 'completeTask':
      return [`task:${call.taskId}`];
    default:
      return [];
  }
}

/** Rows a call's outcome depends on; `*` is every row of the projection. */
function referenced(op: ProjectedOperation): string[] {
  const { call } = op.input;
  const base = ['epic', 'client'];
  switch (call.kind) {
    case 'startTask':
    case 'advanceTaskPhase':
    case 'completeTask':
      return [...base, `task:${call.taskId}`];
    case 'getTask':
      return [...base, `task:${call.id}`];
    case 'createTask':
      return op.response !== Infinity && op.output.ok ? base : ['*'];
    case 'getEpic':
    case 'getEpicAnalytics':
    case 'finalState':
      return ['*'];
    default:
      return base;
  }
}

/** The closure function of a projection: a sub-history plus the writes it depends on. */
export function dependencyClosure(
  all: readonly ProjectedOperation[],
): (ops: readonly ProjectedOperation[]) => ProjectedOperation[] {
  // Built on first use: nearly every projection of a correct history is never shrunk.
  let writes: { op: ProjectedOperation; rows: string[] }[] | undefined;
  return (ops) => {
    writes ??= all.map((op) => ({ op, rows: touched(op) })).filter((w) => w.rows.length > 0);
    const refs = new Set(ops.flatMap(referenced));
    const every = refs.has('*');
    const have = new Set(ops.map((op) => op.id));
    const needed = writes.filter(
      (w) => !have.has(w.op.id) && (every || w.rows.some((row) => refs.has(row))),
    );
    return [...ops, ...needed.map((w) => w.op)];
  };
}
