// Stage columns: the funnel order, their headers, and what follows from their dates.
import { analyticsSheet, STAGE_KEYS, type StageKey } from '../../../sheets-templates/analytics';
import type { LocalDate } from '../dates';
import type { AnalyticsKey, AnalyticsRow, CellValue } from './types';

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
 * A StageDates with every stage present (undefined): one shape from the start, so filling it adds no
 * properties. Readers test `!== undefined`, never `in`.
 */
export function newStageDates(): StageDates {
  // `satisfies`: a stage added to STAGE_KEYS must be added here too.
  return {
    stageFirstContact: undefined, stageNegotiation: undefined, stageDeciding: undefined, stageLinkSent: undefined,
    stageWaiting: undefined, stageRenegotiation: undefined, stagePaid: undefined, stageRefused: undefined,
  } satisfies Record<StageKey, undefined>;
}

/**
 * The stage cells of a row into `out` (by STAGE_KEYS index), read by name: a keyed read (row[key]) per
 * stage is a megamorphic lookup, a large share of a pass over 100,000 rows. Should STAGE_KEYS change and
 * this list not, the keyed loop is used.
 */
function readStageValuesByName(r: AnalyticsRow, out: Array<CellValue | undefined>): void {
  out[0] = r.stageFirstContact;
  out[1] = r.stageNegotiation;
  out[2] = r.stageDeciding;
  out[3] = r.stageLinkSent;
  out[4] = r.stageWaiting;
  out[5] = r.stageRenegotiation;
  out[6] = r.stagePaid;
  out[7] = r.stageRefused;
}
export const readStageValues: (row: AnalyticsRow, out: Array<CellValue | undefined>) => void = STAGE_KEYS.join() === [
  'stageFirstContact', 'stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stageWaiting', 'stageRenegotiation',
  'stagePaid', 'stageRefused',
].join() ? readStageValuesByName : (row, out) => STAGE_KEYS.forEach((key, i) => { out[i] = row[key]; });

export function clearStageDates(dates: StageDates): void {
  for (const key of STAGE_KEYS) dates[key] = undefined;
}

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
