// Appends audit entries to «Журнал» in one write; the daily sweep moves old entries to a hidden
// archive sheet so the log never slows the spreadsheet down.
import { templateByKey } from '../../sheets-templates';
import { journalRow, type JournalEntry } from '../core/journal';
import { literalForSheet } from '../core/text';
import { numberFormatFor } from '../../sheets-templates/schema';
import { findSheet } from './sheets';
import { withRetry } from './retry';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
export const ARCHIVE_SHEET = 'Журнал (архив)';

export function appendJournal(ss: Spreadsheet, entries: JournalEntry[], tz: string): void {
  if (entries.length === 0) return;
  const def = templateByKey('journal');
  const sheet = findSheet(ss, def);
  if (!sheet) return; // setup has not run yet; never fail a user's edit because of the log
  // «Журнал» is created by setup in template order; its text columns keep strings verbatim.
  const rows = entries.map((e) => journalRow(e, tz).map((v, i) => (numberFormatFor(def.columns[i]) === '@' ? v : literalForSheet(v))));
  const lastRow = withRetry(() => sheet.getLastRow());
  const needed = lastRow + rows.length;
  const maxRows = sheet.getMaxRows();
  if (needed > maxRows) sheet.insertRowsAfter(maxRows, needed - maxRows);
  withRetry(() => sheet.getRange(lastRow + 1, 1, rows.length, rows[0].length).setValues(rows));
}

/** Keeps at most `bound` entries in «Журнал»: the oldest half beyond it moves to the archive. */
export function archiveJournal(ss: Spreadsheet, bound: number): number {
  const def = templateByKey('journal');
  const sheet = findSheet(ss, def);
  if (!sheet) return 0;
  const entries = withRetry(() => sheet.getLastRow()) - def.headerRow;
  if (entries <= bound) return 0;
  const move = entries - Math.floor(bound / 2);
  const width = def.columns.length;
  const rows = withRetry(() => sheet.getRange(def.headerRow + 1, 1, move, width).getValues()).map((r) => r.map((v) => literalForSheet(v)));
  let archive = ss.getSheetByName(ARCHIVE_SHEET);
  if (!archive) {
    archive = ss.insertSheet(ARCHIVE_SHEET);
    archive.getRange(1, 1, 1, width).setValues([def.columns.map((c) => c.header)]);
    archive.hideSheet();
  }
  const last = archive.getLastRow();
  const max = archive.getMaxRows();
  if (last + move > max) archive.insertRowsAfter(max, last + move - max);
  withRetry(() => archive!.getRange(last + 1, 1, move, width).setValues(rows));
  sheet.deleteRows(def.headerRow + 1, move);
  return move;
}
