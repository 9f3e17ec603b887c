// Sheet: grid size, structure (insert/delete rows and columns), frozen panes, widths, visibility,
// protections, conditional formats and charts. Every public method is counted as 'Sheet.<method>'.
import type { EmulatorContext } from '../context';
import { parseA1 } from './a1';
import { EmuChart, EmuChartBuilder } from './chart';
import { EmuConditionalFormatRule } from './conditional-format';
import type { ProtectionTypeName } from './enums';
import { type Box, CellStore, shiftOnDelete, shiftOnInsert } from './model';
import { EmuProtection } from './protection';
import { EmuRange, assertCellText } from './range';
import type { EmuSpreadsheet } from './spreadsheet';
import { ERR } from './user';

type GSheet = GoogleAppsScript.Spreadsheet.Sheet;
type GRange = GoogleAppsScript.Spreadsheet.Range;

export const DEFAULT_ROWS = 1000;
export const DEFAULT_COLS = 26;
export const DEFAULT_COLUMN_WIDTH = 100;

type Methods = 'activate' | 'appendRow' | 'clear' | 'clearConditionalFormatRules' | 'clearContents' | 'clearFormats' | 'clearNotes'
  | 'deleteColumn' | 'deleteColumns' | 'deleteRow' | 'deleteRows' | 'getCharts' | 'getColumnWidth' | 'getConditionalFormatRules'
  | 'getDataRange' | 'getFrozenColumns' | 'getFrozenRows' | 'getIndex' | 'getLastColumn' | 'getLastRow' | 'getMaxColumns'
  | 'getMaxRows' | 'getName' | 'getParent' | 'getProtections' | 'getRange' | 'getSheetId' | 'getSheetName' | 'getSheetValues'
  | 'getTabColor' | 'getType' | 'hideColumns' | 'hideSheet' | 'insertChart' | 'insertColumnAfter' | 'insertColumnBefore'
  | 'insertColumns' | 'insertColumnsAfter' | 'insertColumnsBefore' | 'insertRowAfter' | 'insertRowBefore' | 'insertRows'
  | 'insertRowsAfter' | 'insertRowsBefore' | 'isColumnHiddenByUser' | 'isSheetHidden' | 'newChart' | 'protect' | 'removeChart'
  | 'setActiveSelection' | 'setColumnWidth' | 'setColumnWidths' | 'setConditionalFormatRules' | 'setFrozenColumns' | 'setFrozenRows'
  | 'setName' | 'setTabColor' | 'showColumns' | 'showSheet' | 'updateChart';

/** Sheet methods that change the sheet (structure, name, formats, rules, charts). */
const SHEET_WRITES = /^(setName|appendRow|insert|delete|clear|setFrozen|setColumnWidth|hide|show|setTabColor|setConditionalFormatRules|updateChart|removeChart)/;

export class EmuSheet implements Pick<GSheet, Methods> {
  readonly store = new CellStore();
  frozenRows = 0;
  frozenCols = 0;
  /** Column widths in pixels by 1-based column; missing → default. */
  colWidths: number[] = [];
  hiddenCols = new Set<number>();
  hidden = false;
  tabColor: string | null = null;
  cfRules: EmuConditionalFormatRule[] = [];
  charts: EmuChart[] = [];
  activeBox: Box | null = null;
  deleted = false;

  constructor(readonly ctx: EmulatorContext, public parent: EmuSpreadsheet, public name: string, readonly sheetId: number,
    public maxRows = DEFAULT_ROWS, public maxCols = DEFAULT_COLS) {}

  private c(m: string): void {
    this.ctx.recorder.call(`Sheet.${m}`);
    if (this.ctx.recorder.enabled && SHEET_WRITES.test(m)) this.assertMayWrite(null);
  }

  /**
   * A script write runs with the effective user's rights: "protections apply to scripts too" — a user who
   * may not edit a protected range or sheet gets the same refusal from a script as from the UI
   * (https://developers.google.com/apps-script/reference/spreadsheet/protection). `box` null: a change of
   * the sheet itself (rows, columns, name, formats), stopped by a sheet protection only.
   */
  assertMayWrite(box: Box | null): void {
    const user = this.ctx.userEmail.toLowerCase();
    if (!this.parent.acl.canEdit(user)) throw new Error(ERR.viewOnly);
    const blocked = box === null
      ? this.parent.protections.find((p) => p.sheet === this && p.type === 'SHEET' && !p.userMayEdit(user) && p.unprotected.length === 0)
      : this.blockingProtection(box, user);
    if (blocked) throw new Error(ERR.protectedCell);
  }
  private self(): GSheet { return this as unknown as GSheet; }
  assertAlive(): void { if (this.deleted) throw new Error(ERR.deletedObject); }

