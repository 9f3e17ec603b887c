// «Тарифы» (SPEC §3.2): plan prices. The seeds name the plans but no prices, so the real sheet starts
// with empty prices for leadership to fill; only the demo workbook has (invented) prices.
import type { SheetDefInput } from './schema';

export const planPricesSheet = {
  key: 'planPrices',
  name: 'Тарифы',
  aliases: ['Планы', 'Цены'],
  protect: 'leadership',
  description: 'Цены планов: по ним считаются «Цена плана» и «Цена со скидкой» в «Аналитике».',
  columns: [
    { key: 'plan', header: 'План', aliases: ['Тариф'], type: 'text', validation: { kind: 'list', list: 'plans', strict: true }, width: 120 },
    { key: 'price', header: 'Цена', type: 'money', validation: { kind: 'number', min: 0, strict: true }, width: 110, note: 'Цена без скидки' },
    { key: 'currency', header: 'Валюта', type: 'text', width: 80 },
    { key: 'comment', header: 'Комментарий', type: 'text', width: 260 },
  ],
  initial: ['Personal', 'Lite', 'Pro'].map((plan) => ({ plan, price: '', currency: 'EUR', comment: 'Цену заполняет руководство' })),
  demo: [
    { plan: 'Personal', price: 350, currency: 'EUR', comment: 'ДЕМО: цена придумана для примера' },
    { plan: 'Lite', price: 550, currency: 'EUR', comment: 'ДЕМО: цена придумана для примера' },
    { plan: 'Pro', price: 1200, currency: 'EUR', comment: 'ДЕМО: цена придумана для примера' },
  ],
} satisfies SheetDefInput;
