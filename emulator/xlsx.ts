// Saves an emulated spreadsheet to .xlsx and loads it back (exceljs), so the local runner works on
// a file a person can open in Excel/LibreOffice. Cells, formulas, notes, number formats, validation,
// frozen panes, widths, hidden sheets/columns, tab colors, backgrounds and bold/italic/colors live in
// the workbook itself; what .xlsx cannot hold (id, owner, sharing, time zone, locale, sheet ids and
// sizes, protections and their editors, conditional format rules, charts, exact validation rules)
// goes as JSON into a hidden sheet named `_emulator`.
// Dates: exceljs writes a Date as its UTC wall time, so dates are written as the wall time of the
// spreadsheet's zone and read back through that zone — a Moscow-midnight date stays the same
// calendar date whatever the machine zone is.
import ExcelJS from 'exceljs';
import { isDate } from './support';
import { columnToLetters, parseA1, quoteSheetName } from './spreadsheet/a1';
import { isDateFormat } from './spreadsheet/format';
import type { SpreadsheetWorld } from './spreadsheet/index';
import type { CellExtra } from './spreadsheet/model';
import { formulaResult } from './spreadsheet/range';
import { decodeValue, encodeValue, restoreSpreadsheet, serializeSpreadsheet, type SpreadsheetJson } from './spreadsheet/serialize';
import type { EmuSheet } from './spreadsheet/sheet';
import { CELL_LIMIT_ERROR, MAX_CELLS_PER_SPREADSHEET, type EmuSpreadsheet } from './spreadsheet/spreadsheet';
import { EmuDataValidation } from './spreadsheet/validation';
import { type CellValue, dateToSerial, instantFromWall, serialToDate, wallMs } from './spreadsheet/values';
import type { DataValidationCriteriaName } from './spreadsheet/enums';

export const META_SHEET = '_emulator';
const CHUNK = 30_000;
const PX_PER_CHAR = 7;

interface RuleJson { c: DataValidationCriteriaName | null; a: unknown[]; ai: boolean; ht: string | null }
interface Meta { version: 1; spreadsheet: SpreadsheetJson; excelNames: string[]; rules: RuleJson[] }

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
  const serial = (d: unknown) => (isDate(d) ? dateToSerial(d.getTime(), tz) : Number(d));
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
    case 'DATE_IS_VALID_DATE': return { ...common, type: 'date', operator: 'greaterThan', formulae: [0] };
    case 'CUSTOM_FORMULA': return { ...common, type: 'custom', formulae: [String(args[0]).replace(/^=/, '')] };
    default: {
      const op = criteria ? OPERATOR[criteria] : undefined;
      if (!op || !criteria) return null;
      const isDateRule = criteria.startsWith('DATE_');
      return { ...common, type: isDateRule ? 'date' : 'decimal', operator: op, formulae: args.map(isDateRule ? serial : Number) };
    }
  }
}

function fromExcelValidation(dv: ExcelJS.DataValidation, ss: EmuSpreadsheet, tz: string): EmuDataValidation | null {
  const rec = ss.ctx.recorder;
  const allowInvalid = !(dv.showErrorMessage && (dv.errorStyle === undefined || dv.errorStyle === 'stop'));
  const helpText = dv.prompt ?? null;
  const f = (dv.formulae ?? []).map((x) => (typeof x === 'string' ? x : String(x)));
  const mk = (criteria: DataValidationCriteriaName, args: unknown[]) => new EmuDataValidation(rec, { criteria, args, allowInvalid, helpText });
  if (dv.type === 'list') {
    const src = f[0] ?? '';
    if (src.startsWith('"')) {
      const items = src.slice(1, -1).replace(/""/g, '"').split(',');
      if (items.length === 2 && items[0].toUpperCase() === 'TRUE' && items[1].toUpperCase() === 'FALSE') return mk('CHECKBOX', []);
      return mk('VALUE_IN_LIST', [items, true]);
    }
    const ref = parseA1(src.replace(/\$/g, ''));
    const sh = ref?.sheetName ? ss.sheet(ref.sheetName) : undefined;
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
    if (isDateRule && dv.operator === 'greaterThan' && Number(f[0]) === 0) return mk('DATE_IS_VALID_DATE', []);
    const args = f.map((x) => (isDateRule ? serialToDate(Number(x), tz) : Number(x)));
    return mk(entry[0] as DataValidationCriteriaName, args);
  }
  return null;
}