  // ---- harness helpers (not counted) ---------------------------------------------------------
  rangeOf(b: Box): EmuRange { return new EmuRange(this, b.row, b.col, b.numRows, b.numCols); }

  checkedRange(row: number, col: number, numRows = 1, numCols = 1): EmuRange {
    this.assertAlive();
    if (![row, col, numRows, numCols].every((n) => Number.isFinite(n))) throw new Error('The parameters (number,number,number,number) don\'t match the method signature.');
    if (row < 1) throw new Error(ERR.startRow);
    if (col < 1) throw new Error(ERR.startCol);
    if (numRows < 1) throw new Error(ERR.numRows);
    if (numCols < 1) throw new Error(ERR.numCols);
    if (row + numRows - 1 > this.maxRows || col + numCols - 1 > this.maxCols) throw new Error(ERR.outside);
    return new EmuRange(this, Math.floor(row), Math.floor(col), Math.floor(numRows), Math.floor(numCols));
  }

  rangeByA1(a1: string): EmuRange {
    const ref = parseA1(a1);
    if (!ref) throw new Error('Range not found');
    const startRow = ref.startRow ?? 1;
    const startCol = ref.startCol ?? 1;
    const endRow = ref.endRow ?? this.maxRows;
    const endCol = ref.endCol ?? this.maxCols;
    const r = Math.min(startRow, endRow);
    const c = Math.min(startCol, endCol);
    return this.checkedRange(r, c, Math.abs(endRow - startRow) + 1, Math.abs(endCol - startCol) + 1);
  }

  /** The first protection that stops `user` editing any cell of the box, or null. */
  blockingProtection(b: Box, user: string): EmuProtection | null {
    for (const p of this.parent.protections) {
      if (p.sheet !== this || p.userMayEdit(user)) continue;
      for (let r = b.row; r < b.row + b.numRows; r++) {
        for (let c = b.col; c < b.col + b.numCols; c++) if (p.covers(r, c)) return p;
      }
    }
    return null;
  }

  private shiftBoxes(dim: 'row' | 'col', fn: (start: number, len: number) => [number, number] | null): void {
    const apply = (b: Box): Box | null => {
      const [s, l] = dim === 'row' ? [b.row, b.numRows] : [b.col, b.numCols];
      const res = fn(s, l);
      if (!res) return null;
      return dim === 'row' ? { ...b, row: res[0], numRows: res[1] } : { ...b, col: res[0], numCols: res[1] };
    };
    for (const p of [...this.parent.protections]) {
      if (p.sheet !== this) continue;
      if (p.box) {
        const nb = apply(p.box);
        if (nb) p.box = nb; else this.parent.protections = this.parent.protections.filter((x) => x !== p);
      }
      p.unprotected = p.unprotected.map(apply).filter((b): b is Box => b !== null);
    }
    for (const rule of this.cfRules) {
      rule.state.ranges = rule.state.ranges.map((r) => (r.sheet === this ? { sheet: r.sheet, box: apply(r.box) } : r))
        .filter((r): r is { sheet: EmuSheet; box: Box } => r.box !== null);
    }
  }

  insertRowsAt(before: number, n: number): void {
    this.assertAlive();
    if (before < 1 || before > this.maxRows + 1) throw new Error(ERR.outside);
    this.parent.assertCellsFit(n * this.maxCols);
    this.store.insertRows(before - 1, n);
    this.maxRows += n;
    this.shiftBoxes('row', (s, l) => shiftOnInsert(s, l, before, n));
    this.parent.touch();
  }

  insertColsAt(before: number, n: number): void {
    this.assertAlive();
    if (before < 1 || before > this.maxCols + 1) throw new Error(ERR.outside);
    this.parent.assertCellsFit(n * this.maxRows);
    this.store.insertCols(before - 1, n);
    this.maxCols += n;
    if (this.colWidths.length >= before) this.colWidths.splice(before, 0, ...new Array<number>(n));
    this.shiftBoxes('col', (s, l) => shiftOnInsert(s, l, before, n));
    this.parent.touch();
  }

