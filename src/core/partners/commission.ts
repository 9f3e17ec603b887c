// «% affiliate» and «Комиссия EUR». The % column holds a number of percent (15 = 15 %), as its 0–100
// validation says; unlike «% по умолчанию» a bare 1 here means 1 %, not 100 %.
import { isBlank, parseNumberText, roundCents } from '../analytics/cells';
import type { CellValue } from '../analytics/types';
import { isDate } from '../text';

/** Number of percent, null when empty, NaN when not a number from 0 to 100. */
export function readAffiliatePercent(value: CellValue | null | undefined): number | null {
  if (isBlank(value)) return null;
  let n: number | null;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') n = parseNumberText(value.replace(/%/g, ''));
  else n = null;
  return n === null || !Number.isFinite(n) || n < 0 || n > 100 ? NaN : n;
}

/** An amount cell as a number: numbers, or text that reads as one (hand-typed rows); null otherwise. */
export function readMoney(value: CellValue | null | undefined): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && !isBlank(value)) return parseNumberText(value);
  return null;
}

/** Комиссия = Оплата × % affiliate, in cents; '' when either is missing or not a number. */
export function commissionOf(amount: CellValue | null | undefined, percent: CellValue | null | undefined): number | '' {
  if (isDate(amount)) return '';
  const a = readMoney(amount);
  const p = readAffiliatePercent(percent);
  if (a === null || p === null || Number.isNaN(p)) return '';
  return roundCents((a * p) / 100);
}
