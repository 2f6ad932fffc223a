/** Loads a user's store module (`--target` or STAMPEDE_TARGET) and checks its shape. */
import path from 'node:path';
import { defaultStoreFactory, type StoreFactory } from './store-factory';

export class TargetError extends Error {
  override readonly name = 'TargetError';
}

export interface LoadedTarget {
  readonly name: string;
  readonly createStore: StoreFactory;
  /**
   * The store opens a database it made before, emptied of rows, as it would a new one (the
   * module exports `reusableDatabase = true`): cases can then share one file, which is faster.
   */
  readonly reusableDatabase: boolean;
}

export function loadTarget(
  spec: string | undefined = process.env.STAMPEDE_TARGET,
  cwd = process.cwd(),
): LoadedTarget {
  if (spec === undefined || spec === '') {
    return { name: 'tracker (built-in)', createStore: defaultStoreFactory, reusableDatabase: true };
  }
  const file = path.resolve(cwd, spec);
  let loaded: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(file);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new TargetError(`Cannot load target module ${spec}: ${reason}`);
  }
  const exported = loaded as {
    createStore?: unknown;
    reusableDatabase?: unknown;
    default?: { createStore?: unknown; reusableDatabase?: unknown };
  };
  const factory = exported.createStore ?? exported.default?.createStore;
  if (typeof factory !== 'function') {
    throw new TargetError(
      `Target module ${spec} must export a function createStore(options) returning a store ` +
        `(see docs/TARGET.md); it exports: ${Object.keys(exported).join(', ') || 'nothing'}`,
    );
  }
  const reusable = exported.reusableDatabase ?? exported.default?.reusableDatabase;
  return { name: spec, createStore: factory as StoreFactory, reusableDatabase: reusable === true };
}