  // ---- identity ------------------------------------------------------------------------------
  getName(): string { this.c('getName'); return this.name; }
  getSheetName(): string { this.c('getSheetName'); return this.name; }
  setName(name: string): GSheet {
    this.c('setName');
    if (name !== this.name && this.parent.sheets.some((s) => s !== this && s.name.toLowerCase() === name.toLowerCase())) throw new Error(ERR.sheetExists(name));
    this.name = name;
    this.parent.touch();
    return this.self();
  }
  getSheetId(): number { this.c('getSheetId'); return this.sheetId; }
  getIndex(): number { this.c('getIndex'); return this.parent.sheets.indexOf(this) + 1; }
  getParent(): GoogleAppsScript.Spreadsheet.Spreadsheet { this.c('getParent'); return this.parent as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet; }
  getType(): GoogleAppsScript.Spreadsheet.SheetType { this.c('getType'); return 'GRID' as unknown as GoogleAppsScript.Spreadsheet.SheetType; }
  activate(): GSheet { this.c('activate'); this.parent.activeSheet = this; if (this.hidden) this.hidden = false; return this.self(); }

  // ---- size and content ----------------------------------------------------------------------
  getLastRow(): number { this.c('getLastRow'); this.assertAlive(); return this.store.lastContent().row; }
  getLastColumn(): number { this.c('getLastColumn'); this.assertAlive(); return this.store.lastContent().col; }
  getMaxRows(): number { this.c('getMaxRows'); return this.maxRows; }
  getMaxColumns(): number { this.c('getMaxColumns'); return this.maxCols; }

  getRange(a: number | string, column?: number, numRows?: number, numColumns?: number): GRange {
    this.c('getRange');
    if (typeof a === 'string') return this.rangeByA1(a) as unknown as GRange;
    return this.checkedRange(a, column as number, numRows ?? 1, numColumns ?? 1) as unknown as GRange;
  }
  getDataRange(): GRange {
    this.c('getDataRange');
    const { row, col } = this.store.lastContent();
    return this.checkedRange(1, 1, Math.max(row, 1), Math.max(col, 1)) as unknown as GRange;
  }
  getSheetValues(startRow: number, startColumn: number, numRows: number, numColumns: number): any[][] {
    this.c('getSheetValues');
    const last = this.store.lastContent();
    const nr = numRows === -1 ? last.row - startRow + 1 : numRows;
    const nc = numColumns === -1 ? last.col - startColumn + 1 : numColumns;
    const r = this.checkedRange(startRow, startColumn, nr, nc);
    this.ctx.recorder.read(nr * nc);
    return r.peekValues();
  }
  setActiveSelection(a: GRange | string): GRange {
    this.c('setActiveSelection');
    const r = typeof a === 'string' ? this.rangeByA1(a) : (a as unknown as EmuRange);
    this.activeBox = r.box();
    this.parent.activeSheet = this;
    return r as unknown as GRange;
  }

  /** Appends after the last row with content; grows the sheet when it is full. */
  appendRow(rowContents: any[]): GSheet {
    this.c('appendRow');
    this.assertAlive();
    const row = this.store.lastContent().row + 1;
    for (const v of rowContents) assertCellText(v);
    // Growing a full sheet counts against the spreadsheet's cell limit like an inserted row.
    const rows = Math.max(row, this.maxRows);
    const cols = Math.max(rowContents.length, this.maxCols);
    this.parent.assertCellsFit(rows * cols - this.maxRows * this.maxCols);
    this.maxRows = rows;
    this.maxCols = cols;
    const r = new EmuRange(this, row, 1, 1, Math.max(rowContents.length, 1));
    this.store.touch();
    rowContents.forEach((v, j) => r.writeCell(row - 1, j, v));
    this.ctx.recorder.written(rowContents.length);
    this.parent.touch();
    return this.self();
  }

  insertRowAfter(after: number): GSheet { this.c('insertRowAfter'); this.insertRowsAt(after + 1, 1); return this.self(); }
  insertRowsAfter(after: number, howMany: number): GSheet { this.c('insertRowsAfter'); this.insertRowsAt(after + 1, howMany); return this.self(); }
  insertRowBefore(before: number): GSheet { this.c('insertRowBefore'); this.insertRowsAt(before, 1); return this.self(); }
  insertRowsBefore(before: number, howMany: number): GSheet { this.c('insertRowsBefore'); this.insertRowsAt(before, howMany); return this.self(); }
  insertRows(rowIndex: number, numRows = 1): void { this.c('insertRows'); this.insertRowsAt(rowIndex, numRows); }
  insertColumnAfter(after: number): GSheet { this.c('insertColumnAfter'); this.insertColsAt(after + 1, 1); return this.self(); }
  insertColumnsAfter(after: number, howMany: number): GSheet { this.c('insertColumnsAfter'); this.insertColsAt(after + 1, howMany); return this.self(); }
  insertColumnBefore(before: number): GSheet { this.c('insertColumnBefore'); this.insertColsAt(before, 1); return this.self(); }
  insertColumnsBefore(before: number, howMany: number): GSheet { this.c('insertColumnsBefore'); this.insertColsAt(before, howMany); return this.self(); }
  insertColumns(columnIndex: number, numColumns = 1): void { this.c('insertColumns'); this.insertColsAt(columnIndex, numColumns); }

