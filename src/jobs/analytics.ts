// «Аналитика» jobs: the edit handler (only the edited rows), the full recalculation, the daily
// «Ожидание» sweep and the problem list. Each reads the sheet once and writes only what changed.
import { templateByKey } from '../../sheets-templates';
import {
  msg, evaluateRow, evaluateSheet, IDLE_SWEEP_KEYS, idleSweepUpdates, isRowEmpty, numberKey,
  type AnalyticsKey, type AnalyticsRow, type CellValue, type EvalContext, type RowUpdates, type SheetRow,
} from '../core/analytics';
import { columnLetter, mapHeaders, type HeaderMap } from '../core/header-map';
import { MOSCOW, toLocalDate } from '../core/dates';
import { isDate } from '../core/text';
import type { JournalEntry, JournalSource } from '../core/journal';
import type { Settings } from '../core/settings';
import { findSheet, isTemplateSheet } from '../gas/sheets';
import { cellWriter, rowReader, hasColumns, readTable, writeChanges, sameCell, type Table, type TableChanges } from '../gas/table';
import { invalidateReference, loadReference } from '../gas/reference';
import { flushJournalQueue, queueJournal } from '../gas/journal-queue';
import { archiveJournal } from '../gas/journal';
import { withRetry } from '../gas/retry';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const ANALYTICS = templateByKey('analytics');

export interface JobClock { now: Date; random: () => number; user: string }

function evalContext(clock: JobClock, taken: Set<string>, idle?: EvalContext['idle']): EvalContext {
  return { today: toLocalDate(clock.now, MOSCOW), now: clock.now, tz: MOSCOW, random: clock.random, takenNumbers: taken, idle };
}

function asRow(map: HeaderMap, values: CellValue[]): AnalyticsRow {
  return rowReader(ANALYTICS, map)(values) as AnalyticsRow;
}

// ---------------------------------------------------------------------------------------------
// onEdit

export interface EditOutcome {
  handled: boolean;
  rows: number;
  cellsWritten: number;
  reason?: string;
  /** Columns the edit touched: typed or pasted into, or changed by the rules (so «Воронка» knows it is stale). */
  touched?: AnalyticsKey[];
}

/**
 * Applies the rules to the rows an edit touched: a single cell, a paste or a fill-down alike
 * (e.value is undefined for multi-cell edits, so the rows are read instead). Range calls: header,
 * rows, (the individual-number column when a number must be generated or checked), one write.
 */
