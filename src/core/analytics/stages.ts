// Stage columns: the funnel order, their headers, and what follows from their dates.
import { analyticsSheet, STAGE_KEYS, type StageKey } from '../../../sheets-templates/analytics';
import type { LocalDate } from '../dates';
import type { AnalyticsKey } from './types';

export { STAGE_KEYS, type StageKey };

const HEADERS: Record<string, string> = Object.fromEntries(analyticsSheet.columns.map((c) => [c.key, c.header]));

/** Header text of a column as the template names it (used in messages and in «Текущий этап»). */
export function headerOf(key: AnalyticsKey): string {
  return HEADERS[key] ?? key;
}

/** Every column holding a calendar date. */
export const DATE_KEYS: readonly AnalyticsKey[] = ['firstContactDate', 'connectionDate', ...STAGE_KEYS, 'lastContact'];

/** Stages that count as the lead's own activity: all but «Ожидание», which the idle rule writes. */
export const ACTIVITY_STAGE_KEYS: readonly StageKey[] = STAGE_KEYS.filter((k) => k !== 'stageWaiting');

export type StageDates = Partial<Record<StageKey, LocalDate>>;

/**
 * «Текущий этап»: the header of the stage with the latest date; on a tie the later stage in funnel order
 * wins (a lead marked «Переговоры» and «Оплата» on the same day is paid). '' when no stage has a date.
 */
export function currentStageHeader(dates: StageDates): string {
  let best: StageKey | null = null;
  let bestDate = '';
  for (const key of STAGE_KEYS) {
    const d = dates[key];
    if (d !== undefined && d >= bestDate) {
      best = key;
      bestDate = d;
    }
  }
  return best === null ? '' : headerOf(best);
}

/** Newest date among the activity stages, or null. */
export function newestActivityStage(dates: StageDates): LocalDate | null {
  let newest: LocalDate | null = null;
  for (const key of ACTIVITY_STAGE_KEYS) {
    const d = dates[key];
    if (d !== undefined && (newest === null || d > newest)) newest = d;
  }
  return newest;
}
