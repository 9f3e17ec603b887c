// Calendar dates as day numbers (days since 1970-01-01) for the funnel's row loops: a number compares
// and stores without building a 'YYYY-MM-DD' string per cell. Converted back to a LocalDate only for output.
import { fromUtcDay, moscowDayIndex, toUtcDay, zoneOffsetMs, type LocalDate } from '../dates';

/** Days since 1970-01-01 of a calendar date (in the zone it was read in). */
export type Day = number;

/** No date (an empty or unreadable cell): below every day, so `day > newest` needs no null check. */
export const NO_DAY: Day = -Infinity;

const DAY_MS = 86_400_000;

/** The day of a 'YYYY-MM-DD' LocalDate, counted as dates.ts's daysBetween counts it. */
export const dayOfLocal: (date: LocalDate) => Day = toUtcDay;

/** The LocalDate of a day (inverse of dayOfLocal). */
export const localOfDay: (day: Day) => LocalDate = fromUtcDay;

/** The calendar day in `tz` of an instant: toLocalDate's arithmetic (same offset), without the string. */
export function dayOfInstant(ms: number, tz: string): Day {
  return dayOfShifted(ms + zoneOffsetMs(ms, tz));
}

/** The day of an instant already shifted by its zone's offset. */
export function dayOfShifted(localMs: number): Day {
  return Math.floor(localMs / DAY_MS);
}

/** Instants [from, to) over which a zone keeps one UTC offset: a Date's day there needs no offset lookup. */
export interface FixedOffsetSpan {
  from: number;
  to: number;
  offset: number;
}

/**
 * Moscow's fixed UTC+3 since 2014 (where moscowDayIndex answers); an empty span for other zones, or when
 * this runtime's zone data disagrees. moscowDayIndex answers on one unbroken span of instants, so an
 * answer at both ends of this one holds all through it.
 */
export function fixedOffsetSpan(tz: string): FixedOffsetSpan {
  const from = Date.UTC(2014, 9, 25, 22);
  const to = Date.UTC(2041, 0, 1);
  if (moscowDayIndex(from, tz) < 0 || moscowDayIndex(to - 1, tz) < 0) return { from: 0, to: 0, offset: 0 };
  return { from, to, offset: zoneOffsetMs(from, tz) };
}
