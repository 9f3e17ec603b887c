// Saves an emulated spreadsheet to .xlsx and loads it back (exceljs), so the local runner works on
// a file a person can open in Excel/LibreOffice. Cells, formulas, notes, number formats, validation,
// frozen panes, widths, hidden sheets/columns, tab colors, backgrounds and bold/italic/colors live in
// the workbook itself; what .xlsx cannot hold (id, owner, sharing, time zone, locale, sheet ids and
// sizes, protections and their editors, conditional format rules, charts, exact validation rules)
// goes as JSON into a hidden sheet named `_emulator`.
// A loaded workbook keeps its exceljs object: a save changes only what differs between the emulated
// sheet and what the loader would read from the file, so everything the emulator does not model
// (hyperlinks, images, merged cells, rich text, borders, autofilters, Excel's conditional formats,
// defined names) stays as the person or their program wrote it.
// Dates: exceljs writes a Date as its UTC wall time, so dates are written as the wall time of the
// spreadsheet's zone and read back through that zone — a Moscow-midnight date stays the same
// calendar date whatever the machine zone is.
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { isDate } from './support';
import { writeFileAtomic } from './state';
import { columnToLetters, parseA1, quoteSheetName } from './spreadsheet/a1';
import { isDateFormat } from './spreadsheet/format';
import type { SpreadsheetWorld } from './spreadsheet/index';
import type { CellExtra, CellStore } from './spreadsheet/model';
import { formulaResult } from './spreadsheet/range';
import { decodeValue, encodeValue, restoreSpreadsheet, serializeSpreadsheet, type SpreadsheetJson } from './spreadsheet/serialize';
import type { EmuSheet } from './spreadsheet/sheet';
import { CELL_LIMIT_ERROR, MAX_CELLS_PER_SPREADSHEET, type EmuSpreadsheet } from './spreadsheet/spreadsheet';
import { EmuDataValidation } from './spreadsheet/validation';
import { type CellValue, EPOCH_OFFSET_DAYS, instantFromWall, serialToDate, wallMs } from './spreadsheet/values';
import type { DataValidationCriteriaName } from './spreadsheet/enums';

export const META_SHEET = '_emulator';
const CHUNK = 30_000;
const PX_PER_CHAR = 7;
const DAY_MS = 86_400_000;
/** Serial 0 of Excel dates (1899-12-30) as exceljs represents it. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
/** What the emulator reads as an uncomputable formula. */
const FORMULA_ERROR = '#ERROR!';

interface RuleJson { c: DataValidationCriteriaName | null; a: unknown[]; ai: boolean; ht: string | null }
interface Meta {
  version: 1; spreadsheet: SpreadsheetJson; excelNames: string[]; rules: RuleJson[];
  /** Free-form data of the program that saved the workbook (the local runner pairs it with its state). */
  app?: Record<string, unknown>;
}

// ---- number formats ------------------------------------------------------------------------------

/** Rewrites the letters of a date pattern outside quotes/escapes/brackets. */
function mapDateLetters(fmt: string, map: (run: string, kind: 'month' | 'minute' | 'hour' | 'other') => string): string {
  const parts: Array<{ lit: boolean; text: string }> = [];
  for (let i = 0; i < fmt.length;) {
    const ch = fmt[i];
    if (ch === '"') { const e = fmt.indexOf('"', i + 1); const end = e < 0 ? fmt.length : e + 1; parts.push({ lit: true, text: fmt.slice(i, end) }); i = end; continue; }
    if (ch === '\\') { parts.push({ lit: true, text: fmt.slice(i, i + 2) }); i += 2; continue; }
    if (ch === '[') { const e = fmt.indexOf(']', i); const end = e < 0 ? fmt.length : e + 1; parts.push({ lit: true, text: fmt.slice(i, end) }); i = end; continue; }
    if (/^(am\/pm|a\/p)/i.test(fmt.slice(i))) { const len = /^am\/pm/i.test(fmt.slice(i)) ? 5 : 3; parts.push({ lit: true, text: fmt.slice(i, i + len) }); i += len; continue; }
    if (/[a-z]/i.test(ch)) {
      let j = i;
      while (j < fmt.length && fmt[j].toLowerCase() === ch.toLowerCase()) j++;
      parts.push({ lit: false, text: fmt.slice(i, j) });
      i = j;
      continue;
    }
    parts.push({ lit: true, text: ch });
    i++;
  }
  const fields = parts.filter((p) => !p.lit);
  return parts.map((p) => {
    if (p.lit) return p.text;
    const k = fields.indexOf(p);
    const l = p.text[0].toLowerCase();
    if (l === 'h') return map(p.text, 'hour');
    if (l !== 'm') return map(p.text, 'other');
    if (p.text.length > 2) return map(p.text, 'month');
    const prev = fields[k - 1]?.text[0].toLowerCase();
    const next = fields[k + 1]?.text[0].toLowerCase();
    return map(p.text, prev === 'h' || next === 's' ? 'minute' : 'month');
  }).join('');
}

/** Sheets pattern → Excel: month letters lower-case, hours lower-case (Excel is case-insensitive but
 *  conventionally lower; 'dd.MM.yyyy' → 'dd.mm.yyyy'). */
export function sheetsToExcelFormat(fmt: string): string {
  if (!isDateFormat(fmt)) return fmt;
  return mapDateLetters(fmt, (run, kind) => (kind === 'month' || kind === 'hour' || kind === 'minute' ? run.toLowerCase() : run));
}

/** Excel pattern → Sheets: months upper-case M, 24-hour H unless AM/PM is present. */
export function excelToSheetsFormat(fmt: string): string | undefined {
  if (!fmt || fmt === 'General') return undefined;
  const clean = fmt.replace(/\[\$-[0-9A-Fa-f]+\]/g, '');
  if (!isDateFormat(clean)) return clean;
  const ampm = /am\/pm|a\/p/i.test(clean);
  return mapDateLetters(clean, (run, kind) => (kind === 'month' ? run.toUpperCase() : kind === 'hour' && !ampm ? run.toUpperCase() : kind === 'minute' ? run.toLowerCase() : run));
}

// ---- validation ---------------------------------------------------------------------------------

