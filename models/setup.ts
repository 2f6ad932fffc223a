/**
 * A structured setup for concurrent cases: a client, up to two epics with a few tasks each,
 * some of them started. Random calls alone rarely build rows worth racing on (most cases would
 * race on an empty database); this builds them in a handful of calls, and shrinks towards fewer
 * epics, tasks and started tasks. Every call is an ordinary tracker call, printed as such.
 */
import fc from 'fast-check';
import type { OpBuilder } from './arbitraries';
import { resolveId } from './arbitraries';

const epicSetup = fc.record({
  storyPoints: fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 3 }),
  started: fc.nat({ max: 3 }),
  pointsValue: fc.integer({ min: 0, max: 50 }),
});

export const setupArbitrary: fc.Arbitrary<OpBuilder[]> = fc
  // No epic at all is allowed: races on clients need none, and the shrunk case is then shorter.
  .array(epicSetup, { maxLength: 2 })
  .map((epics) => {
    const calls: OpBuilder[] = [
      () => ({ kind: 'createClient', input: { clientKey: 'acme', name: 'Acme' } }),
    ];
    epics.forEach((epic, e) => {
      calls.push(() => ({
        kind: 'createEpicWithTasks',
        epic: {
          clientId: 1,
          epicKey: `E-${e + 1}`,
          title: `Epic ${e + 1}`,
          pointsValue: epic.pointsValue,
        },
        tasks: epic.storyPoints.map((storyPoints, t) => ({
          taskKey: `T-${t + 1}`,
          title: `Task ${t + 1}`,
          storyPoints,
        })),
      }));
    });
    // Start the first tasks of the last epic: the races happen on in-progress tasks.
    const started = Math.min(epics.at(-1)?.started ?? 0, epics.at(-1)?.storyPoints.length ?? 0);
    for (let i = 0; i < started; i += 1) {
      calls.push((state) => ({
        kind: 'startTask',
        taskId: resolveId({ entity: 'task', pick: 0, prefer: 'todo' }, state),
      }));
    }
    return calls;
  });