// ---- save ---------------------------------------------------------------------------------------

function argb(color: string | undefined): { argb: string } | undefined {
  if (!color) return undefined;
  const hex = color.replace('#', '');
  return { argb: `FF${hex.length === 3 ? hex.split('').map((c) => c + c).join('') : hex}`.toUpperCase() };
}

function excelSheetName(name: string, taken: Set<string>): string {
  const base = name.replace(/[[\]:*?/\\]/g, '_').slice(0, 31) || 'Sheet';
  let candidate = base;
  for (let n = 2; taken.has(candidate.toLowerCase()); n++) candidate = `${base.slice(0, 28)}~${n}`;
  taken.add(candidate.toLowerCase());
  return candidate;
}

export async function saveWorkbook(ss: EmuSpreadsheet, path: string): Promise<void> {
  const tz = ss.timeZone;
  const wb = new ExcelJS.Workbook();
  wb.created = new Date(ss.created);
  const taken = new Set<string>([META_SHEET.toLowerCase()]);
  const excelNames: string[] = [];
  const ruleIds = new Map<EmuDataValidation, number>();
  const rules: RuleJson[] = [];

  for (const sh of ss.sheets) {
    const xname = excelSheetName(sh.name, taken);
    excelNames.push(xname);
    const ws = wb.addWorksheet(xname, {
      state: sh.hidden ? 'hidden' : 'visible',
      views: sh.frozenRows || sh.frozenCols ? [{ state: 'frozen', xSplit: sh.frozenCols, ySplit: sh.frozenRows }] : [],
      properties: sh.tabColor ? { tabColor: argb(sh.tabColor) } : {},
    });
    sh.colWidths.forEach((w, c) => { if (w !== undefined) ws.getColumn(c).width = w / PX_PER_CHAR; });
    for (const c of sh.hiddenCols) ws.getColumn(c).hidden = true;

    const { rows, extras } = sh.store;
    const nRows = Math.max(rows.length, extras.length);
    for (let r = 0; r < nRows; r++) {
      const vals = rows[r];
      const exs = extras[r];
      if (!vals && !exs) continue;
      const nCols = Math.max(vals?.length ?? 0, exs?.length ?? 0);
      const xrow = ws.getRow(r + 1);
      for (let c = 0; c < nCols; c++) {
        const v = vals?.[c];
        const ex = exs?.[c];
        if (v === undefined && !ex) continue;
        const cell = xrow.getCell(c + 1);
        writeCellValue(cell, v, ex, tz, ss.locale);
        if (!ex) continue;
        if (ex.note) cell.note = ex.note;
        if (ex.bg) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: argb(ex.bg) };
        if (ex.fw || ex.fst || ex.fc || ex.fsz) cell.font = { bold: ex.fw === 'bold' || undefined, italic: ex.fst === 'italic' || undefined, color: argb(ex.fc), size: ex.fsz };
        if (ex.wrap || ex.ha || ex.va) {
          cell.alignment = {
            wrapText: ex.wrap || undefined,
            horizontal: ex.ha as ExcelJS.Alignment['horizontal'] | undefined,
            vertical: (ex.va === 'middle' ? 'middle' : ex.va) as ExcelJS.Alignment['vertical'] | undefined,
          };
        }
        if (ex.dv) {
          let id = ruleIds.get(ex.dv);
          if (id === undefined) {
            id = rules.length;
            ruleIds.set(ex.dv, id);
            rules.push({ c: ex.dv.state.criteria, a: ex.dv.state.args.map(encodeValue) as unknown[], ai: ex.dv.state.allowInvalid, ht: ex.dv.state.helpText });
          }
          const xdv = toExcelValidation(ex.dv, id, tz);
          if (xdv) cell.dataValidation = xdv;
        }
      }
    }
  }

  const meta: Meta = { version: 1, spreadsheet: serializeSpreadsheet(ss, { cells: false }), excelNames, rules };
  const metaWs = wb.addWorksheet(META_SHEET, { state: 'hidden' });
  const text = JSON.stringify(meta);
  for (let i = 0, row = 1; i < text.length; i += CHUNK, row++) metaWs.getCell(row, 1).value = text.slice(i, i + CHUNK);
  await wb.xlsx.writeFile(path);
}

