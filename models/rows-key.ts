import type { TrackerState } from './tracker-state';

/**
 * Rows are immutable and a step replaces only the rows it changes, so each row's encoding is
 * computed once and shared by every state that holds it: an exact state key at the cost of the
 * rows that changed, not of the whole state.
 */
const rowKeys = new WeakMap<object, string>();

/** The rows' JSON, each followed by `;` (a JSON object delimits itself, so the key is exact). */
export function rowsKey(rows: Iterable<object>): string {
  let key = '';
  for (const row of rows) {
    let encoded = rowKeys.get(row);
    if (encoded === undefined) {
      encoded = JSON.stringify(row);
      rowKeys.set(row, encoded);
    }
    key += `${encoded};`;
  }
  return key;
}

/** Every row of a state, clients then epics then tasks (ids and keys derive from the rows). */
export function stateRowsKey(state: TrackerState): string {
  return `${rowsKey(state.clients.values())}|${rowsKey(state.epics.values())}|${rowsKey(state.tasks.values())}`;
}
