export { DurationError } from './errors';
export type { DurationErrorCode } from './errors';
export { parseDuration, MAX_DURATION_TEXT_LENGTH } from './parse';
export type { DurationPart, DurationUnit, ParsedDuration } from './parse';
export {
  addBusinessDays,
  addCalendarDays,
  businessDaysBetween,
  calendarDaysBetween,
  endDate,
} from './calendar';
export type { EndDateMode } from './calendar';
export { formatDuration, formatDurationRange } from './format';
export type { FormatOptions, FormatStyle, Language } from './format';
