// Range: reads and writes move whole blocks of the sheet's row arrays; per-cell objects exist only
// for cells with extras. Every public method is counted as 'Range.<method>'.
import { isDate } from '../support';
import { rangeA1 } from './a1';
import { isDateFormat, formatDisplay } from './format';
import type { Box, CellExtra, ExtraKey } from './model';
import { FORMAT_KEYS } from './model';
import { EmuProtection } from './protection';
import type { EmuSheet } from './sheet';
import { ERR } from './user';
import { EmuDataValidation, EmuDataValidationBuilder } from './validation';
import { type CellValue, dateToSerial, serialToDate, storeRaw } from './values';

type GRange = GoogleAppsScript.Spreadsheet.Range;
type DV = GoogleAppsScript.Spreadsheet.DataValidation;

type Methods = 'activate' | 'canEdit' | 'check' | 'clear' | 'clearContent' | 'clearDataValidations' | 'clearFormat' | 'clearNote'
  | 'getA1Notation' | 'getBackground' | 'getBackgrounds' | 'getCell' | 'getColumn' | 'getDataValidation' | 'getDataValidations'
  | 'getDisplayValue' | 'getDisplayValues' | 'getFontColor' | 'getFontColors' | 'getFontStyle' | 'getFontWeight' | 'getFontWeights'
  | 'getFormula' | 'getFormulas' | 'getGridId' | 'getHeight' | 'getHorizontalAlignment' | 'getLastColumn' | 'getLastRow'
  | 'getNote' | 'getNotes' | 'getNumColumns' | 'getNumRows' | 'getNumberFormat' | 'getNumberFormats' | 'getRow' | 'getRowIndex'
  | 'getSheet' | 'getValue' | 'getValues' | 'getWidth' | 'getWrap' | 'insertCheckboxes' | 'isBlank' | 'isChecked' | 'offset'
  | 'protect' | 'removeCheckboxes' | 'setBackground' | 'setBackgrounds' | 'setDataValidation' | 'setDataValidations'
  | 'setFontColor' | 'setFontColors' | 'setFontSize' | 'setFontStyle' | 'setFontWeight' | 'setFontWeights' | 'setFormula'
  | 'setFormulas' | 'setHorizontalAlignment' | 'setNote' | 'setNotes' | 'setNumberFormat' | 'setNumberFormats' | 'setValue'
  | 'setValues' | 'setVerticalAlignment' | 'setWrap' | 'uncheck';

const ERROR_VALUE = '#ERROR!';
/** "Up to 50,000 characters" in one cell (https://support.google.com/drive/answer/37603); over it Google
 *  refuses the whole write with this message (seen from Sheets, e.g. https://github.com/freelabz/secator/issues/96). */
export const MAX_CELL_CHARS = 50_000;
export const CELL_TEXT_ERROR = `Your input contains more than the maximum of ${MAX_CELL_CHARS} characters in a single cell.`;

/** Refuses text (or an object written as its text, or a formula) longer than a cell holds. UTF-16 units,
 *  as Java counts them: never fewer than the characters a person sees. */
export function assertCellText(input: unknown): void {
  const text = typeof input === 'string' ? input
    : input !== null && typeof input === 'object' && !isDate(input) ? String(input) : '';
  if (text.length > MAX_CELL_CHARS) throw new Error(CELL_TEXT_ERROR);
}
/** Range methods that change cells: refused like a person's edit when the effective user may not edit them. */
const RANGE_WRITES = /^(set(?!Active)|clear|insertCheckboxes|removeCheckboxes|check|uncheck)/;
const dateFmtCache = new Map<string, boolean>();
function dateFmt(f: string): boolean {
  let v = dateFmtCache.get(f);
  if (v === undefined) { v = isDateFormat(f); dateFmtCache.set(f, v); }
  return v;
}

/** The value Apps Script returns for a stored cell: '' for empty, a fresh Date, and the number/Date
 *  conversion a number format implies (a number in a date-formatted cell reads as a Date). */
