// The grids of sheets. Google counts every cell of every sheet's grid, empty or not, toward 10 million
// per spreadsheet, and a new sheet comes with 1000 rows × 26 columns.
import { withRetry } from './retry';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/**
 * Deletes the columns right of `width` of a sheet the product has just created (nothing is in them yet).
 * Never for a sheet the team already had: its extra columns may be theirs.
 */
export function trimNewSheetColumns(sheet: Sheet, width: number): void {
  const max = withRetry(() => sheet.getMaxColumns());
  // Not retried: a delete that landed and then reported an error would delete again.
  if (width >= 1 && max > width) sheet.deleteColumns(width + 1, max - width);
}

/** The names Google gives the first tab of a new spreadsheet (Russian and English interface). */
const DEFAULT_FIRST_SHEET = new Set(['Лист1', 'Sheet1']);

/**
 * Deletes the blank first tab of a new spreadsheet once the product's sheets exist: named as Google
 * named it, no value, formula or chart in it, and not the only visible sheet. Returns its name when
 * deleted; anything else is left as it is.
 */
export function removeBlankDefaultSheet(ss: Spreadsheet, sheets: Sheet[]): string | null {
  const candidate = sheets.find((s) => DEFAULT_FIRST_SHEET.has(s.getName()));
  if (!candidate) return null;
  if (!sheets.some((s) => s !== candidate && !s.isSheetHidden())) return null;
  if (withRetry(() => candidate.getLastRow()) > 0 || withRetry(() => candidate.getLastColumn()) > 0) return null;
  // A formula whose result is empty may not count as content: its text is checked too.
  const rows = withRetry(() => candidate.getMaxRows());
  const columns = withRetry(() => candidate.getMaxColumns());
  const formulas = withRetry(() => candidate.getRange(1, 1, rows, columns).getFormulas());
  if (formulas.some((r) => r.some((f) => f !== ''))) return null;
  if (withRetry(() => candidate.getCharts()).length > 0) return null;
  const name = candidate.getName();
  ss.deleteSheet(candidate);
  return name;
}
