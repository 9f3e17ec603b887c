// «Настроить таблицу»: makes the spreadsheet match sheets-templates without ever deleting,
// reordering or overwriting what people typed. Every step compares first and writes only what
// differs, so a second run makes no writes at all.
import { listByKey, listHeader, SHEET_TEMPLATES, templateByKey, templateByName } from '../../sheets-templates';
import { numberFormatFor, type ColumnDef, type SheetDef, type Validation } from '../../sheets-templates/schema';
import { columnLetter, mapHeaders } from '../core/header-map';

import { MOSCOW } from '../core/dates';
import { headerKey, literalForSheet } from '../core/text';
import { jobText } from '../core/messages';
import { findSheet, similarSheetNames } from '../gas/sheets';
import { errorMessage, withRetry } from '../gas/retry';
import { readHeaders } from '../gas/table';
import { readSettings, settingsToRestore } from '../gas/settings';
import { invalidateReference, REFERENCE_SHEETS } from '../gas/reference';
import { ensureRussianLocale } from '../gas/locale';
import { removeBlankDefaultSheet, trimNewSheetColumns } from '../gas/grid';
import { applyProtections } from './setup-protections';
import { emptyListWarnings, listValidation } from './setup-lists';
import { PROTECTION_PREFIX } from '../gas/protection';
import { conditionalRulesFor } from './setup-formatting';
import { applyFunnelDashboard } from './setup-funnel';
import { upgradeManagersAndReasons } from './setup-managers';
import type { SetupReport } from '../core/setup-report';

export type { SetupReport };

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;


const HEADER_BACKGROUND = '#e8eaed';

export function runSetup(ss: Spreadsheet): SetupReport {
  const report: SetupReport = { createdSheets: [], addedColumns: [], addedRows: [], skippedSheets: [], warnings: [], adjustments: 0 };
  if (withRetry(() => ss.getSpreadsheetTimeZone()) !== MOSCOW) {
    ss.setSpreadsheetTimeZone(MOSCOW);
    report.adjustments++;
  }
  const locale = ensureRussianLocale(ss);
  if (locale) (report.changes ??= []).push(locale);
  const existing = withRetry(() => ss.getSheets());
  const sheetByKey = new Map<string, Sheet>();
  /** Header row of every sheet setup may change; a sheet whose headers cannot be placed is not in it. */
  const headerRows = new Map<string, number>();
  for (const def of SHEET_TEMPLATES) {
    const { sheet, headerRow } = ensureSheet(ss, def, existing, report);
    sheetByKey.set(def.key, sheet);
    if (headerRow !== null) headerRows.set(def.key, headerRow);
  }
  // Before the dropdowns are built: names kept in an older «Справочники» move to «Менеджеры».
  upgradeManagersAndReasons(sheetByKey, headerRows, report);
  // Validation that points at other sheets needs them all to exist first.
  for (const def of SHEET_TEMPLATES) {
    const headerRow = headerRows.get(def.key);
    if (headerRow === undefined) continue;
    if (def.key === 'funnel') applyFunnelDashboard(sheetByKey.get(def.key)!, def, report.createdSheets.includes(def.name), report);
    if (def.kind !== 'table') continue;
    applyColumnPresentation(ss, sheetByKey.get(def.key)!, def, headerRow, headerRows, report);
  }
  report.warnings.push(...emptyListWarnings(sheetByKey, headerRows));
  const settingsSheet = sheetByKey.get('settings');
  const { settings, problems } = readSettings(settingsSheet ?? null);
  report.warnings.push(...problems.filter((p) => !report.skippedSheets.includes(p)));
  const owner = withRetry(() => ss.getOwner())?.getEmail() ?? '';
  const placed = new Map([...sheetByKey].filter(([key]) => headerRows.has(key)));
  applyProtections(placed, headerRows, { leadership: settings.leadershipEmails, owner, prefix: PROTECTION_PREFIX }, report);
  // Promo codes, prices or partners setup wrote fire no edit event: drop the cached copy.
  const referenceNames = REFERENCE_SHEETS.map((k) => templateByKey(k).name);
  if ([...report.createdSheets, ...report.addedRows.map((r) => r.sheet), ...report.addedColumns.map((c) => c.sheet)].some((n) => referenceNames.includes(n))) invalidateReference();
  // Last, when the product's sheets exist: the blank tab Google put into a new spreadsheet.
  const removed = removeBlankDefaultSheet(ss, existing);
  if (removed) (report.changes ??= []).push(`Удалён пустой лист «${removed}», который Google создаёт в новой таблице.`);
  return report;
}

