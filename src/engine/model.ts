import { deepEqual } from './deep-equal';
import type { Operation } from './history';

/** A sequential specification: pure, deterministic. */
export interface Model<State, Input, Output> {
  init(): State;
  /** Applies input to state; returns the output the spec gives and the next state. Must not mutate `state`. */
  step(state: State, input: Input): { output: Output; state: State };
  /** Whether an observed output matches the spec's output. Default: structural deep equality (`deepEqual`). */
  equalOutput?(expected: Output, observed: Output): boolean;
  /**
   * Whether `input` leaves every state unchanged (a read). Optional; when given, the checker
   * commits a matching read as soon as it is a candidate instead of branching on where to put
   * it: moving a read earlier, to a point where it matches, never breaks a linearization. It must
   * hold in every state, not just some: a write that happens to change nothing here is no read.
   */
  readOnly?(input: Input): boolean;
  /**
   * A string key identifying a state, used to memoize (state, set-of-linearized-ops) pairs.
   * Distinct states must get distinct keys; equal states should share one (else memoization is
   * weaker, never wrong). Default: `stableKey`, a JSON-like encoding with sorted object keys.
   * Maps and Sets are encoded in insertion order, so two equal Maps built in different orders
   * get different keys: give such models a custom key (e.g. over sorted entries).
   */
  stateKey?(state: State): string;
  /**
   * Optional P-compositionality: split a history into independent sub-histories (e.g. by key).
   * Each partition is checked on its own; the history is linearizable iff every partition is.
   * Every operation must appear in exactly one partition.
   */
  partition?(
    ops: readonly Operation<Input, Output>[],
  ): readonly (readonly Operation<Input, Output>[])[];
  describeInput?(input: Input): string;
  describeOutput?(output: Output): string;
}

/** Deterministic encoding of a value: object keys sorted, Maps/Sets in insertion order. */
export function stableKey(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'object':
      return objectKey(value);
    default:
      throw new TypeError(`stableKey: cannot key a ${typeof value}; give the model a stateKey`);
  }
}

function objectKey(value: object): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(',')}]`;
  if (value instanceof Map) {
    const entries = [...value].map(([k, v]) => `${stableKey(k)}=>${stableKey(v)}`);
    return `Map{${entries.join(',')}}`;
  }
  if (value instanceof Set) return `Set{${[...value].map(stableKey).join(',')}}`;
  if (value instanceof Date) return `Date(${value.getTime()})`;
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${stableKey(record[k])}`);
  return `{${fields.join(',')}}`;
}

/** The model's output comparison, or `deepEqual`. */
export function outputEquality<S, I, O>(
  model: Model<S, I, O>,
): (expected: O, observed: O) => boolean {
  const custom = model.equalOutput;
  return custom ? (expected, observed) => custom.call(model, expected, observed) : deepEqual;
}

/** The model's state key, or `stableKey`. */
export function stateKeyer<S, I, O>(model: Model<S, I, O>): (state: S) => string {
  const custom = model.stateKey;
  return custom ? (state) => custom.call(model, state) : stableKey;
}

export { deepEqual };
