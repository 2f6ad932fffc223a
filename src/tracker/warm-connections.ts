/**
 * Connections kept open across short-lived stores on one file. An engine that makes a few stores
 * per case, hundreds of cases a second, pays more for opening connections (pragmas, schema
 * check) and preparing statements than for the case's calls; stores given the same shelf take
 * an idle connection, statements already prepared, and hand it back when they close.
 *
 * A connection comes back only clean (no open transaction) and goes out only to a store of the
 * same file and the same connection settings. A store's own state (caches, hooks, counters)
 * lives in the store, never on the connection, so each store still starts fresh.
 */
import type Database from 'better-sqlite3';

export interface WarmConnection {
  readonly db: Database.Database;
  /** Statements prepared on `db`, by SQL text (a variant may give a name other SQL). */
  readonly statements: Map<string, Database.Statement>;
}

export interface WarmConnections {
  /** An idle connection to `dbPath` opened with `settings`, or undefined. */
  take(dbPath: string, settings: string): WarmConnection | undefined;
  /** Keeps an open connection with no transaction for the next store. */
  give(dbPath: string, settings: string, connection: WarmConnection): void;
}

export class ConnectionShelf implements WarmConnections {
  private readonly idle = new Map<string, WarmConnection[]>();

  take(dbPath: string, settings: string): WarmConnection | undefined {
    return this.idle.get(shelfKey(dbPath, settings))?.pop();
  }

  give(dbPath: string, settings: string, connection: WarmConnection): void {
    if (!connection.db.open || connection.db.inTransaction) {
      throw new Error('Only an open connection with no transaction goes back on the shelf');
    }
    const key = shelfKey(dbPath, settings);
    const shelf = this.idle.get(key);
    if (shelf === undefined) this.idle.set(key, [connection]);
    else shelf.push(connection);
  }

  get size(): number {
    let n = 0;
    for (const shelf of this.idle.values()) n += shelf.length;
    return n;
  }

  closeAll(): void {
    for (const shelf of this.idle.values()) for (const { db } of shelf.splice(0)) db.close();
    this.idle.clear();
  }
}

function shelfKey(dbPath: string, settings: string): string {
  return `${settings}\u0000${dbPath}`;
}