export function readCell(v: CellValue, ex: CellExtra | undefined, tz: string): unknown {
  if (v === undefined) return '';
  const fmt = ex?.fmt;
  if (typeof v === 'object') {
    if (fmt !== undefined && fmt !== '@' && fmt !== '' && !dateFmt(fmt)) return dateToSerial(v.getTime(), tz);
    return new Date(v.getTime());
  }
  if (typeof v === 'number' && fmt !== undefined && dateFmt(fmt)) return serialToDate(v, tz);
  return v;
}

/** What the emulator stores for a formula's result: it does not compute formulas (see README of the
 *  emulator): HYPERLINK shows its label, everything else reads as '#ERROR!'. */
export function formulaResult(formula: string): CellValue {
  const m = /^=\s*HYPERLINK\(\s*"[^"]*"\s*[;,]\s*"((?:[^"]|"")*)"\s*\)\s*$/i.exec(formula);
  if (m) return m[1].replace(/""/g, '"');
  const lit = /^=\s*"((?:[^"]|"")*)"\s*$/.exec(formula);
  if (lit) return lit[1].replace(/""/g, '"');
  const n = /^=\s*(-?\d+(?:\.\d+)?)\s*$/.exec(formula);
  if (n) return Number(n[1]);
  return ERROR_VALUE;
}

export class EmuRange implements Pick<GRange, Methods> {
  constructor(readonly sheet: EmuSheet, readonly row: number, readonly col: number, readonly numRows: number, readonly numCols: number) {}

  private c(m: string): void {
    const rec = this.sheet.ctx.recorder;
    rec.call(`Range.${m}`);
    if (rec.enabled && RANGE_WRITES.test(m)) this.sheet.assertMayWrite(this.box());
  }
  private get store() { this.sheet.assertAlive(); return this.sheet.store; }
  private get tz(): string { return this.sheet.parent.timeZone; }
  private self(): GRange { return this as unknown as GRange; }
  box(): Box { return { row: this.row, col: this.col, numRows: this.numRows, numCols: this.numCols }; }

  private each(fn: (r: number, c: number, i: number, j: number) => void): void {
    for (let i = 0; i < this.numRows; i++) for (let j = 0; j < this.numCols; j++) fn(this.row - 1 + i, this.col - 1 + j, i, j);
  }
  private grid<T>(fn: (r: number, c: number) => T): T[][] {
    const out: T[][] = new Array(this.numRows);
    for (let i = 0; i < this.numRows; i++) {
      const row: T[] = new Array(this.numCols);
      for (let j = 0; j < this.numCols; j++) row[j] = fn(this.row - 1 + i, this.col - 1 + j);
      out[i] = row;
    }
    return out;
  }
  private checkDims(data: unknown): asserts data is unknown[][] {
    if (!Array.isArray(data)) throw new Error(`The parameters (${typeof data}) don't match the method signature.`);
    if (data.length !== this.numRows) throw new Error(ERR.rowsMismatch(data.length, this.numRows));
    for (const row of data) {
      const len = Array.isArray(row) ? row.length : 1;
      if (len !== this.numCols) throw new Error(ERR.colsMismatch(len, this.numCols));
    }
  }
  private setExtraAll<K extends ExtraKey>(key: K, v: CellExtra[K] | undefined): void {
    const st = this.store;
    this.each((r, c) => st.setExtra(r, c, key, v));
    this.sheet.parent.touch();
  }
  private setExtraGrid<K extends ExtraKey>(data: unknown[][], key: K, map: (x: unknown) => CellExtra[K] | undefined): void {
    this.checkDims(data);
    const st = this.store;
    this.each((r, c, i, j) => st.setExtra(r, c, key, map(data[i][j])));
    this.sheet.parent.touch();
  }

