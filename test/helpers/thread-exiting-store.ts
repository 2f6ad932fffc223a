/**
 * A target whose createStore ends the thread it runs in (as a native crash would), for the test
 * that a search pool reports a searcher that dies instead of waiting for it forever.
 */
import type { StoreFactory } from '../../src/target/store-factory';

export const createStore: StoreFactory = () => {
  process.exit(3);
};
