/**
 * The statement seam: every SQL statement the tracker runs goes through a Session, so an engine
 * can interpose on each one (to interleave workers statement by statement, inject faults or
 * count work) without the tracker knowing.
 */
import type Database from 'better-sqlite3';
import type { StatementCatalogue } from './sql/statements';
import type { WarmConnection } from './warm-connections';

export type Awaitable<T> = T | Promise<T>;
export type BindParams = readonly unknown[] | Readonly<Record<string, unknown>>;

export interface StatementEvent {
  readonly connectionId: number;
  /** The statement's name in the catalogue (e.g. `beginWrite`, `insertEpic`). */
  readonly name: string;
  readonly params: BindParams | undefined;
}

export interface StatementHooks {
  /** Awaited before each statement runs: the statement waits until the promise settles. */
  beforeStatement?(event: StatementEvent): Awaitable<void>;
  /** Replaces the timed back-off after SQLITE_BUSY (attempt counts from 1). */
  backoff?(attempt: number, connectionId: number): Promise<void>;
}

export interface RunResult {
  readonly changes: number;
  readonly lastInsertRowid: number | bigint;
}

export class Session {
  readonly db: Database.Database;
  /** By SQL text, so a connection handed to another store keeps them (see warm-connections). */
  private readonly prepared: Map<string, Database.Statement>;

  constructor(
    readonly connectionId: number,
    readonly connection: WarmConnection,
    private readonly catalogue: StatementCatalogue,
    private readonly hooks: StatementHooks,
  ) {
    this.db = connection.db;
    this.prepared = connection.statements;
  }

  run(name: string, params?: BindParams): Awaitable<RunResult> {
    return this.through(name, params, (statement) => bind(statement, params, 'run') as RunResult);
  }

  get<Row>(name: string, params?: BindParams): Awaitable<Row | undefined> {
    return this.through(name, params, (statement) => bind(statement, params, 'get') as Row);
  }

  all<Row>(name: string, params?: BindParams): Awaitable<Row[]> {
    return this.through(name, params, (statement) => bind(statement, params, 'all') as Row[]);
  }

  get inTransaction(): boolean {
    return this.db.open && this.db.inTransaction;
  }

  /** Rolls back at once, past the hooks: cleanup must not wait on a scheduler. */
  rollbackNow(): void {
    if (this.inTransaction) this.db.exec('ROLLBACK');
  }

  close(): void {
    if (this.db.open) {
      this.rollbackNow();
      this.db.close();
    }
  }

  private through<T>(
    name: string,
    params: BindParams | undefined,
    execute: (statement: Database.Statement) => T,
  ): Awaitable<T> {
    const hook = this.hooks.beforeStatement;
    // Without a hook the statement runs synchronously: the common path pays no promise.
    if (hook === undefined) return execute(this.statement(name));
    const gate = hook({ connectionId: this.connectionId, name, params });
    if (gate === undefined) return execute(this.statement(name));
    return Promise.resolve(gate).then(() => execute(this.statement(name)));
  }

  private statement(name: string): Database.Statement {
    const sql = this.catalogue[name];
    if (sql === undefined) throw new Error(`No statement named "${name}" in the catalogue`);
    let statement = this.prepared.get(sql);
    if (statement === undefined) {
      statement = this.db.prepare(sql);
      this.prepared.set(sql, statement);
    }
    return statement;
  }
}

/** Binds positional (array) or named (object) parameters without copying them. */
function bind(
  statement: Database.Statement,
  params: BindParams | undefined,
  method: 'run' | 'get' | 'all',
): unknown {
  if (params === undefined) return statement[method]();
  if (Array.isArray(params)) return statement[method](...(params as unknown[]));
  return statement[method](params);
}
