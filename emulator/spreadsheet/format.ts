// Display values: how Sheets renders a stored value under a number format, in the spreadsheet's
// locale and time zone. Supported: the default ("Automatic") format, text '@', numeric patterns built
// from 0 # , . % with literal prefixes/suffixes ("…", \x, [$€-419]) and up to three ';' sections, and
// date/time patterns (yyyy yy MMMM MMM MM M dddd ddd dd d HH H hh h mm m ss s AM/PM). Ambiguous m/mm
// follows the Sheets/Excel rule: minutes next to hours or seconds, month otherwise.
// Locales with a decimal comma (ru_RU…) show '1234,5' and group thousands with a no-break space.
import { type CellValue, dateToSerial, defaultDateFormat, defaultDateTimeFormat, localeUsesDecimalComma, serialToDate, wallMs } from './values';

export const GROUP_SEPARATOR_COMMA_LOCALES = '\u00a0';

interface Seps { dec: string; group: string }
function seps(locale: string): Seps {
  return localeUsesDecimalComma(locale) ? { dec: ',', group: GROUP_SEPARATOR_COMMA_LOCALES } : { dec: '.', group: ',' };
}

function stripLiterals(fmt: string): string {
  return fmt.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '');
}

export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  const bare = stripLiterals(fmt.split(';')[0]);
  if (/[0#?]/.test(bare) && !/[hs]/i.test(bare)) return false;
  return /[ydhsm]/i.test(bare);
}

function splitSections(fmt: string): string[] {
  const out: string[] = [];
  let cur = '';
  let q = false;
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '"') q = !q;
    if (ch === '\\' && !q) { cur += ch + (fmt[i + 1] ?? ''); i++; continue; }
    if (ch === ';' && !q) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out;
}

function defaultNumber(n: number, s: Seps): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e15) return String(n);
  if (Math.abs(n) >= 1e15) return n.toExponential().replace('e+', 'E+').replace('.', s.dec);
  const p = Number(n.toPrecision(10));
  return String(p).replace('.', s.dec);
}

/** Literal text of a section, pieces before/after the digit placeholders. */
function literalText(part: string): string {
  let out = '';
  for (let i = 0; i < part.length; i++) {
    const ch = part[i];
    if (ch === '"') {
      const end = part.indexOf('"', i + 1);
      out += part.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? part.length : end;
    } else if (ch === '\\') { out += part[i + 1] ?? ''; i++; }
    else if (ch === '[') {
      const end = part.indexOf(']', i);
      const inner = part.slice(i + 1, end < 0 ? undefined : end);
      if (inner.startsWith('$')) out += inner.slice(1).split('-')[0];
      i = end < 0 ? part.length : end;
    } else if (ch === '_' ) { out += ' '; i++; }
    else if (ch === '*') { i++; }
    else out += ch;
  }
  return out;
}