function writeCellValue(cell: ExcelJS.Cell, v: CellValue, ex: CellExtra | undefined, tz: string, locale: string): void {
  const fmt = ex?.fmt;
  if (fmt) cell.numFmt = sheetsToExcelFormat(fmt);
  const excelValue = (x: CellValue): ExcelJS.CellValue => {
    if (x === undefined) return null;
    if (typeof x === 'object') return new Date(wallMs(x.getTime(), tz));
    return x;
  };
  if (ex?.f) {
    cell.value = { formula: ex.f.slice(1), result: excelValue(v) as string | number | boolean | Date | undefined } as ExcelJS.CellFormulaValue;
    return;
  }
  if (typeof v === 'object' && !fmt) {
    // Excel needs a date format to show (and exceljs to read back) a date.
    const midnight = wallMs(v.getTime(), tz) % 86_400_000 === 0;
    const comma = /^(ru|uk|be|kk|de|fr|es|it|pt|pl|cs|nl|tr)/i.test(locale);
    cell.numFmt = comma ? (midnight ? 'dd.mm.yyyy' : 'dd.mm.yyyy h:mm:ss') : (midnight ? 'm/d/yyyy' : 'm/d/yyyy h:mm:ss');
  }
  cell.value = excelValue(v);
}

// ---- load ---------------------------------------------------------------------------------------

