// Entry glue for the «Аналитика» jobs: lock, settings, messages. Kept out of main.ts so main stays
// one line per entry point.
import { templateByKey } from '../../sheets-templates';
import { renderProblemsHtml } from '../core/problems-dialog';
import { jobClock } from '../gas/clock';
import { withScriptLock, LockBusyError } from '../gas/lock';
import { currentSettings, loadSettings, saveSettingsSnapshot } from '../gas/settings';
import { findSheet, isTemplateSheet } from '../gas/sheets';
import { showHtmlDialog } from '../gas/ui';
import { errorMessage } from '../gas/retry';
import { checkAnalytics, handleAnalyticsEdit, runRecalc, runSweep } from './analytics';
import { queuePendingRows, takePendingRows } from './pending';
import { markFunnelStale, touchesFunnel } from './funnel';
import { funnelEditTrigger, isFunnelControlEdit } from './funnel-entry';
import { handleInvoiceEdit } from './invoices';
import { invalidateReference, REFERENCE_SHEETS } from '../gas/reference';

const ANALYTICS = templateByKey('analytics');

export function editTrigger(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  if (!e || !e.range) return;
  const name = e.range.getSheet().getName();
  if (isTemplateSheet(name, 'invoices')) {
    const ss = e.range.getSheet().getParent();
    withScriptLock(() => handleInvoiceEdit(e.range, jobClock(), currentSettings(ss).invoiceOverdueDays), 5_000);
    return;
  }
  if (isTemplateSheet(name, 'settings')) {
    // Triggers read settings from a snapshot; keep it in step with the sheet.
    saveSettingsSnapshot(loadSettings(e.range.getSheet().getParent()).settings);
    return;
  }
  if (isFunnelControlEdit(e)) {
    funnelEditTrigger(e);
    return;
  }
  if (REFERENCE_SHEETS.some((key) => isTemplateSheet(name, key))) {
    invalidateReference();
    return;
  }
  if (!isTemplateSheet(name, 'analytics')) return; // other sheets need nothing on edit: no lock, no read
  try {
    // Simple triggers have 30 s: wait for the lock briefly, otherwise leave the rows to the next run.
    const outcome = withScriptLock(() => handleAnalyticsEdit(e, jobClock()), 5_000);
    // A property write, no range: the next scheduled tick refreshes «Воронка».
    if (outcome.handled && touchesFunnel(outcome.touched)) markFunnelStale();
  } catch (error) {
    if (error instanceof LockBusyError || /lock/i.test(errorMessage(error))) {
      queuePendingRows(e.range.getSheet().getName(), e.range.getRow(), e.range.getNumRows());
      markFunnelStale();
      return;
    }
    throw error;
  }
}

export function recalcMessage(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const r = withScriptLock(() => {
    takePendingRows(); // a full recalculation covers every row an edit had to skip
    return runRecalc(ss, jobClock());
  });
  if (r.missingSheet) return `Нет листа «${r.missingSheet}». Запустите «Настроить таблицу».`;
  return `Проверено строк: ${r.rows}. Изменено ячеек: ${r.changedCells} в ${r.changedRows} строках. Строк с проблемами: ${new Set(r.problems.map((p) => p.row)).size}.`
    + (r.skippedStale ? `\nНе тронуто ячеек, изменённых во время пересчёта: ${r.skippedStale}.` : '');
}

export function sweepMessage(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings } = loadSettings(ss);
  const r = withScriptLock(() => runSweep(ss, jobClock(), settings));
  if (r.missingSheet) return `Нет листа «${r.missingSheet}». Запустите «Настроить таблицу».`;
  return `Проверено лидов: ${r.rows}. «Ожидание» и текущий этап обновлены в ${r.changedRows} строках.`;
}

export function checkAnalyticsDialog(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const r = checkAnalytics(ss, jobClock());
  if (r.missingSheet) throw new Error(`нет листа «${r.missingSheet}». Запустите «Настроить таблицу».`);
  showHtmlDialog(renderProblemsHtml(ANALYTICS.name, r.rows, r.problems, r.sheetProblems), 'Проверка данных', 720, 520);
}

export function selectCell(a1: string): void {
  const sheet = findSheet(SpreadsheetApp.getActiveSpreadsheet(), ANALYTICS);
  if (sheet && /^[A-Z]{1,3}\d+$/.test(a1)) sheet.getRange(a1).activate();
}
