/** Durations on the command line: `90s`, `2m`, `8h`, `1h30m`, or bare seconds. */
import { InvalidArgumentError } from 'commander';

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const MAX_MS = 30 * 24 * 3_600_000; // a month: far beyond any overnight run, below timer limits

export function parseDurationMs(raw: string): number | undefined {
  const text = raw.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1_000;
  if (!/^(\d+(ms|s|m|h))+$/.test(text)) return undefined;
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ms|s|m|h)/g)) {
    total += Number(amount) * (UNIT_MS[unit as string] ?? NaN);
  }
  return Number.isFinite(total) ? total : undefined;
}

/** A commander parser for a duration flag. */
export function durationFlag(name: string) {
  return (raw: string): number => {
    const ms = parseDurationMs(raw);
    if (ms === undefined || ms < 1 || ms > MAX_MS) {
      throw new InvalidArgumentError(
        `${name} must be a duration such as 90s, 2m, 8h or 1h30m (at most 30 days), got "${raw}".`,
      );
    }
    return ms;
  };
}

export function formatDurationMs(ms: number): string {
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, '0')}m`;
  if (m > 0) return `${m}m${String(sec).padStart(2, '0')}s`;
  return `${sec}s`;
}
