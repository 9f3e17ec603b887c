// Entry glue for the «Аналитика» jobs: lock, settings, messages. Kept out of main.ts so main stays
// one line per entry point.
import { templateByKey } from '../../sheets-templates';
import { renderProblemsHtml } from '../core/problems-dialog';
import { jobClock } from '../gas/clock';
import { withScriptLock, LockBusyError } from '../gas/lock';
import { currentSettings, loadSettings, saveSettingsSnapshot } from '../gas/settings';
import { findSheet, isTemplateSheet, spreadsheetZoneProblem, missingSheetMessage } from '../gas/sheets';
import { showHtmlDialog } from '../gas/ui';
import { errorMessage, withRetry } from '../gas/retry';
import { bulkEdit, checkAnalytics, handleAnalyticsEdit, runSweep } from './analytics';
import { deferredRowFingerprint, groupDigits, recalcSpansText, recalcStep, type RecalcStep } from './recalc';
import { countOf, WORDS } from '../core/plural';
import { headerProblems } from '../core/header-map';
import { HeaderPlacementError, readHeaders, type SheetHeaders } from '../gas/table';
import { MOSCOW } from '../core/dates';
import { jobText, type RecalcCounts } from '../core/messages';
import { queuePendingRows } from './pending';
import { invalidateLeadIndex, taintDeferredRows } from './lead-index';
import { markFunnelStale, touchesFunnel } from './funnel';
import { funnelEditTrigger, isFunnelControlEdit } from './funnel-entry';
import { handleInvoiceEdit } from './invoices';
import { handleSecretaryEdit } from './secretary-log';
import { invalidateReference, readReferenceRows, REFERENCE_SHEETS } from '../gas/reference';
import { spreadsheetLocaleProblem } from '../gas/locale';

const ANALYTICS = templateByKey('analytics');

export function editTrigger(e: GoogleAppsScript.Events.SheetsOnEdit): void {
  if (!e || !e.range) return;
  let name: string | null = null;
  try {
    name = withRetry(() => e.range.getSheet().getName());
    routeEdit(e, name);
  } catch (error) {
    // Only «Аналитика» edits are left for later; elsewhere the daily jobs recompute what an edit would.
    if (name !== null && !isTemplateSheet(name, 'analytics')) throw error;
    const busy = error instanceof LockBusyError || /lock/i.test(errorMessage(error));
    deferEdit(e, busy, error);
    if (busy) return;
    throw error; // stays in the execution log; the rows are already queued for the next run
  }
}

