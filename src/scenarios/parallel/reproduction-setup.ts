/**
 * What a witness needs replayed before it on a fresh file: the calls of the same round that
 * made the rows it names (a client, an epic or a task made after the round began, and the rows
 * those need in turn), and the status changes its tasks went through before it touched them.
 * Without them the fresh file lacks the rows, every replayed call fails alike on the store and
 * in the model, and no schedule can show the bug. Rows the round started with are rebuilt from
 * the round's initial state instead (see `rebuildRows`).
 */
import type { Operation } from '../../engine/history';
import type { OpResult, TrackerOp } from '../../../models/operations';
import type { TrackerState } from '../../../models/tracker-state';

type RoundOp = Operation<TrackerOp, OpResult>;
export type RowRef = `${'client' | 'epic' | 'task'}:${number}`;

/** The rows a call needs to exist. */
export function rowsNeeded(op: TrackerOp): RowRef[] {
  switch (op.kind) {
    case 'createEpic':
      return [`client:${op.input.clientId}`];
    case 'createEpicWithTasks':
      return [`client:${op.epic.clientId}`];
    case 'createTask':
      return [`epic:${op.input.epicId}`];
    case 'startTask':
    case 'advanceTaskPhase':
    case 'completeTask':
      return [`task:${op.taskId}`];
    case 'getClient':
      return [`client:${op.id}`];
    case 'getEpic':
      return [`epic:${op.id}`];
    case 'getTask':
      return [`task:${op.id}`];
    case 'getEpicAnalytics':
      return [`epic:${op.epicId}`];
    default:
      return [];
  }
}

/** The rows a call made, read off its observed result. */
export function rowsMade(op: TrackerOp, output: OpResult): RowRef[] {
  if (!output.ok) return [];
  const value = output.value as { id?: number; epic?: { id: number }; tasks?: { id: number }[] };
  switch (op.kind) {
    case 'createClient':
      return [`client:${value.id!}`];
    case 'createEpic':
      return [`epic:${value.id!}`];
    case 'createTask':
      return [`task:${value.id!}`];
    case 'createEpicWithTasks':
      return [`epic:${value.epic!.id}`, ...value.tasks!.map((t): RowRef => `task:${t.id}`)];
    default:
      return [];
  }
}

const STATUS_CHANGES = new Set(['startTask', 'advanceTaskPhase', 'completeTask']);

/** The round's calls the given calls depend on and do not include, in invoke order. */
export function setUpCalls(
  calls: readonly { readonly id: number; readonly op: TrackerOp; readonly invoke: number }[],
  initial: TrackerState,
  round: readonly RoundOp[],
): RoundOp[] {
  const included = new Set(calls.map((c) => c.id));
  const maker = new Map<RowRef, RoundOp>();
  const made = new Set<RowRef>();
  for (const op of round) {
    for (const row of rowsMade(op.input, op.output)) {
      maker.set(row, op);
      if (included.has(op.id)) made.add(row);
    }
  }
  const setUp: RoundOp[] = [];
  const pending = calls.map((c) => c.op);
  while (pending.length > 0) {
    for (const row of rowsNeeded(pending.pop()!)) {
      if (made.has(row) || existedBefore(row, initial)) continue;
      const creator = maker.get(row);
      if (creator === undefined || included.has(creator.id)) continue;
      included.add(creator.id);
      setUp.push(creator);
      for (const r of rowsMade(creator.input, creator.output)) made.add(r);
      pending.push(creator.input);
    }
  }
  // Each task is brought to the status it had when the first of the calls touched it.
  const firstTouch = new Map<RowRef, number>();
  for (const c of calls) {
    for (const row of rowsNeeded(c.op)) {
      if (row.startsWith('task:'))
        firstTouch.set(row, Math.min(firstTouch.get(row) ?? Infinity, c.invoke));
    }
  }
  for (const op of round) {
    if (included.has(op.id) || !op.output.ok || !STATUS_CHANGES.has(op.input.kind)) continue;
    const row = rowsNeeded(op.input)[0]!;
    const touched = firstTouch.get(row);
    if (touched !== undefined && op.response < touched) {
      included.add(op.id);
      setUp.push(op);
    }
  }
  return setUp.sort((a, b) => a.invoke - b.invoke);
}

function existedBefore(row: RowRef, initial: TrackerState): boolean {
  const [entity, id] = row.split(':') as ['client' | 'epic' | 'task', string];
  const table =
    entity === 'client' ? initial.clients : entity === 'epic' ? initial.epics : initial.tasks;
  return table.has(Number(id));
}