const OPERATOR: Partial<Record<DataValidationCriteriaName, ExcelJS.DataValidationOperator>> = {
  DATE_AFTER: 'greaterThan', DATE_BEFORE: 'lessThan', DATE_ON_OR_AFTER: 'greaterThanOrEqual', DATE_ON_OR_BEFORE: 'lessThanOrEqual',
  DATE_EQUAL_TO: 'equal', DATE_BETWEEN: 'between', DATE_NOT_BETWEEN: 'notBetween',
  NUMBER_GREATER_THAN: 'greaterThan', NUMBER_GREATER_THAN_OR_EQUAL_TO: 'greaterThanOrEqual', NUMBER_LESS_THAN: 'lessThan',
  NUMBER_LESS_THAN_OR_EQUAL_TO: 'lessThanOrEqual', NUMBER_EQUAL_TO: 'equal', NUMBER_NOT_EQUAL_TO: 'notEqual',
  NUMBER_BETWEEN: 'between', NUMBER_NOT_BETWEEN: 'notBetween',
};

function toExcelValidation(rule: EmuDataValidation, ruleId: number, tz: string): ExcelJS.DataValidation | null {
  const { criteria, args, allowInvalid, helpText } = rule.state;
  const common = {
    allowBlank: true,
    showErrorMessage: true,
    errorStyle: allowInvalid ? 'warning' : 'stop',
    // Marks the rule so a load restores it exactly from the _emulator sheet.
    errorTitle: `emu:${ruleId}`,
    ...(helpText ? { prompt: helpText, showInputMessage: true } : {}),
  };
  // exceljs writes a date rule's argument from a Date holding the wall time as UTC.
  const wallDate = (d: unknown) => new Date(isDate(d) ? wallMs(d.getTime(), tz) : Math.round((Number(d) - EPOCH_OFFSET_DAYS) * DAY_MS));
  switch (criteria) {
    case 'VALUE_IN_LIST': {
      const list = (args[0] as unknown[]).map(String).join(',');
      return { ...common, type: 'list', formulae: [`"${list.replace(/"/g, '""')}"`] };
    }
    case 'VALUE_IN_RANGE': {
      const r = args[0] as { sheet: EmuSheet; box(): { row: number; col: number; numRows: number; numCols: number } };
      const b = r.box();
      const ref = `${quoteSheetName(r.sheet.name)}!$${columnToLetters(b.col)}$${b.row}:$${columnToLetters(b.col + b.numCols - 1)}$${b.row + b.numRows - 1}`;
      return { ...common, type: 'list', formulae: [ref] };
    }
    case 'CHECKBOX': return { ...common, type: 'list', formulae: ['"TRUE,FALSE"'] };
    case 'DATE_IS_VALID_DATE': return { ...common, type: 'date', operator: 'greaterThan', formulae: [new Date(EXCEL_EPOCH_MS)] };
    case 'CUSTOM_FORMULA': return { ...common, type: 'custom', formulae: [String(args[0]).replace(/^=/, '')] };
    default: {
      const op = criteria ? OPERATOR[criteria] : undefined;
      if (!op || !criteria) return null;
      const isDateRule = criteria.startsWith('DATE_');
      return { ...common, type: isDateRule ? 'date' : 'decimal', operator: op, formulae: isDateRule ? args.map(wallDate) : args.map(Number) };
    }
  }
}

/** A date argument of a validation written elsewhere: exceljs gives a Date (wall time as UTC) or a serial. */
function excelDateArg(x: unknown, tz: string): Date | null {
  if (isDate(x)) return new Date(instantFromWall(x.getTime(), tz));
  const n = typeof x === 'number' ? x : typeof x === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(x) ? Number(x) : NaN;
  return Number.isFinite(n) ? serialToDate(n, tz) : null;
}

function fromExcelValidation(dv: ExcelJS.DataValidation, ss: EmuSpreadsheet, sheet: EmuSheet, tz: string): EmuDataValidation | null {
  const rec = ss.ctx.recorder;
  const allowInvalid = !(dv.showErrorMessage && (dv.errorStyle === undefined || dv.errorStyle === 'stop'));
  const helpText = dv.prompt ?? null;
  const raw = (dv.formulae ?? []) as unknown[];
  const f = raw.map((x) => (typeof x === 'string' ? x : String(x)));
  const mk = (criteria: DataValidationCriteriaName, args: unknown[]) => new EmuDataValidation(rec, { criteria, args, allowInvalid, helpText });
  if (dv.type === 'list') {
    const src = f[0] ?? '';
    if (src.startsWith('"')) {
      const items = src.slice(1, -1).replace(/""/g, '"').split(',');
      if (items.length === 2 && items[0].toUpperCase() === 'TRUE' && items[1].toUpperCase() === 'FALSE') return mk('CHECKBOX', []);
      return mk('VALUE_IN_LIST', [items, true]);
    }
    const ref = parseA1(src.replace(/^=/, '').replace(/\$/g, ''));
    // A reference without a sheet name points into the validated sheet itself.
    const sh = ref?.sheetName ? ss.sheet(ref.sheetName) : ref ? sheet : undefined;
    if (!ref || !sh) return null;
    const row = ref.startRow ?? 1;
    const col = ref.startCol ?? 1;
    return mk('VALUE_IN_RANGE', [sh.rangeOf({ row, col, numRows: (ref.endRow ?? sh.maxRows) - row + 1, numCols: (ref.endCol ?? sh.maxCols) - col + 1 }), true]);
  }
  if (dv.type === 'custom') return mk('CUSTOM_FORMULA', [`=${f[0] ?? ''}`]);
  if (dv.type === 'date' || dv.type === 'decimal' || dv.type === 'whole') {
    const isDateRule = dv.type === 'date';
    const entry = Object.entries(OPERATOR).find(([k, op]) => op === (dv.operator ?? 'between') && k.startsWith(isDateRule ? 'DATE_' : 'NUMBER_'));
    if (!entry) return null;
    if (isDateRule) {
      // Another program's date rule may hold dates, serials or formulas (=TODAY()); only the first two are rules we can check.
      const dates = raw.map((x) => excelDateArg(x, tz));
      if (dates.some((d) => d === null)) return null;
      const zero = raw.length === 1 && (isDate(raw[0]) ? raw[0].getTime() === EXCEL_EPOCH_MS : Number(raw[0]) === 0);
      if (dv.operator === 'greaterThan' && zero) return mk('DATE_IS_VALID_DATE', []);
      return mk(entry[0] as DataValidationCriteriaName, dates);
    }
    const nums = f.map(Number);
    if (nums.some((n) => !Number.isFinite(n))) return null;
    return mk(entry[0] as DataValidationCriteriaName, nums);
  }
  return null;
}

