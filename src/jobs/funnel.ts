// «Воронка» (SPEC §3.5): the refresh job and the «needs refresh» flag. A refresh costs the same few
// service calls whatever the number of leads: one read of the «Аналитика» columns managers type (or the
// morning tick's shared read), one read of the period selector, one write of the block plus its number
// formats, and one clear when the block got shorter.
import { templateByKey } from '../../sheets-templates';
import type { AnalyticsKey, AnalyticsRow } from '../core/analytics';
import { STAGE_KEYS } from '../core/analytics/stages';
import { MOSCOW } from '../core/dates';
import { DEFAULT_SETTINGS } from '../core/settings';
import { computeFunnel, FUNNEL_KEYS, funnelDashboard, parseFunnelPeriod, type FunnelPeriod } from '../core/funnel';
import { findSheet } from '../gas/sheets';
import { hasColumns, readTable, rowReader, type Table } from '../gas/table';
import { withRetry } from '../gas/retry';
import type { JobClock } from './analytics';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const ANALYTICS = templateByKey('analytics');
const FUNNEL = templateByKey('funnel');
/** Document property: set when «Аналитика» changed in a way the dashboard shows. */
const STALE_KEY = 'funnel:stale';
/** Document property: when «Воронка» was last drawn (ms). */
const DRAWN_KEY = 'funnel:drawnAt';
/**
 * The tick redraws a stale «Воронка» at most this often. A full redraw reads «Аналитика» (≈ 1 min of
 * trigger runtime at 100,000 leads); redrawing after every edit burned hours of the owner's 90 min/day
 * on a busy day (issue 16). Edits after a quiet hour are still shown by the next tick.
 */
export const FUNNEL_REDRAW_INTERVAL_MS = 60 * 60_000;

/** Columns whose edit changes a number on «Воронка»; other edits (names, nicks, notes) do not. */
export const FUNNEL_COLUMNS: ReadonlySet<string> = new Set<AnalyticsKey>([
  'firstContactDate', 'manager', 'trafficSource', 'promoCode', 'partner', 'plan', 'paidAmount', 'refusalReason',
  ...STAGE_KEYS,
]);

export function touchesFunnel(keys: readonly string[] | undefined): boolean {
  return keys !== undefined && keys.some((k) => FUNNEL_COLUMNS.has(k));
}

/** The period selector of the template (the only cell of «Воронка» a user sets). */
export function periodControl() {
  const control = FUNNEL.controls.find((c) => c.key === 'period');
  if (!control) throw new Error('funnel template has no period control');
  return control;
}

/** `documentProperties`: all document properties when the caller has already read them (no extra call). */
export function isFunnelStale(documentProperties?: Record<string, string>): boolean {
  if (documentProperties) return STALE_KEY in documentProperties;
  return withRetry(() => PropertiesService.getDocumentProperties().getProperty(STALE_KEY)) !== null;
}

/**
 * Whether the tick should redraw now: marked stale, and not drawn in the last hour (or never, or at a
 * time ahead of `now` — a clock that moved back must not hold the dashboard for long).
 */
export function funnelRedrawDue(documentProperties: Record<string, string>, now: number): boolean {
  if (!(STALE_KEY in documentProperties)) return false;
  const drawnAt = Number(documentProperties[DRAWN_KEY]);
  if (!Number.isFinite(drawnAt) || drawnAt > now) return true;
  return now - drawnAt >= FUNNEL_REDRAW_INTERVAL_MS;
}

/** The flag holds when it was set, so a refresh from an earlier read can tell it is still stale. */
export function markFunnelStale(): void {
  withRetry(() => PropertiesService.getDocumentProperties().setProperty(STALE_KEY, String(Date.now())));
}

/**
 * Marks «Воронка» for the very next tick, past the hourly bound: what it shows is the script's own fault,
 * not a person's edit (a redraw that stopped halfway, a sweep retried after today's drawing).
 */
export function markFunnelRedrawNow(): void {
  const props = PropertiesService.getDocumentProperties();
  withRetry(() => props.setProperty(STALE_KEY, String(Date.now())));
  withRetry(() => props.deleteProperty(DRAWN_KEY));
}

/**
 * Clears the flag. With `readAt` (when the refresh's «Аналитика» was read), a flag set at or after that
 * moment stays: the edit that set it is not in the read.
 */