  private removeRows(at: number, n: number): void {
    this.assertAlive();
    if (at < 1 || n < 1 || at + n - 1 > this.maxRows) throw new Error(ERR.outside);
    if (n >= this.maxRows) throw new Error('You can\'t delete all the rows on the sheet.');
    this.store.deleteRows(at - 1, n);
    this.maxRows -= n;
    this.shiftBoxes('row', (s, l) => shiftOnDelete(s, l, at, n));
    this.parent.touch();
  }
  private removeCols(at: number, n: number): void {
    this.assertAlive();
    if (at < 1 || n < 1 || at + n - 1 > this.maxCols) throw new Error(ERR.outside);
    if (n >= this.maxCols) throw new Error('You can\'t delete all the columns on the sheet.');
    this.store.deleteCols(at - 1, n);
    this.maxCols -= n;
    this.colWidths.splice(at, n);
    this.shiftBoxes('col', (s, l) => shiftOnDelete(s, l, at, n));
    this.parent.touch();
  }
  deleteRow(rowPosition: number): GSheet { this.c('deleteRow'); this.removeRows(rowPosition, 1); return this.self(); }
  deleteRows(rowPosition: number, howMany: number): void { this.c('deleteRows'); this.removeRows(rowPosition, howMany); }
  deleteColumn(columnPosition: number): GSheet { this.c('deleteColumn'); this.removeCols(columnPosition, 1); return this.self(); }
  deleteColumns(columnPosition: number, howMany: number): void { this.c('deleteColumns'); this.removeCols(columnPosition, howMany); }

  clear(options?: { formatOnly?: boolean; contentsOnly?: boolean }): GSheet {
    this.c('clear');
    const whole = this.rangeOf({ row: 1, col: 1, numRows: this.maxRows, numCols: this.maxCols });
    this.ctx.recorder.quiet(() => whole.clear(options ?? {}));
    return this.self();
  }
  clearContents(): GSheet {
    this.c('clearContents');
    this.store.rows = [];
    for (const row of this.store.extras) if (row) for (const e of row) if (e) delete e.f;
    this.store.touch();
    this.parent.touch();
    return this.self();
  }
  clearFormats(): GSheet {
    this.c('clearFormats');
    const whole = this.rangeOf({ row: 1, col: 1, numRows: this.maxRows, numCols: this.maxCols });
    this.ctx.recorder.quiet(() => whole.clearFormat());
    return this.self();
  }
  clearNotes(): GSheet {
    this.c('clearNotes');
    for (const row of this.store.extras) if (row) for (const e of row) if (e) delete e.note;
    return this.self();
  }

  // ---- layout --------------------------------------------------------------------------------
  setFrozenRows(rows: number): void { this.c('setFrozenRows'); this.frozenRows = rows; this.parent.touch(); }
  getFrozenRows(): number { this.c('getFrozenRows'); return this.frozenRows; }
  setFrozenColumns(columns: number): void { this.c('setFrozenColumns'); this.frozenCols = columns; this.parent.touch(); }
  getFrozenColumns(): number { this.c('getFrozenColumns'); return this.frozenCols; }
  setColumnWidth(columnPosition: number, width: number): GSheet { this.c('setColumnWidth'); this.colWidths[columnPosition] = width; return this.self(); }
  setColumnWidths(startColumn: number, numColumns: number, width: number): GSheet {
    this.c('setColumnWidths');
    for (let c = startColumn; c < startColumn + numColumns; c++) this.colWidths[c] = width;
    return this.self();
  }
  getColumnWidth(columnPosition: number): number { this.c('getColumnWidth'); return this.colWidths[columnPosition] ?? DEFAULT_COLUMN_WIDTH; }
  hideColumns(columnIndex: number, numColumns = 1): void { this.c('hideColumns'); for (let c = columnIndex; c < columnIndex + numColumns; c++) this.hiddenCols.add(c); }
  showColumns(columnIndex: number, numColumns = 1): void { this.c('showColumns'); for (let c = columnIndex; c < columnIndex + numColumns; c++) this.hiddenCols.delete(c); }
  isColumnHiddenByUser(columnPosition: number): boolean { this.c('isColumnHiddenByUser'); return this.hiddenCols.has(columnPosition); }
  hideSheet(): GSheet {
    this.c('hideSheet');
    if (!this.hidden && this.parent.sheets.filter((s) => !s.hidden).length <= 1) throw new Error(ERR.hideLast);
    this.hidden = true;
    if (this.parent.activeSheet === this) this.parent.activeSheet = this.parent.sheets.find((s) => !s.hidden) ?? this;
    return this.self();
  }
  showSheet(): GSheet { this.c('showSheet'); this.hidden = false; return this.self(); }
  isSheetHidden(): boolean { this.c('isSheetHidden'); return this.hidden; }
  setTabColor(color: string | null): GSheet { this.c('setTabColor'); this.tabColor = color; return this.self(); }
  getTabColor(): string | null { this.c('getTabColor'); return this.tabColor; }

