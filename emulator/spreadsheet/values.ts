// Cell values as stored and as typed. A stored value is string | number | boolean | Date (a Date of
// this realm, created here) or undefined for an empty cell; reads turn empty into ''.
import { isDate, yearInZone, zoneOffsetMs } from '../support';

export type CellValue = string | number | boolean | Date | undefined;

const DAY_MS = 86_400_000;
/** Days from 1899-12-30 (the Sheets/Excel epoch) to 1970-01-01. */
export const EPOCH_OFFSET_DAYS = 25569;

export function isEmptyValue(v: unknown): boolean {
  return v === undefined || v === '' || v === null;
}

/** Wall-clock ms ("UTC-shaped") of an instant in tz. */
export function wallMs(ms: number, tz: string): number {
  return ms + zoneOffsetMs(ms, tz);
}

/** Instant of a wall-clock ms in tz (two passes settle DST edges). */
export function instantFromWall(wall: number, tz: string): number {
  let ms = wall - zoneOffsetMs(wall, tz);
  ms = wall - zoneOffsetMs(ms, tz);
  return ms;
}

/** Serial day number of an instant as the spreadsheet in `tz` stores it. */
export function dateToSerial(ms: number, tz: string): number {
  return wallMs(ms, tz) / DAY_MS + EPOCH_OFFSET_DAYS;
}

export function serialToDate(serial: number, tz: string): Date {
  return new Date(instantFromWall(Math.round((serial - EPOCH_OFFSET_DAYS) * DAY_MS), tz));
}

/** A value coming from a script: normalised to what the cell stores (no parsing of strings). */
export function storeRaw(v: unknown): CellValue {
  if (v === null || v === undefined || v === '') return undefined;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : '#NUM!';
  if (isDate(v)) return new Date(v.getTime());
  // Objects and arrays are written as their string form, as the real service does.
  return String(v);
}

export interface ParsedInput {
  value: CellValue;
  formula?: string;
  /** Number format Sheets applies when the typed text was a date/percent and the cell had none. */
  autoFormat?: string;
}

const FIRST_LETTERS = new Set(['T', 't', 'F', 'f', 'И', 'и', 'Л', 'л']);
const RU_LIKE = /^(ru|uk|be|kk|de|fr|es|it|pt|pl|cs|nl|tr|sv|fi|da|nb)/i;

export function localeUsesDecimalComma(locale: string): boolean {
  return RU_LIKE.test(locale);
}

export function defaultDateFormat(locale: string): string {
  return localeUsesDecimalComma(locale) ? 'dd.MM.yyyy' : 'M/d/yyyy';
}

export function defaultDateTimeFormat(locale: string): string {
  return localeUsesDecimalComma(locale) ? 'dd.MM.yyyy H:mm:ss' : 'M/d/yyyy H:mm:ss';
}

function mkDate(y: number, mo: number, d: number, h: number, mi: number, s: number, tz: string): Date | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return null;
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCDate() !== d) return null;
  return new Date(instantFromWall(wall, tz));
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length <= 2 ? (n < 30 ? 2000 + n : 1900 + n) : n;
}

/**
 * Parses text the way Sheets parses what a user types (and what Range.setValue/setValues receive:
 * Apps Script writes strings with user-entered parsing). Emulated: '=…' formula; leading apostrophe →
 * text; TRUE/FALSE; numbers with the locale's decimal separator (ru: '1 200,50'; '.' also accepted
 * when the text is not a date); percents; dates 'dd.MM.yyyy', 'dd.MM.yy', 'dd.MM' (ru-style locales) or
 * 'M/d/yyyy' (en), ISO 'yyyy-MM-dd', each optionally followed by 'HH:mm[:ss]'. Anything else stays text.
 */
export function parseUserInput(text: string, locale: string, tz: string, nowMs: number): ParsedInput {
  if (text === '') return { value: undefined };
  // Fast path for ordinary text: nothing typed can be a number/date/formula/boolean unless it starts
  // with a digit, sign, dot, space, apostrophe, '=' or the first letter of TRUE/FALSE/ИСТИНА/ЛОЖЬ.
  const c0 = text.charCodeAt(0);
  if (c0 > 57 && c0 !== 61 && !FIRST_LETTERS.has(text[0])) return { value: text };
  if (text.startsWith('=') && text.length > 1) return { value: undefined, formula: text };
  if (text.startsWith("'")) return { value: text.slice(1) === '' ? undefined : text.slice(1) };
  const t = text.trim();
  const upper = t.toUpperCase();
  // English TRUE/FALSE work everywhere; the Russian words only in a Russian-language spreadsheet.
  const ruWords = /^ru/i.test(locale);
  if (upper === 'TRUE' || (ruWords && upper === 'ИСТИНА')) return { value: true };
  if (upper === 'FALSE' || (ruWords && upper === 'ЛОЖЬ')) return { value: false };
  const comma = localeUsesDecimalComma(locale);

  // Dates (checked before numbers: in ru '21.11' is a date, as in the real editor).
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (m) {
    const d = mkDate(+m[1], +m[2], +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), tz);
    if (d) return { value: d, autoFormat: m[4] ? 'yyyy-MM-dd H:mm:ss' : 'yyyy-MM-dd' };
  }
  const sep = comma ? '\\.' : '\\/';
  m = new RegExp(`^(\\d{1,2})${sep}(\\d{1,2})(?:${sep}(\\d{2}|\\d{4}))?(?:\\s+(\\d{1,2}):(\\d{2})(?::(\\d{2}))?)?$`).exec(t);
  if (m) {
    const year = m[3] ? fullYear(m[3]) : yearInZone(nowMs, tz);
    const [day, month] = comma ? [+m[1], +m[2]] : [+m[2], +m[1]];
    const d = mkDate(year, month, day, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), tz);
    if (d) return { value: d, autoFormat: m[4] ? defaultDateTimeFormat(locale) : defaultDateFormat(locale) };
  }

  // Numbers and percents.
  const pct = t.endsWith('%');
  let body = (pct ? t.slice(0, -1) : t).trim();
  // Spaces group digits only where the locale's group separator is a space ('1 200,50' in ru_RU);
  // in en_US '1 200' is text.
  if (comma) body = body.replace(/[\s\u00a0\u202f]/g, '');
  if (comma) {
    if (/^[+-]?\d+(,\d+)?([eE][+-]?\d+)?$/.test(body)) body = body.replace(',', '.');
    else if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) body = '';
  } else {
    if (/^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(body)) body = body.replace(/,/g, '');
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) body = '';
  }
  if (body !== '' && (t === text.trim())) {
    const n = Number(body);
    if (Number.isFinite(n)) {
      if (pct) return { value: n / 100, autoFormat: Number.isInteger(n) ? '0%' : '0.00%' };
      return { value: n };
    }
  }
  return { value: text };
}
