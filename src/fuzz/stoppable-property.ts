/**
 * A property whose remaining cases pass at once after `shouldStop()` turns true, so a batch ends
 * within one case of a stop request (fast-check's own time limit is fixed when the run starts).
 * A shrink in progress then ends too, at the smallest failing case found so far.
 */
import type fc from 'fast-check';

export function stoppable<Ts>(
  property: fc.IAsyncPropertyWithHooks<Ts>,
  shouldStop: () => boolean,
): fc.IAsyncPropertyWithHooks<Ts> {
  return new Proxy(property, {
    get(target, key, receiver) {
      if (key === 'run') {
        return async (value: Ts) => {
          // Cases may run on microtasks alone; yielding lets signals, timers and progress run.
          await new Promise<void>((resolve) => setImmediate(resolve));
          return shouldStop() ? null : target.run(value);
        };
      }
      const member: unknown = Reflect.get(target, key, receiver);
      return typeof member === 'function' ? member.bind(target) : member;
    },
  });
}

/**
 * A stop condition that lets exactly one case run. A replay needs it: when the case at a path
 * passes, fast-check goes on through the rest of the shrink stream (hundreds of cases).
 */
export function afterFirstCase(): () => boolean {
  let ran = false;
  return () => {
    if (ran) return true;
    ran = true;
    return false;
  };
}
