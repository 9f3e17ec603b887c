// Reading and writing a template-defined table in as few service calls as possible: one read of the
// whole block (or of just the columns a job needs), and one compare-and-set write per changed column,
// whatever the number of rows.
import { HEADER_SCAN_ROWS, headerProblems, placeHeaders, type HeaderMap, type HeaderPlacement } from '../core/header-map';
import { literalForSheet } from '../core/text';
import { sameCell } from '../core/analytics/cells';
import { numberFormatFor, type SheetDef } from '../../sheets-templates/schema';
import { withRetry } from './retry';
import { guardLeadIndex } from './lead-index-guard';

export type CellValue = string | number | boolean | Date;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export interface Table {
  sheet: Sheet;
  def: SheetDef;
  headers: HeaderMap;
  headerRow: number;
  /** Sheet row number of rows[0]. */
  firstRow: number;
  /** Every data row as read, full sheet width ('' in columns that were not read). */
  rows: CellValue[][];
  /** 0-based columns read; null when the whole width was read. */
  columns: ReadonlySet<number> | null;
  /** When it was read (ms): whatever changed in the sheet after that is not in `rows`. */
  readAt: number;
}

/** A sheet whose header row cannot be placed: jobs refuse to read or write it (the message is Russian). */
export class HeaderPlacementError extends Error {}

export type SheetHeaders = HeaderPlacement & {
  lastRow: number;
  lastColumn: number;
  /** The sheet's first rows as read (up to HEADER_SCAN_ROWS), row 1 first. */
  top: CellValue[][];
};

/**
 * Where the sheet's headers are (core placeHeaders): one read of the first rows. Every reader and writer
 * of a template sheet goes through this or readTable, never through def.headerRow. `minWidth`: read at
 * least this many columns (an edit beyond the last header).
 */
export function readHeaders(sheet: Sheet, def: SheetDef, minWidth = 0): SheetHeaders {
  const lastRow = withRetry(() => sheet.getLastRow());
  const lastColumn = Math.max(1, minWidth, withRetry(() => sheet.getLastColumn()));
  const height = Math.min(lastRow, HEADER_SCAN_ROWS);
  const top = height > 0 ? (withRetry(() => sheet.getRange(1, 1, height, lastColumn).getValues()) as CellValue[][]) : [];
  return { ...placeHeaders(top, def, lastRow, lastColumn), lastRow, lastColumn, top };
}

/** readHeaders for a job that must not go on without them: throws the Russian message instead. */
export function requireHeaders(sheet: Sheet, def: SheetDef, minWidth = 0): SheetHeaders & { ok: true } {
  const found = readHeaders(sheet, def, minWidth);
  if (!found.ok) throw new HeaderPlacementError(found.problem);
  return found;
}

/**
 * Reads the header row and every data row below it (rows above the header row — a title — are never
 * part of the table). With `keys`, only the columns holding those template keys are read — one read per
 * run of adjacent columns, after one read of the first rows — because every cell moved costs time: at
 * 100,000 rows each column is 100,000 cells. Throws HeaderPlacementError when the header row cannot be
 * placed, so no job reads or writes such a sheet.
 */
