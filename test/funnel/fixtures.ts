// Builders that read like «Аналитика»: a lead is a row with its stage dates, as Sheets returns them.
import { localDateToDate, localDateTimeToDate, type LocalDate } from '../../src/core/dates';
import { ANALYTICS_KEYS, type AnalyticsRow } from '../../src/core/analytics/types';

export const TZ = 'Europe/Moscow';

/** A date cell: midnight Moscow. */
export const d = (date: LocalDate): Date => localDateToDate(date, TZ);
/** A timestamp cell («Обновлено»): Moscow wall-clock time. */
export const at = (date: LocalDate, hour: number, minute = 0): Date => localDateTimeToDate(date, TZ, hour, minute);

export function blankRow(): AnalyticsRow {
  const r = {} as AnalyticsRow;
  for (const key of ANALYTICS_KEYS) r[key] = '';
  r.unusualProject = false;
  return r;
}

type Stage = 'Первичный контакт' | 'Переговоры' | 'Принимают решение' | 'Отправили ссылку' | 'Ожидание' |
  'Повторные переговоры' | 'Оплата' | 'Отказ';

const STAGE_COLUMN: Record<Stage, keyof AnalyticsRow> = {
  'Первичный контакт': 'stageFirstContact', 'Переговоры': 'stageNegotiation', 'Принимают решение': 'stageDeciding',
  'Отправили ссылку': 'stageLinkSent', 'Ожидание': 'stageWaiting', 'Повторные переговоры': 'stageRenegotiation',
  'Оплата': 'stagePaid', 'Отказ': 'stageRefused',
};

/**
 * A lead: first-contact date, manager, name, and the stages it reached (`{ 'Оплата': '2026-11-05' }`);
 * `extra` sets any other column.
 */
export function lead(
  firstContact: LocalDate | '', stages: Partial<Record<Stage, LocalDate | string>> = {}, extra: Partial<AnalyticsRow> = {},
): AnalyticsRow {
  const r = blankRow();
  r.firstContactDate = firstContact === '' ? '' : d(firstContact);
  r.manager = 'Светлана';
  r.name = 'Лид';
  for (const [stage, value] of Object.entries(stages) as [Stage, string][]) {
    r[STAGE_COLUMN[stage]] = /^\d{4}-\d{2}-\d{2}$/.test(value) ? d(value) : value;
  }
  return Object.assign(r, extra);
}