  // ---- values -------------------------------------------------------------------------------
  /** Harness: values as getValues returns them, not counted. */
  peekValues(): unknown[][] {
    const st = this.store;
    const tz = this.tz;
    const out: unknown[][] = new Array(this.numRows);
    const c0 = this.col - 1;
    for (let i = 0; i < this.numRows; i++) {
      const r = this.row - 1 + i;
      const src = st.rows[r];
      const ex = st.extras[r];
      const row: unknown[] = new Array(this.numCols);
      if (src === undefined) row.fill('');
      else if (ex === undefined) {
        for (let j = 0; j < this.numCols; j++) {
          const v = src[c0 + j];
          row[j] = v === undefined ? '' : typeof v === 'object' ? new Date(v.getTime()) : v;
        }
      } else {
        for (let j = 0; j < this.numCols; j++) row[j] = readCell(src[c0 + j], ex[c0 + j], tz);
      }
      out[i] = row;
    }
    return out;
  }
  peekDisplayValues(): string[][] {
    const st = this.store;
    const { locale } = this.sheet.parent;
    const tz = this.tz;
    return this.grid((r, c) => formatDisplay(st.value(r, c), st.extra(r, c)?.fmt, locale, tz));
  }

  getValues(): any[][] { this.c('getValues'); const v = this.peekValues(); this.sheet.ctx.recorder.read(this.numRows * this.numCols); return v; }
  getValue(): any { this.c('getValue'); this.sheet.ctx.recorder.read(1); const st = this.store; return readCell(st.value(this.row - 1, this.col - 1), st.extra(this.row - 1, this.col - 1), this.tz); }
  getDisplayValues(): string[][] { this.c('getDisplayValues'); this.sheet.ctx.recorder.read(this.numRows * this.numCols); return this.peekDisplayValues(); }
  getDisplayValue(): string {
    this.c('getDisplayValue');
    this.sheet.ctx.recorder.read(1);
    const st = this.store;
    return formatDisplay(st.value(this.row - 1, this.col - 1), st.extra(this.row - 1, this.col - 1)?.fmt, this.sheet.parent.locale, this.tz);
  }

  /** Writes one cell as a script does: strings go through user-entered parsing (setValue docs:
   *  "If it begins with '=' it is interpreted as a formula" —
   *  https://developers.google.com/apps-script/reference/spreadsheet/range#setValue(Object)). */
  writeCell(r: number, c: number, input: unknown): void {
    assertCellText(input);
    const st = this.sheet.store;
    const ex = st.extra(r, c);
    if (typeof input === 'string' && input !== '') {
      if (ex?.fmt === '@') { if (ex.f !== undefined) delete ex.f; st.setValue(r, c, input); return; }
      const parsed = this.sheet.parent.parseInput(input);
      if (parsed.formula !== undefined) {
        st.ensureExtra(r, c).f = parsed.formula;
        st.setValue(r, c, formulaResult(parsed.formula));
        return;
      }
      if (ex?.f !== undefined) st.setExtra(r, c, 'f', undefined);
      if (parsed.autoFormat && ex?.fmt === undefined) st.ensureExtra(r, c).fmt = parsed.autoFormat;
      st.setValue(r, c, parsed.value);
      return;
    }
    if (ex?.f !== undefined) st.setExtra(r, c, 'f', undefined);
    st.setValue(r, c, storeRaw(input));
  }

  setValues(values: any[][]): GRange {
    this.c('setValues');
    this.checkDims(values);
    // Checked before the first cell changes: Google refuses the whole write.
    this.each((_r, _c, i, j) => assertCellText(values[i][j]));
    this.store.touch();
    const r0 = this.row - 1;
    const c0 = this.col - 1;
    for (let i = 0; i < this.numRows; i++) {
      const src = values[i];
      for (let j = 0; j < this.numCols; j++) this.writeCell(r0 + i, c0 + j, src[j]);
    }
    this.sheet.ctx.recorder.written(this.numRows * this.numCols);
    this.sheet.parent.touch();
    this.sheet.ctx.recorder.settle('Range.setValues');
    return this.self();
  }

  setValue(value: any): GRange {
    this.c('setValue');
    assertCellText(value);
    this.store.touch();
    this.each((r, c) => this.writeCell(r, c, value));
    this.sheet.ctx.recorder.written(this.numRows * this.numCols);
    this.sheet.parent.touch();
    this.sheet.ctx.recorder.settle('Range.setValue');
    return this.self();
  }

