// Reading and writing a template-defined table in as few service calls as possible: one read of the
// whole block, and one compare-and-set write per changed column, whatever the number of rows.
import { mapHeaders, type HeaderMap } from '../core/header-map';
import { literalForSheet } from '../core/text';
import { sameCell } from '../core/analytics/cells';
import { numberFormatFor, type SheetDef } from '../../sheets-templates/schema';
import { withRetry } from './retry';

export type CellValue = string | number | boolean | Date;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export interface Table {
  sheet: Sheet;
  def: SheetDef;
  headers: HeaderMap;
  headerRow: number;
  /** Sheet row number of rows[0]. */
  firstRow: number;
  /** Every data row as read, full sheet width. */
  rows: CellValue[][];
}

/** One read of the header row and every data row below it. */
export function readTable(sheet: Sheet, def: SheetDef): Table {
  const headerRow = def.headerRow;
  const lastRow = withRetry(() => sheet.getLastRow());
  const lastColumn = Math.max(1, withRetry(() => sheet.getLastColumn()));
  const height = Math.max(1, lastRow - headerRow + 1);
  const block = lastRow >= headerRow
    ? (withRetry(() => sheet.getRange(headerRow, 1, height, lastColumn).getValues()) as CellValue[][])
    : [new Array<CellValue>(lastColumn).fill('')];
  const headers = mapHeaders(block[0], def.columns);
  return { sheet, def, headers, headerRow, firstRow: headerRow + 1, rows: block.slice(1) };
}

/**
 * How a value is written into column `index`: columns setup formats as plain text ('@') store any
 * string verbatim; elsewhere a string Sheets would re-parse gets a leading apostrophe.
 */
export function cellWriter(def: SheetDef, headers: HeaderMap): (index: number, value: unknown) => unknown {
  const plainText = new Set<number>();
  for (const c of def.columns) {
    const i = headers.index.get(c.key);
    if (i !== undefined && numberFormatFor(c) === '@') plainText.add(i);
  }
  return (index, value) => (plainText.has(index) ? value : literalForSheet(value));
}

export function cell(table: Table, row: CellValue[], key: string): CellValue {
  const i = table.headers.index.get(key);
  return i === undefined ? '' : (row[i] ?? '');
}

/** The row as an object keyed by template column key ('' for columns the sheet lacks). */
export function rowObject(table: Table, row: CellValue[]): Record<string, CellValue> {
  const out: Record<string, CellValue> = {};
  for (const c of table.def.columns) {
    const i = table.headers.index.get(c.key);
    out[c.key] = i === undefined ? '' : (row[i] ?? '');
  }
  return out;
}

export { sameCell };

/** Changes per row index (0-based into table.rows), keyed by column key. */
export type TableChanges = Map<number, Record<string, CellValue>>;

export interface WriteResult { columnsWritten: number; cellsChanged: number; skippedStale: number }

/**
 * Writes changed cells column by column: each column gets one read of its span (to avoid
 * overwriting anything a person typed since the job read the sheet, and to keep formulas) and one
 * write. A cell whose current value differs from what the job read is left alone and counted as stale.
 */
export function writeChanges(table: Table, changes: TableChanges): WriteResult {
  const byColumn = new Map<number, Array<[number, CellValue]>>();
  for (const [rowIndex, update] of changes) {
    for (const [key, value] of Object.entries(update)) {
      const col = table.headers.index.get(key);
      if (col === undefined) continue;
      const old = table.rows[rowIndex]?.[col] ?? '';
      if (sameCell(old, value)) continue;
      let list = byColumn.get(col);
      if (!list) byColumn.set(col, (list = []));
      list.push([rowIndex, value]);
    }
  }
  const result: WriteResult = { columnsWritten: 0, cellsChanged: 0, skippedStale: 0 };
  const write = cellWriter(table.def, table.headers);
  for (const [col, list] of byColumn) {
    list.sort((a, b) => a[0] - b[0]);
    const first = list[0][0];
    const last = list[list.length - 1][0];
    const range = table.sheet.getRange(table.firstRow + first, col + 1, last - first + 1, 1);
    const fresh = withRetry(() => range.getValues()) as CellValue[][];
    const formulas = withRetry(() => range.getFormulas());
    const out: unknown[][] = fresh.map((r, i) => [formulas[i][0] ? formulas[i][0] : write(col, r[0])]);
    for (const [rowIndex, value] of list) {
      const i = rowIndex - first;
      const read = table.rows[rowIndex]?.[col] ?? '';
      if (!sameCell(fresh[i][0], read) || formulas[i][0]) { result.skippedStale++; continue; }
      out[i][0] = write(col, value);
      table.rows[rowIndex][col] = value;
      result.cellsChanged++;
    }
    withRetry(() => range.setValues(out));
    result.columnsWritten++;
  }
  return result;
}