function routeEdit(e: GoogleAppsScript.Events.SheetsOnEdit, name: string): void {
  if (isTemplateSheet(name, 'invoices')) {
    const ss = e.range.getSheet().getParent();
    withScriptLock(() => handleInvoiceEdit(e.range, jobClock(e), currentSettings(ss).invoiceOverdueDays), 5_000);
    return;
  }
  if (isTemplateSheet(name, 'secretaryLog')) {
    // Date and time of a new contact, and the moments marked with x: the 11:00 email counts from them.
    withScriptLock(() => handleSecretaryEdit(e.range, jobClock(e)), 5_000);
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
  const bulk = bulkEdit(e.range);
  if (bulk) {
    deferBulkEdit(e, bulk.row, bulk.rows);
    return;
  }
  // Simple triggers have 30 s: wait for the lock briefly, otherwise leave the rows to the next run.
  const outcome = withScriptLock(() => handleAnalyticsEdit(e, jobClock(e)), 5_000);
  // A property write, no range: the next scheduled tick refreshes «Воронка».
  if (outcome.handled && touchesFunnel(outcome.touched)) markFunnelStale();
}

/**
 * A sort, row move or column clear over many rows: evaluating it here would restamp «Обновлено» on every
 * row and, on a large sheet, outlast the 30 s of a simple trigger. The rows wait for the next
 * recalculation (the tick's, or «Пересчитать»), which restamps only the rows whose values change.
 */
function deferBulkEdit(e: GoogleAppsScript.Events.SheetsOnEdit, row: number, rows: number): void {
  const many = jobText.bulkEditLead(rows);
  let text = `${many} (сортировка, перенос или очистка колонки): правила применятся к ним при следующем запуске расписания (или «Продажи → Пересчитать «Аналитику»»). «Обновлено» у строк, которые только переместились, не меняется.`;
  try {
    queuePendingRows(ANALYTICS.name, row, rows, 'bulk');
  } catch (error) {
    console.error(error); // the execution log keeps the cause; the person is told what to do
    text = `${many}, но запомнить их для пересчёта не удалось из-за сбоя сервиса Google: запустите «Продажи → Пересчитать «Аналитику»».`;
  }
  try {
    markFunnelStale(); // a cleared column changes the counts
  } catch {
    // The morning refresh of «Воронка» catches up.
  }
  try {
    // Rows moved among equal «Обновлено» stamps: the 19:45 lead index can no longer tell them apart.
    invalidateLeadIndex();
  } catch (error) {
    // As rare as the queue write above failing; until the next rebuild, rows a sort swapped among equal
    // stamps could be matched to each other's entries. The execution log keeps it.
    console.error(error);
  }
  try {
    e.range.getSheet().getParent().toast(text, ANALYTICS.name, 10);
  } catch {
    // A toast is a courtesy.
  }
}

/**
 * An edit the rules could not process (the lock was busy, or a service failed): what was typed stays in
 * its cell, the rows wait for the next tick's recalculation, and — on a failure — the person is told.
 */
function deferEdit(e: GoogleAppsScript.Events.SheetsOnEdit, busy: boolean, error?: unknown): void {
  let row = 0;
  let count = 0;
  try {
    row = withRetry(() => e.range.getRow());
    count = withRetry(() => e.range.getNumRows());
  } catch {
    // The recalculation covers every row; the position is only informative.
  }
  let stamp: number | null = null;
  let headers: SheetHeaders | undefined;
  try {
    headers = readHeaders(e.range.getSheet(), ANALYTICS);
  } catch {
    // taintDeferredRows reads them again, or invalidates the lead index.
  }
  try {
    // What was typed stays under the rows' old «Обновлено» until the recalculation (which finds the
    // rows by number, checked against the first row's stamp): the 19:45 lead index must not trust them.
    stamp = taintDeferredRows(e.range, headers);
  } catch {
    // It invalidates the index when it cannot remember them; this failing too means the property
    // service is down, and the queue write below most likely fails as well (execution log).
  }
  let fingerprint: string | null = null;
  if (stamp === null && row >= 1 && headers) {
    try {
      // A new or imported lead has no «Обновлено» to be found by: its cells tell whether it moved before the tick.
      fingerprint = deferredRowFingerprint(e.range.getSheet(), headers, row);
    } catch {
      // Unknown: the recalculation takes the rows where they were.
    }
  }
  try {
    queuePendingRows(ANALYTICS.name, row, count, undefined, stamp, fingerprint);
    markFunnelStale();
  } catch {
    // Nothing more can be stored now; the error itself is in the execution log.
  }
  if (busy) return;
  try {
    // A sheet whose headers cannot be placed is not a service failure: say what is wrong with it.
    const text = error instanceof HeaderPlacementError
      ? `${error.message} Введённое сохранено; строки пересчитаются после исправления.`
      : 'Введённое сохранено, но правила не применились из-за сбоя сервиса Google. Строки пересчитаются автоматически при следующем запуске расписания (или «Продажи → Пересчитать «Аналитику»»).';
    e.range.getSheet().getParent().toast(text, ANALYTICS.name, 10);
  } catch {
    // A toast is a courtesy; the rows are queued either way.
  }
}

/**
 * «Пересчитать»: the next chunk of the sheet (all of it up to ~109,000 rows), and every row an edit had
 * to skip. A second click while a chunked run is unfinished goes on from where it stopped.
 */
export function recalcMessage(): string {
  const startedAt = Date.now();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const step = withScriptLock(() => recalcStep(ss, jobClock(), { menu: true, startedAt }));
  const r = step.report;
  if (r?.missingSheet) return missingSheetMessage(ss, r.missingSheet);
  const counts = r ? { rows: r.rows, changedCells: r.changedCells, changedRows: r.changedRows, problemRows: new Set(r.problems.map((p) => p.row)).size, skippedStale: r.skippedStale } : { rows: 0, changedCells: 0, changedRows: 0, problemRows: 0, skippedStale: 0 };
  if (!step.continued && !step.cursor) return jobText.recalcDone(counts);
  return recalcChunkText(step, counts, step.cursor ? scheduleEnabled() : true);
}

/** Whether the 5-minute tick is installed (by anyone): schedule-admin.ts keeps its owner in this script property. */
function scheduleEnabled(): boolean {
  try {
    return Boolean(withRetry(() => PropertiesService.getScriptProperties().getProperty('schedule:owner')));
  } catch {
    return true; // the message then promises the tick; a click goes on from the cursor either way
  }
}

/** The menu's answer when the sheet is recalculated in more than one run. */
export function recalcChunkText(step: RecalcStep, counts: RecalcCounts, scheduleOn: boolean): string {
  const r = step.report;
  const lines: string[] = [];
  const rows = r && r.rows > 0 ? `строки ${recalcSpansText(r)} из ${groupDigits(r.lastRow)} (${countOf(r.rows, WORDS.row, groupDigits(r.rows))})` : '';
  if (step.cursor) lines.push(`${step.continued ? 'Пересчёт продолжен: пересчитаны' : 'Пересчитаны'} ${rows}.`);
  else lines.push(rows ? `Пересчёт завершён: пересчитаны ${rows}, остальные — раньше.` : 'Пересчёт завершён: остальные строки уже были пересчитаны раньше.');
  if (r && r.rows > 0) {
    lines.push((counts.changedCells > 0 ? `Изменено ячеек: ${counts.changedCells} в ${countOf(counts.changedRows, WORDS.rowIn)}. ` : 'Изменено ячеек: 0. ')
      + `Строк с проблемами среди них: ${counts.problemRows}.`);
  }
  if (counts.skippedStale) lines.push(`Не тронуто ячеек, изменённых во время пересчёта: ${counts.skippedStale}.`);
  if (step.cursor) {
    const from = groupDigits(step.cursor.next);
    lines.push(scheduleOn
      ? `Остальные строки пересчитает фоновая проверка в ближайшие 5–10 минут. Можно не ждать: нажмите «Пересчитать» ещё раз — пересчёт продолжится со строки ${from}.`
      : `Расписание не включено, поэтому остальные строки сами не пересчитаются: нажмите «Пересчитать» ещё раз — пересчёт продолжится со строки ${from} (или включите «Автоматизация → Включить расписание»).`);
  }
  return lines.join('\n');
}

export function sweepMessage(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings } = loadSettings(ss);
  const r = withScriptLock(() => runSweep(ss, jobClock(), settings));
  if (r.changedRows > 0) markFunnelStale(); // «Воронка» counts the leads in «Ожидание»
  if (r.missingSheet) return missingSheetMessage(ss, r.missingSheet);
  return jobText.sweepDone(r.rows, r.changedRows);
}

