/**
 * Planted performance bugs: variants of the tracker whose every result stays right (so the
 * correctness engines pass them) but whose capacity collapses under load. A load run with
 * thresholds must fail them: on throughput, on latency, or by running out of connections.
 * Not part of the correctness catalogue (catalogue/index.ts), whose entries are wrong results.
 */
import type { StoreFactory } from '../../src/target/store-factory';
import { createStore as checkpointEveryWrite } from './checkpoint-every-write';
import { createStore as lockAcrossAwait } from './lock-across-await';
import { createStore as unreleasedConnection } from './unreleased-connection';

export interface SlowVariant {
  /** The module's file name under catalogue/slow/, without extension. */
  readonly name: string;
  /** The bug in one line. */
  readonly bug: string;
  /**
   * What collapses: throughput (each call costs far more work), latency (calls queue behind one
   * another), or pool-leak (connections are never handed back, until calls time out).
   */
  readonly effect: 'throughput' | 'latency' | 'pool-leak';
  readonly createStore: StoreFactory;
}

export const SLOW_VARIANTS: readonly SlowVariant[] = [
  {
    name: 'checkpoint-every-write',
    bug: 'opens with synchronous=FULL and runs wal_checkpoint(TRUNCATE) after every committed write',
    effect: 'throughput',
    createStore: checkpointEveryWrite,
  },
  {
    name: 'lock-across-await',
    bug: 'every call holds one store-wide mutex across a ~2 ms await, so calls run one at a time',
    effect: 'latency',
    createStore: lockAcrossAwait,
  },
  {
    name: 'unreleased-connection',
    bug: 'getClient of a missing id throws NOT_FOUND without releasing its pooled connection',
    effect: 'pool-leak',
    createStore: unreleasedConnection,
  },
];
