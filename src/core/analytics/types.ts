// Shapes shared by the «Аналитика» rules. Column keys mirror sheets-templates/analytics.ts (a test keeps
// the two lists equal: the template widens its keys to `string`, so the union is spelled out here).
import type { LocalDate } from '../dates';
import type { StuckSettings } from './stuck';

export const ANALYTICS_KEYS = [
  'firstContactDate', 'manager', 'name', 'username', 'account', 'trafficSource', 'promoCode', 'partner',
  'discountPercent', 'plan', 'planPrice', 'discountedPrice', 'connectionDate',
  'stageFirstContact', 'stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stageWaiting',
  'stageRenegotiation', 'stagePaid', 'stageRefused',
  'currentStage', 'lastContact', 'questionnaireFilled', 'paidAmount', 'individualNumber', 'refusalReason',
  'unusualProject', 'projectInfo', 'problems', 'updatedAt', 'stuckSince',
] as const;
export type AnalyticsKey = (typeof ANALYTICS_KEYS)[number];

/** What a Sheets cell reads as: '' when empty, Date for date cells (Moscow midnight), TRUE/FALSE for checkboxes. */
export type CellValue = string | number | boolean | Date;

/** One «Аналитика» row keyed by column key. A column missing from the sheet may be absent or undefined. */
export type AnalyticsRow = Record<AnalyticsKey, CellValue>;

/** Cells to write back; only cells whose value must change. */
export type RowUpdates = Partial<Record<AnalyticsKey, CellValue>>;

export interface IdleSettings {
  /** N from Настройки (default 3). */
  idleDays: number;
  /** Count Mon–Fri only. */
  workingDays: boolean;
}

export interface EvalContext {
  /** Today in Moscow. */
  today: LocalDate;
  now: Date;
  tz: string;
  /** Source of the random digits of individual numbers; Math.random in production. */
  random: () => number;
  /** Individual numbers already used in the sheet, lower-case; a generated number is added. */
  takenNumbers: Set<string>;
  /** When given, the «Ожидание» rule is applied as part of the evaluation (daily sweep). */
  idle?: IdleSettings;
  /** When given, «Подвисла с» is computed; without it the cell is left as it is. */
  stuck?: StuckSettings;
}

export interface RowResult {
  updates: RowUpdates;
  problems: string[];
}

/** A row of the sheet together with its 1-based sheet row number (used in messages). */
export interface SheetRow {
  rowNumber: number;
  values: AnalyticsRow;
}

export interface SheetRowResult extends RowResult {
  rowNumber: number;
}

export interface SheetResult {
  rows: SheetRowResult[];
  /** Sheet-wide findings, one line per duplicate group. */
  problems: string[];
}
