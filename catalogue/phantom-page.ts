/**
 * Planted bug: the list calls (listClients, listEpics, listTasks) count the total and read the
 * page as two autocommit statements on one connection, without a read transaction, so each
 * sees its own snapshot: a row committed in between makes `total` and `data` disagree (a page
 * with more rows than `total`, or `totalPages` too small to reach the new row).
 *
 * Shows when interleaved: worker A runs `countClients` and parks at `pageClients`; worker B
 * creates a client; A's page then holds 2 clients with total 1.
 */
import { SqliteTracker, type Page } from '../src/tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class PhantomPageTracker extends SqliteTracker {
  protected override page<T>(
    countStatement: string,
    pageStatement: string,
    request: { page: number; pageSize: number },
    filter: Record<string, unknown>,
  ): Promise<Page<T>> {
    const { page, pageSize } = request;
    // BUG: "two quick reads need no transaction": each statement reads its own snapshot.
    return this.single(async (s) => {
      const count = await s.get<{ total: number }>(countStatement, filter);
      const total = count?.total ?? 0;
      const offset = (page - 1) * pageSize;
      const data =
        offset >= total
          ? []
          : await s.all<T>(pageStatement, { ...filter, limit: pageSize, offset });
      return { data, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
    });
  }
}

export const createStore: StoreFactory = (options) =>
  new PhantomPageTracker(trackerOptions(options));
