/**
 * Programs of the tracker's writes for a crash run, built by stepping the model, so every
 * call is valid where it runs and the model knows the state after each prefix: the database
 * after a crash must equal one of those states.
 */
import type { OpResult, TrackerOp } from '../../models/operations';
import { stepTracker } from '../../models/tracker-model';
import type { TrackerState } from '../../models/tracker-state';
import type { Random } from './random';

export interface WriteProgram {
  readonly ops: readonly TrackerOp[];
  /** `states[i]` is the model after the first i calls (`states[0]` is the start). */
  readonly states: readonly TrackerState[];
  /** `results[i]` is what call i must return. */
  readonly results: readonly OpResult[];
}

export function writeProgram(start: TrackerState, length: number, random: Random): WriteProgram {
  const ops: TrackerOp[] = [];
  const states: TrackerState[] = [start];
  const results: OpResult[] = [];
  let state = start;
  for (let i = 0; i < length; i += 1) {
    const op = nextWrite(state, random);
    const step = stepTracker(state, op);
    ops.push(op);
    results.push(step.result);
    states.push(step.state);
    state = step.state;
  }
  return { ops, states, results };
}

/** The multi-statement writes dominate: those are the ones a crash can tear. */
function nextWrite(state: TrackerState, random: Random): TrackerOp {
  if (state.clients.size === 0) {
    return { kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } };
  }
  const tasks = [...state.tasks.values()];
  const todo = tasks.filter((t) => t.status === 'todo').map((t) => t.id);
  const open = tasks.filter((t) => t.status === 'in_progress').map((t) => t.id);
  const roll = random.next();
  if (roll < 0.3 && open.length > 0) return { kind: 'completeTask', taskId: random.pick(open) };
  if (roll < 0.5 && todo.length > 0) return { kind: 'startTask', taskId: random.pick(todo) };
  if (roll < 0.6 && open.length > 0) {
    return { kind: 'advanceTaskPhase', taskId: random.pick(open) };
  }
  if (roll < 0.68 && state.epics.size > 0) {
    const epicId = random.pick([...state.epics.keys()]);
    const taskKey = `T-${state.lastIds.task + 1}`;
    const storyPoints = random.int(1, 8);
    return { kind: 'createTask', input: { epicId, taskKey, title: 'Added later', storyPoints } };
  }
  const n = state.lastIds.epic + 1;
  return {
    kind: 'createEpicWithTasks',
    epic: { clientId: 1, epicKey: `E-${n}`, title: `Epic ${n}`, pointsValue: random.int(0, 40) },
    tasks: Array.from({ length: random.int(2, 12) }, (_, t) => ({
      taskKey: `T-${t + 1}`,
      title: `Task ${t + 1} of epic ${n}`,
      storyPoints: random.int(1, 8),
    })),
  };
}
