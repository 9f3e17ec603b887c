// Reading cells the way a manager fills them: blanks, typed dates, stage marks, amounts, percents.
// Hot path for 100,000-row sweeps: regexes are compiled once here, and Date ↔ LocalDate conversions are
// cached per time value so the Intl-backed offset lookup runs once per distinct day, not once per cell.
import { addDays, isValidLocalDate, localDateToDate, makeLocalDate, moscowDayIndex, MOSCOW_FIXED_DAYS, toLocalDate, type LocalDate } from '../dates';
import { isDate } from '../text';
import { msg } from './messages';
import type { CellValue } from './types';

/** Empty for the rules: '', whitespace, FALSE (an unticked checkbox), or a missing column. */
export function isBlank(value: CellValue | null | undefined): boolean {
  if (value === '' || value === null || value === undefined || value === false) return true;
  return typeof value === 'string' && value.trim() === '';
}

/** A cell as trimmed text ('' for blanks); dates are not text and read as ''. */
export function cellText(value: CellValue | null | undefined): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return String(value);
  if (value === true) return 'TRUE';
  return '';
}

/** A text cell that starts with '=' is a formula pasted as text (e.g. `=IMPORTXML(...)`), not data. */
export function looksLikeFormula(value: CellValue | null | undefined): boolean {
  if (typeof value !== 'string' || value.length === 0) return false;
  const first = value.charCodeAt(0);
  if (first === 61 /* = */) return true;
  return first <= 32 && value.trimStart().startsWith('=');
}

/** Same value for a sheet write: dates compare by time value, not identity. */
export function sameCell(a: CellValue | null | undefined, b: CellValue | null | undefined): boolean {
  // typeof first: Object.prototype.toString (inside isDate) is the slow part of a whole-sheet pass.
  const aDate = typeof a === 'object' && isDate(a);
  const bDate = typeof b === 'object' && isDate(b);
  if (aDate || bDate) return aDate && bDate && (a as Date).getTime() === (b as Date).getTime();
  return (a ?? '') === (b ?? '');
}

// ---- Date ↔ LocalDate, cached ------------------------------------------------------------------

let cacheTz = '';
let localByMs = new Map<number, LocalDate>();
let msByLocal = new Map<LocalDate, number>();

function useZone(tz: string): void {
  if (tz === cacheTz && localByMs.size < 200_000 && msByLocal.size < 200_000) return;
  cacheTz = tz;
  localByMs = new Map();
  msByLocal = new Map();
}

/** The calendar date (in `tz`) of a Date cell. */
export function dateCellToLocal(value: Date, tz: string): LocalDate {
  useZone(tz);
  const ms = value.getTime();
  let local = localByMs.get(ms);
  if (local === undefined) {
    local = toLocalDate(ms, tz);
    localByMs.set(ms, local);
  }
  return local;
}

/** The time value of midnight of `date` in `tz` (what localToDateCell's Date holds). */
export function localDateMs(date: LocalDate, tz: string): number {
  useZone(tz);
  let ms = msByLocal.get(date);
  if (ms === undefined) {
    ms = localDateToDate(date, tz).getTime();
    msByLocal.set(date, ms);
  }
  return ms;
}

/** A fresh Date at midnight of `date` in `tz`, as Sheets stores a date cell. */
export function localToDateCell(date: LocalDate, tz: string): Date {
  return new Date(localDateMs(date, tz));
}

// ---- Typed dates -------------------------------------------------------------------------------

/** Marks that mean «reached this stage today». Compared after trim + lower-case. */
const STAGE_MARKS = new Set(['x', 'х', '+', 'v', '✓', '✔', 'да', '1', 'true', '✅', '☑', '√']);

const DAY_MONTH_YEAR = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4}|\d{2})$/;
const DAY_MONTH = /^(\d{1,2})[./](\d{1,2})\.?$/;
const ISO_DATE = /^(\d{4})-(\d{1,2})-(\d{1,2})$/;

/** Sheets serial days of 1990-01-01 and 2100-01-01: a plain number in that range is a date. */
const SERIAL_MIN = 32_874;
const SERIAL_MAX = 73_051;
const SERIAL_EPOCH: LocalDate = '1899-12-30';

export type DateCell =
  | { kind: 'empty' }
  /** `written`: the cell did not hold a Date yet and should be written back as one. */
  | { kind: 'date'; date: LocalDate; written: boolean }
  | { kind: 'bad'; problem: string };

const EMPTY: DateCell = { kind: 'empty' };