export function checkAnalyticsDialog(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const r = checkAnalytics(ss, jobClock());
  if (r.missingSheet) throw new Error(missingSheetMessage(ss, r.missingSheet));
  const general = [...sheetWideProblems(ss), ...r.sheetProblems];
  showHtmlDialog(renderProblemsHtml(ANALYTICS.name, r.rows, r.problems, [...new Set(general)]), 'Проверка данных', 720, 520);
}

/**
 * What is wrong beyond single rows: «Настройки», the spreadsheet's time zone and locale, repeated headers of
 * «Аналитика», emptied reference sheets. Each names the sheet and the value.
 */
function sheetWideProblems(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string[] {
  const out = [...loadSettings(ss).problems];
  const zone = spreadsheetZoneProblem(ss);
  if (zone) out.push(zone);
  const locale = spreadsheetLocaleProblem(ss);
  if (locale) out.push(locale);
  const sheet = findSheet(ss, ANALYTICS);
  if (sheet) {
    const found = readHeaders(sheet, ANALYTICS);
    if (!found.ok) out.push(found.problem);
    else out.push(...headerProblems({ ...found.map, missing: [] }, ANALYTICS.name)); // missing ones: see checkAnalytics
  }
  const rows = readReferenceRows(ss);
  const empty: Array<[string, number]> = [[templateByKey('promoCodes').name, rows.promoRows.length], [templateByKey('planPrices').name, rows.planRows.length], [templateByKey('partners').name, rows.partnerRows.length]];
  for (const [name, count] of empty) {
    if (count === 0) out.push(`Лист «${name}» пуст: значения «Аналитики», которые на него ссылаются, не распознаются (они сохранены как есть). Заполните лист или верните строки через «Файл → История версий».`);
  }
  return out;
}

export function selectCell(a1: string): void {
  const sheet = findSheet(SpreadsheetApp.getActiveSpreadsheet(), ANALYTICS);
  if (sheet && /^[A-Z]{1,3}\d+$/.test(a1)) sheet.getRange(a1).activate();
}
