// Russian UI strings shared across features live in src/core/messages.ts; this file holds text helpers.

/** Escapes a user string for HTML text and attribute contexts. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Makes a string safe to push into another spreadsheet: text that Sheets would read as a formula
 * (or a formula-like sign) gets a leading apostrophe, which Sheets shows as plain text.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const REPARSED = /^[=+\-'\t\r]|^\s*[-+]?[\d\s.,]+%?\s*$|^\s*\d{1,4}[./-]\d{1,2}(?:[./-]\d{1,4})?\s*$|^\s*(?:true|false)\s*$/i;

/**
 * Script writes go through Sheets' user-entered parsing (a string may turn into a formula, number,
 * date or boolean). A string that would change is written with a leading apostrophe so it stays
 * exactly the text it is.
 */
export function literalForSheet<T>(value: T): T | string {
  return typeof value === 'string' && value !== '' && REPARSED.test(value) ? `'${value}` : value;
}

/** Works across realms (Apps Script values, vm contexts), unlike `instanceof Date`. */
export function isDate(value: unknown): value is Date {
  // instanceof first: it answers for every Date of this realm without the slow toString; only a Date
  // from another realm (a vm context) falls through to the tag check.
  if (value instanceof Date) return !Number.isNaN(value.getTime());
  if (typeof value !== 'object' || value === null) return false;
  return Object.prototype.toString.call(value) === '[object Date]' && !Number.isNaN((value as Date).getTime());
}

/** Whitespace other than single plain spaces: what collapsing spaces would change. */
const ODD_SPACE = /[^\S ]| {2}/;

/** Header comparison key: trimmed, case-insensitive, ё folded to е, inner spaces collapsed. */
export function headerKey(text: unknown): string {
  let key = String(text ?? '').trim().toLowerCase();
  // The replaces only when they change something: reports key every name of a 20,000-row log.
  if (key.includes('ё')) key = key.replace(/ё/g, 'е');
  if (ODD_SPACE.test(key)) key = key.replace(/\s+/g, ' ');
  return key;
}

/**
 * The product's one email check («Настройки» recipients, partners' emails in «Партнёры»): one address,
 * no list separators or display-name brackets, a dotted domain ending in letters (Cyrillic TLDs too).
 */
const EMAIL_RE = /^[^\s@,;<>()"]+@[^\s@,;<>()".]+(\.[^\s@,;<>()".]+)*\.[A-Za-z\u0400-\u04FF]{2,}$/;

export function isEmail(value: string): boolean {
  return EMAIL_RE.test(value);
}

/** A money header with the currency of «Настройки»: «Оплата EU» → «Оплата EUR», «Оплата» → «Оплата USD». */
export function withCurrency(headerText: string, currency: string): string {
  return `${headerText.replace(/\s+[A-Z]{2,3}$/, '')} ${currency}`;
}
