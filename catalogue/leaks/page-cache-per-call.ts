/**
 * Planted JS-heap leak: listClients remembers each page it served in a cache keyed by the call
 * (a per-call sequence number, meant for a "recent queries" view and a later reuse that never
 * came), and nothing ever evicts an entry. Results stay right; the heap grows by one
 * CachedPage (with its page of clients) per call, for as long as the store lives.
 */
import { SqliteTracker, type Client, type ClientFilter, type Page } from '../../src/tracker';
import { trackerOptions, type StoreFactory } from '../../src/target/store-factory';

/** Named so a heap diff shows what grows. */
export class CachedPage {
  constructor(
    readonly filter: ClientFilter | undefined,
    readonly page: Page<Client>,
    readonly servedAt: number,
  ) {}
}

export class PageCachePerCallTracker extends SqliteTracker {
  private calls = 0;
  // BUG: keyed per call, so no entry is ever hit again, and none is ever evicted.
  private readonly pages = new Map<number, CachedPage>();

  override async listClients(filter?: ClientFilter): Promise<Page<Client>> {
    const page = await super.listClients(filter);
    this.calls += 1;
    this.pages.set(this.calls, new CachedPage(filter, page, Date.now()));
    return page;
  }
}

export const createStore: StoreFactory = (options) =>
  new PageCachePerCallTracker(trackerOptions(options));