  // ---- formulas ------------------------------------------------------------------------------
  getFormulas(): string[][] { this.c('getFormulas'); this.sheet.ctx.recorder.read(this.numRows * this.numCols); const st = this.store; return this.grid((r, c) => st.extra(r, c)?.f ?? ''); }
  getFormula(): string { this.c('getFormula'); this.sheet.ctx.recorder.read(1); return this.store.extra(this.row - 1, this.col - 1)?.f ?? ''; }
  private writeFormula(r: number, c: number, f: unknown): void {
    const text = f === null || f === undefined ? '' : String(f);
    if (text === '') { this.sheet.store.setExtra(r, c, 'f', undefined); this.sheet.store.setValue(r, c, undefined); return; }
    const formula = text.startsWith('=') ? text : `=${text}`;
    this.sheet.store.ensureExtra(r, c).f = formula;
    this.sheet.store.setValue(r, c, formulaResult(formula));
  }
  setFormulas(formulas: string[][]): GRange {
    this.c('setFormulas');
    this.checkDims(formulas);
    this.each((_r, _c, i, j) => assertCellText(formulas[i][j]));
    this.store.touch();
    this.each((r, c, i, j) => this.writeFormula(r, c, formulas[i][j]));
    this.sheet.ctx.recorder.written(this.numRows * this.numCols);
    this.sheet.parent.touch();
    this.sheet.ctx.recorder.settle('Range.setFormulas');
    return this.self();
  }
  setFormula(formula: string): GRange {
    this.c('setFormula');
    assertCellText(formula);
    this.store.touch();
    this.each((r, c) => this.writeFormula(r, c, formula));
    this.sheet.ctx.recorder.written(this.numRows * this.numCols);
    this.sheet.parent.touch();
    this.sheet.ctx.recorder.settle('Range.setFormula');
    return this.self();
  }

  // ---- notes ---------------------------------------------------------------------------------
  getNotes(): string[][] { this.c('getNotes'); this.sheet.ctx.recorder.read(this.numRows * this.numCols); const st = this.store; return this.grid((r, c) => st.extra(r, c)?.note ?? ''); }
  getNote(): string { this.c('getNote'); this.sheet.ctx.recorder.read(1); return this.store.extra(this.row - 1, this.col - 1)?.note ?? ''; }
  setNotes(notes: Array<Array<string | null>>): GRange {
    this.c('setNotes');
    this.setExtraGrid(notes, 'note', (x) => (x === null || x === undefined || x === '' ? undefined : String(x)));
    this.sheet.ctx.recorder.written(this.numRows * this.numCols);
    return this.self();
  }
  setNote(note: string | null): GRange {
    this.c('setNote');
    this.setExtraAll('note', note === null || note === '' ? undefined : String(note));
    this.sheet.ctx.recorder.written(this.numRows * this.numCols);
    return this.self();
  }
  clearNote(): GRange { this.c('clearNote'); this.setExtraAll('note', undefined); return this.self(); }