export function clearFunnelStale(readAt?: number): void {
  const props = PropertiesService.getDocumentProperties();
  if (readAt !== undefined) {
    const markedAt = withRetry(() => props.getProperty(STALE_KEY));
    if (markedAt === null || Number(markedAt) >= readAt) return;
  }
  withRetry(() => props.deleteProperty(STALE_KEY));
}

export interface FunnelJobReport {
  period: FunnelPeriod;
  /** Data rows of «Аналитика» read (including empty ones). */
  rows: number;
  /** Leads in the chosen period. */
  leads: number;
  /** Rows of the written block (content only). */
  blockRows: number;
  /** Rows below the new block that a longer previous block left and this refresh cleared. */
  clearedRows: number;
  /** A1 address of the stage table the chart shows. */
  chartA1: string;
  /** Not refreshed now: «Аналитика» is larger than `maxCells` (left for the schedule). */
  deferred?: boolean;
  missingSheet?: string;
}

export interface FunnelRefreshOptions {
  /** Shown in money headers; callers that hold «Настройки» pass it (default: the default currency). */
  currency?: string;
  /**
   * Refresh only when «Аналитика» holds at most this many cells (rows × columns); larger sheets are
   * left stale for the schedule. The edit trigger uses it to stay far below its 30 s limit.
   */
  maxCells?: number;
  /** «Аналитика» as already read by the same run (e.g. the tick's sweep), so the sheet is read once. */
  analytics?: Table;
}

/**
 * Rewrites the «Воронка» block from «Аналитика» for the period chosen in the selector, and clears the
 * stale flag. The caller holds the script lock. The selector cell is read, never written.
 */
export function runFunnelRefresh(ss: Spreadsheet, clock: JobClock, opts: FunnelRefreshOptions = {}): FunnelJobReport {
  const control = periodControl();
  const report: FunnelJobReport = { period: parseFunnelPeriod(''), rows: 0, leads: 0, blockRows: 0, clearedRows: 0, chartA1: '' };
  const analyticsSheet = findSheet(ss, ANALYTICS);
  const funnelSheet = findSheet(ss, FUNNEL);
  if (!analyticsSheet || !funnelSheet) return { ...report, missingSheet: (analyticsSheet ? FUNNEL : ANALYTICS).name };
  if (opts.maxCells !== undefined) {
    const cells = withRetry(() => analyticsSheet.getLastRow()) * withRetry(() => analyticsSheet.getLastColumn());
    if (cells > opts.maxCells) {
      markFunnelStale();
      return { ...report, deferred: true };
    }
  }
  // Cleared before reading: an edit after the read marks it again, so no change is ever lost. A table
  // read earlier in the run clears it only when no edit marked it since that read.
  const shared = opts.analytics && hasColumns(opts.analytics, FUNNEL_KEYS) ? opts.analytics : null;
  clearFunnelStale(shared?.readAt);
  try {
    const table = shared ?? readTable(analyticsSheet, ANALYTICS, FUNNEL_KEYS);
    const period = parseFunnelPeriod(withRetry(() => funnelSheet.getRange(control.cell).getValue()));
    const read = rowReader(ANALYTICS, table.headers);
    const rows = table.rows.map((r) => read(r) as AnalyticsRow);
    const funnel = computeFunnel(rows, period, clock.now, MOSCOW);
    const block = funnelDashboard(funnel, { currency: opts.currency ?? DEFAULT_SETTINGS.currency });

    const { row, column } = block.anchor;
    const range = funnelSheet.getRange(row, column, block.height, block.width);
    withRetry(() => range.setValues(block.values));
    withRetry(() => range.setNumberFormats(block.numberFormats));
    // Whatever a longer previous block left below (the sheet's last row says how far it went).
    const bottom = row + block.height - 1;
    const lastRow = withRetry(() => funnelSheet.getLastRow());
    if (lastRow > bottom) {
      withRetry(() => funnelSheet.getRange(bottom + 1, column, lastRow - bottom, block.width).clearContent());
    }
    // Starts the hour before the tick may redraw again (funnelRedrawDue).
    withRetry(() => PropertiesService.getDocumentProperties().setProperty(DRAWN_KEY, String(clock.now.getTime())));
    return {
      period, rows: table.rows.length, leads: funnel.leads, blockRows: block.height, clearedRows: Math.max(0, lastRow - bottom),
      chartA1: block.chartA1,
    };
  } catch (error) {
    // Not (fully) redrawn: the dashboard stays marked, so the next tick draws it again.
    try { markFunnelRedrawNow(); } catch { /* the error below is the one to report */ }
    throw error;
  }
}
