/**
 * Runs a unit of work on a pooled connection: writes in BEGIN IMMEDIATE (so a read-then-write
 * can never be upgraded into SQLITE_BUSY_SNAPSHOT), multi-statement reads in one deferred read
 * transaction (one snapshot), and retries SQLITE_BUSY with bounded, jittered, async back-off.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
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
        // Without a promise when a connection is free: most calls never wait for one.
        session = this.pool.tryAcquire() ?? (await this.pool.acquire());
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
    const delayMs = Math.random() * ceiling;
    // The first retries wait less than a timer can; once waits reach a millisecond the lock is
    // held long (another process, a checkpoint) and a timer waits without using the CPU.
    return ceiling < 1 ? pauseBriefly(delayMs) : sleep(delayMs);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A wait shorter than a timer can give: Node rounds every timer up to 1 ms, about twenty times
 * the length of the write transaction a busy caller waits for, so short waits yield to the
 * event loop (other calls of this thread run meanwhile) until the time has passed.
 */
async function pauseBriefly(ms: number): Promise<void> {
  const until = performance.now() + ms;
  do await yieldToEventLoop();
  while (performance.now() < until);
}