  // ---- formats -------------------------------------------------------------------------------
  getBackgrounds(): string[][] { this.c('getBackgrounds'); const st = this.store; return this.grid((r, c) => st.extra(r, c)?.bg ?? '#ffffff'); }
  getBackground(): string { this.c('getBackground'); return this.store.extra(this.row - 1, this.col - 1)?.bg ?? '#ffffff'; }
  setBackground(color: string | null): GRange { this.c('setBackground'); this.setExtraAll('bg', normColor(color, '#ffffff')); return this.self(); }
  setBackgrounds(colors: Array<Array<string | null>>): GRange { this.c('setBackgrounds'); this.setExtraGrid(colors, 'bg', (x) => normColor(x, '#ffffff')); return this.self(); }
  getFontColor(): string { this.c('getFontColor'); return this.store.extra(this.row - 1, this.col - 1)?.fc ?? '#000000'; }
  getFontColors(): string[][] { this.c('getFontColors'); const st = this.store; return this.grid((r, c) => st.extra(r, c)?.fc ?? '#000000'); }
  setFontColor(color: string | null): GRange { this.c('setFontColor'); this.setExtraAll('fc', normColor(color, '#000000')); return this.self(); }
  setFontColors(colors: any[][]): GRange { this.c('setFontColors'); this.setExtraGrid(colors, 'fc', (x) => normColor(x, '#000000')); return this.self(); }
  getFontWeight(): GoogleAppsScript.Spreadsheet.FontWeight { this.c('getFontWeight'); return this.store.extra(this.row - 1, this.col - 1)?.fw ?? 'normal'; }
  getFontWeights(): GoogleAppsScript.Spreadsheet.FontWeight[][] { this.c('getFontWeights'); const st = this.store; return this.grid((r, c) => st.extra(r, c)?.fw ?? 'normal'); }
  setFontWeight(w: GoogleAppsScript.Spreadsheet.FontWeight | null): GRange { this.c('setFontWeight'); this.setExtraAll('fw', w === 'bold' ? 'bold' : undefined); return this.self(); }
  setFontWeights(ws: Array<Array<GoogleAppsScript.Spreadsheet.FontWeight | null>>): GRange { this.c('setFontWeights'); this.setExtraGrid(ws, 'fw', (x) => (x === 'bold' ? 'bold' : undefined)); return this.self(); }
  getFontStyle(): GoogleAppsScript.Spreadsheet.FontStyle { this.c('getFontStyle'); return this.store.extra(this.row - 1, this.col - 1)?.fst ?? 'normal'; }
  setFontStyle(s: GoogleAppsScript.Spreadsheet.FontStyle | null): GRange { this.c('setFontStyle'); this.setExtraAll('fst', s === 'italic' ? 'italic' : undefined); return this.self(); }
  setFontSize(size: number): GRange { this.c('setFontSize'); this.setExtraAll('fsz', size === 10 ? undefined : size); return this.self(); }
  getHorizontalAlignment(): string { this.c('getHorizontalAlignment'); return this.store.extra(this.row - 1, this.col - 1)?.ha ?? 'general'; }
  setHorizontalAlignment(a: 'left' | 'center' | 'normal' | 'right' | null): GRange { this.c('setHorizontalAlignment'); this.setExtraAll('ha', a === null || a === 'normal' ? undefined : a); return this.self(); }
  setVerticalAlignment(a: 'top' | 'middle' | 'bottom' | null): GRange { this.c('setVerticalAlignment'); this.setExtraAll('va', a === null || a === 'bottom' ? undefined : a); return this.self(); }
  getWrap(): boolean { this.c('getWrap'); return this.store.extra(this.row - 1, this.col - 1)?.wrap ?? false; }
  setWrap(on: boolean): GRange { this.c('setWrap'); this.setExtraAll('wrap', on ? true : undefined); return this.self(); }
  getNumberFormats(): string[][] { this.c('getNumberFormats'); const st = this.store; return this.grid((r, c) => st.extra(r, c)?.fmt ?? '0.###############'); }
  getNumberFormat(): string { this.c('getNumberFormat'); return this.store.extra(this.row - 1, this.col - 1)?.fmt ?? '0.###############'; }
  setNumberFormat(fmt: string): GRange { this.c('setNumberFormat'); this.setExtraAll('fmt', normFmt(fmt)); return this.self(); }
  setNumberFormats(fmts: string[][]): GRange { this.c('setNumberFormats'); this.setExtraGrid(fmts, 'fmt', (x) => normFmt(x)); return this.self(); }
  clearFormat(): GRange {
    this.c('clearFormat');
    const st = this.store;
    this.each((r, c) => { for (const k of FORMAT_KEYS) st.setExtra(r, c, k, undefined); });
    this.sheet.parent.touch();
    return this.self();
  }

