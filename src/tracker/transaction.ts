/**
 * Runs a unit of work on a pooled connection: writes in BEGIN IMMEDIATE (so a read-then-write
 * can never be upgraded into SQLITE_BUSY_SNAPSHOT), multi-statement reads in one deferred read
 * transaction (one snapshot), and retries SQLITE_BUSY with bounded, jittered, async back-off.
 */
import type { ResolvedStoreOptions } from './options';
import type { ConnectionPool } from './pool';
import type { Session } from './session';
import { isBusy, toTrackerError } from './sqlite-errors';

export type WorkKind = 'write' | 'read' | 'single';

export class TransactionRunner {
  constructor(
    private readonly pool: ConnectionPool,
    private readonly options: ResolvedStoreOptions,
  ) {}

  run<T>(kind: WorkKind, work: (session: Session) => Promise<T>): Promise<T> {
    return kind === 'write'
      ? this.pool.withWriteGate(() => this.attempt(kind, work))
      : this.attempt(kind, work);
  }

  private async attempt<T>(kind: WorkKind, work: (session: Session) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      let session: Session | undefined;
      try {
        session = await this.pool.acquire();
        if (kind === 'single') return await work(session);
        await session.run(kind === 'write' ? 'beginWrite' : 'beginRead');
        const result = await work(session);
        await session.run('commit');
        return result;
      } catch (error) {
        session?.rollbackNow();
        if (!isBusy(error) || attempt >= this.options.busyAttempts) throw toTrackerError(error);
        this.pool.noteBusyRetry();
        const connectionId = session?.connectionId ?? 0;
        if (session !== undefined) {
          this.pool.release(session);
          session = undefined;
        }
        await this.backoff(attempt, connectionId);
      } finally {
        if (session !== undefined) this.pool.release(session);
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
