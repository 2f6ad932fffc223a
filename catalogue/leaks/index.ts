/**
 * Planted leaks: variants of the tracker whose results stay right but whose memory grows with
 * every call of one operation. The leak engine must see the growth, shrink a random command
 * sequence to that one call, and (for the JS heap) name what grows.
 */
import type { StoreFactory } from '../../src/target/store-factory';
import { createStore as listenerPerCall } from './listener-per-call';
import { createStore as pageCachePerCall } from './page-cache-per-call';
import { createStore as statementPerCall } from './statement-per-call';

export interface PlantedLeak {
  /** The module's file name under catalogue/leaks/, without extension. */
  readonly name: string;
  readonly bug: string;
  /** Where the memory goes: the JS heap, native memory, or listeners (JS heap too). */
  readonly memory: 'js-heap' | 'native' | 'listener';
  /** The store method whose every call leaks: the shrunk sequence must name it. */
  readonly leakingCall: string;
  /** A type the heap diff must name (JS-heap leaks only). */
  readonly growingType?: string;
  readonly createStore: StoreFactory;
}

export const LEAKS: readonly PlantedLeak[] = [
  {
    name: 'page-cache-per-call',
    bug: 'listClients keeps every page it served in a cache keyed per call, never evicted',
    memory: 'js-heap',
    leakingCall: 'listClients',
    growingType: 'CachedPage',
    createStore: pageCachePerCall,
  },
  {
    name: 'statement-per-call',
    bug: 'getEpicAnalytics prepares a new statement per call and keeps it until close()',
    memory: 'native',
    leakingCall: 'getEpicAnalytics',
    createStore: statementPerCall,
  },
  {
    name: 'listener-per-call',
    bug: 'getEpic subscribes a listener to write events per call and never unsubscribes',
    memory: 'listener',
    leakingCall: 'getEpic',
    createStore: listenerPerCall,
  },
];
