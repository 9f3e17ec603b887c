// «Промокоды» (SPEC §3.2, seed 001 «Промокоды партнеров»): partner discount codes. Column keys are read
// by src/core/reference.ts.
import type { SheetDefInput } from './schema';

const CONFIRM = 'Процент не указан в инструкции — взят из названия кода. Руководству: подтвердите.';

/** The 13 codes of seed 001: [code, partner, discount %, comment]. Codes may contain «%». */
export const PROMO_CODES: ReadonlyArray<readonly [code: string, partner: string, percent: number, comment: string]> = [
  ['prosto5', 'Александр Сидоренко', 5, ''],
  ['sydorenko', 'Александр Сидоренко', 10, ''],
  ['dorens', 'Александр Сидоренко', 15, ''],
  ['online5off', 'Юрий Рыбак', 5, ''],
  ['goynova5', 'Татьяна', 5, ''],
  ['IVANTIM', 'Иван Тимирчев', 5, ''],
  ['yadrevska', 'Юлия', 10, ''],
  ['columbusecom', 'Белашев', 5, ''],
  ['realinterbiz', 'Дмитрий Прокопенко', 5, ''],
  ['ecomartem', 'Артем', 10, ''],
  ['STRIPE5%', 'Георгий', 5, CONFIRM],
  ['ALEX10', 'Алекс Мери', 10, CONFIRM],
  ['erntoday5%', 'Муар', 5, CONFIRM],
];

export const promoCodesSheet = {
  key: 'promoCodes',
  name: 'Промокоды',
  aliases: ['Промокоды партнеров', 'Промокоды партнёров'],
  protect: 'leadership',
  frozenColumns: 1,
  description: 'Промокоды партнёров: по коду в «Аналитике» ставятся партнёр и скидка.',
  columns: [
    { key: 'code', header: 'Промокод', aliases: ['Код'], type: 'text', width: 140, note: 'Уникален среди всех партнёров; регистр не важен' },
    { key: 'partner', header: 'Партнёр', aliases: ['Партнер'], type: 'text', validation: { kind: 'sheetColumn', sheet: 'Партнёры', column: 'Партнёр', strict: false }, width: 180 },
    { key: 'discountPercent', header: 'Скидка, %', aliases: ['Скидка', 'Скидка %'], type: 'percent', validation: { kind: 'number', min: 0, max: 100, strict: true }, width: 90, note: 'Число процентов: 5 = 5 %' },
    { key: 'active', header: 'Активен', aliases: ['Активный'], type: 'checkbox', validation: { kind: 'checkbox' }, width: 80, note: 'Снимите галочку, чтобы код перестал действовать' },
    { key: 'comment', header: 'Комментарий', type: 'text', width: 320 },
  ],
  initial: PROMO_CODES.map(([code, partner, discountPercent, comment]) => ({ code, partner, discountPercent, active: true, comment })),
} satisfies SheetDefInput;
