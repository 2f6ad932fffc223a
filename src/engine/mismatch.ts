/** Thrown when the system under test disagrees with the model: says where, and how. */
import { diffValues } from './diff';

export interface TraceStep {
  readonly call: string;
  readonly outcome: string;
}

export class ModelMismatchError extends Error {
  override readonly name = 'ModelMismatchError';

  constructor(
    readonly trace: readonly TraceStep[],
    readonly call: string,
    readonly expected: unknown,
    readonly observed: unknown,
    describe: (value: unknown) => string,
  ) {
    super(
      [
        `The store disagrees with the model at step ${trace.length + 1}:`,
        ...trace.map((step, index) => `  ${index + 1}. ${step.call}  -> ${step.outcome}`),
        `> ${trace.length + 1}. ${call}`,
        `     expected: ${describe(expected)}`,
        `     observed: ${describe(observed)}`,
        ...diffValues(expected, observed).map((line) => `     differs at ${line}`),
      ].join('\n'),
    );
  }
}

/** A failed end-of-case check (final state, invariants, integrity). */
export class FinalCheckError extends Error {
  override readonly name = 'FinalCheckError';

  constructor(
    readonly trace: readonly TraceStep[],
    readonly problems: readonly string[],
  ) {
    super(
      [
        'The calls all matched the model, but the end-of-case checks failed:',
        ...trace.map((step, index) => `  ${index + 1}. ${step.call}  -> ${step.outcome}`),
        ...problems.map((problem) => `  ! ${problem}`),
      ].join('\n'),
    );
  }
}
