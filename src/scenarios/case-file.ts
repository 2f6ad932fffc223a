/**
 * One database file that many cases share, emptied between them. A fresh file per case costs
 * its creation, the schema and a checkpoint when the last connection closes (about half of a
 * small interleaved case); emptying the tables and their id counters costs a few statements and
 * leaves every case starting from the same state, ids included.
 *
 * A keeper connection stays open for the file's lifetime, so the stores' own connections are
 * never the last to close and do not checkpoint on every case; the keeper truncates the WAL
 * every few cases instead. The stores' connections outlive them too, on a shelf (see
 * warm-connections): opening a connection and preparing its statements cost more than a small
 * case's calls.
 */
import Database from 'better-sqlite3';
import { ConnectionShelf, type WarmConnections } from '../tracker';
import type { ScratchDatabases } from './scratch-db';

const CHECKPOINT_EVERY = 64;

export class SharedCaseFile {
  readonly path: string;
  /** Connections the cases' stores leave open for the next case's stores. */
  readonly connections = new ConnectionShelf();
  private keeper: Database.Database | undefined;
  private uses = 0;
  private schemaVersion: Database.Statement | undefined;
  private emptyTables: { readonly schemaVersion: number; readonly run: () => void } | undefined;

  constructor(private readonly scratch: ScratchDatabases) {
    this.path = scratch.next();
  }

  /**
   * Empties every table and resets the id counters, after a case's stores are closed. The first
   * call opens the keeper on the file the first case's store created.
   */
  reset(): void {
    const keeper = (this.keeper ??= openKeeper(this.path));
    this.emptier(keeper)();
    this.uses += 1;
    if (this.uses % CHECKPOINT_EVERY === 0) keeper.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * One transaction that empties every table and the id counters, built again only when the
   * schema changes (a store may create tables as it goes): reading the table list and
   * preparing the deletes each time cost as much as the deletes.
   */
  private emptier(keeper: Database.Database): () => void {
    this.schemaVersion ??= keeper.prepare('PRAGMA schema_version').pluck();
    const version = this.schemaVersion.get() as number;
    if (this.emptyTables !== undefined && this.emptyTables.schemaVersion === version)
      return this.emptyTables.run;
    const tables = keeper
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'",
      )
      .pluck()
      .all() as string[];
    const hasSequence =
      keeper.prepare("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_sequence'").get() !==
      undefined;
    const deletes = [
      ...tables.map((table) => keeper.prepare(`DELETE FROM "${table.replaceAll('"', '""')}"`)),
      ...(hasSequence ? [keeper.prepare('DELETE FROM sqlite_sequence')] : []),
    ];
    // Foreign keys are off on this connection, so the order of the tables does not matter.
    const run = keeper.transaction(() => {
      for (const statement of deletes) statement.run();
    });
    this.emptyTables = { schemaVersion: version, run };
    return run;
  }

  close(): void {
    this.connections.closeAll();
    this.keeper?.close();
    this.keeper = undefined;
    this.emptyTables = undefined;
    this.schemaVersion = undefined;
    this.scratch.discard(this.path);
  }
}

function openKeeper(path: string): Database.Database {
  const keeper = new Database(path);
  // better-sqlite3 turns foreign keys on by default; emptying parents first needs them off.
  keeper.pragma('foreign_keys = OFF');
  return keeper;
}

/** Where one case runs: what its stores are opened with, and how the file is left after it. */
export interface CaseDatabase {
  readonly target: { readonly dbPath: string; readonly connections?: WarmConnections };
  /** After the case's stores are closed: empties the shared file, or discards the new one. */
  release(): void;
}

/** The shared file with its warm connections when there is one, else a new file of its own. */
export function caseDatabase(
  caseFile: SharedCaseFile | undefined,
  scratch: ScratchDatabases,
): CaseDatabase {
  if (caseFile !== undefined) {
    return {
      target: { dbPath: caseFile.path, connections: caseFile.connections },
      release: () => caseFile.reset(),
    };
  }
  const dbPath = scratch.next();
  return { target: { dbPath }, release: () => scratch.discard(dbPath) };
}