export function handleAnalyticsEdit(e: GoogleAppsScript.Events.SheetsOnEdit, clock: JobClock): EditOutcome {
  const range = e.range;
  const sheet = range.getSheet();
  const name = sheet.getName();
  if (!isTemplateSheet(name, 'analytics')) return { handled: false, rows: 0, cellsWritten: 0, reason: 'other sheet' };
  const top = range.getRow();
  const height = range.getNumRows();
  const firstRow = Math.max(top, ANALYTICS.headerRow + 1);
  const lastRow = top + height - 1;
  if (lastRow < firstRow) return { handled: false, rows: 0, cellsWritten: 0, reason: 'header' };
  const editedCol = range.getColumn();
  const editedWidth = range.getNumColumns();

  const ss = sheet.getParent();
  const width = Math.max(withRetry(() => sheet.getLastColumn()), editedCol + editedWidth - 1);
  const headers = withRetry(() => sheet.getRange(ANALYTICS.headerRow, 1, 1, width).getValues()[0]);
  const map = mapHeaders(headers, ANALYTICS.columns);
  const broken = headerProblems(map);
  if (broken.length > 0) {
    // Rules over missing or repeated headers would write into the wrong columns: the typed value stays, the person is told.
    try { ss.toast(broken.join('\n'), ANALYTICS.name, 15); } catch { /* the check dialog says the same */ }
    return { handled: false, rows: 0, cellsWritten: 0, reason: 'headers' };
  }
  const block = withRetry(() => sheet.getRange(firstRow, 1, lastRow - firstRow + 1, width).getValues()) as CellValue[][];
  const ref = loadReference(ss, true);

  const col = (key: AnalyticsKey) => map.index.get(key);
  const numberCol = col('individualNumber');
  const rows = block.map((values) => asRow(map, values));
  const touchesNumber = numberCol !== undefined && numberCol + 1 >= editedCol && numberCol + 1 < editedCol + editedWidth;
  const needsNumber = rows.some((r) => r.stagePaid !== '' && r.stagePaid !== false && r.individualNumber === '');
  const taken = new Set<string>();
  /** Rows (outside the edit) holding each individual number, when the column was read. */
  const numberRows = new Map<string, number[]>();
  const numbersRead = numberCol !== undefined && (needsNumber || touchesNumber);
  if (numbersRead) {
    const total = withRetry(() => sheet.getLastRow()) - ANALYTICS.headerRow;
    if (total > 0) {
      const column = withRetry(() => sheet.getRange(ANALYTICS.headerRow + 1, numberCol! + 1, total, 1).getValues());
      column.forEach((v, i) => {
        const rowNumber = ANALYTICS.headerRow + 1 + i;
        if (rowNumber >= firstRow && rowNumber <= lastRow) return; // the edited rows speak for themselves
        if (v[0] === '') return;
        const key = numberKey(String(v[0]));
        taken.add(key);
        const list = numberRows.get(key);
        if (list) list.push(rowNumber); else numberRows.set(key, [rowNumber]);
      });
    }
  }
  const usernameCol = col('username');
  const touchesNick = usernameCol !== undefined && usernameCol + 1 >= editedCol && usernameCol + 1 < editedCol + editedWidth;
  const ctx = evalContext(clock, taken);
  const single = height === 1 && editedWidth === 1;
  const after = block.map((r) => r.slice());
  rows.forEach((row, i) => {
    let previous: Partial<AnalyticsRow> | undefined;
    if (single) {
      const key = ANALYTICS.columns.find((c) => map.index.get(c.key) === editedCol - 1)?.key as AnalyticsKey | undefined;
      if (key) previous = { ...row, [key]: (e.oldValue ?? '') as CellValue };
    }
    const { updates, problems } = evaluateRow(row, ref, ctx, previous);
    // Duplicates need the whole sheet: checked here when the number column was read, otherwise the
    // findings of the last full check stay (the row's nick or number did not change).
    const typedNumber = String(updates.individualNumber ?? row.individualNumber ?? '');
    if (numbersRead && typedNumber !== '' && numberRows.has(numberKey(typedNumber))) {
      problems.push(msg.duplicateIndividualNumber(typedNumber, numberRows.get(numberKey(typedNumber))!));
    }
    problems.push(...keptDuplicateProblems(String(row.problems ?? ''), { nick: touchesNick, number: numbersRead }));
    const joined = problems.join('; ');
    delete updates.problems; // the full list, duplicates included, is decided here
    if (!isRowEmpty(row)) {
      if (row.problems !== joined) updates.problems = joined;
      updates.updatedAt = clock.now;
    } else if (row.problems !== '') {
      updates.problems = ''; // a cleared row keeps no stale findings
    }
    applyUpdates(after[i], map, updates);
  });
  const written = writeBlock(sheet, firstRow, block, after, cellWriter(ANALYTICS, map));
  const entries: JournalEntry[] = [];
  const updatedAtCol = col('updatedAt');
  after.forEach((row, r) => row.forEach((value, c) => {
    if (c === updatedAtCol || sameCell(value, block[r][c])) return;
    entries.push({ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: `${columnLetter(c + 1)}${firstRow + r}`, before: block[r][c], after: value, source: 'edit' });
  }));
  const manual: JournalEntry[] = single
    ? [{ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: range.getA1Notation(), before: e.oldValue ?? '', after: e.value ?? block[0][editedCol - 1] ?? '', source: 'edit' }]
    : [{ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: range.getA1Notation(), before: '', after: `вставка ${height}×${editedWidth}`, source: 'edit' }];
  queueJournal(ss, [...manual, ...entries], MOSCOW);
  return { handled: true, rows: rows.length, cellsWritten: written, touched: touchedColumns(map, editedCol, editedWidth, block, after) };
}

const DUPLICATE_NICK = /^Ник \S+ (уже есть в|повторяется в)/;
const DUPLICATE_NUMBER = /^Индивидуальный номер «.*» (уже есть в|повторяется в)/;

/** Duplicate findings of the last full check that this edit cannot re-check (see handleAnalyticsEdit). */
function keptDuplicateProblems(old: string, rechecked: { nick: boolean; number: boolean }): string[] {
  if (!old) return [];
  return old.split('; ').filter((p) => (!rechecked.nick && DUPLICATE_NICK.test(p)) || (!rechecked.number && DUPLICATE_NUMBER.test(p)));
}

function touchedColumns(map: HeaderMap, editedCol: number, editedWidth: number, before: CellValue[][], after: CellValue[][]): AnalyticsKey[] {
  const out: AnalyticsKey[] = [];
  for (const c of ANALYTICS.columns) {
    const i = map.index.get(c.key);
    if (i === undefined) continue;
    const typed = i + 1 >= editedCol && i + 1 < editedCol + editedWidth;
    if (typed || after.some((row, r) => !sameCell(row[i], before[r][i]))) out.push(c.key as AnalyticsKey);
  }
  return out;
}

