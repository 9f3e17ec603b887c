// Appends audit entries to «Журнал» in one write; the daily sweep moves old entries to a hidden
// archive sheet so the log never slows the spreadsheet down, and deletes the oldest archived entries
// past their bound so the archive never fills the spreadsheet's 10 M cells.
import { templateByKey } from '../../sheets-templates';
import { journalRow, type JournalEntry } from '../core/journal';
import { literalForSheet } from '../core/text';
import { numberFormatFor } from '../../sheets-templates/schema';
import { findSheet } from './sheets';
import { withRetry } from './retry';
import { readHeaders } from './table';
import { mayEditSheet, protectLike, PROTECTION_PREFIX } from './protection';
import { trimNewSheetColumns } from './grid';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
export const ARCHIVE_SHEET = 'Журнал (архив)';

/**
 * Appends the entries; false when the running user may not write «Журнал» (it is protected for all but
 * the owner and leadership): nothing is written and the caller keeps the entries for their run.
 */
export function appendJournal(ss: Spreadsheet, entries: JournalEntry[], tz: string): boolean {
  if (entries.length === 0) return true;
  const def = templateByKey('journal');
  const sheet = findSheet(ss, def);
  if (!sheet) return true; // setup has not run yet; never fail a user's edit because of the log
  if (!mayEditSheet(sheet)) return false;
  // «Журнал» is created by setup in template order; its text columns keep strings verbatim.
  const rows = entries.map((e) => journalRow(e, tz).map((v, i) => (numberFormatFor(def.columns[i]) === '@' ? v : literalForSheet(v))));
  const lastRow = withRetry(() => sheet.getLastRow());
  const needed = lastRow + rows.length;
  const maxRows = sheet.getMaxRows();
  if (needed > maxRows) sheet.insertRowsAfter(maxRows, needed - maxRows);
  withRetry(() => sheet.getRange(lastRow + 1, 1, rows.length, rows[0].length).setValues(rows));
  return true;
}

/**
 * Keeps at most `bound` entries in «Журнал» — the oldest half beyond it moves to the archive — and at
 * most `archiveBound` in the archive: older ones are deleted. Returns how many entries moved.
 */
export function archiveJournal(ss: Spreadsheet, bound: number, archiveBound: number): number {
  const moved = moveToArchive(ss, bound);
  trimArchive(ss, archiveBound);
  return moved;
}

function moveToArchive(ss: Spreadsheet, bound: number): number {
  const def = templateByKey('journal');
  const sheet = findSheet(ss, def);
  if (!sheet) return 0;
  // Cheap check first (at most lastRow − 1 entries), then the rows under the placed header row; a log
  // whose headers cannot be placed is left as it is.
  if (withRetry(() => sheet.getLastRow()) - 1 <= bound) return 0;
  // A manager's run (e.g. «Отметить «Ожидание» сейчас») leaves the log to the owner's or leadership's.
  if (!mayEditSheet(sheet)) return 0;
  const found = readHeaders(sheet, def);
  if (!found.ok) return 0;
  const headerRow = found.row;
  const entries = found.lastRow - headerRow;
  if (entries <= bound) return 0;
  const move = entries - Math.floor(bound / 2);
  const width = def.columns.length;
  const rows = withRetry(() => sheet.getRange(headerRow + 1, 1, move, width).getValues()).map((r) => r.map((v) => literalForSheet(v)));
  let archive = ss.getSheetByName(ARCHIVE_SHEET);
  if (!archive) {
    archive = ss.insertSheet(ARCHIVE_SHEET);
    trimNewSheetColumns(archive, width);
    // Locked like «Журнал» before anything is written into it (setup re-checks it on every run).
    protectLike(sheet, archive, `${PROTECTION_PREFIX}лист «${ARCHIVE_SHEET}»`);
    archive.getRange(1, 1, 1, width).setValues([def.columns.map((c) => c.header)]);
    archive.hideSheet();
  }
  const last = archive.getLastRow();
  const max = archive.getMaxRows();
  if (last + move > max) archive.insertRowsAfter(max, last + move - max);
  withRetry(() => archive!.getRange(last + 1, 1, move, width).setValues(rows));
  sheet.deleteRows(headerRow + 1, move);
  return move;
}

/** Deletes the oldest archived entries beyond `archiveBound` (one call; the header row stays). */
function trimArchive(ss: Spreadsheet, archiveBound: number): number {
  const archive = withRetry(() => ss.getSheetByName(ARCHIVE_SHEET));
  if (!archive) return 0;
  const excess = withRetry(() => archive.getLastRow()) - 1 - archiveBound;
  if (excess <= 0 || !mayEditSheet(archive)) return 0;
  // Not retried: a delete that landed and then reported an error would delete newer entries too.
  archive.deleteRows(2, excess);
  return excess;
}
