// Reading the cells of «Отчёт секретаря», «Звонки» and «Счета» defensively: typed dates
// ('21.11.2026', '21.11.2026 14:30'), amounts ('1 200,50', '€1200'), stray spaces. A cell that cannot
// be read yields a Russian reason; the caller lists the row under «не удалось разобрать».
import { formatRuDate, fromUtcDay, localDateTimeToDate, toLocalDate, zoneOffsetMs, type LocalDate } from '../dates';
import { cellText, isBlank, parseNumberText, readDateCell, roundCents } from '../analytics/cells';
import { headerKey, isDate } from '../text';
import { rmsg } from './messages';
import type { CellValue } from './types';

export { isBlank, roundCents };

/** Longest user text kept from one cell: a pasted essay must not blow the email size. */
export const MAX_TEXT = 160;

/** Cuts a long string to MAX_TEXT characters. */
export function clip(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

/** Whitespace other than single plain spaces: what collapsing would change. */
const ODD_SPACE = /[^\S ]| {2}/;
const SPACE_RUN = /\s+/g;

/** A text cell, trimmed, inner whitespace collapsed, cut to MAX_TEXT; a date cell reads as its date. */
export function readText(value: CellValue | null | undefined, tz: string): string {
  // Most cells are short plain text: trimmed, it is the answer (clipping and collapsing change nothing).
  if (typeof value === 'string') {
    const text = value.trim();
    if (text.length <= MAX_TEXT && !hasOddSpace(text)) return text;
  }
  let text: string;
  if (typeof value === 'object' && value !== null && isDate(value)) text = formatRuDate(toDay(value, tz));
  else if (value === false) text = '';
  else text = cellText(value);
  // Cut before collapsing spaces: a pasted essay costs no more than a short note.
  let cut = text.length > MAX_TEXT * 2 ? text.slice(0, MAX_TEXT * 2) : text;
  // Collapsing only when it changes something (a run of spaces, a tab, a newline…): most cells have none.
  if (ODD_SPACE.test(cut)) cut = cut.replace(SPACE_RUN, ' ');
  return clip(cut.trim());
}

const toDay = (value: Date, tz: string): LocalDate => toLocalDate(value, tz);

/** ODD_SPACE.test by a char loop: cheaper than a regex call on the short cells of a log. */
function hasOddSpace(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (text.charCodeAt(i + 1) === 32) return true;
    } else if (c < 32 ? c >= 9 && c <= 13 : c >= 0xa0 && isWideSpace(c)) return true;
  }
  return false;
}