// A Date cell reads the same every time: one shared (never mutated) result per time value, so a
// 100,000-row pass does not allocate one per date cell.
let dateCellTz = '';
let dateCells = new Map<number, DateCell>();
/** Moscow dates of the fixed-offset window by day index (see moscowDayIndex): an array load, no hashing. */
let moscowDateCells: Array<DateCell | undefined> | null = null;

function dateCellOf(ms: number, tz: string): DateCell {
  const day = moscowDayIndex(ms, tz);
  if (day >= 0) {
    const cells = (moscowDateCells ??= new Array<DateCell | undefined>(MOSCOW_FIXED_DAYS).fill(undefined));
    let cell = cells[day];
    if (cell === undefined) {
      cell = { kind: 'date', date: dateCellToLocal(new Date(ms), tz), written: false };
      cells[day] = cell;
    }
    return cell;
  }
  if (tz !== dateCellTz) {
    dateCellTz = tz;
    dateCells = new Map();
  }
  let cell = dateCells.get(ms);
  if (cell === undefined) {
    cell = { kind: 'date', date: dateCellToLocal(new Date(ms), tz), written: false };
    // Bounded: the size is checked when a value is added, not on every read.
    if (dateCells.size >= 200_000) dateCells = new Map();
    dateCells.set(ms, cell);
  }
  return cell;
}

export interface DateReading {
  column: string;
  /** Stage columns and «Последний контакт» accept x / + / ✓ / TRUE … as «today». */
  acceptMarks: boolean;
  today: LocalDate;
  tz: string;
}

export function isStageMark(value: CellValue): boolean {
  if (value === true) return true;
  if (typeof value === 'number') return value === 1;
  return typeof value === 'string' && STAGE_MARKS.has(value.trim().toLowerCase());
}

/**
 * Reads a date column. A day and month without a year (`21.11`) means the current year, or the previous
 * year when that date is still ahead of today: managers log what already happened.
 */
export function readDateCell(value: CellValue | null | undefined, how: DateReading): DateCell {
  // A Date first: it is what a date column holds on almost every row. Kept this small so that the
  // whole-sheet loops inline it; everything else is in readOtherDateCell.
  if (value instanceof Date) {
    const ms = value.getTime();
    if (ms === ms) return dateCellOf(ms, how.tz); // not NaN: a valid date (isDate)
  }
  // An empty cell next: most stage columns of a row are empty, and this spares the call below.
  if (value === '') return EMPTY;
  return readOtherDateCell(value, how);
}

function readOtherDateCell(value: CellValue | null | undefined, how: DateReading): DateCell {
  // A Date of another realm (a vm context): isDate tells it by its tag.
  if (typeof value === 'object' && value !== null && !(value instanceof Date) && isDate(value)) {
    return dateCellOf((value as Date).getTime(), how.tz);
  }
  if (isBlank(value)) return EMPTY;
  const v = value as CellValue;
  if (how.acceptMarks && isStageMark(v)) return { kind: 'date', date: how.today, written: true };
  if (typeof v === 'number') {
    if (Number.isFinite(v) && v >= SERIAL_MIN && v < SERIAL_MAX) {
      return { kind: 'date', date: addDays(SERIAL_EPOCH, Math.floor(v)), written: true };
    }
    return { kind: 'bad', problem: msg.notADate(v, how.column) };
  }
  if (typeof v !== 'string') return { kind: 'bad', problem: msg.notADate(cellText(v), how.column) };
  const text = v.trim();
  let year: number;
  let month: number;
  let day: number;
  let m = DAY_MONTH_YEAR.exec(text);
  if (m) {
    day = Number(m[1]);
    month = Number(m[2]);
    year = m[3].length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  } else if ((m = ISO_DATE.exec(text))) {
    year = Number(m[1]);
    month = Number(m[2]);
    day = Number(m[3]);
  } else if ((m = DAY_MONTH.exec(text))) {
    day = Number(m[1]);
    month = Number(m[2]);
    year = Number(how.today.slice(0, 4));
    if (isValidLocalDate(year, month, day) && makeLocalDate(year, month, day) > how.today) year -= 1;
    // 29.02 typed in a year without it: try the year before, else report the date as typed.
    if (!isValidLocalDate(year, month, day) && isValidLocalDate(year - 1, month, day)) year -= 1;
  } else {
    return { kind: 'bad', problem: msg.notADate(text, how.column) };
  }
  if (!isValidLocalDate(year, month, day)) return { kind: 'bad', problem: msg.impossibleDate(text) };
  return { kind: 'date', date: makeLocalDate(year, month, day), written: true };
}

// ---- Amounts and percents ----------------------------------------------------------------------

