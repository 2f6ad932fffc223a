/**
 * Which store a parallel worker opens. Functions cannot cross threads, so the main thread names
 * the store (the built-in tracker, a planted bug of the catalogue, or a user's module by path)
 * and every worker resolves the name itself.
 */
import path from 'node:path';
import { CATALOGUE } from '../../../catalogue';
import { SLOW_VARIANTS } from '../../../catalogue/slow';
import { loadTarget, TargetError } from '../../target/load-target';
import { defaultStoreFactory, type StoreFactory } from '../../target/store-factory';

export type TargetSpec =
  | { readonly kind: 'builtin' }
  | { readonly kind: 'catalogue'; readonly name: string }
  | { readonly kind: 'module'; readonly path: string };

/** Planted bugs by name: wrong results (the catalogue) and collapsing load (catalogue/slow). */
const PLANTED: readonly { readonly name: string; readonly createStore: StoreFactory }[] = [
  ...CATALOGUE,
  ...SLOW_VARIANTS,
];

/** `--target`: empty is the tracker, a planted bug's name is that variant, else a module. */
export function targetSpecOf(raw: string | undefined, cwd = process.cwd()): TargetSpec {
  if (raw === undefined || raw === '') return { kind: 'builtin' };
  if (PLANTED.some((bug) => bug.name === raw)) return { kind: 'catalogue', name: raw };
  const spec: TargetSpec = { kind: 'module', path: path.resolve(cwd, raw) };
  factoryOf(spec); // fail early, in the main thread, with a TargetError
  return spec;
}

export function factoryOf(spec: TargetSpec): StoreFactory {
  switch (spec.kind) {
    case 'builtin':
      return defaultStoreFactory;
    case 'catalogue': {
      const bug = PLANTED.find((entry) => entry.name === spec.name);
      if (bug === undefined) throw new TargetError(`No planted bug named ${spec.name}`);
      return bug.createStore;
    }
    case 'module':
      return loadTarget(spec.path).createStore;
  }
}

export function targetName(spec: TargetSpec): string {
  return spec.kind === 'builtin'
    ? 'tracker (built-in)'
    : spec.kind === 'catalogue'
      ? `catalogue/${spec.name}`
      : spec.path;
}