/** The sheet, and its header row — null when it cannot be placed: then nothing in the sheet is changed. */
function ensureSheet(ss: Spreadsheet, def: SheetDef, existing: Sheet[], report: SetupReport): { sheet: Sheet; headerRow: number | null } {
  let sheet = findSheet(ss, def, existing);
  let created = false;
  if (!sheet) {
    const similar = similarSheetNames(ss, def, existing);
    sheet = ss.insertSheet(def.name, existing.length);
    // A new sheet has 26 columns; a table keeps only its own (every grid cell counts toward 10 M).
    if (def.kind === 'table') trimNewSheetColumns(sheet, def.columns.length);
    existing.push(sheet);
    created = true;
    report.createdSheets.push(def.name);
    if (similar.length > 0) {
      report.warnings.push(`Лист «${def.name}» не найден и создан заново, пустым. Есть лист ${similar.map((n) => `«${n}»`).join(', ')} — если в нём ваши данные, удалите новый лист, верните старому имя «${def.name}» и снова запустите «Настроить таблицу».`);
    }
  }
  const headerRow = def.kind === 'table' ? ensureColumns(sheet, def, created, report) : def.headerRow;
  if (headerRow === null) return { sheet, headerRow };
  if (def.hidden && !sheet.isSheetHidden()) { sheet.hideSheet(); report.adjustments++; }
  return { sheet, headerRow };
}

/**
 * Adds the missing columns in the sheet's own header row (found under any title rows, see readHeaders)
 * and freezes the rows down to it. Returns that row, or null — with the reason in the report — when no
 * row can be taken for the headers with confidence: then nothing is written.
 */
function ensureColumns(sheet: Sheet, def: SheetDef, created: boolean, report: SetupReport): number | null {
  let headerRow = def.headerRow;
  let headers: unknown[] = [];
  if (!created) {
    const found = readHeaders(sheet, def);
    if (!found.ok) {
      report.skippedSheets.push(found.problem);
      return null;
    }
    headerRow = found.row;
    headers = found.top[headerRow - 1] ?? [];
  }
  const map = mapHeaders(headers, def.columns);
  for (const d of map.duplicates) {
    report.warnings.push(`Лист «${def.name}»: колонка «${d.column.header}» ${jobText.repeatedTimes(d.indexes.length)} (${d.indexes.map((i) => columnLetter(i + 1)).join(', ')}); используется первая.`);
  }
  // Trailing empty header cells are reused before new columns are appended.
  let width = headers.length;
  while (width > 0 && headerKey(headers[width - 1]) === '') width--;
  const missing = map.missing;
  if (missing.length > 0) {
    const needed = width + missing.length;
    const maxColumns = sheet.getMaxColumns();
    if (needed > maxColumns) sheet.insertColumnsAfter(maxColumns, needed - maxColumns);
    // Widths and initial values first, the header last: a run stopped before the header leaves the
    // columns missing, so the next run does it all again (initial values only go into empty cells).
    missing.forEach((c, i) => withRetry(() => sheet.setColumnWidth(width + 1 + i, c.width)));
    writeInitialValues(sheet, def, headerRow, missing, width, created, report);
    withRetry(() => sheet.getRange(headerRow, width + 1, 1, missing.length).setValues([missing.map((c) => c.header)]));
    if (!created) report.addedColumns.push({ sheet: def.name, headers: missing.map((c) => c.header) });
  }
  if (!created && def.initialRowKey) appendMissingKeyedRows(sheet, def, headerRow, def.initialRowKey, report);
  // The header row and any title rows above it stay in view.
  if (sheet.getFrozenRows() !== headerRow) {
    try {
      sheet.setFrozenRows(headerRow);
      report.adjustments += created ? 0 : 1;
    } catch (error) {
      // Google refuses when a merged cell crosses the line (the headers are still used); anything else fails loudly.
      if (!/merged|объедин/i.test(errorMessage(error))) throw error;
      report.warnings.push(`Лист «${def.name}»: не удалось закрепить строки 1–${headerRow} (${errorMessage(error)}). Закрепите их вручную: «Вид → Закрепить».`);
    }
  }
  if (sheet.getFrozenColumns() !== def.frozenColumns) { sheet.setFrozenColumns(def.frozenColumns); report.adjustments += created ? 0 : 1; }
  return headerRow;
}

/**
 * A newly created sheet gets its initial rows (promo codes, settings, lists). A column appended to
 * an existing sheet gets only its own initial values, and only into empty cells. Rows identified by
 * a key column (settings) are appended when their key is missing.
 */
