/**
 * An epic's durationText in calendar days (one decimal). Parsed texts are cached because
 * analytics re-reads the same few texts constantly; the cache is bounded so it cannot grow
 * without limit on a long run with many distinct texts.
 */
import { parseDuration } from '../duration';
import { roundToOneDecimal } from './contract/rules';

const MAX_CACHED = 256;
const cache = new Map<string, number>();

export function durationDaysOf(text: string | null): number | null {
  if (text === null) return null;
  let days = cache.get(text);
  if (days === undefined) {
    days = roundToOneDecimal(parseDuration(text).days);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(text, days);
  }
  return days;
}
