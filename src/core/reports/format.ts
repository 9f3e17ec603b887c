// Numbers as a Russian reader expects them: '1 200,50 EUR', '25,0 %', '+3' / '−2'. Built by hand
// rather than with Intl so Node and Apps Script (whose ICU data differ) print the same bytes.
import { roundCents } from '../analytics/cells';

/** Narrow no-break space: the thin space of Russian typography that never breaks a number apart. */
export const THIN = '\u202f';
const MINUS = '\u2212';

function group(whole: string): string {
  return whole.replace(/\B(?=(\d{3})+(?!\d))/g, THIN);
}

/** Past this, cents are beyond a double's precision and toFixed turns to exponents: not an amount. */
const MONEY_LIMIT = 1e15;

/** 1200.5 → '1 200,50 EUR' (thin spaces); a mistyped 1e308 → '1,0·10^308 EUR'; a sum past any
 *  number (1e308 + 1e308) → '—', never 'Infinity,undefined'. */
export function formatMoney(amount: number, currency: string): string {
  if (!Number.isFinite(amount)) return '—';
  const unit = currency ? THIN + currency : '';
  if (Math.abs(amount) >= MONEY_LIMIT) {
    const [mantissa, exponent] = Math.abs(amount).toExponential(1).split('e');
    return `${amount < 0 ? MINUS : ''}${mantissa.replace('.', ',')}·10^${Number(exponent)}${unit}`;
  }
  const cents = roundCents(amount);
  const sign = cents < 0 ? MINUS : '';
  const [whole, frac] = Math.abs(cents).toFixed(2).split('.');
  return `${sign}${group(whole)},${frac}${currency ? THIN + currency : ''}`;
}

/** 1234 → '1 234'. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return '—';
  return (n < 0 ? MINUS : '') + group(String(Math.abs(Math.round(n))));
}

/** 25 → '25,0 %'; null (nothing to divide by) → '—'. */
export function formatPercent(percent: number | null): string {
  if (percent === null || !Number.isFinite(percent)) return '—';
  return `${(Math.round(percent * 10) / 10).toFixed(1).replace('.', ',')}${THIN}%`;
}

/** A setting's percentage as typed: 5 → '5 %', 2.5 → '2,5 %'. */
export function formatRate(percent: number): string {
  const text = String(Math.round(percent * 100) / 100).replace('.', ',');
  return `${text}${THIN}%`;
}

/** Change against the day before: '+3', '−2', '0'. */
export function formatDelta(delta: number): string {
  if (delta > 0) return `+${formatCount(delta)}`;
  if (delta < 0) return `${MINUS}${formatCount(-delta)}`;
  return '0';
}

/** part / whole × 100, or null when whole is 0. */
export function percentOf(part: number, whole: number): number | null {
  return whole > 0 ? (part / whole) * 100 : null;
}

// The one plural helper of the product lives in core/plural.ts; re-exported for the report modules.
export { plural } from '../plural';

/** 25 → '25 мин', 85 → '1 ч 25 мин', 120 → '2 ч'. */
export function formatDuration(minutes: number): string {
  const m = Math.max(0, Math.round(minutes));
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (h === 0) return `${rest}${THIN}мин`;
  return rest === 0 ? `${h}${THIN}ч` : `${h}${THIN}ч ${rest}${THIN}мин`;
}

export { utf8Bytes } from '../bytes';
