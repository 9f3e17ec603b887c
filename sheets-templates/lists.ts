// Every dropdown list of the product. The «Справочники» sheet is generated from this module (one
// column per list) and column validations refer to a list by its key, so a list lives only here.

export interface ListDef {
  /** Stable identifier used by column validations (`{ kind: 'list', list: key }`). */
  key: string;
  /** Header of the list's column on «Справочники». */
  header: string;
  /** Real values setup writes into a fresh «Справочники». */
  values: readonly string[];
  /** Values for the local demo workbook when they differ (e.g. invented manager names). */
  demoValues?: readonly string[];
  note?: string;
  /**
   * While the list is empty, a strict dropdown of it accepts any value (Google marks it) instead of
   * rejecting everything; setup makes it strict once the list has a value (see src/jobs/setup-lists.ts).
   */
  openWhileEmpty?: boolean;
  /**
   * The list is a column of another sheet rather than of «Справочники» (the managers live on «Менеджеры»,
   * next to their emails and commission): dropdowns read that column.
   */
  source?: { sheet: string; column: string };
}

/**
 * Refusal reasons: seed 002 (AmoCRM «Причины отказа») with its distinctions kept — «Нет денег» (the budget
 * does not allow) is not «Не устроила цена» (the price was judged too high), «Некорректные данные» (wrong
 * phone, someone else answers) is not «Не оставлял заявку» — next to the reasons of this business, which
 * connects Stripe accounts through Telegram (seed 001: site requirements, no shop, verification documents).
 * The seed's course-only reasons (parts of a programme, form of study) have no counterpart here. A value
 * typed by hand, or one of an earlier version of this list, stays in its cell and is counted as typed.
 */
export const REFUSAL_REASONS = [
  'Нет денег',
  'Не устроила цена',
  'Перестал выходить на связь',
  'Контакт не состоялся',
  'Выбрал другое решение',
  'Сайт не подходит под требования',
  'Тематика не подходит для Stripe',
  'Нет сайта / магазина',
  'Нет документов для верификации',
  'Не смог оплатить',
  'Не подошёл тариф',
  'Не заинтересовало',
  'Вернётся позже',
  'Некорректные данные',
  'Не оставлял заявку',
  'Дубль',
  'Тест',
  'Без причины (согласовано с РОП)',
] as const;

export const LISTS = [
  {
    // Ships empty (the names are the team's): a fresh spreadsheet must not reject every manager's name.
    // One place for a manager's name, email and commission: the «Менеджеры» sheet (sheets-templates/managers.ts).
    key: 'managers', header: 'Менеджеры', values: [], demoValues: ['Светлана', 'Марина', 'Олег'], openWhileEmpty: true,
    source: { sheet: 'Менеджеры', column: 'Менеджер' },
  },
  { key: 'accounts', header: 'Аккаунты', values: ['Основной', 'Google (BestpaymentsGA)', 'Яндекс (BestpaymentsYA)'] },
  { key: 'trafficSources', header: 'Источники трафика', values: ['Гугл', 'Яндекс', 'Сарафан', 'Канал на YouTube', 'Партнёр'] },
  { key: 'plans', header: 'Планы', values: ['Personal', 'Lite', 'Pro'] },
  { key: 'refusalReasons', header: 'Причины отказа', values: REFUSAL_REASONS, note: 'Можно вписать и свою причину' },
  { key: 'secretaryChannels', header: 'Каналы секретаря', values: ['Входящий звонок', 'Заявка с сайта', 'Входящее письмо', 'Звонок на консультацию'] },
  { key: 'secretaryOutcomes', header: 'Результаты секретаря', values: ['Заявка оформлена', 'Перезвонить', 'Консультация', 'Отказ', 'Спам'] },
  { key: 'invoiceChannels', header: 'Каналы счетов', values: ['Входящий звонок', 'Исходящий звонок', 'Заявка'] },
  { key: 'personTypes', header: 'Лицо', values: ['Физ.', 'Юр.'] },
  { key: 'yesNo', header: 'Да / Нет', values: ['Да', 'Нет'] },
] as const satisfies readonly ListDef[];

export type ListKey = (typeof LISTS)[number]['key'];

const listsByKey = new Map<string, ListDef>(LISTS.map((l) => [l.key, l]));

export function listByKey(key: string): ListDef | undefined {
  return listsByKey.get(key);
}

/** The values of a list; `demo` picks the demo values where a list has them. */
export function listValues(key: ListKey, demo = false): readonly string[] {
  const list = listsByKey.get(key)!;
  return demo && list.demoValues ? list.demoValues : list.values;
}

/** List values other modules compare against. */
export const YES = 'Да';
export const NO = 'Нет';
export const SECRETARY_CALLBACK = 'Перезвонить';
