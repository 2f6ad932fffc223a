/**
 * Everything observable about a tracker's database file: rows read through the store's API,
 * raw rows with their timestamps, row counts and AUTOINCREMENT sequences. Two equal file states
 * mean nothing was written in between, which is how "a refused call writes nothing" is proved.
 */
import type Database from 'better-sqlite3';
import { snapshotOfStore, type TrackerSnapshot } from '../../models/invariants';
import type { TrackerStore } from '../tracker';
import { TABLES } from '../tracker/sql/schema';

export interface FileState {
  readonly snapshot: TrackerSnapshot;
  readonly counts: Readonly<Record<string, number>>;
  readonly rows: Readonly<Record<string, unknown[]>>;
  readonly sequence: readonly unknown[];
}

/** `reader` is a separate connection on the same file, to look past the API. */
export async function fileStateOf(
  store: TrackerStore,
  reader: Database.Database,
): Promise<FileState> {
  const count = (table: string) =>
    (reader.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
  const rows = (table: string) => reader.prepare(`SELECT * FROM ${table} ORDER BY id`).all();
  return {
    snapshot: await snapshotOfStore(store),
    counts: Object.fromEntries(TABLES.map((table) => [table, count(table)])),
    rows: Object.fromEntries(TABLES.map((table) => [table, rows(table)])),
    sequence: reader.prepare('SELECT name, seq FROM sqlite_sequence ORDER BY name').all(),
  };
}
