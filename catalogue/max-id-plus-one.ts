/**
 * Planted bug: createClient hands out the next client id in application code, as
 * `SELECT MAX(id) + 1` read in its own autocommit statement before the write transaction, and
 * then inserts that id explicitly. Two concurrent creates read the same MAX and the second insert
 * hits the primary key: a valid, unique client is refused with DUPLICATE_KEY (and no field).
 *
 * Shows when interleaved: worker A runs `nextClientId` and parks at `beginWrite`; worker B
 * creates a client; A resumes and its `insertClientWithId` collides with B's row.
 */
import { SqliteTracker, type Client, type NewClient } from '../src/tracker';
import { newClientSchema, parseInput } from '../src/tracker/contract/schemas';
import { duplicate } from '../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class MaxIdPlusOneTracker extends SqliteTracker {
  override async createClient(input: NewClient): Promise<Client> {
    const client = parseInput(newClientSchema, input, 'input');
    // "Reserve" the id first, so it can go into the audit line before the write is queued.
    const next = await this.single(async (s) => s.get<{ nextId: number }>('nextClientId'));
    const id = next?.nextId ?? 1;
    return this.write(async (s) => {
      if (await s.get('clientKeyTaken', [client.clientKey])) {
        throw duplicate('clientKey', client.clientKey);
      }
      // BUG: MAX(id) was read outside this transaction: another create may have taken `id`.
      return (await s.get<Client>('insertClientWithId', { ...client, id })) as Client;
    });
  }
}

export const createStore: StoreFactory = (options) =>
  new MaxIdPlusOneTracker(trackerOptions(options));