  // ---- validation ----------------------------------------------------------------------------
  getDataValidations(): Array<Array<DV | null>> { this.c('getDataValidations'); const st = this.store; return this.grid((r, c) => (st.extra(r, c)?.dv ?? null) as unknown as DV | null); }
  getDataValidation(): DV | null { this.c('getDataValidation'); return (this.store.extra(this.row - 1, this.col - 1)?.dv ?? null) as unknown as DV | null; }
  setDataValidation(rule: DV | null): GRange { this.c('setDataValidation'); this.setExtraAll('dv', asRule(rule)); return this.self(); }
  setDataValidations(rules: Array<Array<DV | null>>): GRange { this.c('setDataValidations'); this.setExtraGrid(rules, 'dv', (x) => asRule(x)); return this.self(); }
  clearDataValidations(): GRange { this.c('clearDataValidations'); this.setExtraAll('dv', undefined); return this.self(); }

  // ---- checkboxes ----------------------------------------------------------------------------
  insertCheckboxes(checked?: unknown, unchecked?: unknown): GRange {
    this.c('insertCheckboxes');
    const args = checked === undefined ? [] : unchecked === undefined ? [checked] : [checked, unchecked];
    const builder = new EmuDataValidationBuilder(this.sheet.ctx.recorder);
    const rule = this.sheet.ctx.recorder.quiet(() => (builder.requireCheckbox(...args).build() as unknown as EmuDataValidation));
    const st = this.store;
    // "Sets the value of all cells in the range to false" (or to the unchecked value when given).
    const off = args.length === 2 ? storeRaw(unchecked) : args.length === 1 ? undefined : false;
    this.each((r, c) => { st.ensureExtra(r, c).dv = rule; st.setExtra(r, c, 'f', undefined); st.setValue(r, c, off); });
    st.touch();
    this.sheet.parent.touch();
    return this.self();
  }
  removeCheckboxes(): GRange {
    this.c('removeCheckboxes');
    const st = this.store;
    this.each((r, c) => { if (st.extra(r, c)?.dv?.state.criteria === 'CHECKBOX') { st.setExtra(r, c, 'dv', undefined); st.setValue(r, c, undefined); } });
    st.touch();
    return this.self();
  }
  private checkboxValues(r: number, c: number): { on: CellValue; off: CellValue } | null {
    const dv = this.sheet.store.extra(r, c)?.dv;
    if (!dv || dv.state.criteria !== 'CHECKBOX') return null;
    const a = dv.state.args;
    return { on: a.length ? storeRaw(a[0]) : true, off: a.length >= 2 ? storeRaw(a[1]) : a.length ? undefined : false };
  }
  check(): GRange { this.c('check'); this.setChecked(true); return this.self(); }
  uncheck(): GRange { this.c('uncheck'); this.setChecked(false); return this.self(); }
  private setChecked(on: boolean): void {
    const st = this.store;
    this.each((r, c) => { const cb = this.checkboxValues(r, c); if (cb) st.setValue(r, c, on ? cb.on : cb.off); });
    st.touch();
    this.sheet.parent.touch();
  }
  isChecked(): boolean | null {
    this.c('isChecked');
    let on = 0;
    let off = 0;
    this.each((r, c) => {
      const cb = this.checkboxValues(r, c);
      if (!cb) { off = -Infinity; return; }
      const v = this.sheet.store.value(r, c);
      if (sameValue(v, cb.on)) on++; else off++;
    });
    if (off < 0) return null;
    return on > 0 && off === 0 ? true : off > 0 && on === 0 ? false : null;
  }

