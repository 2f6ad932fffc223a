/**
 * Planted performance bug: a connection leak. getClient takes a "fast path" past the
 * transaction runner (one statement needs no transaction): it acquires a pooled connection by
 * hand and releases it after the lookup, except on the not-found exit, which throws first.
 * Results stay right (a missing client is NOT_FOUND); every lookup of a missing client keeps one
 * connection for good, so the pool slowly runs dry, and once all are gone every call waits the
 * acquire time-out and fails with POOL_TIMEOUT.
 */
import { SqliteTracker, type Client } from '../../src/tracker';
import { parseId } from '../../src/tracker/contract/schemas';
import { toTrackerError } from '../../src/tracker/sqlite-errors';
import { notFound } from '../../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../../src/target/store-factory';

export class UnreleasedConnectionTracker extends SqliteTracker {
  override async getClient(id: number): Promise<Client> {
    const clientId = parseId(id, 'id');
    const session = await this.pool.acquire();
    let client: Client | undefined;
    try {
      client = await session.get<Client>('clientById', [clientId]);
    } catch (error) {
      this.pool.release(session);
      throw toTrackerError(error);
    }
    // BUG: this exit skips the release below; a try/finally around the whole body would not.
    if (client === undefined) throw notFound('client', clientId);
    this.pool.release(session);
    return client;
  }
}

export const createStore: StoreFactory = (options) =>
  new UnreleasedConnectionTracker(trackerOptions(options));
