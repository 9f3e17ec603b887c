// Wall-clock maths in a named IANA zone, independent of the machine's TZ. Shared by Utilities.formatDate,
// clock-trigger scheduling and email Date headers.

export interface ZonedParts {
  year: number; month: number; day: number; hour: number; minute: number; second: number; ms: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  /** Offset from UTC in minutes (east positive), e.g. +180 for Moscow. */
  offsetMinutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Java/Apps Script also accept "GMT", "UTC", "GMT+3", "GMT+03:00"; Intl does not know the custom ones. */
function fixedOffset(zone: string): number | null {
  if (zone === 'GMT' || zone === 'UTC' || zone === 'Z') return 0;
  const m = /^(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(zone);
  if (!m) return null;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

function formatterFor(zone: string): Intl.DateTimeFormat | null {
  let f = formatters.get(zone);
  if (f) return f;
  try {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
  } catch {
    return null;
  }
  formatters.set(zone, f);
  return f;
}

/** True when the zone is one Apps Script would understand (IANA id or GMT±hh:mm). */
export function isKnownZone(zone: string): boolean {
  return fixedOffset(zone) !== null || formatterFor(zone) !== null;
}

/**
 * The wall-clock fields of an instant in a zone. An unknown zone falls back to GMT, as Java's
 * TimeZone.getTimeZone does (Apps Script is Java underneath).
 */
export function zonedParts(ms: number, zone: string): ZonedParts {
  const fixed = fixedOffset(zone);
  let offsetMinutes: number;
  if (fixed !== null) offsetMinutes = fixed;
  else {
    const f = formatterFor(zone);
    if (!f) offsetMinutes = 0;
    else {
      const secondFloor = Math.floor(ms / 1000) * 1000;
      const p: Record<string, number> = {};
      for (const part of f.formatToParts(new Date(secondFloor))) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour === 24 ? 0 : p.hour, p.minute, p.second);
      offsetMinutes = Math.round((asUtc - secondFloor) / 60000);
    }
  }
  const shifted = new Date(ms + offsetMinutes * 60000);
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
    ms: shifted.getUTCMilliseconds(), weekday: shifted.getUTCDay(), offsetMinutes,
  };
}

/** The instant at which the zone's wall clock shows the given fields (month 1-based). */
export function zonedToUtc(zone: string, year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  const naive = Date.UTC(year, month - 1, day, hour, minute, second, ms);
  // Two passes settle the offset also next to a DST switch.
  let guess = naive - zonedParts(naive, zone).offsetMinutes * 60000;
  guess = naive - zonedParts(guess, zone).offsetMinutes * 60000;
  return guess;
}
