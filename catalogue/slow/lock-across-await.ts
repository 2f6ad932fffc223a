/**
 * Planted performance bug: every call (reads too) takes one store-wide async mutex, then, while
 * holding it, awaits a call to an audit service (~2 ms) before doing its work. The await yields
 * the event loop but not the lock, so however many calls are in flight, one store serves them
 * one at a time with a 2 ms stall each: at most ~500 calls per second, and the queue's wait
 * shows as latency. Results stay right.
 */
import { SqliteTracker } from '../../src/tracker';
import type { Session } from '../../src/tracker/session';
import { trackerOptions, type StoreFactory } from '../../src/target/store-factory';

/** How long the (simulated) audit service takes to answer. */
export const AUDIT_CALL_MS = 2;

/** Runs one task at a time, in call order (a promise chain). */
class AsyncMutex {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one to settle, whether it succeeds or fails.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

function callAuditService(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, AUDIT_CALL_MS));
}

export class LockAcrossAwaitTracker extends SqliteTracker {
  private readonly storeLock = new AsyncMutex();

  // Every public call goes through exactly one of these three helpers.
  protected override write<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.audited(() => super.write(work));
  }

  protected override single<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.audited(() => super.single(work));
  }

  protected override read<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return this.audited(() => super.read(work));
  }

  private audited<T>(call: () => Promise<T>): Promise<T> {
    return this.storeLock.run(async () => {
      // BUG: the lock is held across this await; it only needed to guard the store's work.
      await callAuditService();
      return call();
    });
  }
}

export const createStore: StoreFactory = (options) =>
  new LockAcrossAwaitTracker(trackerOptions(options));
