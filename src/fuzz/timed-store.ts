/**
 * Latency of every call the engines make on the store, without the engines knowing: the
 * factory's stores are wrapped so each async method records its duration in microseconds.
 */
import type { StoreFactory } from '../target/store-factory';

/** Lifecycle calls are not operations of the workload. */
const UNTIMED = new Set<PropertyKey>(['close', 'constructor', 'then']);

export function timedStoreFactory(
  createStore: StoreFactory,
  record: (micros: number) => void,
): StoreFactory {
  return async (options) => {
    const store = await createStore(options);
    return new Proxy(store, {
      get(target, key, receiver) {
        const value: unknown = Reflect.get(target, key, receiver);
        if (typeof value !== 'function' || UNTIMED.has(key)) return value;
        return function timed(this: unknown, ...args: unknown[]) {
          const started = process.hrtime.bigint();
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          const done = () => record(Number(process.hrtime.bigint() - started) / 1_000);
          if (result instanceof Promise) return result.finally(done);
          done();
          return result;
        };
      },
    });
  };
}