function applyUpdates(values: CellValue[], map: HeaderMap, updates: RowUpdates): void {
  for (const [key, value] of Object.entries(updates) as Array<[AnalyticsKey, CellValue]>) {
    const i = map.index.get(key);
    if (i !== undefined) values[i] = value;
  }
}

/**
 * One write covering the changed columns of the edited rows: the span from the first to the last
 * changed column. Unchanged cells inside it are written back as just read (text kept literal) and
 * formula cells keep their formula — a computed value never replaces a person's formula, so such a
 * cell is left out of `after` too (the journal then logs only what was really written).
 */
function writeBlock(sheet: Sheet, firstRow: number, before: CellValue[][], after: CellValue[][], write: (index: number, value: unknown) => unknown): number {
  let lo = Infinity;
  let hi = -1;
  after.forEach((row, r) => row.forEach((v, c) => {
    if (!sameCell(v, before[r][c])) { lo = Math.min(lo, c); hi = Math.max(hi, c); }
  }));
  if (hi < 0) return 0;
  const range = sheet.getRange(firstRow, lo + 1, after.length, hi - lo + 1);
  const formulas = withRetry(() => range.getFormulas());
  let changed = 0;
  const out = after.map((row, r) => row.slice(lo, hi + 1).map((v, j) => {
    const formula = formulas[r][j];
    if (formula) {
      row[lo + j] = before[r][lo + j];
      return formula;
    }
    if (!sameCell(v, before[r][lo + j])) changed++;
    return write(lo + j, v);
  }));
  if (changed === 0) return 0;
  withRetry(() => range.setValues(out));
  return changed;
}

// ---------------------------------------------------------------------------------------------
// Whole-sheet jobs

export interface SheetJobReport {
  rows: number;
  changedCells: number;
  changedRows: number;
  skippedStale: number;
  problems: Array<{ row: number; cell: string; text: string }>;
  sheetProblems: string[];
  missingSheet?: string;
}

/** «Аналитика» read in full, or only the columns of `keys` (see readTable). */
export function readAnalytics(ss: Spreadsheet, keys?: readonly string[]): Table | null {
  const sheet = findSheet(ss, ANALYTICS);
  return sheet ? readTable(sheet, ANALYTICS, keys) : null;
}

function sheetRows(table: Table): SheetRow[] {
  return table.rows.map((values, i) => ({ rowNumber: table.firstRow + i, values: asRow(table.headers, values) }));
}

/**
 * Headers (of `keys`, or of every column) that are missing or repeated, as Russian sentences naming the
 * columns; a job must not write through such a header map.
 */
export function headerProblems(map: HeaderMap, keys?: readonly string[]): string[] {
  const wanted = keys ? new Set<string>(keys) : null;
  const out: string[] = [];
  for (const c of map.missing) {
    if (!wanted || wanted.has(c.key)) out.push(`В листе «${ANALYTICS.name}» нет колонки «${c.header}» — запустите «Настроить таблицу» (она добавит колонку).`);
  }
  for (const d of map.duplicates) {
    if (!wanted || wanted.has(d.column.key)) {
      out.push(`В листе «${ANALYTICS.name}» колонка «${d.column.header}» встречается ${d.indexes.length} раза (${d.indexes.map((i) => columnLetter(i + 1)).join(', ')}) — оставьте одну, остальные переименуйте.`);
    }
  }
  return out;
}

/** Stops a whole-sheet job before it writes anything through a broken header row. */
function assertHeaders(table: Table, keys?: readonly string[]): void {
  const broken = headerProblems(table.headers, keys);
  if (broken.length > 0) throw new Error(`${broken.join(' ')} Ничего не изменено.`);
}

function emptyReport(missing?: string): SheetJobReport {
  return { rows: 0, changedCells: 0, changedRows: 0, skippedStale: 0, problems: [], sheetProblems: [], missingSheet: missing };
}

function commit(ss: Spreadsheet, table: Table, changes: TableChanges, clock: JobClock, source: JournalSource, report: SheetJobReport): void {
  const entries: JournalEntry[] = [];
  for (const [rowIndex, update] of changes) {
    for (const [key, value] of Object.entries(update)) {
      const i = table.headers.index.get(key);
      if (i === undefined || sameCell(table.rows[rowIndex][i], value)) continue;
      entries.push({ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: `${columnLetter(i + 1)}${table.firstRow + rowIndex}`, before: table.rows[rowIndex][i], after: value, source });
    }
  }
  const result = writeChanges(table, changes);
  report.changedCells = result.cellsChanged;
  report.skippedStale = result.skippedStale;
  report.changedRows = changes.size;
  flushJournalQueue(ss, MOSCOW, entries);
}

/** «Пересчитать»: the edit rules over every row (imports, API writes, old data). */
export interface RecalcOptions {
  /**
   * Edits the rules could not process at the time (sheet, first row, rows, when): their non-empty rows
   * get «Обновлено» = the time of that edit, as the edit itself would have stamped it.
   */
  edited?: ReadonlyArray<readonly [string, number, number, number?]>;
}

