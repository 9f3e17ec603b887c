// Every Russian sentence the «Аналитика» rules put into «Проблемы» (and the reference-sheet checks),
// kept together so the wording can be reviewed in one place.
import { formatRuDate, type LocalDate } from '../dates';

/** Long pasted values are shortened inside messages so «Проблемы» stays readable. */
export function quote(value: unknown): string {
  const text = String(value ?? '').trim();
  return `«${text.length > 40 ? `${text.slice(0, 39)}…` : text}»`;
}

function rowList(rows: number[]): string {
  const shown = rows.slice(0, 5).join(', ');
  const more = rows.length > 5 ? ` и ещё ${rows.length - 5}` : '';
  return rows.length === 1 ? `строке ${shown}` : `строках ${shown}${more}`;
}

export const msg = {
  // Dates
  impossibleDate: (typed: string) => `Дата ${quote(typed)} не существует`,
  notADate: (typed: unknown, column: string) => `Не удалось понять дату ${quote(typed)} в столбце «${column}»`,
  futureDate: (column: string, date: LocalDate) => `Дата в «${column}» (${formatRuDate(date)}) в будущем`,
  stageBeforeFirstContact: (column: string, date: LocalDate, first: LocalDate) =>
    `Дата в «${column}» (${formatRuDate(date)}) раньше даты первого взаимодействия (${formatRuDate(first)})`,
  // Required cells
  firstContactMissing: 'Не указана дата первого взаимодействия',
  nameMissing: 'Не указано имя',
  // Seed 001 «обязательно уточняем»: per-manager and per-source figures need both.
  managerMissing: 'Не указан менеджер',
  trafficSourceMissing: 'Не указан источник трафика',
  paidAndRefused: 'Заполнены и «Оплата», и «Отказ» — оставьте один этап',
  paidWithoutAmount: 'Оплата отмечена, но не указана оплаченная сумма',
  paidWithoutQuestionnaire: 'Оплата отмечена, но не указано, заполнена ли анкета',
  refusedWithoutReason: 'Отказ отмечен, но не указана причина отказа',
  badQuestionnaire: (typed: unknown) => `В «Заполнена ли анкета» нужно «Да» или «Нет», а не ${quote(typed)}`,
  // Amount
  amountNotPositive: (typed: unknown) => `Оплаченная сумма ${quote(typed)} должна быть больше нуля`,
  amountNotANumber: (typed: unknown) => `Оплаченная сумма ${quote(typed)} не похожа на число`,
  // Username
  badUsername: (typed: unknown) =>
    `Ник ${quote(typed)} не похож на Telegram username (нужно 5–32 латинских букв, цифр или _)`,
  duplicateUsername: (nick: string, rows: number[]) => `Ник ${nick} уже есть в ${rowList(rows)}`,
  // Account and source
  accountContradictsSource: (account: string, implied: string, chosen: string) =>
    `Аккаунт ${quote(account)} означает источник «${implied}», а выбран ${quote(chosen)}`,
  // Promo codes, partner, prices
  promoUnknown: (typed: unknown) => `Промокод ${quote(typed)} не найден в листе «Промокоды»`,
  promoInactive: (typed: unknown) => `Промокод ${quote(typed)} не активен`,
  promoWithoutDiscount: (code: string) => `У промокода «${code}» не указана скидка в листе «Промокоды»`,
  partnerContradictsPromo: (code: string, codePartner: string, chosen: string) =>
    `Промокод «${code}» принадлежит партнёру «${codePartner}», а в «Партнёр» указан ${quote(chosen)}`,
  planPriceMissing: (plan: unknown) => `Нет цены для плана ${quote(plan)} в листе «Тарифы»`,
  // Individual number
  badIndividualNumber: (typed: unknown) =>
    `Индивидуальный номер ${quote(typed)} не по образцу: 3 цифры, 2 латинские буквы, 3 цифры (например 417sa902)`,
  individualNumberLetters: (typed: unknown, expected: string) =>
    `Буквы в индивидуальном номере ${quote(typed)} не совпадают с ником или именем (ожидаются «${expected}»)`,
  individualNumberNoLetters: 'Не из чего составить индивидуальный номер: нет ника и имени с буквами',
  individualNumberExhausted: 'Не удалось подобрать свободный индивидуальный номер — впишите его вручную',
  duplicateIndividualNumber: (value: string, rows: number[]) =>
    `Индивидуальный номер «${value}» уже есть в ${rowList(rows)}`,
  // Pasted formulas
  formulaText: (column: string) => `Значение в «${column}» начинается с «=» — похоже на вставленную формулу, проверьте его`,
  // Sheet-wide summaries
  sheetDuplicateNumber: (value: string, rows: number[]) =>
    `Индивидуальный номер «${value}» повторяется в строках ${rows.join(', ')}`,
  sheetDuplicateNick: (nick: string, rows: number[]) => `Ник ${nick} повторяется в строках ${rows.join(', ')}`,
} as const;

/** Problems found in the reference sheets (Промокоды, Тарифы, Партнёры). */
export const refMsg = {
  duplicateCode: (code: string, rows: number[]) =>
    `Промокод «${code}» встречается в листе «Промокоды» несколько раз (строки ${rows.join(', ')})`,
  duplicateCodeAcrossPartners: (code: string, partners: string[]) =>
    `Промокод «${code}» записан за разными партнёрами: ${partners.map((p) => `«${p}»`).join(', ')}`,
  badPercent: (sheet: string, row: number, typed: unknown) =>
    `Лист «${sheet}», строка ${row}: процент ${quote(typed)} не число от 0 до 100`,
  codeWithoutPartner: (code: string, row: number) => `Лист «Промокоды», строка ${row}: у промокода «${code}» не указан партнёр`,
  codeWithoutDiscount: (code: string, row: number) => `Лист «Промокоды», строка ${row}: у промокода «${code}» не указана скидка`,
  unknownPartner: (code: string, partner: string) =>
    `Партнёр «${partner}» промокода «${code}» отсутствует в листе «Партнёры»`,
  duplicatePlan: (plan: string) => `План «${plan}» указан в листе «Тарифы» несколько раз`,
  badPrice: (plan: string, typed: unknown) => `Цена плана «${plan}» в листе «Тарифы» не число больше нуля: ${quote(typed)}`,
  duplicatePartner: (partner: string) => `Партнёр «${partner}» указан в листе «Партнёры» несколько раз`,
} as const;
