/**
 * The duration code under the leak watcher: parsing and formatting over many iterations, each
 * with a text never seen before (so a cache keyed by text would have to grow), in both
 * languages, every style, and a share of invalid input (so the error path is measured too).
 * The seed's memory scenario done right: retained bytes per call, not the machine's memory.
 */
import { formatDuration, formatDurationRange, parseDuration } from '../duration';
import type { FormatStyle, Language } from '../duration';
import { watchForLeak, type LeakReport, type LeakWatchSettings } from '../engine/leak/watcher';

const TEXTS: readonly ((n: number) => string)[] = [
  (n) => `${n} days`,
  (n) => `${(n % 97) + 1} weeks and ${n % 7} days`,
  (n) => `${(n % 50) / 10 + 0.5} semanas`,
  (n) => `${(n % 11) + 1} meses, ${(n % 4) + 1} semanas e ${n % 30} dias`,
  (n) => `${(n % 23) + 1} hours`,
  (n) => `soon ${n}`, // invalid: the error path
];
const STYLES: readonly FormatStyle[] = ['standard', 'compact', 'verbose'];
const LANGUAGES: readonly Language[] = ['en', 'pt'];

/** Parses one text and formats the result: returns the calls made (parse, format, range). */
export function durationCalls(n: number): number {
  const text = (TEXTS[n % TEXTS.length] as (n: number) => string)(n);
  let days: number;
  try {
    days = parseDuration(text).days;
  } catch {
    return 1;
  }
  const options = {
    style: STYLES[n % STYLES.length] as FormatStyle,
    lang: LANGUAGES[n % LANGUAGES.length] as Language,
  };
  formatDuration(days, options);
  formatDurationRange(days, days + (n % 9), options);
  return 3;
}

export async function watchDurationCode(
  settings: LeakWatchSettings,
  operationsPerRound: number,
): Promise<LeakReport> {
  let n = 0;
  return watchForLeak(async () => {
    let calls = 0;
    while (calls < operationsPerRound) {
      calls += durationCalls(n);
      n += 1;
    }
    return calls;
  }, settings);
}