function writeInitialValues(sheet: Sheet, def: SheetDef, headerRow: number, added: ColumnDef[], firstNewIndex: number, created: boolean, report: SetupReport): void {
  if (def.initial.length === 0) return;
  if (created) {
    // A deleted «Настройки» comes back with the last known settings, not defaults that send no email.
    const restored = def.key === 'settings' ? settingsToRestore() : null;
    if (restored) report.warnings.push(restored.message);
    const rows = (restored?.rows ?? def.initial).map((r) => def.columns.map((c) => literalForSheet(r[c.key] ?? '')));
    ensureRows(sheet, headerRow + rows.length);
    sheet.getRange(headerRow + 1, 1, rows.length, def.columns.length).setValues(rows);
    report.addedRows.push({ sheet: def.name, count: rows.length });
    return;
  }
  const withValues = added.filter((c) => def.initial.some((r) => r[c.key] !== undefined && r[c.key] !== ''));
  if (withValues.length === 0) return;
  const lastRow = sheet.getLastRow();
  const height = def.initial.length;
  const span = sheet.getRange(headerRow + 1, firstNewIndex + 1, height, added.length);
  ensureRows(sheet, headerRow + height);
  const current = lastRow > headerRow ? span.getValues() : def.initial.map(() => added.map(() => ''));
  const out = current.map((row, r) => row.map((v, c) => (v === '' ? literalForSheet(def.initial[r][added[c].key] ?? '') : v)));
  span.setValues(out);
}

/** Rows identified by a key column (settings): a row whose key is missing is appended, others untouched. */
function appendMissingKeyedRows(sheet: Sheet, def: SheetDef, headerRow: number, keyColumn: string, report: SetupReport): void {
  const lastColumn = withRetry(() => sheet.getLastColumn());
  const lastRow = withRetry(() => sheet.getLastRow());
  const block = withRetry(() => sheet.getRange(headerRow, 1, Math.max(1, lastRow - headerRow + 1), lastColumn).getValues());
  const map = mapHeaders(block[0], def.columns);
  const keyIndex = map.index.get(keyColumn);
  if (keyIndex === undefined) return;
  const present = new Set(block.slice(1).map((r) => headerKey(r[keyIndex])));
  const missing = def.initial.filter((r) => !present.has(headerKey(r[keyColumn])));
  if (missing.length === 0) return;
  const rows = missing.map((r) => {
    const line: unknown[] = new Array(lastColumn).fill('');
    for (const c of def.columns) {
      const i = map.index.get(c.key);
      if (i !== undefined) line[i] = literalForSheet(r[c.key] ?? '');
    }
    return line;
  });
  ensureRows(sheet, lastRow + rows.length);
  sheet.getRange(lastRow + 1, 1, rows.length, lastColumn).setValues(rows);
  report.addedRows.push({ sheet: def.name, count: rows.length });
}

function ensureRows(sheet: Sheet, lastNeeded: number): void {
  const max = sheet.getMaxRows();
  if (lastNeeded > max) sheet.insertRowsAfter(max, lastNeeded - max);
}

/** Header style, notes, number formats and validation, compared on the header and first data row. */
function applyColumnPresentation(ss: Spreadsheet, sheet: Sheet, def: SheetDef, headerRow: number, headerRows: ReadonlyMap<string, number>, report: SetupReport): void {
  const lastColumn = withRetry(() => sheet.getLastColumn());
  if (lastColumn === 0) return;
  const headerRange = sheet.getRange(headerRow, 1, 1, lastColumn);
  const headers = withRetry(() => headerRange.getValues()[0]);
  const map = mapHeaders(headers, def.columns);
  const weights = headerRange.getFontWeights()[0];
  const backgrounds = headerRange.getBackgrounds()[0];
  const notes = headerRange.getNotes()[0];
  const firstRow = headerRow + 1;
  const dataHeight = Math.max(1, sheet.getMaxRows() - headerRow);
  const sample = sheet.getRange(firstRow, 1, 1, lastColumn);
  const formats = sample.getNumberFormats()[0];
  const validations = sample.getDataValidations()[0];

  if (weights.some((w, i) => headerKey(headers[i]) !== '' && w !== 'bold')) { headerRange.setFontWeight('bold'); report.adjustments++; }
  if (backgrounds.some((b, i) => headerKey(headers[i]) !== '' && b !== HEADER_BACKGROUND)) { headerRange.setBackground(HEADER_BACKGROUND); report.adjustments++; }

  const wantedNotes = notes.slice();
  for (const column of def.columns) {
    const i = map.index.get(column.key);
    if (i === undefined) continue;
    const col = sheet.getRange(firstRow, i + 1, dataHeight, 1);
    if (column.note && notes[i] !== column.note) wantedNotes[i] = column.note;
    const format = numberFormatFor(column);
    if (format && formats[i] !== format) { col.setNumberFormat(format); report.adjustments++; }
    const wanted = column.validation ? buildValidation(ss, column.validation, headerRows) : null;
    if (wanted && !sameValidation(validations[i], wanted)) { col.setDataValidation(wanted); report.adjustments++; }
  }
  if (wantedNotes.some((n, i) => n !== notes[i])) { headerRange.setNotes([wantedNotes]); report.adjustments++; }

  const wantedRules = conditionalRulesFor(def, map, sheet, headerRow);
  if (wantedRules) {
    const current = sheet.getConditionalFormatRules();
    const merged = mergeRules(current, wantedRules);
    if (merged) { sheet.setConditionalFormatRules(merged); report.adjustments++; }
  }
}