export function readTable(sheet: Sheet, def: SheetDef, keys?: readonly string[]): Table {
  const readAt = Date.now();
  if (!keys) {
    // The whole block from row 1 in one read; the header rows are found in its first rows.
    const lastRow = withRetry(() => sheet.getLastRow());
    const lastColumn = Math.max(1, withRetry(() => sheet.getLastColumn()));
    const block = lastRow > 0 ? (withRetry(() => sheet.getRange(1, 1, lastRow, lastColumn).getValues()) as CellValue[][]) : [];
    const placed = placeHeaders(block.slice(0, HEADER_SCAN_ROWS), def, lastRow, lastColumn);
    if (!placed.ok) throw new HeaderPlacementError(placed.problem);
    const headerRow = placed.row;
    return { sheet, def, headers: placed.map, headerRow, firstRow: headerRow + 1, rows: block.slice(headerRow), columns: null, readAt };
  }
  const found = requireHeaders(sheet, def);
  const headerRow = found.row;
  const headers = found.map;
  const lastColumn = found.lastColumn;
  const height = found.lastRow - headerRow;
  const columns = columnsOf(headers, keys);
  if (height <= 0) return { sheet, def, headers, headerRow, firstRow: headerRow + 1, rows: [], columns, readAt };
  const rows: CellValue[][] = new Array(height);
  if (headerRow + height <= found.top.length) {
    // Every data row is already among the rows just read.
    for (let r = 0; r < height; r++) rows[r] = found.top[headerRow + r].slice();
    return { sheet, def, headers, headerRow, firstRow: headerRow + 1, rows, columns: null, readAt };
  }
  for (let r = 0; r < height; r++) rows[r] = new Array<CellValue>(lastColumn).fill('');
  for (const [start, width] of columnRuns(columns)) {
    const block = withRetry(() => sheet.getRange(headerRow + 1, start + 1, height, width).getValues()) as CellValue[][];
    for (let r = 0; r < height; r++) {
      const from = block[r];
      const to = rows[r];
      for (let c = 0; c < width; c++) to[start + c] = from[c];
    }
  }
  return { sheet, def, headers, headerRow, firstRow: headerRow + 1, rows, columns, readAt };
}

/**
 * Stops a job before it writes anything through a broken header row: every header of `keys` (or of every
 * column) must be there exactly once. Recalc, sweep and partner sync share it, so they refuse alike.
 */
export function assertHeaders(table: Pick<Table, 'headers' | 'def'>, keys?: readonly string[]): void {
  const broken = headerProblems(table.headers, table.def.name, keys);
  if (broken.length > 0) throw new Error(`${broken.join(' ')} Ничего не изменено.`);
}

function columnsOf(headers: HeaderMap, keys: readonly string[]): Set<number> {
  const out = new Set<number>();
  for (const k of keys) {
    const i = headers.index.get(k);
    if (i !== undefined) out.add(i);
  }
  return out;
}

/** Adjacent columns as [first, count] runs, left to right. */
export function columnRuns(columns: Iterable<number>): Array<[number, number]> {
  const sorted = [...columns].sort((a, b) => a - b);
  const runs: Array<[number, number]> = [];
  for (const c of sorted) {
    const last = runs[runs.length - 1];
    if (last && last[0] + last[1] === c) last[1]++;
    else runs.push([c, 1]);
  }
  return runs;
}

/** True when the table holds every column of `keys` the sheet has (read in full, or asked for). */
export function hasColumns(table: Table, keys: readonly string[]): boolean {
  if (table.columns === null) return true;
  return keys.every((k) => {
    const i = table.headers.index.get(k);
    return i === undefined || table.columns!.has(i);
  });
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
/**
 * Turns sheet rows into objects keyed by template column key ('' for columns the sheet lacks); the
 * column positions are looked up once, not per row.
 */
export function rowReader(def: Pick<SheetDef, 'columns'>, headers: HeaderMap): (row: readonly CellValue[]) => Record<string, CellValue> {
  const pairs = def.columns.map((c) => [c.key, headers.index.get(c.key) ?? -1] as const);
  return (row) => {
    const out: Record<string, CellValue> = {};
    for (const [key, i] of pairs) out[key] = i < 0 ? '' : (row[i] ?? '');
    return out;
  };
}

export function rowObject(table: Table, row: CellValue[]): Record<string, CellValue> {
  return rowReader(table.def, table.headers)(row);
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
export function writeChanges(table: Table, changes: TableChanges, opts: { replayedByLeadIndex?: boolean } = {}): WriteResult {
  // Script writes to «Аналитика» may leave the 19:45 lead index stale (gas/lead-index-guard.ts).
  if (table.def.key === 'analytics' && !opts.replayedByLeadIndex && changes.size > 0) guardLeadIndex(table, changes);
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
  for (const col of byColumn.keys()) {
    // Compare-and-set needs what the job read: a column it never read cannot be written from this table.
    if (table.columns !== null && !table.columns.has(col)) throw new Error(`Внутренняя ошибка: колонка ${col + 1} листа «${table.def.name}» не была прочитана перед записью — запись отменена, данные не изменены.`);
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
