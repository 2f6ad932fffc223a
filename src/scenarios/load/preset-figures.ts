/** Figures both kinds of preset report alike: the seed suite's own pass condition, rounding. */
import type { PresetReport } from './preset-run-types';
import type { SeedCondition } from './presets';

/** Whether the seed suite's own pass condition would have passed on these figures. */
export function seedVerdict(
  condition: SeedCondition,
  figures: {
    operations: number;
    operationsPerSecond: number;
    errorRate: number;
    memoryGrowthMb?: number;
  },
): PresetReport['seedCondition'] {
  const passed =
    (condition.maxErrorRate === undefined || figures.errorRate < condition.maxErrorRate) &&
    (condition.minOperationsPerSecond === undefined ||
      figures.operationsPerSecond > condition.minOperationsPerSecond) &&
    (condition.minOperations === undefined || figures.operations > condition.minOperations) &&
    (condition.maxMemoryGrowthMb === undefined ||
      (figures.memoryGrowthMb ?? Infinity) < condition.maxMemoryGrowthMb);
  return { text: condition.text, passed };
}

export function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