// ---- the file --------------------------------------------------------------------------------

/** Why a file cannot be opened as a workbook. */
export type XlsxProblem = 'missing' | 'directory' | 'empty' | 'xls' | 'ods' | 'docx' | 'not-zip' | 'not-xlsx' | 'corrupt' | 'same-id';

export class XlsxFileError extends Error {
  constructor(readonly problem: XlsxProblem, readonly file: string, detail: string) {
    super(`${file}: ${detail}`);
  }
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0]);

/** What kind of file these bytes are, when they are not an .xlsx workbook. Zip entry names are stored
 *  uncompressed, so a name search is enough to tell an .xlsx from an .ods, a .docx or another zip. */
export function xlsxProblemOf(bytes: Buffer): XlsxProblem | null {
  if (bytes.length === 0) return 'empty';
  if (bytes.subarray(0, 4).equals(OLE_MAGIC)) return 'xls';
  if (!bytes.subarray(0, 4).equals(ZIP_MAGIC)) return 'not-zip';
  if (bytes.includes('application/vnd.oasis.opendocument')) return 'ods';
  if (bytes.includes('xl/workbook.xml')) return null;
  if (bytes.includes('word/document.xml')) return 'docx';
  return 'not-xlsx';
}

const PROBLEM_TEXT: Record<XlsxProblem, string> = {
  missing: 'no such file',
  directory: 'is a directory',
  empty: 'the file is empty (0 bytes)',
  xls: 'an old Excel 97-2003 (.xls) workbook, not .xlsx',
  ods: 'an OpenDocument (.ods) spreadsheet, not .xlsx',
  docx: 'a Word document, not a workbook',
  'not-zip': 'not an .xlsx file (not a zip archive)',
  'not-xlsx': 'a zip archive without a workbook inside',
  corrupt: 'the workbook is damaged',
  'same-id': 'a copy of a spreadsheet that is already open',
};

/** Reads the bytes of an .xlsx file, refusing anything else before exceljs sees it. */
export function readXlsxFile(file: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new XlsxFileError('missing', file, PROBLEM_TEXT.missing);
    if (code === 'EISDIR') throw new XlsxFileError('directory', file, PROBLEM_TEXT.directory);
    throw error;
  }
  const problem = xlsxProblemOf(bytes);
  if (problem) throw new XlsxFileError(problem, file, PROBLEM_TEXT[problem]);
  return bytes;
}

/** Parts of an .xlsx exceljs does not keep when it writes the workbook again. */
function unkeptParts(bytes: Buffer): string[] {
  const parts: Array<[string, string]> = [['xl/charts/', 'charts'], ['xl/pivotTables/', 'pivot tables'], ['xl/slicers/', 'slicers'], ['xl/vbaProject.bin', 'macros']];
  return parts.filter(([name]) => bytes.includes(name)).map(([, what]) => what);
}

// ---- reading cells -------------------------------------------------------------------------------

/** A cell as the emulator sees it: value, formula and the extras a load reads (validation apart). */
type Look = { v: CellValue } & Omit<CellExtra, 'dv'>;
const STYLE_KEYS = ['note', 'bg', 'fc', 'fw', 'fst', 'fsz', 'ha', 'va', 'wrap'] as const;