const CURRENCY = /(€|\$|₽|£|eur|euro|евро|usd|rub|руб\.?|р\.)/gi;
const SPACES = /[\s\u00a0\u202f\u2009'’]/g;
const PLAIN_NUMBER = /^-?\d+(\.\d+)?$/;
const GROUPED_BY_COMMA = /^-?\d{1,3}(,\d{3})+$/;
const GROUPED_BY_DOT = /^-?\d{1,3}(\.\d{3})+$/;
const COMMA_G = /,/g;
const DOT_G = /\./g;

/**
 * Parses `1 200,50`, `1200.50`, `€1200`, `1,200.50`, `1.200,50` into a number; null when not a number.
 * A single comma or dot is the decimal separator (Russian habit); repeated ones must group thousands
 * (`1.200.000`), otherwise (`12..5`) the text is not a number.
 */
export function parseNumberText(input: string): number | null {
  let s = input.replace(CURRENCY, '').replace(SPACES, '');
  if (s === '') return null;
  const lastComma = s.lastIndexOf(',');
  const lastDot = s.lastIndexOf('.');
  if (lastComma >= 0 && lastDot >= 0) {
    const decimalIsComma = lastComma > lastDot;
    const whole = s.slice(0, decimalIsComma ? lastComma : lastDot);
    if (!(decimalIsComma ? GROUPED_BY_DOT : GROUPED_BY_COMMA).test(whole)) return null;
    s = decimalIsComma ? `${whole.replace(DOT_G, '')}.${s.slice(lastComma + 1)}` : s.replace(COMMA_G, '');
  } else if (lastComma >= 0) {
    if (s.indexOf(',') === lastComma) s = s.replace(',', '.');
    else if (GROUPED_BY_COMMA.test(s)) s = s.replace(COMMA_G, '');
    else return null;
  } else if (lastDot >= 0 && s.indexOf('.') !== lastDot) {
    if (!GROUPED_BY_DOT.test(s)) return null;
    s = s.replace(DOT_G, '');
  }
  if (!PLAIN_NUMBER.test(s)) return null;
  return Number(s);
}

export type AmountCell =
  | { kind: 'empty' }
  | { kind: 'amount'; amount: number; written: boolean }
  | { kind: 'bad'; problem: string };

/** «Оплаченная сумма»: a number > 0; typed text that reads as one is written back as a number. */
const EMPTY_AMOUNT: AmountCell = { kind: 'empty' };

export function readAmountCell(value: CellValue | null | undefined): AmountCell {
  if (isBlank(value)) return EMPTY_AMOUNT; // shared, as EMPTY for dates: callers only read it
  const v = value as CellValue;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { kind: 'bad', problem: msg.amountNotANumber(v) };
    return v > 0 ? { kind: 'amount', amount: v, written: false } : { kind: 'bad', problem: msg.amountNotPositive(v) };
  }
  if (typeof v !== 'string') return { kind: 'bad', problem: msg.amountNotANumber(isDate(v) ? 'дата' : cellText(v)) };
  const n = parseNumberText(v);
  if (n === null) return { kind: 'bad', problem: msg.amountNotANumber(v) };
  if (n <= 0) return { kind: 'bad', problem: msg.amountNotPositive(v) };
  return { kind: 'amount', amount: n, written: true };
}

const PERCENT_SIGN = /%/g;

/**
 * A percentage as a number of percent (5 = 5 %). Accepts 5, '5', '5%', '5,5 %' and Sheets
 * percent-formatted cells, which read as fractions (0.05): a plain number ≤ 1 is taken as a fraction,
 * so a bare 1 means 100 %. A value with an explicit '%' sign is never a fraction. Null when empty,
 * NaN when not a percentage between 0 and 100.
 */
export function parsePercent(value: CellValue | null | undefined): number | null {
  if (isBlank(value)) return null;
  let n: number | null;
  let explicitSign = false;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    explicitSign = value.includes('%');
    n = parseNumberText(value.replace(PERCENT_SIGN, ''));
  } else n = null;
  if (n === null || !Number.isFinite(n) || n < 0) return NaN;
  if (!explicitSign && n <= 1) n *= 100;
  n = Math.round(n * 1e6) / 1e6; // 0.07 × 100 = 7.000000000000001
  return n > 100 ? NaN : n;
}

/** Rounds money to cents; the nudge keeps 1.005 → 1.01 despite binary floating point. */
export function roundCents(n: number): number {
  const sign = n < 0 ? -1 : 1;
  return (sign * Math.round(Math.abs(n) * 100 + 1e-7)) / 100;
}