  // ---- protection ----------------------------------------------------------------------------
  protect(): GoogleAppsScript.Spreadsheet.Protection {
    this.c('protect');
    // A sheet has at most one sheet protection; protect() returns the existing one.
    const existing = this.parent.protections.find((p) => p.sheet === this && p.type === 'SHEET');
    if (existing) return existing as unknown as GoogleAppsScript.Spreadsheet.Protection;
    const p = new EmuProtection(this.ctx, this, 'SHEET', null);
    this.parent.protections.push(p);
    return p as unknown as GoogleAppsScript.Spreadsheet.Protection;
  }
  getProtections(type: GoogleAppsScript.Spreadsheet.ProtectionType): GoogleAppsScript.Spreadsheet.Protection[] {
    this.c('getProtections');
    const t = String(type) as ProtectionTypeName;
    return this.parent.protections.filter((p) => p.sheet === this && p.type === t) as unknown as GoogleAppsScript.Spreadsheet.Protection[];
  }

  // ---- conditional formats -------------------------------------------------------------------
  setConditionalFormatRules(rules: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[]): void {
    this.c('setConditionalFormatRules');
    this.cfRules = rules.map((r) => r as unknown as EmuConditionalFormatRule);
    this.parent.touch();
  }
  getConditionalFormatRules(): GoogleAppsScript.Spreadsheet.ConditionalFormatRule[] {
    this.c('getConditionalFormatRules');
    return this.cfRules.slice() as unknown as GoogleAppsScript.Spreadsheet.ConditionalFormatRule[];
  }
  clearConditionalFormatRules(): void { this.c('clearConditionalFormatRules'); this.cfRules = []; }

  // ---- charts --------------------------------------------------------------------------------
  newChart(): GoogleAppsScript.Spreadsheet.EmbeddedChartBuilder {
    this.c('newChart');
    return new EmuChartBuilder(this.ctx.recorder, this) as unknown as GoogleAppsScript.Spreadsheet.EmbeddedChartBuilder;
  }
  insertChart(chart: GoogleAppsScript.Spreadsheet.EmbeddedChart): void {
    this.c('insertChart');
    const c = chart as unknown as EmuChart;
    c.state.id = this.parent.nextChartId();
    this.charts.push(new EmuChart(this.ctx.recorder, this, { ...c.state }));
    this.parent.touch();
  }
  getCharts(): GoogleAppsScript.Spreadsheet.EmbeddedChart[] { this.c('getCharts'); return this.charts.slice() as unknown as GoogleAppsScript.Spreadsheet.EmbeddedChart[]; }
  updateChart(chart: GoogleAppsScript.Spreadsheet.EmbeddedChart): void {
    this.c('updateChart');
    const c = chart as unknown as EmuChart;
    const i = this.charts.findIndex((x) => x.state.id === c.state.id);
    if (i < 0) throw new Error('The chart does not exist on this sheet.');
    this.charts[i] = new EmuChart(this.ctx.recorder, this, { ...c.state });
    this.parent.touch();
  }
  removeChart(chart: GoogleAppsScript.Spreadsheet.EmbeddedChart): void {
    this.c('removeChart');
    const c = chart as unknown as EmuChart;
    this.charts = this.charts.filter((x) => x.state.id !== c.state.id);
    this.parent.touch();
  }
}
