// «Партнёры» (SPEC §3.2, §3.3): who gets an affiliate spreadsheet and with which emails. Column keys
// are read by src/core/reference.ts.
import { PROMO_CODES } from './promo-codes';
import type { SheetDefInput } from './schema';

/** The partners named by the seed's promo codes, in the order the codes appear. */
export const PARTNER_NAMES: readonly string[] = [...new Set(PROMO_CODES.map(([, partner]) => partner))];

export const partnersSheet = {
  key: 'partners',
  name: 'Партнёры',
  aliases: ['Партнеры'],
  protect: 'leadership',
  frozenColumns: 1,
  description: 'Партнёры: почта для просмотра их таблицы и процент по умолчанию.',
  columns: [
    { key: 'partner', header: 'Партнёр', aliases: ['Партнер', 'Имя партнёра'], type: 'text', width: 180 },
    { key: 'emails', header: 'Email для просмотра', aliases: ['Email', 'Почта'], type: 'email', width: 240, note: 'Один или несколько адресов через запятую; доступ только на просмотр' },
    { key: 'defaultPercent', header: '% по умолчанию', aliases: ['% affiliate по умолчанию', 'Процент по умолчанию'], type: 'percent', numberFormat: '0.0', validation: { kind: 'number', min: 0, max: 100, strict: true }, width: 110, note: 'Подставляется в «% affiliate», если там пусто' },
    { key: 'active', header: 'Активен', type: 'checkbox', validation: { kind: 'checkbox' }, width: 80 },
    { key: 'sheetUrl', header: 'Таблица партнёра', aliases: ['Таблица партнера'], type: 'url', edit: 'script', width: 220, note: 'Ссылку ставит синхронизация' },
    { key: 'lastSync', header: 'Последняя синхронизация', type: 'datetime', edit: 'script', width: 150 },
  ],
  initial: PARTNER_NAMES.map((partner) => ({ partner, emails: '', defaultPercent: '', active: true })),
  demo: PARTNER_NAMES.map((partner, i) => ({ partner, emails: `partner${i + 1}@example.com`, defaultPercent: i % 3 === 0 ? 15 : 10, active: true })),
} satisfies SheetDefInput;
