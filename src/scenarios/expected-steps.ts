/**
 * How many scheduling steps a call of the built-in tracker takes: its start, then one gate per
 * SQL statement (BEGIN and COMMIT included). Counted from traces of the tracker run on its own.
 * A call removed by shrinking runs as a ghost of this many steps under random picks, so the
 * other calls keep their picks. An estimate that is off (another store, a back-off after
 * SQLITE_BUSY) only makes the shrink less exact, never a result wrong.
 */
import type { OpResult, TrackerOp } from '../../models/operations';

const WRITE_STEPS_OK: Readonly<Record<string, number>> = {
  createClient: 5,
  createEpic: 5,
  createTask: 7,
  startTask: 6,
  advanceTaskPhase: 5,
  completeTask: 7,
};

// A write refused after its first check: start, BEGIN, the check (its ROLLBACK has no gate).
const WRITE_STEPS_REFUSED = 3;

/** A refused write: a key taken is found by the second check, after the parent's (if any). */
function refusedSteps(op: TrackerOp, expected: OpResult): number {
  if (expected.ok || expected.code !== 'DUPLICATE_KEY') return WRITE_STEPS_REFUSED;
  if (op.kind === 'createClient') return WRITE_STEPS_REFUSED;
  // Two tasks of one new epic with the same key: refused before the transaction.
  if (op.kind === 'createEpicWithTasks' && expected.field?.startsWith('tasks.') === true) return 1;
  return WRITE_STEPS_REFUSED + 1;
}

export function expectedSteps(op: TrackerOp, expected: OpResult): number {
  // Bad input is refused before any statement.
  if (!expected.ok && expected.code === 'INVALID_INPUT') return 1;
  switch (op.kind) {
    case 'getClient':
    case 'getEpic':
    case 'getTask':
    case 'getEpicAnalytics':
      return 2;
    case 'listClients':
    case 'listEpics':
    case 'listTasks': {
      // Start, BEGIN, count, (the page, when there is one), COMMIT.
      const page = expected.ok ? (expected.value as { data?: readonly unknown[] }).data : [];
      return (page?.length ?? 0) > 0 ? 5 : 4;
    }
    case 'createEpicWithTasks':
      return expected.ok ? 6 + 2 * op.tasks.length : refusedSteps(op, expected);
    default:
      return expected.ok ? (WRITE_STEPS_OK[op.kind] ?? 5) : refusedSteps(op, expected);
  }
}
