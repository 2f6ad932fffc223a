/**
 * A bounded pool of better-sqlite3 connections to one WAL file. Connections open lazily up to
 * `poolSize`; callers beyond that queue (FIFO) until one is released or the acquire time-out
 * passes. Write transactions of this pool also pass one in-process gate, because SQLite admits
 * one writer at a time: queueing here is cheaper than spinning on SQLITE_BUSY.
 */
import Database from 'better-sqlite3';
import { TrackerError } from './errors';
import type { ResolvedStoreOptions } from './options';
import { Session } from './session';
import { SCHEMA_SQL } from './sql/schema';
import type { PoolFigures } from './types';
import type { WarmConnection } from './warm-connections';

interface Waiter {
  resolve(session: Session): void;
  reject(error: TrackerError): void;
  timer: NodeJS.Timeout;
}

// How long opening (schema, WAL switch) may wait on another process's lock: opening is rare.
const OPEN_BUSY_TIMEOUT_MS = 10_000;

export class ConnectionPool {
  private readonly idle: Session[] = [];
  private readonly waiters: Waiter[] = [];
  private readonly gateQueue: (() => void)[] = [];
  private gateHeld = false;
  private opened = 0;
  private inUse = 0;
  private nextConnectionId = 1;
  private acquired = 0;
  private busyRetries = 0;
  private queuedAcquires = 0;
  private acquireTimeouts = 0;
  private closed = false;

  constructor(private readonly options: ResolvedStoreOptions) {
    // Open one connection at once so a bad path or a corrupt file fails the constructor.
    this.idle.push(this.open());
  }

  get isClosed(): boolean {
    return this.closed;
  }

  acquire(): Promise<Session> {
    const session = this.tryAcquire();
    if (session !== undefined) return Promise.resolve(session);
    if (this.closed) return Promise.reject(closedError());
    this.acquired += 1;
    this.queuedAcquires += 1;
    return new Promise<Session>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          this.acquireTimeouts += 1;
          reject(
            new TrackerError(
              'POOL_TIMEOUT',
              `No connection free within ${this.options.acquireTimeoutMs} ms ` +
                `(pool size ${this.options.poolSize}, ${this.waiters.length} others waiting)`,
            ),
          );
        }, this.options.acquireTimeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /** A connection at once if one is idle or may be opened; else undefined (nothing queued). */
  tryAcquire(): Session | undefined {
    if (this.closed) return undefined;
    const session = this.idle.pop() ?? (this.opened < this.options.poolSize ? this.open() : null);
    if (session === null) return undefined;
    this.acquired += 1;
    this.inUse += 1;
    return session;
  }

  release(session: Session): void {
    // A transaction left open by a failed caller must not leak into the next one.
    session.rollbackNow();
    const waiter = this.waiters.shift();
    if (waiter !== undefined && !this.closed) {
      clearTimeout(waiter.timer);
      waiter.resolve(session);
      return;
    }
    this.inUse -= 1;
    if (this.closed) {
      this.retire(session);
    } else {
      this.idle.push(session);
    }
  }

  /**
   * Runs `work` holding this pool's write gate (FIFO). Waiting for the gate counts against the
   * acquire time-out like waiting for a connection: a stuck writer cannot block the rest forever.
   */
  async withWriteGate<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw closedError();
    if (this.gateHeld) await this.waitForGate();
    this.gateHeld = true;
    try {
      return await work();
    } finally {
      const next = this.gateQueue.shift();
      if (next === undefined) this.gateHeld = false;
      else next();
    }
  }

  private waitForGate(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const entry = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.gateQueue.splice(this.gateQueue.indexOf(entry), 1);
        this.acquireTimeouts += 1;
        reject(
          new TrackerError(
            'POOL_TIMEOUT',
            `Another write of this store held the write gate for over ` +
              `${this.options.acquireTimeoutMs} ms (${this.gateQueue.length} other writes waiting)`,
          ),
        );
      }, this.options.acquireTimeoutMs);
      this.gateQueue.push(entry);
    });
  }

  noteBusyRetry(): void {
    this.busyRetries += 1;
  }

  figures(): PoolFigures {
    return {
      size: this.options.poolSize,
      open: this.opened,
      idle: this.idle.length,
      inUse: this.inUse,
      waiting: this.waiters.length,
      acquired: this.acquired,
      busyRetries: this.busyRetries,
      queuedAcquires: this.queuedAcquires,
      acquireTimeouts: this.acquireTimeouts,
    };
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(closedError());
    }
    for (const session of this.idle.splice(0)) {
      this.retire(session);
    }
  }

  /** Closes a connection, or hands it back clean to the warm connections it came from. */
  private retire(session: Session): void {
    const shelf = this.options.connections;
    session.rollbackNow();
    if (shelf !== undefined && session.db.open) {
      shelf.give(this.options.dbPath, this.connectionSettings(), session.connection);
    } else {
      session.close();
    }
    this.opened -= 1;
  }

  /** What a warm connection must have been opened with to serve this pool. */
  private connectionSettings(): string {
    return `synchronous=${this.options.synchronous} max_page_count=${this.options.maxPageCount}`;
  }

  private open(): Session {
    const connection =
      this.options.connections?.take(this.options.dbPath, this.connectionSettings()) ??
      this.openConnection();
    this.opened += 1;
    return new Session(
      this.nextConnectionId++,
      connection,
      this.options.catalogue,
      this.options.hooks,
    );
  }

  private openConnection(): WarmConnection {
    const db = new Database(this.options.dbPath, { timeout: OPEN_BUSY_TIMEOUT_MS });
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`synchronous = ${this.options.synchronous}`);
      db.pragma('foreign_keys = ON');
      if (this.options.maxPageCount !== undefined) {
        db.pragma(`max_page_count = ${Math.floor(this.options.maxPageCount)}`);
      }
      // The schema is created once per file; later connections only check that it is there.
      const hasSchema = db
        .prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tasks'")
        .get();
      if (hasSchema === undefined) db.exec(SCHEMA_SQL);
      // From here on a lock is waited out asynchronously (see transaction.ts), never by
      // blocking the thread, which would stall every other connection of this thread.
      db.pragma('busy_timeout = 0');
    } catch (error) {
      db.close();
      throw error;
    }
    return { db, statements: new Map<string, Database.Statement>() };
  }
}

function closedError(): TrackerError {
  return new TrackerError('CLOSED', 'The store is closed');
}