/** exceljs keeps rows and cells in sparse arrays; reading them directly creates nothing. */
interface XRow { _cells: Array<ExcelJS.Cell | undefined>; style?: Partial<ExcelJS.Style> }
const rowsOf = (ws: ExcelJS.Worksheet) => (ws as unknown as { _rows: Array<XRow | undefined> })._rows;
const columnsOf = (ws: ExcelJS.Worksheet) => (ws as unknown as { _columns?: Array<ExcelJS.Column | undefined> })._columns ?? [];
const dvModel = (ws: ExcelJS.Worksheet) => (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;

/** Every cell exceljs holds (styled empty cells included), 0-based. */
function eachCell(ws: ExcelJS.Worksheet, fn: (cell: ExcelJS.Cell, r: number, c: number) => void): void {
  rowsOf(ws).forEach((row, r) => row?._cells.forEach((cell, c) => { if (cell) fn(cell, r, c); }));
}

function noteText(note: ExcelJS.Cell['note']): string | undefined {
  if (!note) return undefined;
  if (typeof note === 'string') return note;
  const texts = (note as { texts?: Array<{ text: string }> }).texts;
  return texts ? texts.map((t) => t.text).join('') : undefined;
}

function colorOf(c: Partial<ExcelJS.Color> | undefined): string | undefined {
  const a = c?.argb;
  if (!a || a.length < 6) return undefined;
  return `#${a.slice(-6).toLowerCase()}`;
}

function richText(o: unknown): string | undefined {
  const parts = (o as { richText?: Array<{ text: string }> } | null)?.richText;
  return Array.isArray(parts) ? parts.map((t) => t.text).join('') : undefined;
}

function fromExcel(raw: ExcelJS.CellValue, tz: string): CellValue {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (isDate(raw)) return new Date(instantFromWall(raw.getTime(), tz));
  const o = raw as unknown as Record<string, unknown>;
  const rich = richText(o);
  if (rich !== undefined) return rich;
  if ('text' in o && 'hyperlink' in o) return richText(o.text) ?? String(o.text);
  if ('error' in o) return String(o.error);
  return String(raw);
}

/** What a load takes from one cell. `uncached`: a formula saved without its result (another program). */
function readCell(cell: ExcelJS.Cell, tz: string, uncached?: () => void): Look {
  const look: Look = { v: undefined };
  const fmt = excelToSheetsFormat(cell.numFmt);
  if (fmt) look.fmt = fmt;
  // The covered cells of a merge are empty: exceljs would answer with the top-left cell's value.
  if (cell.type !== ExcelJS.ValueType.Merge) {
    const raw = cell.value;
    if (raw !== null && typeof raw === 'object' && !isDate(raw) && ('formula' in raw || 'sharedFormula' in raw)) {
      look.f = `=${cell.formula}`;
      const res = (raw as ExcelJS.CellFormulaValue).result as unknown;
      if (res === undefined || res === null) {
        // Only Google (or Excel) can compute it; the emulator knows a few literal forms.
        const computed = formulaResult(look.f);
        if (computed === FORMULA_ERROR) uncached?.();
        else look.v = computed;
      } else if (typeof res === 'object' && !isDate(res)) {
        look.v = 'error' in (res as object) ? String((res as { error: unknown }).error) : formulaResult(look.f);
      } else look.v = fromExcel(res as ExcelJS.CellValue, tz);
    } else look.v = fromExcel(raw, tz);
  }
  const note = noteText(cell.note);
  if (note) look.note = note;
  const bg = cell.fill && cell.fill.type === 'pattern' && cell.fill.pattern === 'solid' ? colorOf(cell.fill.fgColor) : undefined;
  if (bg && bg !== '#ffffff') look.bg = bg;
  const font = cell.font;
  if (font?.bold) look.fw = 'bold';
  if (font?.italic) look.fst = 'italic';
  const fc = colorOf(font?.color);
  if (fc && fc !== '#000000') look.fc = fc;
  if (font?.size && font.size !== 11 && font.size !== 10) look.fsz = font.size;
  const al = cell.alignment;
  if (al?.wrapText) look.wrap = true;
  if (al?.horizontal && ['left', 'center', 'right'].includes(al.horizontal)) look.ha = al.horizontal;
  if (al?.vertical && ['top', 'middle'].includes(al.vertical)) look.va = al.vertical;
  return look;
}

/** Number format of a cell the file does not hold: its row's, else its column's (Excel's rule). */
function implicitFormat(ws: ExcelJS.Worksheet, r: number, c: number): string | undefined {
  const rowFmt = rowsOf(ws)[r]?.style?.numFmt;
  return excelToSheetsFormat(rowFmt || columnsOf(ws)[c]?.style?.numFmt || '');
}

interface SheetLook { hidden: boolean; frozenRows: number; frozenCols: number; tabColor: string | null; colWidths: number[]; hiddenCols: Set<number> }

function readSheetLook(ws: ExcelJS.Worksheet): SheetLook {
  const view = ws.views?.[0] as { state?: string; xSplit?: number; ySplit?: number } | undefined;
  const colWidths: number[] = [];
  const hiddenCols = new Set<number>();
  columnsOf(ws).forEach((col, i) => {
    if (!col) return;
    if (col.width !== undefined) colWidths[i + 1] = Math.round(col.width * PX_PER_CHAR);
    if (col.hidden) hiddenCols.add(i + 1);
  });
  return {
    hidden: ws.state === 'hidden' || ws.state === 'veryHidden',
    frozenRows: view?.state === 'frozen' ? view.ySplit ?? 0 : 0,
    frozenCols: view?.state === 'frozen' ? view.xSplit ?? 0 : 0,
    tabColor: colorOf(ws.properties?.tabColor as Partial<ExcelJS.Color> | undefined) ?? null,
    colWidths,
    hiddenCols,
  };
}

/** The emulated cell in the shape readCell returns. */
function emuLook(st: CellStore, r: number, c: number): Look {
  const look: Look = { v: st.value(r, c) };
  const ex = st.extra(r, c);
  if (ex) for (const [k, v] of Object.entries(ex)) if (k !== 'dv' && v !== undefined) (look as Record<string, unknown>)[k] = v;
  return look;
}

const blank = (x: unknown) => (x === undefined || x === null || x === '' || x === false ? undefined : x);

const emptyValue = (x: unknown) => x === undefined || x === null || x === '';

function sameValue(a: CellValue, b: CellValue): boolean {
  if (emptyValue(a) || emptyValue(b)) return emptyValue(a) && emptyValue(b);
  if (isDate(a) || isDate(b)) return isDate(a) && isDate(b) && a.getTime() === b.getTime();
  return a === b || (typeof a === 'number' && typeof b === 'number' && Number.isNaN(a) && Number.isNaN(b));
}

const valueDiffers = (emu: Look, file: Look) => (emu.f ?? '') !== (file.f ?? '') || (!emu.f && !sameValue(emu.v, file.v));

/** A date typed or written without a format gets a date format on save: not a difference. */
function formatDiffers(emu: Look, file: Look): boolean {
  if ((emu.fmt ?? '') === (file.fmt ?? '')) return false;
  return !(emu.fmt === undefined && isDate(emu.v) && isDateFormat(file.fmt));
}

function differs(emu: Look, file: Look): boolean {
  if (valueDiffers(emu, file) || formatDiffers(emu, file)) return true;
  return STYLE_KEYS.some((k) => blank(emu[k]) !== blank(file[k]));
}

// ---- load ---------------------------------------------------------------------------------------

function readMeta(wb: ExcelJS.Workbook): { meta: Meta; text: string } | null {
  const ws = wb.getWorksheet(META_SHEET);
  if (!ws) return null;
  let text = '';
  for (let r = 1; r <= ws.rowCount; r++) {
    const v = ws.getCell(r, 1).value;
    if (typeof v === 'string') text += v;
  }
  try {
    const m = JSON.parse(text) as Meta;
    return m.version === 1 ? { meta: m, text } : null;
  } catch {
    return null;
  }
}

type StructOp = { kind: 'insertRows' | 'deleteRows' | 'insertCols' | 'deleteCols'; at: number; n: number };

interface SheetSource {
  ws: ExcelJS.Worksheet;
  /** Rows and columns inserted or deleted since the load, replayed on the worksheet before a save. */
  ops: StructOp[];
  /** The grid a load gave row/column formats to (cells beyond it get them from Excel itself). */
  rows: number;
  cols: number;
}

export interface LoadReport {
  /** Cells (Лист!A1) whose formula was saved without a result: read as empty. */
  uncachedFormulas: string[];
  /** Parts of the file exceljs does not write back (charts, pivot tables…). */
  unkept: string[];
  /** The file has an `_emulator` sheet: it was saved by the emulator (and what it holds was restored). */
  madeByEmulator: boolean;
}

interface Source {
  wb: ExcelJS.Workbook;
  sheets: Map<EmuSheet, SheetSource>;
  /** Validation rules the `emu:N` markers in the file refer to. */
  rules: EmuDataValidation[];
  app?: Record<string, unknown>;
  report: LoadReport;
  /** The `_emulator` sheet's text as in the file (null: none). */
  metaText: string | null;
}

const sources = new WeakMap<EmuSpreadsheet, Source>();

/** What the program that saved the workbook stored in its `_emulator` sheet (undefined: nothing). */
export function workbookApp(ss: EmuSpreadsheet): Record<string, unknown> | undefined {
  return sources.get(ss)?.app;
}

/** What the load of this spreadsheet could not read as the file meant it. */
export function loadReport(ss: EmuSpreadsheet): LoadReport {
  return sources.get(ss)?.report ?? { uncachedFormulas: [], unkept: [], madeByEmulator: false };
}

/** Records the sheet's row/column insertions and deletions, so the save can shift the file alike. */
function recordStructure(sh: EmuSheet, ops: StructOp[]): void {
  const st = sh.store as unknown as Record<StructOp['kind'], (at: number, n: number) => void>;
  for (const kind of ['insertRows', 'deleteRows', 'insertCols', 'deleteCols'] as const) {
    const original = st[kind].bind(st);
    st[kind] = (at: number, n: number) => { ops.push({ kind, at, n }); original(at, n); };
  }
}

export interface LoadOptions {
  /** Id/name/owner/time zone for a workbook without an `_emulator` sheet (one made elsewhere). */
  id?: string;
  name?: string;
  owner?: string;
  timeZone?: string;
  /** Refuse (XlsxFileError 'same-id') a file whose spreadsheet is already in the world, instead of replacing it. */
  keepExisting?: boolean;
}

/** Loads a workbook into the world (replacing a file with the same id) and returns it. */
export async function loadWorkbook(path: string, world: SpreadsheetWorld, opts: LoadOptions = {}): Promise<EmuSpreadsheet> {
  const bytes = readXlsxFile(path);
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (error) {
    throw new XlsxFileError('corrupt', path, `${PROBLEM_TEXT.corrupt} (${(error as Error).message})`);
  }
  const read = readMeta(wb);
  const meta = read?.meta ?? null;
  const ctx = world.ctx;
  const worksheets = wb.worksheets.filter((w) => w.name !== META_SHEET);

  let ss: EmuSpreadsheet;
  const sheetFor = new Map<ExcelJS.Worksheet, EmuSheet>();
  if (meta) {
    const json = meta.spreadsheet;
    const byExcelName = new Map(meta.excelNames.map((x, i) => [x, json.sheets[i]]));
    // Sheets follow the workbook (a person may have added, removed or reordered them in Excel).
    json.sheets = worksheets.map((w) => byExcelName.get(w.name) ?? {
      name: w.name, id: -1, maxRows: 1000, maxCols: 26, frozenRows: 0, frozenCols: 0, colWidths: [], hiddenCols: [], hidden: false,
      tabColor: null, rows: [], extras: [], cf: [], charts: [],
    });
    const used = new Set(json.sheets.map((s) => s.id));
    json.sheets.forEach((s, i) => { if (s.id === -1) { s.id = 1_000_000 + i; while (used.has(s.id)) s.id++; used.add(s.id); } });
    if (world.byId(json.id)) {
      if (opts.keepExisting) throw new XlsxFileError('same-id', path, PROBLEM_TEXT['same-id']);
      world.deleteFile(json.id);
    }
    ss = restoreSpreadsheet(ctx, json);
    worksheets.forEach((w, i) => sheetFor.set(w, ss.sheets[i]));
  } else {
    const created = world.createSpreadsheet(opts.name ?? path.replace(/^.*[\\/]/, '').replace(/\.xlsx$/i, ''), { id: opts.id, owner: opts.owner, timeZone: opts.timeZone });
    world.deleteFile(created.id);
    ss = created;
    ss.sheets = [];
    ss.acl.trashed = false;
    worksheets.forEach((w) => sheetFor.set(w, ss.addSheet(w.name, undefined, Math.max(1000, w.rowCount), Math.max(26, w.columnCount))));
    ss.activeSheet = ss.sheets[0] ?? null;
  }
  const tz = ss.timeZone;
  const rules = (meta?.rules ?? []).map((r) => new EmuDataValidation(ctx.recorder, { criteria: r.c, args: r.a.map((a) => decodeValue(a, ss)), allowInvalid: r.ai, helpText: r.ht }));
  const source: Source = { wb, sheets: new Map(), rules, app: meta?.app, report: { uncachedFormulas: [], unkept: unkeptParts(bytes), madeByEmulator: meta !== null }, metaText: read?.text ?? null };

  for (const ws of worksheets) {
    const sh = sheetFor.get(ws)!;
    const look = readSheetLook(ws);
    sh.hidden = look.hidden;
    sh.frozenRows = look.frozenRows;
    sh.frozenCols = look.frozenCols;
    sh.tabColor = look.tabColor;
    sh.colWidths = look.colWidths;
    sh.hiddenCols = look.hiddenCols;
    sh.maxRows = Math.max(sh.maxRows, ws.rowCount);
    sh.maxCols = Math.max(sh.maxCols, ws.columnCount);
    const st = sh.store;
    st.rows = [];
    st.extras = [];
    const present = new Set<number>();
    eachCell(ws, (cell, r, c) => {
      present.add(r * COL_SPAN + c);
      const cellLook = readCell(cell, tz, () => source.report.uncachedFormulas.push(`${sh.name}!${cell.address}`));
      if (cellLook.v !== undefined) st.setValue(r, c, cellLook.v);
      for (const [k, v] of Object.entries(cellLook)) if (k !== 'v' && v !== undefined) (st.ensureExtra(r, c) as Record<string, unknown>)[k] = v;
    });
    // A row or column formatted as a whole (Excel's "Text" column) formats its empty cells too:
    // typed into, they must stay text ('0012345', 'TRUE', '12.11').
    const styledRows = rowsOf(ws).flatMap((row, r) => (row && r < sh.maxRows && excelToSheetsFormat(row.style?.numFmt ?? '') ? [r] : []));
    const styledCols = columnsOf(ws).flatMap((col, c) => (col && c < sh.maxCols && excelToSheetsFormat(col.style?.numFmt ?? '') ? [c] : []));
    const materialize = (r: number, c: number) => {
      if (present.has(r * COL_SPAN + c)) return;
      const fmt = implicitFormat(ws, r, c);
      if (fmt && !st.extra(r, c)?.fmt) st.ensureExtra(r, c).fmt = fmt;
    };
    for (const r of styledRows) for (let c = 0; c < sh.maxCols; c++) materialize(r, c);
    for (const c of styledCols) for (let r = 0; r < sh.maxRows; r++) materialize(r, c);
    // Validation lives in the sheet's model by address (cells without a value included).
    const cache = new Map<ExcelJS.DataValidation, EmuDataValidation | null>();
    for (const [address, dv] of Object.entries(dvModel(ws))) {
      let rule = cache.get(dv);
      if (rule === undefined) {
        rule = fileRule(dv, rules, ss, sh, tz);
        cache.set(dv, rule);
      }
      const ref = parseA1(address);
      if (!rule || !ref?.startRow || !ref.startCol) continue;
      st.ensureExtra(ref.startRow - 1, ref.startCol - 1).dv = rule;
    }
    st.touch();
    const ops: StructOp[] = [];
    recordStructure(sh, ops);
    source.sheets.set(sh, { ws, ops, rows: sh.maxRows, cols: sh.maxCols });
  }
  // Google refuses to import a workbook whose grids exceed the spreadsheet cell limit.
  if (ss.cellCount() > MAX_CELLS_PER_SPREADSHEET) throw new Error(CELL_LIMIT_ERROR);
  world.register(ss);
  sources.set(ss, source);
  return ss;
}

/** Positions as one number: Excel has at most 16 384 columns. */
const COL_SPAN = 16_384;

/** The rule a file's validation stands for: ours by its `emu:N` marker, another program's translated. */
function fileRule(dv: ExcelJS.DataValidation, rules: EmuDataValidation[], ss: EmuSpreadsheet, sh: EmuSheet, tz: string): EmuDataValidation | null {
  const marker = /^emu:(\d+)$/.exec(dv.errorTitle ?? '');
  return marker && rules[Number(marker[1])] ? rules[Number(marker[1])] : fromExcelValidation(dv, ss, sh, tz);
}

// ---- save ---------------------------------------------------------------------------------------

function argb(color: string | undefined): { argb: string } | undefined {
  if (!color) return undefined;
  const hex = color.replace('#', '');
  return { argb: `FF${hex.length === 3 ? hex.split('').map((c) => c + c).join('') : hex}`.toUpperCase() };
}

function excelSheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').replace(/^'|'$/g, '_').slice(0, 31) || 'Sheet';
  let candidate = /^history$/i.test(base) ? `${base}_` : base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 28)}~${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

/** Validation rules by content, numbered as the `emu:N` markers in the file and the meta's list. */
class RuleIds {
  readonly list: EmuDataValidation[] = [];
  private readonly byKey = new Map<string, number>();
  private readonly keys = new Map<EmuDataValidation, string>();
  /** The loaded file's rules keep their numbers (equal ones included): its markers refer to them. */
  constructor(seed: EmuDataValidation[]) {
    for (const r of seed) {
      const k = this.key(r);
      if (!this.byKey.has(k)) this.byKey.set(k, this.list.length);
      this.list.push(r);
    }
  }
  key(rule: EmuDataValidation): string {
    let k = this.keys.get(rule);
    if (k === undefined) {
      const s = rule.state;
      k = JSON.stringify([s.criteria, s.args.map(encodeValue), s.allowInvalid, s.helpText]);
      this.keys.set(rule, k);
    }
    return k;
  }
  of(rule: EmuDataValidation): number {
    const k = this.key(rule);
    let id = this.byKey.get(k);
    if (id === undefined) {
      id = this.list.length;
      this.list.push(rule);
      this.byKey.set(k, id);
    }
    return id;
  }
}

const setOrder = (ws: ExcelJS.Worksheet, n: number) => { (ws as unknown as { orderNo: number }).orderNo = n; };

/** Replays the emulated sheet's row/column insertions and deletions on the worksheet. */
function replayStructure(ws: ExcelJS.Worksheet, ops: StructOp[]): boolean {
  const changed = ops.length > 0;
  const blanks = (n: number) => Array.from({ length: n }, () => [] as unknown[]);
  for (const op of ops) {
    const rows = rowsOf(ws).length;
    const cols = Math.max(0, ...rowsOf(ws).map((r) => r?._cells.length ?? 0));
    // Past the end of what the file holds, there is nothing to move.
    if (op.kind === 'insertRows' && op.at < rows) for (let done = 0; done < op.n; done += 10_000) ws.spliceRows(op.at + 1, 0, ...blanks(Math.min(10_000, op.n - done)));
    if (op.kind === 'deleteRows' && op.at < rows) ws.spliceRows(op.at + 1, op.n);
    if (op.kind === 'insertCols' && op.at < cols) ws.spliceColumns(op.at + 1, 0, ...blanks(op.n));
    if (op.kind === 'deleteCols' && op.at < cols) ws.spliceColumns(op.at + 1, op.n);
  }
  ops.length = 0;
  return changed;
}

function syncSheetLook(sh: EmuSheet, ws: ExcelJS.Worksheet): boolean {
  const file = readSheetLook(ws);
  let changed = false;
  if (file.hidden !== sh.hidden) { ws.state = sh.hidden ? 'hidden' : 'visible'; changed = true; }
  if (file.frozenRows !== sh.frozenRows || file.frozenCols !== sh.frozenCols) {
    changed = true;
    const { xSplit: _x, ySplit: _y, topLeftCell: _t, ...base } = (ws.views?.[0] ?? {}) as Partial<ExcelJS.WorksheetViewFrozen>;
    ws.views = [sh.frozenRows || sh.frozenCols
      ? { ...base, state: 'frozen', xSplit: sh.frozenCols, ySplit: sh.frozenRows } as ExcelJS.WorksheetView
      : { ...base, state: 'normal' } as ExcelJS.WorksheetView];
  }
  if (file.tabColor !== sh.tabColor) {
    changed = true;
    ws.properties = { ...ws.properties, tabColor: argb(sh.tabColor ?? undefined) } as ExcelJS.WorksheetProperties;
  }
  const n = Math.max(sh.colWidths.length, file.colWidths.length);
  for (let c = 1; c < n; c++) {
    if (sh.colWidths[c] === file.colWidths[c]) continue;
    ws.getColumn(c).width = sh.colWidths[c] === undefined ? undefined : sh.colWidths[c] / PX_PER_CHAR;
    changed = true;
  }
  for (const c of new Set([...sh.hiddenCols, ...file.hiddenCols])) {
    if (sh.hiddenCols.has(c) === file.hiddenCols.has(c)) continue;
    ws.getColumn(c).hidden = sh.hiddenCols.has(c);
    changed = true;
  }
  return changed;
}

/** Writes what differs between the emulated cell and the file's, keeping the rest of the file's cell. */
function writeLook(ws: ExcelJS.Worksheet, r: number, c: number, emu: Look, file: Look, tz: string, locale: string): void {
  let cell = ws.getCell(r + 1, c + 1);
  const valueChanged = valueDiffers(emu, file);
  if (valueChanged && cell.type === ExcelJS.ValueType.Merge) {
    // A value written into a covered cell: exceljs would put it into the merge's top-left cell.
    ws.unMergeCells(r + 1, c + 1, r + 1, c + 1);
    cell = ws.getCell(r + 1, c + 1);
  }
  // Styles are shared between cells in exceljs: a changed cell gets its own copy.
  const style: Partial<ExcelJS.Style> = { ...cell.style };
  let styled = false;
  const drop = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
  if (formatDiffers(emu, file)) { style.numFmt = emu.fmt ? sheetsToExcelFormat(emu.fmt) : 'General'; styled = true; }
  if (blank(emu.bg) !== blank(file.bg)) {
    style.fill = emu.bg ? { type: 'pattern', pattern: 'solid', fgColor: argb(emu.bg) } : { type: 'pattern', pattern: 'none' };
    styled = true;
  }
  if ((['fw', 'fst', 'fc', 'fsz'] as const).some((k) => blank(emu[k]) !== blank(file[k]))) {
    const font: Partial<ExcelJS.Font> = { ...style.font };
    if (blank(emu.fw) !== blank(file.fw)) font.bold = emu.fw === 'bold' || undefined;
    if (blank(emu.fst) !== blank(file.fst)) font.italic = emu.fst === 'italic' || undefined;
    if (blank(emu.fc) !== blank(file.fc)) font.color = argb(emu.fc);
    if (blank(emu.fsz) !== blank(file.fsz)) font.size = emu.fsz;
    style.font = drop(font);
    styled = true;
  }
  if ((['wrap', 'ha', 'va'] as const).some((k) => blank(emu[k]) !== blank(file[k]))) {
    const al: Partial<ExcelJS.Alignment> = { ...style.alignment };
    if (blank(emu.wrap) !== blank(file.wrap)) al.wrapText = emu.wrap || undefined;
    if (blank(emu.ha) !== blank(file.ha)) al.horizontal = emu.ha as ExcelJS.Alignment['horizontal'] | undefined;
    if (blank(emu.va) !== blank(file.va)) al.vertical = emu.va as ExcelJS.Alignment['vertical'] | undefined;
    style.alignment = drop(al);
    styled = true;
  }
  if (valueChanged && isDate(emu.v) && !emu.f && !isDateFormat(excelToSheetsFormat(style.numFmt ?? ''))) {
    // Excel needs a date format to show (and exceljs to read back) a date.
    const midnight = wallMs(emu.v.getTime(), tz) % DAY_MS === 0;
    const comma = /^(ru|uk|be|kk|de|fr|es|it|pt|pl|cs|nl|tr)/i.test(locale);
    style.numFmt = comma ? (midnight ? 'dd.mm.yyyy' : 'dd.mm.yyyy h:mm:ss') : (midnight ? 'm/d/yyyy' : 'm/d/yyyy h:mm:ss');
    styled = true;
  }
  if (styled) cell.style = style;
  if (valueChanged) {
    const excelValue = (x: CellValue): ExcelJS.CellValue => (x === undefined ? null : isDate(x) ? new Date(wallMs(x.getTime(), tz)) : x);
    cell.value = emu.f
      ? { formula: emu.f.slice(1), result: excelValue(emu.v) ?? undefined } as ExcelJS.CellFormulaValue
      : excelValue(emu.v);
  }
  if (blank(emu.note) !== blank(file.note)) {
    if (emu.note) cell.note = emu.note;
    else (cell as unknown as { _comment?: unknown })._comment = undefined;
  }
}

function syncCells(sh: EmuSheet, src: SheetSource, tz: string, locale: string): boolean {
  const { ws } = src;
  const st = sh.store;
  const changes: Array<[number, number, Look, Look]> = [];
  const seen = new Set<number>();
  eachCell(ws, (cell, r, c) => {
    seen.add(r * COL_SPAN + c);
    const emu = emuLook(st, r, c);
    const file = readCell(cell, tz);
    if (differs(emu, file)) changes.push([r, c, emu, file]);
  });
  const nRows = Math.max(st.rows.length, st.extras.length);
  for (let r = 0; r < nRows; r++) {
    const vals = st.rows[r];
    const exs = st.extras[r];
    if (!vals && !exs) continue;
    const nCols = Math.max(vals?.length ?? 0, exs?.length ?? 0);
    for (let c = 0; c < nCols; c++) {
      if ((vals?.[c] === undefined && !exs?.[c]) || seen.has(r * COL_SPAN + c)) continue;
      const emu = emuLook(st, r, c);
      // A cell the file does not hold reads as empty, with its row's or column's format.
      const fmt = r < src.rows && c < src.cols ? implicitFormat(ws, r, c) : undefined;
      const file: Look = fmt ? { v: undefined, fmt } : { v: undefined };
      if (differs(emu, file)) changes.push([r, c, emu, file]);
    }
  }
  for (const [r, c, emu, file] of changes) writeLook(ws, r, c, emu, file, tz, locale);
  return changes.length > 0;
}

function syncValidation(sh: EmuSheet, ws: ExcelJS.Worksheet, old: EmuDataValidation[], ids: RuleIds, ss: EmuSpreadsheet, tz: string): boolean {
  const model = dvModel(ws);
  let changed = false;
  const fileKeys = new Map<ExcelJS.DataValidation, string | null>();
  const fileKey = (dv: ExcelJS.DataValidation) => {
    let k = fileKeys.get(dv);
    if (k === undefined) {
      const rule = fileRule(dv, old, ss, sh, tz);
      k = rule ? ids.key(rule) : null;
      fileKeys.set(dv, k);
    }
    return k;
  };
  const write = (address: string, rule: EmuDataValidation | undefined) => {
    changed = true;
    const xdv = rule ? toExcelValidation(rule, ids.of(rule), tz) : null;
    if (xdv) model[address] = xdv;
    else delete model[address];
  };
  for (const [address, dv] of Object.entries(model)) {
    const ref = parseA1(address);
    if (!ref?.startRow || !ref.startCol) continue;
    const rule = sh.store.extra(ref.startRow - 1, ref.startCol - 1)?.dv;
    // Another program's rule the emulator cannot model (text length…) stays as it is.
    if (fileKey(dv) === (rule ? ids.key(rule) : null)) continue;
    write(address, rule);
  }
  sh.store.extras.forEach((row, r) => row?.forEach((e, c) => {
    if (!e?.dv) return;
    const address = `${columnToLetters(c + 1)}${r + 1}`;
    if (!(address in model)) write(address, e.dv);
  }));
  return changed;
}

/** Markers left from the loaded file keep their numbers; this drops the numbers nothing refers to. */
function compactRules(wb: ExcelJS.Workbook, ids: RuleIds): RuleJson[] {
  const models = wb.worksheets.filter((w) => w.name !== META_SHEET).map(dvModel);
  const used = new Set<number>();
  for (const model of models) for (const dv of Object.values(model)) {
    const m = /^emu:(\d+)$/.exec(dv.errorTitle ?? '');
    if (m) used.add(Number(m[1]));
  }
  const kept = [...used].filter((i) => i < ids.list.length).sort((a, b) => a - b);
  const renumber = new Map(kept.map((old, i) => [old, i]));
  const copies = new Map<ExcelJS.DataValidation, ExcelJS.DataValidation>();
  for (const model of models) for (const [address, dv] of Object.entries(model)) {
    const m = /^emu:(\d+)$/.exec(dv.errorTitle ?? '');
    if (!m || renumber.get(Number(m[1])) === Number(m[1])) continue;
    let copy = copies.get(dv);
    if (!copy) copies.set(dv, (copy = { ...dv, errorTitle: `emu:${renumber.get(Number(m[1])) ?? 0}` }));
    model[address] = copy;
  }
  return kept.map((i) => {
    const s = ids.list[i].state;
    return { c: s.criteria, a: s.args.map(encodeValue) as unknown[], ai: s.allowInvalid, ht: s.helpText };
  });
}

export interface SaveOptions {
  /** Stored in the `_emulator` sheet; read back by workbookApp(). Default: what the loaded file had. */
  app?: Record<string, unknown>;
}

export interface PreparedSave {
  /** Anything differs from the loaded file (always true for a spreadsheet not loaded from one). */
  changed: boolean;
  /** The .xlsx bytes. */
  bytes(): Promise<Buffer>;
}

/**
 * Brings the workbook object up to date with the spreadsheet. A loaded workbook is changed in place —
 * only the cells, sheet settings and validation that differ from the file — so what the emulator does
 * not model survives.
 */
export function prepareSave(ss: EmuSpreadsheet, opts: SaveOptions = {}): PreparedSave {
  let src = sources.get(ss);
  if (!src) {
    const wb = new ExcelJS.Workbook();
    wb.created = new Date(ss.created);
    src = { wb, sheets: new Map(), rules: [], report: { uncachedFormulas: [], unkept: [], madeByEmulator: false }, metaText: null };
    sources.set(ss, src);
  }
  const { wb } = src;
  const tz = ss.timeZone;
  let changed = false;
  const oldMeta = wb.getWorksheet(META_SHEET);
  if (oldMeta) wb.removeWorksheet(oldMeta.id);
  // Sheets the scripts deleted go; sheets they added get a worksheet.
  for (const sh of [...src.sheets.keys()]) {
    if (ss.sheets.includes(sh)) continue;
    wb.removeWorksheet(src.sheets.get(sh)!.ws.id);
    src.sheets.delete(sh);
    changed = true;
  }
  ss.sheets.forEach((sh, i) => {
    if (src.sheets.has(sh)) return;
    const ops: StructOp[] = [];
    recordStructure(sh, ops);
    src.sheets.set(sh, { ws: wb.addWorksheet(`~new~${i}`), ops, rows: 0, cols: 0 });
    changed = true;
  });
  // Names and order follow the emulated spreadsheet (renamed in two passes: names must stay unique).
  const taken = new Set<string>([META_SHEET.toLowerCase()]);
  const excelNames = ss.sheets.map((sh) => excelSheetName(sh.name, taken));
  ss.sheets.forEach((sh, i) => {
    const ws = src.sheets.get(sh)!.ws;
    if (ws.name !== excelNames[i]) { ws.name = `~${i}~${ws.id}`; changed = true; }
  });
  ss.sheets.forEach((sh, i) => { const ws = src.sheets.get(sh)!.ws; ws.name = excelNames[i]; setOrder(ws, i); });
  // A reorder shows in the meta's list of names.

  const ids = new RuleIds(src.rules);
  for (const sh of ss.sheets) {
    const s = src.sheets.get(sh)!;
    if (replayStructure(s.ws, s.ops)) changed = true;
    if (syncSheetLook(sh, s.ws)) changed = true;
    if (syncCells(sh, s, tz, ss.locale)) changed = true;
    if (syncValidation(sh, s.ws, src.rules, ids, ss, tz)) changed = true;
  }
  const rules = compactRules(wb, ids);
  src.rules = rules.map((r) => new EmuDataValidation(ss.ctx.recorder, { criteria: r.c, args: r.a.map((a) => decodeValue(a, ss)), allowInvalid: r.ai, helpText: r.ht }));
  if (opts.app) src.app = opts.app;

  const meta: Meta = { version: 1, spreadsheet: serializeSpreadsheet(ss, { cells: false }), excelNames, rules, ...(src.app ? { app: src.app } : {}) };
  const metaWs = wb.addWorksheet(META_SHEET, { state: 'hidden' });
  setOrder(metaWs, ss.sheets.length);
  const text = JSON.stringify(meta);
  for (let i = 0, row = 1; i < text.length; i += CHUNK, row++) metaWs.getCell(row, 1).value = text.slice(i, i + CHUNK);
  if (text !== src.metaText) changed = true;
  src.metaText = text;
  // The tab Excel opens on must still exist and be visible.
  const view = wb.views?.[0] as { activeTab?: number; firstSheet?: number } | undefined;
  if (view) {
    const visible = ss.sheets.findIndex((sh) => !sh.hidden);
    if (view.activeTab === undefined || view.activeTab >= ss.sheets.length || ss.sheets[view.activeTab]?.hidden) view.activeTab = Math.max(0, visible);
    if (view.firstSheet !== undefined && view.firstSheet >= ss.sheets.length) view.firstSheet = 0;
  }
  return { changed, bytes: async () => Buffer.from(await wb.xlsx.writeBuffer()) };
}

/** The .xlsx bytes of a spreadsheet (see prepareSave). */
export async function workbookToBuffer(ss: EmuSpreadsheet, opts: SaveOptions = {}): Promise<Buffer> {
  return prepareSave(ss, opts).bytes();
}

/** Saves the spreadsheet to `path` atomically (a crash leaves the old file, never a partial one). */
export async function saveWorkbook(ss: EmuSpreadsheet, path: string, opts: SaveOptions = {}): Promise<void> {
  writeFileAtomic(path, await workbookToBuffer(ss, opts));
}
