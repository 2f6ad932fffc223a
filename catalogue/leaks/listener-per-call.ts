/**
 * Planted listener leak: getEpic memoizes the epic it read and subscribes a listener to the
 * store's write events to forget it on the next write, but never unsubscribes, and the
 * "possible EventEmitter memory leak" warning was silenced. Every call adds a listener whose
 * closure keeps its memo alive: the emitter's listener list grows without bound.
 */
import { EventEmitter } from 'node:events';
import { SqliteTracker, type Epic } from '../../src/tracker';
import type { Session } from '../../src/tracker/session';
import { trackerOptions, type StoreFactory } from '../../src/target/store-factory';

/** What a read remembers until the next write: the request, when it was made, the answer. */
class EpicMemo {
  epic: Epic | undefined;
  constructor(
    readonly id: number,
    readonly requestedAt: Date,
  ) {}
  forget(): void {
    this.epic = undefined;
  }
}

export class ListenerPerCallTracker extends SqliteTracker {
  private readonly writes = new EventEmitter().setMaxListeners(0);

  override async getEpic(id: number): Promise<Epic> {
    const memo = new EpicMemo(id, new Date());
    // BUG: `on` with no matching `off`: one more listener per call, each holding its memo.
    this.writes.on('write', () => memo.forget());
    memo.epic = await super.getEpic(id);
    return memo.epic;
  }

  protected override write<T>(work: (s: Session) => Promise<T>): Promise<T> {
    return super.write(work).finally(() => this.writes.emit('write'));
  }
}

export const createStore: StoreFactory = (options) =>
  new ListenerPerCallTracker(trackerOptions(options));