function formatNumberPattern(n: number, section: string, s: Seps): string {
  // Locate the placeholder run, ignoring quoted text.
  let first = -1;
  let last = -1;
  let q = false;
  for (let i = 0; i < section.length; i++) {
    const ch = section[i];
    if (ch === '"') { q = !q; continue; }
    if (q) continue;
    if (ch === '\\') { i++; continue; }
    if ('0#?'.includes(ch)) { if (first < 0) first = i; last = i; }
    else if ((ch === '.' || ch === ',') && first >= 0) last = Math.max(last, i);
  }
  const pct = (stripLiterals(section).match(/%/g) ?? []).length;
  let v = n * 100 ** pct;
  if (first < 0) return literalText(section);
  const core = section.slice(first, last + 1);
  const prefix = literalText(section.slice(0, first));
  const suffix = literalText(section.slice(last + 1));
  const [intPat, decPat = ''] = core.split('.');
  // Trailing commas scale by thousands.
  let intP = intPat;
  while (intP.endsWith(',')) { v /= 1000; intP = intP.slice(0, -1); }
  const grouping = intP.includes(',');
  const minInt = (intP.match(/0/g) ?? []).length;
  const minDec = (decPat.match(/0/g) ?? []).length;
  const maxDec = (decPat.match(/[0#?]/g) ?? []).length;
  const neg = v < 0;
  let fixed = Math.abs(v).toFixed(maxDec);
  let [ip, dp = ''] = fixed.split('.');
  while (dp.length > minDec && dp.endsWith('0')) dp = dp.slice(0, -1);
  if (ip === '0' && minInt === 0) ip = '';
  ip = ip.padStart(minInt, '0');
  if (grouping) ip = ip.replace(/\B(?=(\d{3})+(?!\d))/g, s.group);
  fixed = dp ? `${ip}${s.dec}${dp}` : ip;
  const isZero = Number(Math.abs(v).toFixed(maxDec)) === 0;
  return `${neg && !isZero ? '-' : ''}${prefix}${fixed}${suffix}`;
}

const RU_MONTHS = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];
const RU_MONTHS_SHORT = ['янв.', 'февр.', 'мар.', 'апр.', 'мая', 'июн.', 'июл.', 'авг.', 'сент.', 'окт.', 'нояб.', 'дек.'];
const RU_DAYS = ['воскресенье', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота'];
const RU_DAYS_SHORT = ['Вс', 'Пн', 'Вт', 'Ср', 'Чт', 'Пт', 'Сб'];
const EN_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const EN_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

interface Tok { kind: 'lit' | 'y' | 'M' | 'd' | 'h' | 'm' | 's' | 'ampm'; len: number; text?: string }

function tokenizeDate(fmt: string): Tok[] {
  const toks: Tok[] = [];
  for (let i = 0; i < fmt.length;) {
    const ch = fmt[i];
    if (ch === '"') {
      const end = fmt.indexOf('"', i + 1);
      toks.push({ kind: 'lit', len: 0, text: fmt.slice(i + 1, end < 0 ? undefined : end) });
      i = end < 0 ? fmt.length : end + 1;
      continue;
    }
    if (ch === '\\') { toks.push({ kind: 'lit', len: 0, text: fmt[i + 1] ?? '' }); i += 2; continue; }
    if (ch === '[') { const end = fmt.indexOf(']', i); i = end < 0 ? fmt.length : end + 1; continue; }
    if (/^(am\/pm|a\/p)/i.test(fmt.slice(i))) {
      const len = /^am\/pm/i.test(fmt.slice(i)) ? 5 : 3;
      toks.push({ kind: 'ampm', len });
      i += len;
      continue;
    }
    const lower = ch.toLowerCase();
    if ('ydhms'.includes(lower)) {
      let j = i;
      while (j < fmt.length && fmt[j].toLowerCase() === lower) j++;
      const kind = lower === 'y' ? 'y' : lower === 'd' ? 'd' : lower === 'h' ? 'h' : lower === 's' ? 's' : 'm';
      toks.push({ kind, len: j - i });
      i = j;
      continue;
    }
    toks.push({ kind: 'lit', len: 0, text: ch });
    i++;
  }
  // m/mm: minutes after an hour token or before a seconds token, otherwise month.
  const fields = toks.filter((t) => t.kind !== 'lit');
  for (let k = 0; k < fields.length; k++) {
    const t = fields[k];
    if (t.kind !== 'm') continue;
    if (t.len > 2) { t.kind = 'M'; continue; }
    const prev = fields[k - 1];
    const next = fields[k + 1];
    if (!(prev?.kind === 'h' || next?.kind === 's')) t.kind = 'M';
  }
  return toks;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

function formatDatePattern(ms: number, fmt: string, locale: string, tz: string): string {
  const w = new Date(wallMs(ms, tz));
  const Y = w.getUTCFullYear(), Mo = w.getUTCMonth(), D = w.getUTCDate(), wd = w.getUTCDay();
  const H = w.getUTCHours(), Mi = w.getUTCMinutes(), S = w.getUTCSeconds();
  const toks = tokenizeDate(fmt);
  const ampm = toks.some((t) => t.kind === 'ampm');
  const ru = localeUsesDecimalComma(locale);
  let out = '';
  for (const t of toks) {
    switch (t.kind) {
      case 'lit': out += t.text; break;
      case 'y': out += t.len <= 2 ? pad(Y % 100) : String(Y); break;
      case 'M':
        if (t.len === 1) out += String(Mo + 1);
        else if (t.len === 2) out += pad(Mo + 1);
        else if (t.len === 3) out += ru ? RU_MONTHS_SHORT[Mo] : EN_MONTHS[Mo].slice(0, 3);
        else out += ru ? RU_MONTHS[Mo] : EN_MONTHS[Mo];
        break;
      case 'd':
        if (t.len === 1) out += String(D);
        else if (t.len === 2) out += pad(D);
        else if (t.len === 3) out += ru ? RU_DAYS_SHORT[wd] : EN_DAYS[wd].slice(0, 3);
        else out += ru ? RU_DAYS[wd] : EN_DAYS[wd];
        break;
      case 'h': {
        const h = ampm ? ((H + 11) % 12) + 1 : H;
        out += t.len >= 2 ? pad(h) : String(h);
        break;
      }
      case 'm': out += t.len >= 2 ? pad(Mi) : String(Mi); break;
      case 's': out += t.len >= 2 ? pad(S) : String(S); break;
      case 'ampm': out += t.len === 5 ? (H < 12 ? 'AM' : 'PM') : (H < 12 ? 'A' : 'P'); break;
    }
  }
  return out;
}

/** The text Sheets shows for a stored value (getDisplayValue). */
export function formatDisplay(v: CellValue, fmt: string | undefined, locale: string, tz: string): string {
  if (v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return v;
  const s = seps(locale);
  const f = fmt && fmt !== 'General' && fmt !== '@' ? fmt : undefined;
  if (typeof v === 'number') {
    if (!f) return defaultNumber(v, s);
    if (isDateFormat(f)) return formatDatePattern(serialToDate(v, tz).getTime(), f, locale, tz);
    return formatNumberSections(v, f, s);
  }
  // Date
  const ms = v.getTime();
  if (!f) {
    const w = wallMs(ms, tz);
    const midnight = ((w % 86_400_000) + 86_400_000) % 86_400_000 === 0;
    return formatDatePattern(ms, midnight ? defaultDateFormat(locale) : defaultDateTimeFormat(locale), locale, tz);
  }
  if (isDateFormat(f)) return formatDatePattern(ms, f, locale, tz);
  return formatNumberSections(dateToSerial(ms, tz), f, s);
}

function formatNumberSections(n: number, f: string, s: Seps): string {
  const sections = splitSections(f);
  if (sections.length >= 3 && n === 0) return formatNumberPattern(0, sections[2], s);
  if (sections.length >= 2 && n < 0) return formatNumberPattern(-n, sections[1], s);
  return formatNumberPattern(n, sections[0], s);
}
