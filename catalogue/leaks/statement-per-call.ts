/**
 * Planted native leak: getEpicAnalytics prepares its query afresh on every call (instead of
 * once per connection) and keeps each statement in a registry of open statements, released at close().
 * Each prepared statement holds SQLite's compiled program in native memory, outside the JS
 * heap, so the growth shows in the process's resident memory far more than in the heap.
 */
import type Database from 'better-sqlite3';
import { SqliteTracker, type EpicAnalytics } from '../../src/tracker';
import { parseId } from '../../src/tracker/contract/schemas';
import { notFound, type AnalyticsRow } from '../../src/tracker/sqlite-tracker';
import { STATEMENTS } from '../../src/tracker/sql/statements';
import { trackerOptions, type StoreFactory } from '../../src/target/store-factory';

/** The registry's record of a statement it holds open (for a diagnostics page). */
class OpenStatement {
  constructor(
    readonly statement: Database.Statement,
    readonly purpose: string,
    readonly preparedAt: Date,
  ) {}
}

export class StatementPerCallTracker extends SqliteTracker {
  // BUG: grows by one statement per call; only close() lets go of them.
  private readonly statements: OpenStatement[] = [];

  override async getEpicAnalytics(epicId: number): Promise<EpicAnalytics> {
    const id = parseId(epicId, 'epicId');
    return this.single(async (s) => {
      const statement = s.db.prepare(STATEMENTS.epicAnalytics as string);
      this.statements.push(new OpenStatement(statement, 'epicAnalytics', new Date()));
      const row = statement.get(id) as AnalyticsRow | undefined;
      if (row === undefined) throw notFound('epic', id);
      return this.analyticsFrom(row);
    });
  }

  override async close(): Promise<void> {
    this.statements.length = 0;
    await super.close();
  }
}

export const createStore: StoreFactory = (options) =>
  new StatementPerCallTracker(trackerOptions(options));
