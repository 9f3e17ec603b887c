// «Цена плана» from «Тарифы» and «Цена со скидкой» = price × (1 − discount).
import { roundCents } from './cells';

export function discountedPrice(price: number, discountPercent: number): number {
  return roundCents(price * (1 - discountPercent / 100));
}