function readMeta(wb: ExcelJS.Workbook): Meta | null {
  const ws = wb.getWorksheet(META_SHEET);
  if (!ws) return null;
  let text = '';
  for (let r = 1; r <= ws.rowCount; r++) {
    const v = ws.getCell(r, 1).value;
    if (typeof v === 'string') text += v;
  }
  try {
    const m = JSON.parse(text) as Meta;
    return m.version === 1 ? m : null;
  } catch {
    return null;
  }
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

export interface LoadOptions {
  /** Id/name/owner/time zone for a workbook without an `_emulator` sheet (one made elsewhere). */
  id?: string;
  name?: string;
  owner?: string;
  timeZone?: string;
}

/** Loads a workbook into the world (replacing a file with the same id) and returns it. */
export async function loadWorkbook(path: string, world: SpreadsheetWorld, opts: LoadOptions = {}): Promise<EmuSpreadsheet> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(path);
  const meta = readMeta(wb);
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
    if (world.byId(json.id)) world.deleteFile(json.id);
    ss = restoreSpreadsheet(ctx, json);
    worksheets.forEach((w, i) => sheetFor.set(w, ss.sheets[i]));
  } else {
    const created = world.createSpreadsheet(opts.name ?? path.replace(/^.*[\\/]/, '').replace(/\.xlsx$/i, ''), { id: opts.id, owner: opts.owner, timeZone: opts.timeZone });
    world.deleteFile(created.id);
    ss = created;
    ss.sheets = [];
    ss.acl.trashed = false;
    worksheets.forEach((w) => sheetFor.set(w, ss.addSheet(w.name, undefined, Math.max(1000, w.rowCount), Math.max(26, w.columnCount))));
  }
  const tz = ss.timeZone;
  const rules = (meta?.rules ?? []).map((r) => new EmuDataValidation(ctx.recorder, { criteria: r.c, args: r.a.map((a) => decodeValue(a, ss)), allowInvalid: r.ai, helpText: r.ht }));

  for (const ws of worksheets) {
    const sh = sheetFor.get(ws)!;
    sh.hidden = ws.state === 'hidden' || ws.state === 'veryHidden';
    const view = ws.views?.[0] as { state?: string; xSplit?: number; ySplit?: number } | undefined;
    sh.frozenRows = view?.state === 'frozen' ? view.ySplit ?? 0 : 0;
    sh.frozenCols = view?.state === 'frozen' ? view.xSplit ?? 0 : 0;
    sh.tabColor = colorOf(ws.properties?.tabColor as Partial<ExcelJS.Color> | undefined) ?? null;
    sh.colWidths = [];
    sh.hiddenCols = new Set();
    for (let c = 1; c <= ws.columnCount; c++) {
      const col = ws.getColumn(c);
      if (col.width !== undefined) sh.colWidths[c] = Math.round(col.width * PX_PER_CHAR);
      if (col.hidden) sh.hiddenCols.add(c);
    }
    sh.maxRows = Math.max(sh.maxRows, ws.rowCount);
    sh.maxCols = Math.max(sh.maxCols, ws.columnCount);
    const st = sh.store;
    st.rows = [];
    st.extras = [];
    ws.eachRow({ includeEmpty: false }, (xrow, rowNumber) => {
      xrow.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        const r = rowNumber - 1;
        const c = colNumber - 1;
        const fmt = excelToSheetsFormat(cell.numFmt);
        if (fmt) st.ensureExtra(r, c).fmt = fmt;
        const raw = cell.value;
        let value: CellValue;
        if (raw !== null && typeof raw === 'object' && !isDate(raw) && ('formula' in raw || 'sharedFormula' in raw)) {
          const f = `=${cell.formula}`;
          st.ensureExtra(r, c).f = f;
          const res = (raw as ExcelJS.CellFormulaValue).result;
          value = res === undefined || res === null || typeof res === 'object' && !isDate(res) ? formulaResult(f) : fromExcel(res, tz);
        } else value = fromExcel(raw, tz);
        if (value !== undefined) st.setValue(r, c, value);
        const note = noteText(cell.note);
        if (note) st.ensureExtra(r, c).note = note;
        const bg = cell.fill && cell.fill.type === 'pattern' && cell.fill.pattern === 'solid' ? colorOf(cell.fill.fgColor) : undefined;
        if (bg && bg !== '#ffffff') st.ensureExtra(r, c).bg = bg;
        const font = cell.font;
        if (font?.bold) st.ensureExtra(r, c).fw = 'bold';
        if (font?.italic) st.ensureExtra(r, c).fst = 'italic';
        const fc = colorOf(font?.color);
        if (fc && fc !== '#000000') st.ensureExtra(r, c).fc = fc;
        if (font?.size && font.size !== 11 && font.size !== 10) st.ensureExtra(r, c).fsz = font.size;
        const al = cell.alignment;
        if (al?.wrapText) st.ensureExtra(r, c).wrap = true;
        if (al?.horizontal && ['left', 'center', 'right'].includes(al.horizontal)) st.ensureExtra(r, c).ha = al.horizontal;
        if (al?.vertical && ['top', 'middle'].includes(al.vertical)) st.ensureExtra(r, c).va = al.vertical;
      });
    });
    // Validation lives in the sheet's model by address (cells without a value included).
    const model = (ws as unknown as { dataValidations: { model: Record<string, ExcelJS.DataValidation> } }).dataValidations.model;
    const cache = new Map<ExcelJS.DataValidation, EmuDataValidation | null>();
    for (const [address, dv] of Object.entries(model)) {
      let rule = cache.get(dv);
      if (rule === undefined) {
        const marker = /^emu:(\d+)$/.exec(dv.errorTitle ?? '');
        rule = marker && rules[Number(marker[1])] ? rules[Number(marker[1])] : fromExcelValidation(dv, ss, tz);
        cache.set(dv, rule);
      }
      const ref = parseA1(address);
      if (!rule || !ref?.startRow || !ref.startCol) continue;
      st.ensureExtra(ref.startRow - 1, ref.startCol - 1).dv = rule;
    }
    st.touch();
  }
  // Google refuses to import a workbook whose grids exceed the spreadsheet cell limit.
  if (ss.cellCount() > MAX_CELLS_PER_SPREADSHEET) throw new Error(CELL_LIMIT_ERROR);
  world.register(ss);
  return ss;
}

function fromExcel(raw: ExcelJS.CellValue, tz: string): CellValue {
  if (raw === null || raw === undefined || raw === '') return undefined;
  if (typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean') return raw;
  if (isDate(raw)) return new Date(instantFromWall(raw.getTime(), tz));
  const o = raw as unknown as Record<string, unknown>;
  if (Array.isArray(o.richText)) return (o.richText as Array<{ text: string }>).map((t) => t.text).join('');
  if ('text' in o && 'hyperlink' in o) return String(o.text);
  if ('error' in o) return String(o.error);
  return String(raw);
}