export function runRecalc(ss: Spreadsheet, clock: JobClock, options: RecalcOptions = {}): SheetJobReport {
  const table = readAnalytics(ss);
  if (!table) return emptyReport(ANALYTICS.name);
  assertHeaders(table);
  const editedAt = new Map<number, number>();
  for (const [, first, count, at] of options.edited ?? []) {
    if (!at) continue;
    for (let row = first; row < first + count; row++) {
      const i = row - table.firstRow;
      if (i >= 0 && i < table.rows.length) editedAt.set(i, Math.max(at, editedAt.get(i) ?? 0));
    }
  }
  const updatedCol = table.headers.index.get('updatedAt');
  const ref = loadReference(ss, false);
  invalidateReference(); // imports and API writes to the reference sheets fire no edit event
  const result = evaluateSheet(sheetRows(table), ref, evalContext(clock, new Set()));
  const report = emptyReport();
  report.rows = table.rows.length;
  report.sheetProblems = [...ref.problems, ...result.problems];
  const changes: TableChanges = new Map();
  result.rows.forEach((r, i) => {
    const update: Record<string, CellValue> = { ...r.updates };
    const joined = r.problems.join('; ');
    const filled = !isRowEmpty(asRow(table.headers, table.rows[i]));
    if (filled && table.rows[i][table.headers.index.get('problems') ?? -1] !== joined) update.problems = joined;
    const at = editedAt.get(i);
    if (filled && at !== undefined && updatedCol !== undefined) {
      const stamped = table.rows[i][updatedCol];
      if (!isDate(stamped) || stamped.getTime() < at) update.updatedAt = new Date(at);
    }
    if (Object.keys(update).length) changes.set(i, update);
    collectProblems(table, r.rowNumber, r.problems, report);
  });
  commit(ss, table, changes, clock, 'recalc', report);
  return report;
}

export interface SweepOptions {
  /** «Аналитика» as already read by the same run (the morning tick shares one read between its jobs). */
  analytics?: Table | null;
}

/**
 * The daily «Ожидание» sweep: only Ожидание and Текущий этап, only where they change. Reads only the
 * columns the idle rule looks at (a tenth of a 100,000-row sheet instead of all of it).
 */
export function runSweep(ss: Spreadsheet, clock: JobClock, settings: Settings, options: SweepOptions = {}): SheetJobReport {
  const shared = options.analytics;
  const table = shared && hasColumns(shared, IDLE_SWEEP_KEYS) ? shared : readAnalytics(ss, IDLE_SWEEP_KEYS);
  if (!table) return emptyReport(ANALYTICS.name);
  assertHeaders(table, IDLE_SWEEP_KEYS);
  const report = emptyReport();
  report.rows = table.rows.length;
  const opts = { today: toLocalDate(clock.now, MOSCOW), idleDays: settings.idleDays, workingDays: settings.idleWorkingDays, tz: MOSCOW };
  const changes: TableChanges = new Map();
  table.rows.forEach((values, i) => {
    const update = idleSweepUpdates(asRow(table.headers, values), opts);
    const filtered: Record<string, CellValue> = {};
    for (const [k, v] of Object.entries(update)) {
      const col = table.headers.index.get(k);
      if (col !== undefined && !sameCell(values[col], v)) filtered[k] = v as CellValue;
    }
    if (Object.keys(filtered).length) changes.set(i, filtered);
  });
  commit(ss, table, changes, clock, 'sweep', report);
  archiveJournal(ss, settings.journalMaxRows);
  return report;
}

/** «Проверить данные»: every problem of the sheet, without writing anything. */
export function checkAnalytics(ss: Spreadsheet, clock: JobClock): SheetJobReport {
  const table = readAnalytics(ss);
  if (!table) return emptyReport(ANALYTICS.name);
  const ref = loadReference(ss, true);
  const result = evaluateSheet(sheetRows(table), ref, evalContext(clock, new Set()));
  const report = emptyReport();
  report.rows = table.rows.length;
  report.sheetProblems = [...ref.problems, ...result.problems, ...table.headers.missing.map((c) => `В листе «${ANALYTICS.name}» нет колонки «${c.header}» — запустите «Настроить таблицу».`)];
  for (const r of result.rows) collectProblems(table, r.rowNumber, r.problems, report);
  return report;
}

function collectProblems(table: Table, rowNumber: number, problems: string[], report: SheetJobReport): void {
  const col = table.headers.index.get('problems');
  const cell = `${columnLetter((col ?? 0) + 1)}${rowNumber}`;
  for (const text of problems) report.problems.push({ row: rowNumber, cell, text });
}

