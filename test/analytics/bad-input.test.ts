// What a manager may type into «Аналитика», and exactly what «Проблемы» says about it. The typed value is
// never changed or removed, unless a rule normalises it (a date string becomes a date, a link a @nick).
import { describe, expect, it } from 'vitest';
import { evaluateSheet, type AnalyticsKey, type AnalyticsRow, type CellValue } from '../../src/core/analytics';
import { ctx, d, lead, reference } from './fixtures';

interface Case {
  what: string;
  cells: Partial<AnalyticsRow>;
  /** The full «Проблемы» list of the row, in order. */
  problems: string[];
  /** Cells the rules rewrite, with their new value; every other typed cell must stay untouched. */
  normalised?: Partial<Record<AnalyticsKey, CellValue>>;
  /** Other rows of the sheet (rows 3, 4, …); the case row is row 2. */
  others?: Partial<AnalyticsRow>[];
}

const paidOk = { paidAmount: 1200, questionnaireFilled: 'Да', individualNumber: '417sk902' };
const FORMULA = '=IMPORTXML("http://x","//a")';
const formula = (column: string) => `Значение в «${column}» начинается с «=» — похоже на вставленную формулу, проверьте его`;
const badNick = (typed: string) => `Ник «${typed}» не похож на Telegram username (нужно 5–32 латинских букв, цифр или _)`;
const notADate = (typed: string, column: string) => `Не удалось понять дату «${typed}» в столбце «${column}»`;