/** The white space of RegExp \s above U+009F. */
function isWideSpace(c: number): boolean {
  return c === 0xa0 || (c >= 0x1680 && (c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029
    || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

const TIME_SUFFIX = /^(.*?\d)[\sT,]+(\d{1,2})[:.](\d{2})(?:[:.]\d{2})?$/;

/** A date column: null when blank. */
export function readDay(value: CellValue | null | undefined, column: string, today: LocalDate, tz: string): Read<LocalDate | null> {
  const cell = readDateCell(value, { column, acceptMarks: false, today, tz });
  if (cell.kind === 'empty') return { ok: true, value: null };
  if (cell.kind === 'date') return { ok: true, value: cell.date };
  // '21.11.2026 14:30' typed into a date column: the day is what counts.
  if (typeof value === 'string') {
    const m = TIME_SUFFIX.exec(value.trim());
    if (m) {
      const day = readDateCell(m[1], { column, acceptMarks: false, today, tz });
      if (day.kind === 'date') return { ok: true, value: day.date };
    }
  }
  return { ok: false, reason: cell.problem };
}

export interface Moment {
  date: LocalDate;
  /** Sortable instant (ms); a date without a time sorts at its midnight. */
  ms: number;
  /** 'ЧЧ:ММ', or '' when the cell had no time. */
  time: string;
}

/** «Дата и время»: a Date with time, or text '21.11.2026 14:30' / '21.11.2026'. */
export function readMoment(value: CellValue | null | undefined, column: string, today: LocalDate, tz: string): Read<Moment | null> {
  if (isBlank(value)) return { ok: true, value: null };
  if (typeof value === 'object' && isDate(value)) {
    const ms = value.getTime();
    return { ok: true, value: { date: instantDate(ms, tz), ms, time: instantTime(ms, tz) } };
  }
  if (typeof value === 'string') {
    const m = TIME_SUFFIX.exec(value.trim());
    if (m) {
      const hour = Number(m[2]);
      const minute = Number(m[3]);
      const day = readDateCell(m[1], { column, acceptMarks: false, today, tz });
      if (day.kind === 'date' && hour < 24 && minute < 60) {
        return { ok: true, value: { date: day.date, ms: localDateTimeToDate(day.date, tz, hour, minute).getTime(), time: `${pad(hour)}:${pad(minute)}` } };
      }
    }
  }
  const day = readDay(value, column, today, tz);
  if (!day.ok) return day;
  if (day.value === null) return { ok: true, value: null };
  return { ok: true, value: { date: day.value, ms: localDateTimeToDate(day.value, tz).getTime(), time: '' } };
}

const pad = (n: number) => String(n).padStart(2, '0');
const DAY_MS = 86_400_000;

// zonedParts by arithmetic on the wall-clock time value; the day's date and the 'ЧЧ:ММ' text are
// cached (a log repeats its days and minutes), so no Date, parts object or string is built per row.

/** The date of a Date cell's instant in `tz` (readMoment's `date`). */
export function instantDate(ms: number, tz: string): LocalDate {
  return wallDate(Math.floor((ms + zoneOffsetMs(ms, tz)) / DAY_MS));
}

/** The 'ЧЧ:ММ' of a Date cell's instant in `tz`, '' at midnight (readMoment's `time`). */
export function instantTime(ms: number, tz: string): string {
  const wall = ms + zoneOffsetMs(ms, tz);
  const minuteOfDay = Math.floor((wall - Math.floor(wall / DAY_MS) * DAY_MS) / 60_000);
  return minuteOfDay === 0 ? '' : clockText(minuteOfDay);
}

/** 'ЧЧ:ММ' by minute of the day, built once each. */
const clockTexts: string[] = [];
function clockText(minuteOfDay: number): string {
  let text = clockTexts[minuteOfDay];
  if (text === undefined) {
    for (let m = clockTexts.length; m <= minuteOfDay; m++) clockTexts.push(`${pad(Math.floor(m / 60))}:${pad(m % 60)}`);
    text = clockTexts[minuteOfDay];
  }
  return text;
}

/** The LocalDate of a wall-clock day number (days since 1970-01-01), memoised. */
let wallDates = new Map<number, LocalDate>();
function wallDate(day: number): LocalDate {
  let date = wallDates.get(day);
  if (date === undefined) {
    date = fromUtcDay(day);
    if (wallDates.size >= 100_000) wallDates = new Map();
    wallDates.set(day, date);
  }
  return date;
}

/** A count of calls or requests: a whole number ≥ 0; blank reads as 0. */
export function readCount(value: CellValue | null | undefined, column: string): Read<number> {
  if (isBlank(value)) return { ok: true, value: 0 };
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumberText(value) : null;
  if (n === null || !Number.isFinite(n) || n < 0 || !Number.isInteger(n)) {
    return { ok: false, reason: rmsg.notACount(column, value) };
  }
  return { ok: true, value: n };
}

/** A money cell: a number ≥ 0 rounded to cents; null when blank. */
export function readMoney(value: CellValue | null | undefined, column: string): Read<number | null> {
  if (isBlank(value)) return { ok: true, value: null };
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumberText(value) : null;
  if (n === null || !Number.isFinite(n) || n < 0) return { ok: false, reason: rmsg.notAnAmount(column, value) };
  return { ok: true, value: roundCents(n) };
}

const YES_WORDS = new Set(['да', 'yes', 'true', '1', '+', 'новый', 'новая']);

/** «Новый клиент»: Да / TRUE / yes … */
export function readYes(value: CellValue | null | undefined): boolean {
  // The two answers a log holds on almost every row, without a lower-cased copy each.
  if (value === 'Да') return true;
  if (value === 'Нет') return false;
  if (value === true) return true;
  if (typeof value === 'number') return value === 1;
  return typeof value === 'string' && YES_WORDS.has(value.trim().toLowerCase());
}

let nameKeys = new Map<string, string>();

/** Key for comparing names typed by people: case, ё/е and spacing do not matter. Memoised: names repeat. */
export function nameKey(text: string): string {
  let key = nameKeys.get(text);
  if (key === undefined) {
    key = headerKey(text);
    if (nameKeys.size >= 20_000) nameKeys = new Map();
    nameKeys.set(text, key);
  }
  return key;
}

/**
 * Keeps one display spelling per name key; the first spelling registered wins, so registering the
 * «Справочники» list first makes its spelling the one shown.
 */
export class NameBook {
  private readonly shown = new Map<string, string>();
  add(name: string): string {
    const key = nameKey(name);
    if (!key) return '';
    const hit = this.shown.get(key);
    if (hit !== undefined) return key;
    this.shown.set(key, clip(name.trim().replace(/\s+/g, ' ')));
    return key;
  }
  display(key: string): string {
    return this.shown.get(key) ?? key;
  }
  has(key: string): boolean {
    return this.shown.has(key);
  }
}
