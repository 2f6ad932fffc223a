/**
 * The small models the fast checker judges each projection with. Each reuses the tracker's own
 * step (`stepTracker`) on a state holding only the rows the projection is about, so outputs are
 * the model's outputs by construction. Ids: the full model hands out ids from global counters
 * that a projection cannot see, so a create carries the ids the store reported (`assigned`) and
 * the step uses exactly those; whether they were handed out in a valid order is the separate
 * concern of the `ids` projections (a counter each).
 */
import type { Model } from '../../engine/model';
import { describeOp, describeResult, type OpResult } from '../../../models/operations';
import { isReadInput, type LinInput } from '../../../models/tracker-lin-model';
import { stateRowsKey } from '../../../models/rows-key';
import { stepTracker } from '../../../models/tracker-model';
import { nextState, tasksOf, type TrackerState } from '../../../models/tracker-state';

/** First ids a create was observed to take (for creates that never returned: placeholders). */
export interface AssignedIds {
  readonly client?: number;
  readonly epic?: number;
  readonly task?: number;
}

export interface ProjectedInput {
  readonly call: LinInput;
  readonly assigned?: AssignedIds;
}

export type RowsModel = Model<TrackerState, ProjectedInput, OpResult>;

/** What the final contents look like through one projection. */
export type FinalView = (state: TrackerState) => unknown;

export function epicView(epicId: number): FinalView {
  return (state) => ({
    epic: state.epics.get(epicId) ?? null,
    tasks: tasksOf(state, epicId).sort((a, b) => a.id - b.id),
  });
}

export function clientKeyView(clientKey: string): FinalView {
  return (state) => {
    for (const client of state.clients.values()) {
      if (client.clientKey === clientKey) return { client };
    }
    return { client: null };
  };
}

/**
 * The tracker's step on a state of a few rows, with the observed ids and a final view. A class,
 * so the checker's thousands of projections share its methods instead of each building its own.
 */
class ProjectedRows implements RowsModel {
  constructor(
    /** Built on each `init` (a checker inits once per attempt): nothing held in between. */
    private readonly start: () => TrackerState,
    private readonly view: FinalView | undefined,
  ) {}

  init(): TrackerState {
    return this.start();
  }

  step(state: TrackerState, { call, assigned }: ProjectedInput) {
    if (call.kind === 'finalState') {
      return { output: { ok: true, value: this.view?.(state) ?? null } as OpResult, state };
    }
    const { result, state: next } = stepTracker(withAssigned(state, assigned), call);
    return { output: result, state: result.ok ? next : state };
  }

  readOnly({ call }: ProjectedInput): boolean {
    return isReadInput(call);
  }

  // Ids are always given by `assigned`, so the counters are not part of the state.
  stateKey(state: TrackerState): string {
    return stateRowsKey(state);
  }

  describeInput({ call }: ProjectedInput): string {
    return call.kind === 'finalState' ? 'the final database contents' : describeOp(call);
  }

  describeOutput(output: OpResult): string {
    return describeResult(output);
  }
}

export function rowsModel(start: () => TrackerState, view: FinalView | undefined): RowsModel {
  return new ProjectedRows(start, view);
}

function withAssigned(state: TrackerState, assigned: AssignedIds | undefined): TrackerState {
  if (assigned === undefined) return state;
  const last = state.lastIds;
  return nextState(state, {
    lastIds: {
      client: assigned.client !== undefined ? assigned.client - 1 : last.client,
      epic: assigned.epic !== undefined ? assigned.epic - 1 : last.epic,
      task: assigned.task !== undefined ? assigned.task - 1 : last.task,
    },
  });
}

/**
 * One id counter (clients, epics or tasks): a successful create takes the next `count` ids.
 * Outputs are the list of ids taken; failed creates take none and are not in this projection.
 */
export function counterModel(
  entity: string,
  last: number,
): Model<number, ProjectedInput, OpResult> {
  return {
    init: () => last,
    step(state, { call }) {
      const count = idsTaken(call, entity);
      const ids = Array.from({ length: count }, (_, k) => state + 1 + k);
      return { output: { ok: true, value: ids }, state: state + count };
    },
    stateKey: String,
    describeInput: ({ call }) =>
      call.kind === 'finalState' ? 'the final database contents' : describeOp(call),
    describeOutput: (output) =>
      output.ok ? `${entity} ids ${JSON.stringify(output.value)}` : describeResult(output),
  };
}

/** How many ids of `entity` a successful call takes. */
export function idsTaken(call: LinInput, entity: string): number {
  if (!(entitiesTaken(call) as readonly string[]).includes(entity)) return 0;
  // Only an epic's creation with its tasks takes more than one id of a kind.
  return call.kind === 'createEpicWithTasks' && entity === 'task' ? call.tasks.length : 1;
}

const CLIENT = ['client'] as const;
const EPIC = ['epic'] as const;
const TASK = ['task'] as const;
const EPIC_AND_TASK = ['epic', 'task'] as const;
const NONE = [] as const;

/** The entities a successful call takes ids of, in one switch. */
export function entitiesTaken(call: LinInput): readonly ('client' | 'epic' | 'task')[] {
  switch (call.kind) {
    case 'createClient':
      return CLIENT;
    case 'createEpic':
      return EPIC;
    case 'createEpicWithTasks':
      return call.tasks.length > 0 ? EPIC_AND_TASK : EPIC;
    case 'createTask':
      return TASK;
    default:
      return NONE;
  }
}

/**
 * Exact fast test of a counter projection: with every create returned, the ids themselves give
 * the only possible order, so it is a linearization iff the id ranges tile the counter from
 * `last + 1` without gap or overlap, and no create returned before one with smaller ids was
 * invoked (creates that never returned left out). Anything else (a gap that a create that never
 * returned might fill, for instance) goes to the search.
 */
export function counterQuickCheck(
  entity: string,
  last: number,
): (
  ops: readonly { input: ProjectedInput; output: OpResult; invoke: number; response: number }[],
) => 'ok' | 'unsure' {
  return (all) => {
    // Creates that never returned may be left out: the returned ones must tile the ids alone.
    const ops = all.filter((op) => op.response !== Infinity);
    const ranges = ops.map((op) => ({
      op,
      ids: (op.output.ok ? op.output.value : []) as number[],
    }));
    if (
      ranges.some((r) => r.ids.length === 0 || r.ids.length !== idsTaken(r.op.input.call, entity))
    ) {
      return 'unsure';
    }
    ranges.sort((a, b) => a.ids[0]! - b.ids[0]!);
    let next = last + 1;
    let latestInvoke = -Infinity;
    for (const { op, ids } of ranges) {
      for (const id of ids) if (id !== next++) return 'unsure';
      if (op.response < latestInvoke) return 'unsure';
      latestInvoke = Math.max(latestInvoke, op.invoke);
    }
    return 'ok';
  };
}
