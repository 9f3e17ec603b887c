// A row's «Промокод» against the «Промокоды» sheet.
import type { Promo, Reference } from '../reference';
import { cellText } from './cells';
import { foldPromoCode } from './promo-code';
import type { CellValue } from './types';

/** The reference entry for a typed code (look-alike letters folded), or undefined. */
export function findPromo(typed: CellValue | null | undefined, ref: Reference): Promo | undefined {
  const text = cellText(typed);
  return text === '' ? undefined : ref.promoByCode.get(foldPromoCode(text));
}
