// Calendar maths in an explicit time zone. A LocalDate is 'YYYY-MM-DD' in that zone (Moscow for
// this product): comparable as a string and free of the machine's zone.

export type LocalDate = string;
export const MOSCOW = 'Europe/Moscow';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
/** Per zone: offset by hour number since the epoch (a number key: no string built per lookup). */
const offsetCaches = new Map<string, Map<number, number>>();

function formatterFor(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

// Moscow has kept UTC+3 without summer time since 2014-10-26 02:00 local time (22:00 UTC the day
// before). Inside that window the offset is plain arithmetic, which spares the Intl lookup (and the
// per-hour cache) on every date of a 100,000-row sheet. Older instants, and later ones if this runtime's
// zone data says otherwise, take the Intl path.
const MOSCOW_FIXED_FROM = Date.UTC(2014, 9, 25, 22);
const MOSCOW_FIXED_TO = Date.UTC(2041, 0, 1);
const MOSCOW_OFFSET = 3 * HOUR_MS;
/** Days of the window, by day number from its first Moscow day (2014-10-26). */
export const MOSCOW_FIXED_DAYS = Math.ceil((MOSCOW_FIXED_TO - MOSCOW_FIXED_FROM) / DAY_MS) + 1;
/** Whole day number (an integer index: a fraction would make the array lookups named-property lookups). */
const MOSCOW_FIRST_DAY = Math.floor((MOSCOW_FIXED_FROM + MOSCOW_OFFSET) / DAY_MS);
let moscowFixed: boolean | undefined;

/** Whether this runtime's zone data agrees that Moscow is UTC+3 all through the window (checked once). */
function moscowIsFixed(): boolean {
  if (moscowFixed === undefined) {
    // Twice a year: summer time or a new standard offset would show within six months.
    moscowFixed = true;
    for (let y = 2015; y <= 2040 && moscowFixed; y++) {
      for (const m of [0, 6]) if (intlOffsetMs(Date.UTC(y, m, 15), MOSCOW) !== MOSCOW_OFFSET) moscowFixed = false;
    }
    if (intlOffsetMs(MOSCOW_FIXED_FROM, MOSCOW) !== MOSCOW_OFFSET) moscowFixed = false;
  }
  return moscowFixed;
}

/**
 * For a Moscow instant inside the fixed-offset window: the index of its Moscow calendar day in the window
 * (0 = 2014-10-26). -1 otherwise (another zone, an older or a far later instant): use the general path.
 */
export function moscowDayIndex(ms: number, tz: string): number {
  if (tz !== MOSCOW || !(ms >= MOSCOW_FIXED_FROM && ms < MOSCOW_FIXED_TO) || !moscowIsFixed()) return -1;
  return Math.floor((ms + MOSCOW_OFFSET) / DAY_MS) - MOSCOW_FIRST_DAY;
}

/** The offset as Intl reports it (whole seconds, as Intl formats them). */
function intlOffsetMs(ms: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatterFor(tz).formatToParts(new Date(Math.floor(ms / 1000) * 1000))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const asUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Offset of `tz` from UTC at `ms`, in ms. Cached per hour: offsets only change on the hour. */
export function zoneOffsetMs(ms: number, tz: string): number {
  if (moscowDayIndex(ms, tz) >= 0) return MOSCOW_OFFSET;
  let offsetCache = offsetCaches.get(tz);
  if (offsetCache === undefined) offsetCaches.set(tz, (offsetCache = new Map()));
  const key = Math.floor(ms / HOUR_MS);
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const offset = intlOffsetMs(ms, tz);
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

export interface ZonedParts { year: number; month: number; day: number; hour: number; minute: number; second: number; weekday: number }

/** Wall-clock parts of an instant in `tz`; weekday 0 = Sunday. */
export function zonedParts(instant: Date | number, tz: string): ZonedParts {
  const ms = typeof instant === 'number' ? instant : instant.getTime();
  const shifted = new Date(ms + zoneOffsetMs(ms, tz));
  return {
    year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate(),
    hour: shifted.getUTCHours(), minute: shifted.getUTCMinutes(), second: shifted.getUTCSeconds(),
    weekday: shifted.getUTCDay(),
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

export function makeLocalDate(year: number, month: number, day: number): LocalDate {
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** The calendar date of an instant in `tz`. */
export function toLocalDate(instant: Date | number, tz: string): LocalDate {
  const p = zonedParts(instant, tz);
  return makeLocalDate(p.year, p.month, p.day);
}

/** The instant of wall-clock `time` on `date` in `tz` (midnight by default). */
export function localDateTimeToDate(date: LocalDate, tz: string, hour = 0, minute = 0): Date {
  const [y, m, d] = date.split('-').map(Number);
  const guess = Date.UTC(y, m - 1, d, hour, minute);
  // Two passes settle the offset even next to a DST change.
  let ms = guess - zoneOffsetMs(guess, tz);
  ms = guess - zoneOffsetMs(ms, tz);
  return new Date(ms);
}

export function localDateToDate(date: LocalDate, tz: string): Date {
  return localDateTimeToDate(date, tz);
}

/** Days since 1970-01-01 of a calendar date: how dates compare and count as numbers. */
export function toUtcDay(date: LocalDate): number {
  // 'YYYY-MM-DD' by construction (makeLocalDate): sliced, not split, as this runs for every date compared.
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** The calendar date of a day number (inverse of toUtcDay). */
export function fromUtcDay(day: number): LocalDate {
  const dt = new Date(day * DAY_MS);
  return makeLocalDate(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate());
}

export function isValidLocalDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1 || year < 1900 || year > 2200) return false;
  const dt = new Date(Date.UTC(year, month - 1, day));
  return dt.getUTCMonth() === month - 1 && dt.getUTCDate() === day;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return fromUtcDay(toUtcDay(date) + days);
}

/** Whole calendar days from `a` to `b` (positive when b is later). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return toUtcDay(b) - toUtcDay(a);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(toUtcDay(date) * DAY_MS).getUTCDay();
}

export function isWorkingDay(date: LocalDate): boolean {
  const w = weekdayOf(date);
  return w !== 0 && w !== 6;
}

/** `date` plus `n` working days (Mon–Fri); a weekend start counts from the next Monday. */
export function addWorkingDays(date: LocalDate, n: number): LocalDate {
  let d = date;
  let left = n;
  while (left > 0) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) left--;
  }
  return d;
}

/** Working days (Mon–Fri) after `a` up to and including `b`. */
export function workingDaysBetween(a: LocalDate, b: LocalDate): number {
  const total = daysBetween(a, b);
  if (total <= 0) return 0;
  const weeks = Math.floor(total / 7);
  let count = weeks * 5;
  let d = addDays(a, weeks * 7);
  for (let i = weeks * 7; i < total; i++) {
    d = addDays(d, 1);
    if (isWorkingDay(d)) count++;
  }
  return count;
}

export function formatRuDate(date: LocalDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

export function formatRuDateTime(instant: Date | number, tz: string): string {
  const p = zonedParts(instant, tz);
  return `${pad(p.day)}.${pad(p.month)}.${p.year} ${pad(p.hour)}:${pad(p.minute)}`;
}

export function startOfMonth(date: LocalDate): LocalDate {
  return `${date.slice(0, 7)}-01`;
}

export function addMonths(date: LocalDate, months: number): LocalDate {
  const [y, m, d] = date.split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return makeLocalDate(ny, nm, Math.min(d, last));
}