  // ---- geometry ------------------------------------------------------------------------------
  getA1Notation(): string { this.c('getA1Notation'); return rangeA1(this.row, this.col, this.numRows, this.numCols); }
  getRow(): number { this.c('getRow'); return this.row; }
  getRowIndex(): number { this.c('getRowIndex'); return this.row; }
  getColumn(): number { this.c('getColumn'); return this.col; }
  getNumRows(): number { this.c('getNumRows'); return this.numRows; }
  getNumColumns(): number { this.c('getNumColumns'); return this.numCols; }
  getHeight(): number { this.c('getHeight'); return this.numRows; }
  getWidth(): number { this.c('getWidth'); return this.numCols; }
  getLastRow(): number { this.c('getLastRow'); return this.row + this.numRows - 1; }
  getLastColumn(): number { this.c('getLastColumn'); return this.col + this.numCols - 1; }
  getGridId(): number { this.c('getGridId'); return this.sheet.sheetId; }
  getSheet(): GoogleAppsScript.Spreadsheet.Sheet { this.c('getSheet'); return this.sheet as unknown as GoogleAppsScript.Spreadsheet.Sheet; }
  getCell(row: number, column: number): GRange {
    this.c('getCell');
    if (row < 1 || column < 1 || row > this.numRows || column > this.numCols) throw new Error('Cell reference out of range');
    return this.sheet.rangeOf({ row: this.row + row - 1, col: this.col + column - 1, numRows: 1, numCols: 1 }) as unknown as GRange;
  }
  offset(rowOffset: number, columnOffset: number, numRows?: number, numColumns?: number): GRange {
    this.c('offset');
    return this.sheet.checkedRange(this.row + rowOffset, this.col + columnOffset, numRows ?? this.numRows, numColumns ?? this.numCols) as unknown as GRange;
  }
  isBlank(): boolean {
    this.c('isBlank');
    let blank = true;
    const st = this.store;
    this.each((r, c) => { const v = st.value(r, c); if ((v !== undefined && v !== '') || st.extra(r, c)?.f) blank = false; });
    return blank;
  }
  activate(): GRange { this.c('activate'); this.sheet.parent.activeSheet = this.sheet; this.sheet.activeBox = this.box(); return this.self(); }
  canEdit(): boolean {
    this.c('canEdit');
    const user = this.sheet.ctx.userEmail.toLowerCase();
    return this.sheet.blockingProtection(this.box(), user) === null && this.sheet.parent.acl.canEdit(user);
  }

  // ---- clearing ------------------------------------------------------------------------------
  clearContent(): GRange {
    this.c('clearContent');
    const st = this.store;
    this.each((r, c) => { st.setValue(r, c, undefined); st.setExtra(r, c, 'f', undefined); });
    st.touch();
    this.sheet.ctx.recorder.written(this.numRows * this.numCols);
    this.sheet.parent.touch();
    return this.self();
  }
  /** Clears contents and formats (options select parts); data validation is kept unless asked. */
  clear(options?: { commentsOnly?: boolean; contentsOnly?: boolean; formatOnly?: boolean; validationsOnly?: boolean; skipFilteredRows?: boolean }): GRange {
    this.c('clear');
    const st = this.store;
    const o = options ?? {};
    const any = o.commentsOnly || o.contentsOnly || o.formatOnly || o.validationsOnly;
    this.each((r, c) => {
      if (!any || o.contentsOnly) { st.setValue(r, c, undefined); st.setExtra(r, c, 'f', undefined); }
      if (!any || o.formatOnly) for (const k of FORMAT_KEYS) st.setExtra(r, c, k, undefined);
      if (!any || o.commentsOnly) st.setExtra(r, c, 'note', undefined);
      if (o.validationsOnly) st.setExtra(r, c, 'dv', undefined);
    });
    st.touch();
    this.sheet.parent.touch();
    return this.self();
  }

  protect(): GoogleAppsScript.Spreadsheet.Protection {
    this.c('protect');
    const p = new EmuProtection(this.sheet.ctx, this.sheet, 'RANGE', this.box());
    this.sheet.parent.protections.push(p);
    return p as unknown as GoogleAppsScript.Spreadsheet.Protection;
  }
}

function sameValue(a: CellValue, b: CellValue): boolean {
  if (isDate(a) && isDate(b)) return a.getTime() === b.getTime();
  return a === b || (a === undefined && b === '') || (a === '' && b === undefined);
}

function normColor(x: unknown, dflt: string): string | undefined {
  if (x === null || x === undefined || x === '') return undefined;
  const s = String(x).toLowerCase();
  return s === dflt ? undefined : s;
}

function normFmt(x: unknown): string | undefined {
  if (x === null || x === undefined || x === '') return undefined;
  return String(x);
}

function asRule(x: unknown): EmuDataValidation | undefined {
  if (x === null || x === undefined) return undefined;
  if (x instanceof EmuDataValidation) return x;
  throw new Error('The parameters (Object) don\'t match the method signature for SpreadsheetApp.Range.setDataValidation.');
}