const cases: Case[] = [
  // Dates
  { what: 'impossible date in a stage', cells: { stageFirstContact: '31.02.2026' }, problems: ['Дата «31.02.2026» не существует'] },
  { what: 'impossible day and month without a year', cells: { stageNegotiation: '30.02' }, problems: ['Дата «30.02» не существует'] },
  { what: 'day 32', cells: { lastContact: '32.11.2026' }, problems: ['Дата «32.11.2026» не существует'] },
  { what: 'month 13 in ISO form', cells: { stageDeciding: '2026-13-01' }, problems: ['Дата «2026-13-01» не существует'] },
  { what: 'a word instead of a date', cells: { stageDeciding: 'вчера' }, problems: [notADate('вчера', 'Принимают решение')] },
  { what: 'a stage mark where only a date is allowed', cells: { connectionDate: 'x' }, problems: [notADate('x', 'Дата подключения')] },
  { what: 'text in the first-contact date', cells: { firstContactDate: 'скоро' }, problems: [notADate('скоро', 'Дата первого взаимодействия')] },
  { what: 'a number that is no serial date', cells: { stageLinkSent: 12345 }, problems: [notADate('12345', 'Отправили ссылку и ждём оплату')] },
  { what: 'a typed date with time', cells: { stageLinkSent: '21.11.2026 14:00' }, problems: [notADate('21.11.2026 14:00', 'Отправили ссылку и ждём оплату')] },
  {
    what: 'a stage date in the future', cells: { stageFirstContact: '25.11.2026' },
    problems: ['Дата в «Первичный контакт» (25.11.2026) в будущем'],
    normalised: { stageFirstContact: d('2026-11-25'), currentStage: 'Первичный контакт' },
  },
  {
    what: 'a first-contact date in the future', cells: { firstContactDate: d('2026-12-01') },
    problems: ['Дата в «Дата первого взаимодействия» (01.12.2026) в будущем'],
  },
  {
    what: 'a last contact in the future', cells: { lastContact: '2026-11-30' },
    problems: ['Дата в «Последний контакт» (30.11.2026) в будущем'], normalised: { lastContact: d('2026-11-30') },
  },
  {
    what: 'a stage before the first contact', cells: { stageFirstContact: '2026-11-05' },
    problems: ['Дата в «Первичный контакт» (05.11.2026) раньше даты первого взаимодействия (10.11.2026)'],
    normalised: { stageFirstContact: d('2026-11-05'), currentStage: 'Первичный контакт', lastContact: d('2026-11-05') },
  },
  // Required cells
  { what: 'no first-contact date', cells: { firstContactDate: '', stageFirstContact: d('2026-11-12'), lastContact: d('2026-11-12'), currentStage: 'Первичный контакт' }, problems: ['Не указана дата первого взаимодействия'] },
  { what: 'no name', cells: { name: '' }, problems: ['Не указано имя'] },
  { what: 'a name of spaces only', cells: { name: '   ' }, problems: ['Не указано имя'] },
  // Payment and refusal
  {
    what: 'paid and refused at once',
    cells: { ...paidOk, stagePaid: d('2026-11-20'), stageRefused: d('2026-11-20'), refusalReason: 'Дорого', lastContact: d('2026-11-20'), currentStage: 'Отказ' },
    problems: ['Заполнены и «Оплата», и «Отказ» — оставьте один этап'],
  },
  {
    what: 'paid without amount', cells: { ...paidOk, paidAmount: '', stagePaid: d('2026-11-20'), lastContact: d('2026-11-20'), currentStage: 'Оплата' },
    problems: ['Оплата отмечена, но не указана оплаченная сумма'],
  },
  {
    what: 'paid without the questionnaire answer', cells: { ...paidOk, questionnaireFilled: '', stagePaid: d('2026-11-20'), lastContact: d('2026-11-20'), currentStage: 'Оплата' },
    problems: ['Оплата отмечена, но не указано, заполнена ли анкета'],
  },
  {
    what: 'a questionnaire answer that is neither yes nor no', cells: { questionnaireFilled: 'может быть' },
    problems: ['В «Заполнена ли анкета» нужно «Да» или «Нет», а не «может быть»'],
  },
  {
    what: 'refused without a reason', cells: { stageRefused: d('2026-11-20'), lastContact: d('2026-11-20'), currentStage: 'Отказ' },
    problems: ['Отказ отмечен, но не указана причина отказа'],
  },
  {
    what: 'a word in «Оплата»', cells: { ...paidOk, stagePaid: 'оплачено' },
    problems: [notADate('оплачено', 'Оплата')],
  },
  // Amounts
  { what: 'amount with a space and a decimal comma', cells: { paidAmount: '1 200,50' }, problems: [], normalised: { paidAmount: 1200.5 } },
  { what: 'amount with a euro sign', cells: { paidAmount: '€1200' }, problems: [], normalised: { paidAmount: 1200 } },
  { what: 'amount with a decimal dot', cells: { paidAmount: '1200.50' }, problems: [], normalised: { paidAmount: 1200.5 } },
  { what: 'negative amount', cells: { paidAmount: -500 }, problems: ['Оплаченная сумма «-500» должна быть больше нуля'] },
  { what: 'zero amount', cells: { paidAmount: 0 }, problems: ['Оплаченная сумма «0» должна быть больше нуля'] },
  { what: 'negative typed amount', cells: { paidAmount: '-1 200' }, problems: ['Оплаченная сумма «-1 200» должна быть больше нуля'] },
  { what: 'text amount', cells: { paidAmount: 'оплатил' }, problems: ['Оплаченная сумма «оплатил» не похожа на число'] },
  { what: 'doubled separator', cells: { paidAmount: '12..5' }, problems: ['Оплаченная сумма «12..5» не похожа на число'] },
  // Username
  { what: 'too short a nick', cells: { username: 'ab' }, problems: [badNick('ab')] },
  { what: 'too short a nick in a link', cells: { username: 'https://t.me/ab' }, problems: [badNick('https://t.me/ab')] },
  { what: 'a Cyrillic nick', cells: { username: '@иван_петров' }, problems: [badNick('@иван_петров')] },
  { what: 'a phone number', cells: { username: '+7 999 123-45-67' }, problems: [badNick('+7 999 123-45-67')] },
  { what: 'an invite link', cells: { username: 'https://t.me/joinchat/abcdef' }, problems: [badNick('https://t.me/joinchat/abcdef')] },
  { what: 'a nick of 33 characters', cells: { username: `@${'a'.repeat(33)}` }, problems: [badNick(`@${'a'.repeat(33)}`)] },
  { what: 'a nick with spaces', cells: { username: ' sasha k ' }, problems: [], normalised: { username: '@sashak' } },
  { what: 'a t.me link', cells: { username: 'https://t.me/sasha_k/' }, problems: [], normalised: { username: '@sasha_k' } },
  {
    what: 'a nick already used on another row', cells: {}, others: [{ username: '@Sasha_K' }],
    problems: ['Ник @sasha_k уже есть в строке 3'],
  },
  // Account and source
  {
    what: 'a Google account with another source', cells: { account: 'Google (BestpaymentsGA)', trafficSource: 'Сарафан' },
    problems: ['Аккаунт «Google (BestpaymentsGA)» означает источник «Гугл», а выбран «Сарафан»'],
  },
  {
    what: 'a Yandex account with the Google source', cells: { account: 'Яндекс (BestpaymentsYA)', trafficSource: 'Гугл' },
    problems: ['Аккаунт «Яндекс (BestpaymentsYA)» означает источник «Яндекс», а выбран «Гугл»'],
  },
  // Seed 001 «обязательно уточняем»: the source and the manager, whoever else is known
  { what: 'no manager', cells: { manager: '' }, problems: ['Не указан менеджер'] },
  { what: 'a manager of spaces only', cells: { manager: '   ' }, problems: ['Не указан менеджер'] },
  { what: 'no traffic source and nothing to infer it from', cells: { trafficSource: '' }, problems: ['Не указан источник трафика'] },
  { what: 'no traffic source, but a Google account', cells: { trafficSource: '', account: 'Google (BestpaymentsGA)' }, problems: [], normalised: { trafficSource: 'Гугл' } },
  // Promo codes
  { what: 'an unknown promo code', cells: { promoCode: 'xyz' }, problems: ['Промокод «xyz» не найден в листе «Промокоды»'] },
  { what: 'an inactive promo code', cells: { promoCode: 'ALEX10' }, problems: ['Промокод «ALEX10» не активен'] },
  { what: 'a promo code with an inner space', cells: { promoCode: 'STRIPE 5%' }, problems: ['Промокод «STRIPE 5%» не найден в листе «Промокоды»'] },
  {
    what: 'a promo code typed with Cyrillic look-alikes', cells: { promoCode: 'рrоstо5', trafficSource: '' }, problems: [],
    normalised: { promoCode: 'prosto5', partner: 'Александр Сидоренко', discountPercent: 5, trafficSource: 'Партнёр' },
  },
  {
    what: 'a promo code belonging to another partner than the chosen one', cells: { promoCode: 'prosto5', partner: 'Юрий Рыбак', trafficSource: '' },
    problems: ['Промокод «prosto5» принадлежит партнёру «Александр Сидоренко», а в «Партнёр» указан «Юрий Рыбак»'],
    normalised: { discountPercent: 5, trafficSource: 'Партнёр' },
  },
  // Plans
  { what: 'a plan without a price', cells: { plan: 'Pro' }, problems: ['Нет цены для плана «Pro» в листе «Тарифы»'] },
  { what: 'a plan missing from Тарифы', cells: { plan: 'Enterprise' }, problems: ['Нет цены для плана «Enterprise» в листе «Тарифы»'] },
  // Individual number
  {
    what: 'an individual number of the wrong shape', cells: { individualNumber: '12ab345' },
    problems: ['Индивидуальный номер «12ab345» не по образцу: 3 цифры, 2 латинские буквы, 3 цифры (например 417sa902)'],
  },
  {
    what: 'an individual number with letters of nobody', cells: { individualNumber: '417xx902' },
    problems: ['Буквы в индивидуальном номере «417xx902» не совпадают с ником или именем (ожидаются «sk»)'],
  },
  {
    what: 'an individual number already given to another client', cells: { individualNumber: '417sk902' },
    others: [{ name: 'Света', username: '@sveta_k', individualNumber: '417SK902' }],
    problems: ['Индивидуальный номер «417sk902» уже есть в строке 3'],
  },
  // Formulas pasted as text
  { what: 'a formula in the name', cells: { name: FORMULA }, problems: [formula('Имя')] },
  { what: 'a formula in the promo code', cells: { promoCode: FORMULA }, problems: [formula('Промокод')] },
  { what: 'a formula in the project', cells: { projectInfo: '=HYPERLINK("http://evil","a")' }, problems: [formula('Что за проект?')] },
  { what: 'a formula in the amount', cells: { paidAmount: '=1+1' }, problems: [formula('Оплаченная сумма')] },
  { what: 'a formula in a stage', cells: { stageNegotiation: ' =TODAY()' }, problems: [formula('Переговоры и отправка планов')] },
  { what: 'a formula in the username', cells: { username: FORMULA }, problems: [formula('Телеграм username')] },
];

describe('bad input catalogue', () => {
  it('has at least 45 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });

  it.each(cases)('$what', ({ cells, problems, normalised = {}, others = [] }) => {
    const rows = [lead(cells), ...others.map((o) => lead(o))].map((values, i) => ({ rowNumber: i + 2, values }));
    const result = evaluateSheet(rows, reference(), ctx()).rows[0];

    expect(result.problems).toEqual(problems);
    expect(result.updates.problems ?? rows[0].values.problems).toBe(problems.join('; '));
    for (const key of Object.keys(cells) as AnalyticsKey[]) {
      if (key in normalised) continue;
      expect(result.updates, `«${key}» must keep what was typed`).not.toHaveProperty(key);
    }
    for (const [key, value] of Object.entries(normalised)) {
      expect(result.updates[key as AnalyticsKey]).toEqual(value);
    }
  });
});