/** The column under `header` in a template sheet, below its header row; none in a sheet setup could not place. */
function referenceRange(ss: Spreadsheet, def: SheetDef | undefined, header: string, headerRows: ReadonlyMap<string, number>): GoogleAppsScript.Spreadsheet.Range | null {
  const row = def ? headerRows.get(def.key) : undefined;
  const sheet = def && row !== undefined ? findSheet(ss, def) : null;
  if (!sheet || row === undefined) return null;
  const headers = sheet.getRange(row, 1, 1, Math.max(1, sheet.getLastColumn())).getValues()[0];
  const i = headers.findIndex((h) => headerKey(h) === headerKey(header));
  if (i < 0) return null;
  return sheet.getRange(row + 1, i + 1, Math.max(1, sheet.getMaxRows() - row), 1);
}

function buildValidation(ss: Spreadsheet, v: Validation, headerRows: ReadonlyMap<string, number>): GoogleAppsScript.Spreadsheet.DataValidation | null {
  const b = SpreadsheetApp.newDataValidation();
  switch (v.kind) {
    case 'list': {
      // A list living on a sheet of its own (the managers: «Менеджеры») is read from there.
      const source = listByKey(v.list)?.source;
      const list = listHeader(v.list);
      const range = source ? referenceRange(ss, templateByName(source.sheet), source.column, headerRows)
        : list ? referenceRange(ss, templateByKey('lists'), list, headerRows) : null;
      if (!range) return null;
      return listValidation(b, range, v.list, v.strict);
    }
    case 'sheetColumn': {
      const range = referenceRange(ss, SHEET_TEMPLATES.find((s) => s.name === v.sheet), v.column, headerRows);
      if (!range) return null;
      return b.requireValueInRange(range, true).setAllowInvalid(!v.strict).build();
    }
    case 'values':
      return b.requireValueInList(v.values, true).setAllowInvalid(!v.strict).build();
    case 'date':
      // Flag, do not reject: managers also type marks and text dates the script converts.
      return b.requireDate().setAllowInvalid(true).setHelpText('Дата в формате ДД.ММ.ГГГГ').build();
    case 'number':
      return b.requireNumberGreaterThanOrEqualTo(v.min ?? 0).setAllowInvalid(!v.strict).setHelpText('Число, например 1200,50').build();
    case 'checkbox':
      return b.requireCheckbox().build();
  }
}


function criteriaKey(v: GoogleAppsScript.Spreadsheet.DataValidation): string {
  const values = v.getCriteriaValues().map((x) => {
    const r = x as GoogleAppsScript.Spreadsheet.Range;
    if (r && typeof r === 'object' && typeof r.getA1Notation === 'function') return `${r.getSheet().getName()}!${r.getA1Notation()}`;
    return JSON.stringify(x);
  });
  return `${String(v.getCriteriaType())}|${values.join(',')}|${v.getAllowInvalid()}`;
}

function sameValidation(current: GoogleAppsScript.Spreadsheet.DataValidation | null, wanted: GoogleAppsScript.Spreadsheet.DataValidation): boolean {
  return current !== null && criteriaKey(current) === criteriaKey(wanted);
}

function ruleKey(r: GoogleAppsScript.Spreadsheet.ConditionalFormatRule): string {
  const cond = r.getBooleanCondition();
  const ranges = r.getRanges().map((x) => x.getA1Notation()).join(',');
  return cond ? `${String(cond.getCriteriaType())}|${JSON.stringify(cond.getCriteriaValues())}|${cond.getBackground()}|${ranges}` : `?|${ranges}`;
}

/** Keeps the team's own rules and ours in place; returns null when nothing changes. */
function mergeRules(current: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[], wanted: { rules: GoogleAppsScript.Spreadsheet.ConditionalFormatRule[]; isOurs: (r: GoogleAppsScript.Spreadsheet.ConditionalFormatRule) => boolean }): GoogleAppsScript.Spreadsheet.ConditionalFormatRule[] | null {
  const ours = current.filter(wanted.isOurs);
  const theirs = current.filter((r) => !wanted.isOurs(r));
  const same = ours.length === wanted.rules.length && ours.every((r, i) => ruleKey(r) === ruleKey(wanted.rules[i]));
  return same ? null : [...wanted.rules, ...theirs];
}
