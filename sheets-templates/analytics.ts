// «Аналитика»: one row per lead (SPEC §3.1, seed 001 «Отчетность»).
import { ANALYTICS_DEMO } from './analytics-demo';
import type { SheetDefInput } from './schema';

/** Stage columns in funnel order; each holds the date the lead reached the stage. */
export const STAGE_KEYS = [
  'stageFirstContact',
  'stageNegotiation',
  'stageDeciding',
  'stageLinkSent',
  'stageWaiting',
  'stageRenegotiation',
  'stagePaid',
  'stageRefused',
] as const;
export type StageKey = (typeof STAGE_KEYS)[number];

export const analyticsSheet = {
  key: 'analytics',
  name: 'Аналитика',
  aliases: ['Аналитика лидов'],
  frozenColumns: 3,
  description: 'Один лид — одна строка; даты этапов, автоматические скидки, цены и проблемы.',
  columns: [
    { key: 'firstContactDate', header: 'Дата первого взаимодействия', aliases: ['Дата первого контакта', 'Дата обращения'], type: 'date', validation: { kind: 'date' }, width: 120 },
    { key: 'manager', header: 'Менеджер', type: 'text', validation: { kind: 'list', list: 'managers', strict: true }, width: 130 },
    { key: 'name', header: 'Имя', aliases: ['Имя в телеграм'], type: 'text', width: 150 },
    { key: 'username', header: 'Телеграм username', aliases: ['Telegram username', 'Username', 'Ник в телеграм', 'Телеграм'], type: 'text', width: 150 },
    { key: 'account', header: 'Аккаунт', aliases: ['Аккаунт ТГ'], type: 'text', validation: { kind: 'list', list: 'accounts', strict: true }, width: 170 },
    { key: 'trafficSource', header: 'Источник трафика', aliases: ['Источник'], type: 'text', validation: { kind: 'list', list: 'trafficSources', strict: true }, width: 140 },
    { key: 'promoCode', header: 'Промокод', type: 'text', width: 120, note: 'Проверяется по листу «Промокоды»' },
    { key: 'partner', header: 'Партнёр', aliases: ['Партнер'], type: 'text', validation: { kind: 'sheetColumn', sheet: 'Партнёры', column: 'Партнёр', strict: false }, width: 160 },
    { key: 'discountPercent', header: 'Скидка, %', aliases: ['Скидка'], type: 'percent', edit: 'script', width: 90 },
    { key: 'plan', header: 'Интересующий план', aliases: ['План', 'Тариф'], type: 'text', validation: { kind: 'list', list: 'plans', strict: true }, width: 120 },
    { key: 'planPrice', header: 'Цена плана', type: 'money', edit: 'script', width: 100 },
    { key: 'discountedPrice', header: 'Цена со скидкой', type: 'money', edit: 'script', width: 110 },
    { key: 'connectionDate', header: 'Дата подключения', type: 'date', validation: { kind: 'date' }, width: 120 },
    { key: 'stageFirstContact', header: 'Первичный контакт', type: 'date', width: 110, note: 'Дата этапа: введите дату или x, +, ✓ — встанет сегодняшняя' },
    { key: 'stageNegotiation', header: 'Переговоры и отправка планов', aliases: ['Переговоры'], type: 'date', width: 120, note: 'Дата этапа: введите дату или x, +, ✓ — встанет сегодняшняя' },
    { key: 'stageDeciding', header: 'Принимают решение', type: 'date', width: 110, note: 'Дата этапа: введите дату или x, +, ✓ — встанет сегодняшняя' },
    { key: 'stageLinkSent', header: 'Отправили ссылку и ждём оплату', aliases: ['Отправили ссылку и ждем оплату', 'Отправили ссылку'], type: 'date', width: 130, note: 'Дата этапа: введите дату или x, +, ✓ — встанет сегодняшняя' },
    { key: 'stageWaiting', header: 'Ожидание', type: 'date', width: 110, note: 'Ставится сам после N дней без движения (N — в «Настройках»); можно и вручную' },
    { key: 'stageRenegotiation', header: 'Повторные переговоры', type: 'date', width: 120, note: 'Дата этапа: введите дату или x, +, ✓ — встанет сегодняшняя' },
    { key: 'stagePaid', header: 'Оплата', type: 'date', width: 110, note: 'Дата этапа: введите дату или x, +, ✓ — встанет сегодняшняя' },
    { key: 'stageRefused', header: 'Отказ', type: 'date', width: 110, note: 'Дата этапа: введите дату или x, +, ✓ — встанет сегодняшняя' },
    { key: 'currentStage', header: 'Текущий этап', type: 'text', edit: 'script', width: 170 },
    { key: 'lastContact', header: 'Последний контакт', type: 'date', width: 110 },
    { key: 'questionnaireFilled', header: 'Заполнена ли анкета', aliases: ['Анкета'], type: 'text', validation: { kind: 'values', values: ['Да', 'Нет'], strict: true }, width: 100 },
    { key: 'paidAmount', header: 'Оплаченная сумма', aliases: ['Сумма оплаты'], type: 'money', validation: { kind: 'number', min: 0, strict: false }, width: 110 },
    { key: 'individualNumber', header: 'Индивидуальный номер', type: 'text', width: 120, note: '3 цифры + первая и последняя латинская буква ника + 3 цифры, напр. 417sa902' },
    { key: 'refusalReason', header: 'Причина отказа в случае не оплаты', aliases: ['Причина отказа'], type: 'text', validation: { kind: 'list', list: 'refusalReasons', strict: false }, width: 180 },
    { key: 'unusualProject', header: 'Не обычный проект?', aliases: ['Необычный проект?', 'Не обычный проект'], type: 'checkbox', validation: { kind: 'checkbox' }, width: 90 },
    { key: 'projectInfo', header: 'Что за проект?', aliases: ['Что за проект'], type: 'text', width: 200 },
    { key: 'problems', header: 'Проблемы', type: 'text', edit: 'script', width: 260 },
    { key: 'updatedAt', header: 'Обновлено', type: 'datetime', edit: 'script', width: 130 },
    // After «Обновлено», which every edit writes: a changed mark joins that write, an unchanged one splits no run.
    { key: 'stuckSince', header: 'Подвисла с', aliases: ['Подвисла'], type: 'date', edit: 'script', width: 110, note: 'Ставит скрипт: этап лида не менялся дольше N дней (N — «Дней до «Подвисла»» в «Настройках»). Очищается, когда этап сдвинулся' },
  ],
  demo: ANALYTICS_DEMO,
} satisfies SheetDefInput;
