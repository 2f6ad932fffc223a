import type { EpicStatus, TaskStatus, TddPhase } from '../types';
import { TDD_PHASES } from '../types';

/** The phase after `phase`, or undefined at the last one (review). */
export function nextPhase(phase: TddPhase): TddPhase | undefined {
  return TDD_PHASES[TDD_PHASES.indexOf(phase) + 1];
}

/**
 * An epic's status follows from its tasks: none started -> pending, all completed -> completed,
 * anything else -> in_progress. Stated once here: the model and the invariant checks use it.
 */
export function epicStatusFor(taskStatuses: Iterable<TaskStatus>): EpicStatus {
  let total = 0;
  let todo = 0;
  let completed = 0;
  for (const status of taskStatuses) {
    total += 1;
    if (status === 'todo') todo += 1;
    if (status === 'completed') completed += 1;
  }
  if (total === 0 || todo === total) return 'pending';
  return completed === total ? 'completed' : 'in_progress';
}

/** Rounds half away from zero to one decimal, the way the original reported percentages. */
export function roundToOneDecimal(value: number): number {
  return (Math.sign(value) * Math.round(Math.abs(value) * 10)) / 10;
}

/**
 * completed / total as a percentage to one decimal, rounding exact halves up. Computed in
 * integers first: (23 / 80) * 100 is 28.749999... in floating point and would round down.
 */
export function progressPercentage(completed: number, total: number): number {
  return total === 0 ? 0 : Math.round((completed * 1000) / total) / 10;
}
