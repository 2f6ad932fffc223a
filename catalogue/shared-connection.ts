/**
 * Planted bug: the store keeps one connection (one Session) for all its calls and wraps writes
 * in a hand-rolled BEGIN/COMMIT that "joins" a transaction already open on that connection
 * instead of waiting for it (there is no write gate). That only works for nested calls on one
 * call stack: with two calls in flight on the same store, the second call's statements land
 * inside the first call's transaction and it reports success at once; when the first call then
 * fails and rolls back, it takes the second call's writes with it (and readers meanwhile see the
 * first call's uncommitted rows).
 *
 * Shows only with concurrent calls on ONE store instance (parallel-only): the interleaving
 * engine gives each worker its own instance, so it cannot see it. Shortest case, on an empty
 * store: startTask(1) runs `beginWrite` and parks at `taskById`; createClient on the same store
 * joins, inserts and returns client 1; startTask fails with NOT_FOUND, rolls back, and the client
 * is gone. Likewise a createEpicWithTasks that fails with DUPLICATE_KEY rolls back a concurrent
 * completeTask that had already reported success.
 */
import { SqliteTracker } from '../src/tracker';
import type { Session } from '../src/tracker/session';
import { isBusy, toTrackerError } from '../src/tracker/sqlite-errors';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class SharedConnectionTracker extends SqliteTracker {
  private connection: Promise<Session> | undefined;

  protected override write<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.transaction('beginWrite', work);
  }

  protected override read<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.transaction('beginRead', work);
  }

  protected override async single<T>(work: (s: Session) => Promise<T>): Promise<T> {
    const s = await this.session();
    try {
      return await work(s);
    } catch (error) {
      throw toTrackerError(error);
    }
  }

  override async close(): Promise<void> {
    const connection = this.connection;
    this.connection = undefined;
    if (connection !== undefined) this.pool.release(await connection);
    await super.close();
  }

  /** The store's one connection, taken from the pool on first use and kept until close. */
  private session(): Promise<Session> {
    this.connection ??= this.pool.acquire();
    return this.connection;
  }

  private async transaction<T>(
    begin: 'beginWrite' | 'beginRead',
    work: (s: Session) => Promise<T>,
  ): Promise<T> {
    const s = await this.session();
    if (s.inTransaction) {
      // BUG: "already in a transaction: this must be a nested call, run inside it". With calls
      // in flight concurrently it is another call's transaction, which may still roll back.
      try {
        return await work(s);
      } catch (error) {
        throw toTrackerError(error);
      }
    }
    for (let attempt = 1; ; attempt += 1) {
      try {
        await s.run(begin);
        const result = await work(s);
        await s.run('commit');
        return result;
      } catch (error) {
        s.rollbackNow();
        if (!isBusy(error) || attempt >= this.options.busyAttempts) throw toTrackerError(error);
        await this.backoff(attempt, s.connectionId);
      }
    }
  }

  private backoff(attempt: number, connectionId: number): Promise<void> {
    const hook = this.options.hooks.backoff;
    if (hook !== undefined) return hook(attempt, connectionId);
    const ceiling = Math.min(
      this.options.busyMaxDelayMs,
      this.options.busyBaseDelayMs * 2 ** (attempt - 1),
    );
    return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
  }
}

export const createStore: StoreFactory = (options) =>
  new SharedConnectionTracker(trackerOptions(options));
