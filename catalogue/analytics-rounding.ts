/**
 * Planted bug: getEpicAnalytics formats progressPercentage by truncating to one decimal
 * (`Math.floor(percent * 10) / 10`) instead of rounding half away from zero, in floating point:
 * 2 of 3 tasks completed reports 66.6 instead of 66.7 (and 29 of 100 reports 28.9).
 *
 * Sequentially visible: any analytics read of an epic whose completed share is not a whole
 * tenth of a percent, e.g. after two of its three tasks are completed.
 */
import { SqliteTracker, type EpicAnalytics } from '../src/tracker';
import type { AnalyticsRow } from '../src/tracker/sqlite-tracker';
import { trackerOptions, type StoreFactory } from '../src/target/store-factory';

export class AnalyticsRoundingTracker extends SqliteTracker {
  protected override analyticsFrom(row: AnalyticsRow): EpicAnalytics {
    const percent = row.totalTasks === 0 ? 0 : (row.completed / row.totalTasks) * 100;
    // BUG: Math.floor truncates; the contract rounds half away from zero (in integers).
    return { ...super.analyticsFrom(row), progressPercentage: Math.floor(percent * 10) / 10 };
  }
}

export const createStore: StoreFactory = (options) =>
  new AnalyticsRoundingTracker(trackerOptions(options));
