/**
 * The catalogue of planted bugs: variants of the tracker, each with one realistic concurrency
 * (or counting) bug, for measuring how well the engines catch them.
 *
 * `shortestCase` counts the calls of the shortest case that shows the bug: the sequential setup
 * calls (createClient, createEpicWithTasks, startTask...) plus the concurrent calls, each call
 * once, whichever worker makes it. The end-of-case check of the final contents is not a call.
 * Cases are counted within what the generators produce (models/arbitraries.ts: at most 3 tasks
 * per createEpicWithTasks), so an engine's shrunk case can reach the figure.
 */
import type { StoreFactory } from '../src/target/store-factory';
import { createStore as analyticsRounding } from './analytics-rounding';
import { createStore as deferredUpgrade } from './deferred-upgrade';
import { createStore as doubleTransition } from './double-transition';
import { createStore as lostUpdatePoints } from './lost-update-points';
import { createStore as maxIdPlusOne } from './max-id-plus-one';
import { createStore as noPointsOnComplete } from './no-points-on-complete';
import { createStore as phantomPage } from './phantom-page';
import { createStore as sharedConnection } from './shared-connection';
import { createStore as splitEpicWithTasks } from './split-epic-with-tasks';
import { createStore as staleReadCache } from './stale-read-cache';

export interface CatalogueEntry {
  /** The module's file name under catalogue/, without extension. */
  readonly name: string;
  /** The bug in one line. */
  readonly bug: string;
  /**
   * sequential: one store, one call at a time, shows it. interleaved: needs calls of several
   * workers (own store each, same file) interleaved. parallel-only: needs concurrent calls on
   * ONE store instance, which the interleaving engine (one instance per worker) never makes.
   */
  readonly shows: 'sequential' | 'interleaved' | 'parallel-only';
  readonly createStore: StoreFactory;
  /** Calls in the shortest case that shows the bug (see the counting rule above). */
  readonly shortestCase: number;
}

export const CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'no-points-on-complete',
    bug: "completeTask never adds the task's story points to the epic's pointsEarned",
    shows: 'sequential',
    createStore: noPointsOnComplete,
    // createClient, createEpicWithTasks, startTask, completeTask (the final check sees it).
    shortestCase: 4,
  },
  {
    name: 'analytics-rounding',
    bug: 'getEpicAnalytics truncates progressPercentage (Math.floor) instead of rounding it',
    shows: 'sequential',
    createStore: analyticsRounding,
    // createClient, createEpicWithTasks (3 tasks), startTask x2, completeTask x2,
    // getEpicAnalytics: 2/3 gives 66.6, not 66.7. (1 of 6 tasks would take 5 calls, but a
    // generated createEpicWithTasks has at most 3 tasks.)
    shortestCase: 7,
  },
  {
    name: 'lost-update-points',
    bug: 'completeTask reads pointsEarned outside its write transaction and writes back read + points',
    shows: 'interleaved',
    createStore: lostUpdatePoints,
    // createClient, createEpicWithTasks (2 tasks), startTask x2; then completeTask of each task
    // on two workers (the final check sees the lost points).
    shortestCase: 6,
  },
  {
    name: 'split-epic-with-tasks',
    bug: 'createEpicWithTasks commits the epic and each task in separate transactions',
    shows: 'interleaved',
    createStore: splitEpicWithTasks,
    // createClient; then createEpicWithTasks (1 task) on one worker and getEpicAnalytics or
    // listTasks on another, between the epic's commit and the task's (getEpic alone cannot tell).
    shortestCase: 3,
  },
  {
    name: 'max-id-plus-one',
    bug: 'createClient computes the new id as MAX(id)+1 before its write transaction and inserts it explicitly',
    shows: 'interleaved',
    createStore: maxIdPlusOne,
    // Two createClient calls with different keys on two workers: one fails with DUPLICATE_KEY.
    shortestCase: 2,
  },
  {
    name: 'deferred-upgrade',
    bug: 'completeTask reads in BEGIN DEFERRED and on SQLITE_BUSY_SNAPSHOT replays only its writes with the stale values',
    shows: 'interleaved',
    createStore: deferredUpgrade,
    // createClient, createEpicWithTasks (1 task), startTask; then completeTask of that task on
    // two workers: the replayed write completes it a second time, and both calls succeed.
    // (With two tasks, 6 calls, the same interleaving loses one task's points instead.)
    shortestCase: 5,
  },
  {
    name: 'stale-read-cache',
    bug: "getEpic/getEpicAnalytics cache per instance and only this instance's writes invalidate it",
    shows: 'interleaved',
    createStore: staleReadCache,
    // createClient, createEpic; then getEpicAnalytics on worker A, createTask of that epic on
    // worker B, getEpicAnalytics on worker A again (still 0 tasks).
    shortestCase: 5,
  },
  {
    name: 'double-transition',
    bug: 'completeTask checks the status in one read and completes in a later write without re-checking',
    shows: 'interleaved',
    createStore: doubleTransition,
    // createClient, createEpicWithTasks (1 task), startTask; then completeTask of that task on
    // two workers: both succeed, points added twice.
    shortestCase: 5,
  },
  {
    name: 'phantom-page',
    bug: 'list calls count and read the page in two autocommit statements, not one read transaction',
    shows: 'interleaved',
    createStore: phantomPage,
    // createClient; then listClients on one worker and createClient on another: the page
    // holds 2 clients with total 1.
    shortestCase: 3,
  },
  {
    name: 'shared-connection',
    bug: "one connection for all calls; a write joins another call's open transaction and dies with its rollback",
    shows: 'parallel-only',
    createStore: sharedConnection,
    // Two concurrent calls on one empty store: startTask(1) (NOT_FOUND, rolls back) and
    // createClient, which joins its transaction, returns client 1, and then vanishes.
    shortestCase: 2,
  },
];
