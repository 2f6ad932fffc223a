/** Flag parsers: each rejects a bad value with a message that says what was expected. */
import { InvalidArgumentError } from 'commander';

export function positiveInteger(name: string) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw) || Number(raw) < 1 || !Number.isSafeInteger(Number(raw))) {
      throw new InvalidArgumentError(`${name} must be a positive integer, got "${raw}".`);
    }
    return Number(raw);
  };
}

export function seedFlag(raw: string): number {
  if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(Number(raw))) {
    throw new InvalidArgumentError(`--seed must be an integer, got "${raw}".`);
  }
  return Number(raw) | 0;
}

export function pathFlag(raw: string): string {
  if (!/^\d+(:\d+)*$/.test(raw)) {
    throw new InvalidArgumentError(
      `--path must look like "3:0:1" (as printed by a failure), got "${raw}".`,
    );
  }
  return raw;
}

/** A decimal number of seconds, above 0 and at most an hour. */
export function positiveNumber(name: string) {
  return (raw: string): number => {
    if (!/^\d+(\.\d+)?$/.test(raw) || !(Number(raw) > 0) || Number(raw) > 3600) {
      throw new InvalidArgumentError(`${name} must be a positive number up to 3600, got "${raw}".`);
    }
    return Number(raw);
  };
}

/** A whole percentage, 0 to 100 (`--write-percent`). */
export function percentFlag(raw: string): number {
  if (!/^\d+$/.test(raw) || Number(raw) > 100) {
    throw new InvalidArgumentError(
      `--write-percent must be a whole number from 0 to 100, got "${raw}".`,
    );
  }
  return Number(raw);
}
