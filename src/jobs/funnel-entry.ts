// Entry glue for «Воронка»: the menu refresh, and the period selector edit routed from onEdit.
import { parseA1 } from '../core/header-map';
import { templateByKey } from '../../sheets-templates';
import { funnelText } from '../core/funnel';
import { jobClock } from '../gas/clock';
import { LockBusyError, withScriptLock } from '../gas/lock';
import { errorMessage } from '../gas/retry';
import { currentSettings, loadSettings } from '../gas/settings';
import { isTemplateSheet, missingSheetMessage } from '../gas/sheets';
import { markFunnelStale, periodControl, runFunnelRefresh, type FunnelJobReport } from './funnel';

const FUNNEL = templateByKey('funnel');
/**
 * «Аналитика» cells a refresh from onEdit may read (≈ 12 s of modelled service time): a larger sheet is
 * refreshed by the next scheduled tick, so the simple trigger stays far below its 30 s limit.
 */
const EDIT_REFRESH_MAX_CELLS = 400_000;

function reportMessage(r: FunnelJobReport, ss?: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  if (r.missingSheet) return ss ? missingSheetMessage(ss, r.missingSheet) : funnelText.missingSheet(r.missingSheet);
  if (r.deferred) return funnelText.deferred;
  return funnelText.refreshed(r.period, r.leads, r.rows);
}

/** Menu «Обновить воронку». */
export function funnelMessage(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings } = loadSettings(ss);
  return reportMessage(withScriptLock(() => runFunnelRefresh(ss, jobClock(), { currency: settings.currency })), ss);
}

/** True when the edit covers the period selector of «Воронка». No range is read to decide. */
export function isFunnelControlEdit(e: GoogleAppsScript.Events.SheetsOnEdit): boolean {
  const range = e.range;
  if (!isTemplateSheet(range.getSheet().getName(), 'funnel')) return false;
  const { row, column } = parseA1(periodControl().cell);
  const top = range.getRow();
  const left = range.getColumn();
  return row >= top && row < top + range.getNumRows() && column >= left && column < left + range.getNumColumns();
}

/**
 * onEdit of the period selector: refreshes the dashboard at once. A busy lock or a very large
 * «Аналитика» leaves it to the next scheduled tick (the dashboard is marked stale) with a toast.
 */
export function funnelEditTrigger(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  const ss = e.range.getSheet().getParent();
  let report: FunnelJobReport;
  try {
    const { currency } = currentSettings(ss);
    report = withScriptLock(
      () => runFunnelRefresh(ss, jobClock(), { currency, maxCells: EDIT_REFRESH_MAX_CELLS }),
      5_000,
    );
  } catch (error) {
    if (!(error instanceof LockBusyError) && !/lock/i.test(errorMessage(error))) throw error;
    markFunnelStale();
    ss.toast(funnelText.busy, FUNNEL.name);
    return;
  }
  if (report.deferred) ss.toast(funnelText.deferred, FUNNEL.name);
}
