// «Аналитика» jobs: the edit handler (only the edited rows), the full recalculation, the daily
// «Ожидание» sweep and the problem list. Each reads the sheet once and writes only what changed.
import { templateByKey } from '../../sheets-templates';
import {
  cellText, looksLikeFormula, msg, evaluateRow, evaluateSheet, IDLE_SWEEP_KEYS, idleSweepUpdates, isRowEmpty, numberKey, readUsername,
  type StuckSettings, type AnalyticsKey, type AnalyticsRow, type CellValue, type EvalContext, type RowUpdates, type SheetRow,
} from '../core/analytics';
import { columnLetter, headerProblems, type HeaderMap } from '../core/header-map';
import { MOSCOW, toLocalDate } from '../core/dates';
import { isDate } from '../core/text';
import { eventCellValue, type JournalEntry, type JournalSource } from '../core/journal';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import { readSnapshot } from '../gas/settings';
import { findSheet, isTemplateSheet } from '../gas/sheets';
import { assertHeaders, cellWriter, columnRuns, rowReader, hasColumns, readHeaders, readTable, requireHeaders, writeChanges, sameCell, type Table, type TableChanges } from '../gas/table';
import { invalidateReference, loadReference } from '../gas/reference';
import { flushJournalQueue, queueJournal } from '../gas/journal-queue';
import { archiveJournal } from '../gas/journal';
import { withRetry } from '../gas/retry';
import { recordEditedRows, sweepBegin, sweepEnd, touchesLeadIndex } from './lead-index';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const ANALYTICS = templateByKey('analytics');

export interface JobClock { now: Date; random: () => number; user: string }

function evalContext(clock: JobClock, taken: Set<string>, idle?: EvalContext['idle']): EvalContext {
  return { today: toLocalDate(clock.now, MOSCOW), now: clock.now, tz: MOSCOW, random: clock.random, takenNumbers: taken, idle, stuck: stuckSettings() };
}

/** «Подвисла» settings from the snapshot (a property, never a sheet read: onEdit stays at its Range calls). */
function stuckSettings(settings: Settings = readSnapshot() ?? DEFAULT_SETTINGS): StuckSettings {
  return { days: settings.stuckDays, workingDays: settings.idleWorkingDays };
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
 * Edits taller than this are not typing: sorts, row moves, column clears and big imports arrive as one
 * onEdit over every row. 500 is the tallest paste the trigger is measured and tested to process (a few
 * seconds at 100,000 leads, well inside 30 s); evaluating such an event there would restamp «Обновлено»
 * on every row and, at 100,000 rows, run past the 30 s simple-trigger limit.
 */
export const BULK_EDIT_ROWS = 500;

/**
 * The rows of a sort, row move or column operation — taller than BULK_EDIT_ROWS, or however short,
 * whole columns (row 1 or 2 to the grid's last row: a column selected by its letter, «Сортировать лист»
 * under a frozen header) — or null for an ordinary edit. Such rows are left to the next recalculation.
 * No range is read: a few calls whatever the height.
 */
export function bulkEdit(range: GoogleAppsScript.Spreadsheet.Range): { row: number; rows: number } | null {
  const rows = withRetry(() => range.getNumRows());
  if (rows <= 1) return null;
  const row = withRetry(() => range.getRow());
  if (rows > BULK_EDIT_ROWS) return { row, rows };
  if (row > 2) return null;
  return row + rows - 1 === withRetry(() => range.getSheet().getMaxRows()) ? { row, rows } : null;
}

/**
 * Applies the rules to the rows an edit touched: a single cell, a paste or a fill-down alike
 * (e.value is undefined for multi-cell edits, so the rows are read instead). Range calls: header,
 * rows, (the individual-number column when a number must be generated or checked), the formulas of
 * the changed span, one write per run of changed cells (see writeChangedCells). Sorts and other
 * whole-column events never get here (see bulkEdit).
 */
export function handleAnalyticsEdit(e: GoogleAppsScript.Events.SheetsOnEdit, clock: JobClock): EditOutcome {
  const range = e.range;
  const sheet = range.getSheet();
  const name = sheet.getName();
  if (!isTemplateSheet(name, 'analytics')) return { handled: false, rows: 0, cellsWritten: 0, reason: 'other sheet' };
  const top = range.getRow();
  const height = range.getNumRows();
  const editedCol = range.getColumn();
  const editedWidth = range.getNumColumns();
  // Row 1 is never a data row (it is the header row or a title above it): no read needed.
  if (top + height - 1 < 2) return { handled: false, rows: 0, cellsWritten: 0, reason: 'header' };

  const ss = sheet.getParent();
  const found = readHeaders(sheet, ANALYTICS, editedCol + editedWidth - 1);
  if (!found.ok) {
    // Headers nobody can place: nothing is written anywhere in the sheet; the typed value stays.
    try { ss.toast(found.problem, ANALYTICS.name, 15); } catch { /* the menus say the same */ }
    return { handled: false, rows: 0, cellsWritten: 0, reason: 'headers' };
  }
  const headerRow = found.row;
  const firstRow = Math.max(top, headerRow + 1);
  const lastRow = top + height - 1;
  if (lastRow < firstRow) return { handled: false, rows: 0, cellsWritten: 0, reason: 'header' }; // the headers or a title above them
  const width = found.lastColumn;
  const map = found.map;
  const broken = headerProblems(map, ANALYTICS.name);
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
    const total = found.lastRow - headerRow;
    if (total > 0) {
      const column = withRetry(() => sheet.getRange(headerRow + 1, numberCol! + 1, total, 1).getValues());
      column.forEach((v, i) => {
        const rowNumber = headerRow + 1 + i;
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
  // A typed nick is checked against the other rows at once, by one read of the nick column — except in
  // a paste that also needs the number column (the edit stays at its reads; the next full check finds it).
  const nickRows = touchesNick && !numbersRead ? otherRowsByNick(sheet, headerRow, usernameCol!, found.lastRow, firstRow, lastRow) : null;
  const blockNicks = new Map<string, number[]>();
  const nickOf = (value: unknown): string | null => {
    const u = readUsername(value as CellValue);
    return u.kind === 'nick' ? u.display : null;
  };
  if (touchesNick) rows.forEach((row, i) => {
    const nick = nickOf(row.username);
    if (nick !== null) blockNicks.set(nick.toLowerCase(), [...(blockNicks.get(nick.toLowerCase()) ?? []), firstRow + i]);
  });
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
    const nick = touchesNick ? nickOf(updates.username ?? row.username) : null;
    if (nick !== null) {
      const others = [...(nickRows?.get(nick.toLowerCase()) ?? []), ...(blockNicks.get(nick.toLowerCase()) ?? []).filter((n) => n !== firstRow + i)];
      if (others.length > 0) problems.push(msg.duplicateUsername(nick, others.sort((a, b) => a - b)));
    }
    problems.push(...keptDuplicateProblems(String(row.problems ?? ''), { nick: touchesNick, number: numbersRead }));
    const joined = problems.join('; ');
    delete updates.problems; // the full list, duplicates included, is decided here
    if (!isRowEmpty(row)) {
      if (row.problems !== joined) updates.problems = joined;
      updates.updatedAt = clock.now;
    } else {
      if (row.problems !== '') updates.problems = ''; // a cleared row keeps no stale findings
      // Nor its stamp: the 19:45 lead index tells changed rows by «Обновлено» (jobs/lead-index.ts).
      if (row.updatedAt !== '' && row.updatedAt !== undefined) updates.updatedAt = '';
    }
    applyUpdates(after[i], map, updates);
  });
  const written = writeChangedCells(sheet, firstRow, block, after, { col: editedCol, width: editedWidth }, cellWriter(ANALYTICS, map));
  // The rows just stamped, as written: the 19:45 lead index need not read them again.
  const stampCol = col('updatedAt');
  if (stampCol !== undefined) {
    const stamped = after.map((values, i) => ({ row: firstRow + i, values, old: block[i][stampCol] })).filter(({ values }) => isDate(values[stampCol]) && (values[stampCol] as Date).getTime() === clock.now.getTime());
    recordEditedRows(map, clock.now, stamped);
  }
  const entries: JournalEntry[] = [];
  const updatedAtCol = col('updatedAt');
  after.forEach((row, r) => row.forEach((value, c) => {
    if (c === updatedAtCol || sameCell(value, block[r][c])) return;
    entries.push({ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: `${columnLetter(c + 1)}${firstRow + r}`, before: block[r][c], after: value, source: 'edit' });
  }));
  // e.oldValue / e.value hold a date cell as its serial number: logged as the date.
  const editedType = single ? ANALYTICS.columns.find((c) => map.index.get(c.key) === editedCol - 1)?.type : undefined;
  const manual: JournalEntry[] = single
    ? [{ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: range.getA1Notation(), before: eventCellValue(e.oldValue, editedType, MOSCOW), after: e.value === undefined ? block[0][editedCol - 1] ?? '' : eventCellValue(e.value, editedType, MOSCOW), source: 'edit' }]
    : [{ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: range.getA1Notation(), before: '', after: `вставка ${height}×${editedWidth}`, source: 'edit' }];
  queueJournal(ss, [...manual, ...entries], MOSCOW);
  return { handled: true, rows: rows.length, cellsWritten: written, touched: touchedColumns(map, editedCol, editedWidth, block, after) };
}

/** Rows outside the edit holding each valid nick (lower case), from one read of the nick column. */
function otherRowsByNick(sheet: Sheet, headerRow: number, usernameCol: number, lastRow: number, firstEdited: number, lastEdited: number): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const total = lastRow - headerRow;
  if (total <= 0) return out;
  const column = withRetry(() => sheet.getRange(headerRow + 1, usernameCol + 1, total, 1).getValues());
  column.forEach((v, i) => {
    const rowNumber = headerRow + 1 + i;
    if (v[0] === '' || (rowNumber >= firstEdited && rowNumber <= lastEdited)) return;
    const u = readUsername(v[0] as CellValue);
    if (u.kind !== 'nick') return;
    const key = u.display.toLowerCase();
    const list = out.get(key);
    if (list) list.push(rowNumber); else out.set(key, [rowNumber]);
  });
  return out;
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
 * Writes only what the rules changed, so whatever a colleague types into the row meanwhile survives:
 * one setValues per run of adjacent changed cells. Cells inside the edited range may join two runs
 * (the person has just typed them; writing them back as read costs nothing new). Multi-row edits (pastes,
 * fill-downs) write one block per run of changed columns, rows from the first to the last changed one,
 * to stay one batch whatever their height (unchanged cells of such a block are written back as read).
 * Formulas are read over the changed span first: a computed value never replaces a formula, so such a
 * cell is reset in `after` (the journal then logs only what was really written).
 */
function writeChangedCells(sheet: Sheet, firstRow: number, before: CellValue[][], after: CellValue[][], edited: { col: number; width: number }, write: (index: number, value: unknown) => unknown): number {
  const changed = (r: number, c: number) => !sameCell(after[r][c], before[r][c]);
  let lo = Infinity;
  let hi = -1;
  let top = Infinity;
  let bottom = -1;
  after.forEach((row, r) => row.forEach((_, c) => {
    if (!changed(r, c)) return;
    lo = Math.min(lo, c); hi = Math.max(hi, c); top = Math.min(top, r); bottom = Math.max(bottom, r);
  }));
  if (hi < 0) return 0;
  const formulas = withRetry(() => sheet.getRange(firstRow + top, lo + 1, bottom - top + 1, hi - lo + 1).getFormulas());
  const formula = (r: number, c: number) => (r >= top && r <= bottom && c >= lo && c <= hi ? formulas[r - top][c - lo] : '');
  after.forEach((row, r) => row.forEach((_, c) => {
    if (formula(r, c) && changed(r, c)) row[c] = before[r][c];
  }));
  const inEdit = (c: number) => c >= edited.col - 1 && c < edited.col - 1 + edited.width;
  // Blocks [first row, last row, first column, last column], 0-based into the edited rows.
  const blocks: Array<[number, number, number, number]> = [];
  const runsOf = (has: (c: number) => boolean): Array<[number, number]> => {
    const runs: Array<[number, number]> = [];
    let bridge = false; // every cell since the last run lies in the edited range
    for (let c = lo; c <= hi; c++) {
      if (has(c)) {
        if (bridge) runs[runs.length - 1][1] = c;
        else runs.push([c, c]);
        bridge = true;
      } else if (!inEdit(c)) {
        bridge = false;
      }
    }
    return runs;
  };
  if (after.length === 1) {
    for (const [a, b] of runsOf((c) => changed(0, c))) blocks.push([0, 0, a, b]);
  } else {
    for (const [a, b] of runsOf((c) => after.some((_, r) => changed(r, c)))) {
      let first = Infinity;
      let last = -1;
      after.forEach((_, r) => {
        for (let c = a; c <= b; c++) if (changed(r, c)) { first = Math.min(first, r); last = Math.max(last, r); }
      });
      if (last >= 0) blocks.push([first, last, a, b]);
    }
  }
  const cells = (block: [number, number, number, number], from: CellValue[][]) => {
    const [r0, r1, c0, c1] = block;
    const out: unknown[][] = [];
    for (let r = r0; r <= r1; r++) {
      const line: unknown[] = [];
      for (let c = c0; c <= c1; c++) line.push(formula(r, c) || write(c, from[r][c]));
      out.push(line);
    }
    return out;
  };
  const put = ([r0, r1, c0, c1]: [number, number, number, number], out: unknown[][]) =>
    withRetry(() => sheet.getRange(firstRow + r0, c0 + 1, r1 - r0 + 1, c1 - c0 + 1).setValues(out));
  const done: Array<[number, number, number, number]> = [];
  try {
    for (const block of blocks) {
      put(block, cells(block, after));
      done.push(block);
    }
  } catch (error) {
    // No half-applied rules: the runs already written go back to what was read (the rows are
    // recalculated later, see deferEdit). If that fails too, the recalculation repairs them.
    try {
      for (const block of done.reverse()) put(block, cells(block, before));
    } catch { /* the original error is the one to report */ }
    throw error;
  }
  let count = 0;
  for (const [r0, r1, c0, c1] of blocks) {
    for (let r = r0; r <= r1; r++) for (let c = c0; c <= c1; c++) if (changed(r, c)) count++;
  }
  return count;
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

function emptyReport(missing?: string): SheetJobReport {
  return { rows: 0, changedCells: 0, changedRows: 0, skippedStale: 0, problems: [], sheetProblems: [], missingSheet: missing };
}

function commit(ss: Spreadsheet, table: Table, changes: TableChanges, clock: JobClock, source: JournalSource, report: SheetJobReport): void {
  const entries = journalEntries(table, changes, clock, source);
  // The sweep's «Ожидание» carries no stamp: the lead index replays the run instead (runSweep).
  const result = writeChanges(table, changes, { replayedByLeadIndex: source === 'sweep' });
  report.changedCells = result.cellsChanged;
  report.skippedStale = result.skippedStale;
  report.changedRows = changes.size;
  flushJournalQueue(ss, MOSCOW, entries);
}

/** «Пересчитать»: the edit rules over every row, or over some spans of rows (imports, API writes, old data). */
export interface RecalcOptions {
  /**
   * Edits the rules could not process at the time (sheet, first row, rows, when, kind): their non-empty
   * rows get «Обновлено» = the time of that edit, as the edit itself would have stamped it — for a 'bulk'
   * edit (sort, row move, column clear) only the rows whose values the rules change.
   */
  edited?: ReadonlyArray<readonly [string, number, number, number?, (string | null)?, (number | null)?, (string | null)?]>;
  /** Sheet rows [first, last] to evaluate (inclusive; last may be Infinity), merged. Default: every data row. */
  spans?: ReadonlyArray<readonly [number, number]>;
  /** A chunked run resumed: from its next row, moved with the rows inserted or deleted above it since. */
  resume?: RecalcResume;
  /** At most this many rows, and at most `maxCells` / sheet width (the report's `next` says where it stopped). */
  maxRows?: number;
  maxCells?: number;
  /** Date.now() after which no further block is started (the first always is). */
  deadline?: number;
}

/** Where a chunked recalculation goes on (stored between executions by jobs/recalc.ts). */
export interface RecalcResume {
  next: number;
  /** The sheet's last row when `next` was stored. */
  lastRow: number;
  /** The «Телеграм username» of a row `offset` rows above `next`: finds `next` again after rows moved. */
  anchor?: RecalcAnchor | null;
}
export interface RecalcAnchor { text: string; offset: number }

export interface RecalcReport extends SheetJobReport {
  /** First data row and the sheet's last row, as read. */
  firstRow: number;
  lastRow: number;
  /** Row spans evaluated, in order. */
  done: Array<[number, number]>;
  /** First asked row the run did not reach (row or time limit), or null when it did them all. */
  next: number | null;
  anchor: RecalcAnchor | null;
}

/**
 * A chunk is read in this many blocks (never more calls, whatever the row count): a run that has used
 * its wall time stops between two of them.
 */
const RECALC_BLOCKS = 4;

/**
 * The rules over the asked rows only: one read of each block (full width), and one narrow read of the
 * individual-number and nick columns over the whole sheet, so generated numbers stay unique and
 * duplicates are found against every row — the asked rows end exactly as a whole-sheet recalculation
 * leaves them (test/jobs/recalc-chunks.test.ts compares them).
 */
export function runRecalc(ss: Spreadsheet, clock: JobClock, options: RecalcOptions = {}): RecalcReport {
  const sheet = findSheet(ss, ANALYTICS);
  if (!sheet) return { ...emptyReport(ANALYTICS.name), firstRow: 0, lastRow: 0, done: [], next: null, anchor: null };
  const found = requireHeaders(sheet, ANALYTICS);
  const map = found.map;
  assertHeaders({ headers: map, def: ANALYTICS });
  const headerRow = found.row;
  const first = headerRow + 1;
  const lastRow = found.lastRow;
  const width = found.lastColumn;
  const height = Math.max(0, lastRow - headerRow);

  // The key columns of every row: what a whole-sheet run would see of the rows outside the asked ones.
  const numberCol = map.index.get('individualNumber')!;
  const nickCol = map.index.get('username')!;
  const numbers: CellValue[] = new Array(height).fill('');
  const nicks: CellValue[] = new Array(height).fill('');
  if (height > 0) {
    for (const [start, count] of columnRuns([numberCol, nickCol])) {
      const block = withRetry(() => sheet.getRange(first, start + 1, height, count).getValues()) as CellValue[][];
      for (let r = 0; r < height; r++) {
        if (numberCol >= start && numberCol < start + count) numbers[r] = block[r][numberCol - start];
        if (nickCol >= start && nickCol < start + count) nicks[r] = block[r][nickCol - start];
      }
    }
  }

  const asked: Array<[number, number]> = (options.spans ?? (options.resume ? [] : [[first, Infinity]])).map(([a, b]) => [a, b]);
  if (options.resume) asked.push([resumeRow(options.resume, nicks, first, lastRow), Infinity]);
  const spans = mergeSpans(asked, first, lastRow);
  const askedRows = spans.reduce((n, [a, b]) => n + b - a + 1, 0);
  const budget = Math.min(askedRows, options.maxRows ?? Infinity, options.maxCells ? Math.max(1, Math.floor(options.maxCells / width)) : Infinity);
  const blockRows = Math.max(1, Math.ceil(budget / RECALC_BLOCKS));

  const report: RecalcReport = { ...emptyReport(), firstRow: first, lastRow, done: [], next: null, anchor: null };
  const low = spans.length ? spans[0][0] : 0;
  const editedAt = editedRows(options.edited ?? [], low, spans.length ? spans[spans.length - 1][1] : -1);
  const ref = loadReference(ss, false);
  invalidateReference(); // imports and API writes to the reference sheets fire no edit event
  const dup = duplicates(numbers, nicks, first);
  report.sheetProblems = [...ref.problems, ...dup.sheetProblems];
  // Every number typed anywhere in the sheet first, as evaluateSheet does: a generated one never repeats it.
  const taken = new Set<string>();
  for (const v of numbers) {
    const typed = cellText(v);
    if (typed !== '') taken.add(numberKey(typed));
  }
  const ctx = evalContext(clock, taken);
  const updatedCol = map.index.get('updatedAt');
  const problemsCol = map.index.get('problems') ?? -1;
  // One table per span, written when every block is evaluated: each column is then written at once (as
  // before chunks), so a run that fails midway leaves each column all new or all as it was.
  const tables: Array<{ table: Table; changes: TableChanges }> = [];
  let evaluated = 0;
  outer: for (const [a, b] of spans) {
    let current: { table: Table; changes: TableChanges } | null = null;
    for (let row = a; row <= b;) {
      const stop = evaluated >= budget || (evaluated > 0 && options.deadline !== undefined && Date.now() >= options.deadline);
      if (stop) { report.next = row; break outer; }
      const count = Math.min(blockRows, b - row + 1, budget - evaluated);
      const readAt = Date.now();
      const block = withRetry(() => sheet.getRange(row, 1, count, width).getValues()) as CellValue[][];
      if (!current) {
        current = { table: { sheet, def: ANALYTICS, headers: map, headerRow, firstRow: row, rows: [], columns: null, readAt }, changes: new Map() };
        tables.push(current);
      }
      const { table, changes } = current;
      const offset = table.rows.length;
      for (const values of block) table.rows.push(values);
      block.forEach((values, i) => {
        const rowNumber = row + i;
        const current = asRow(map, values);
        const { updates, problems } = evaluateRow(current, ref, ctx);
        const number = dup.number.get(rowNumber - first);
        if (number !== undefined) problems.push(number);
        const nick = dup.nick.get(rowNumber - first);
        if (nick !== undefined) problems.push(nick);
        const joined = problems.join('; ');
        const update: Record<string, CellValue> = { ...updates };
        // The list with the duplicates is decided here (evaluateRow knows of no other row).
        delete update.problems;
        if (!sameCell(current.problems, joined)) update.problems = joined;
        const filled = !isRowEmpty(current);
        if (filled && values[problemsCol] !== joined) update.problems = joined;
        const edited = editedAt.get(rowNumber);
        if (filled && edited !== undefined && updatedCol !== undefined && (!edited.bulk || valuesChange(table, values, update))) {
          const stamped = values[updatedCol];
          if (!isDate(stamped) || stamped.getTime() < edited.at) update.updatedAt = new Date(edited.at);
        }
        if (Object.keys(update).length) changes.set(offset + i, update);
        collectProblems(table, rowNumber, problems, report);
      });
      const last = report.done[report.done.length - 1];
      if (last && last[1] + 1 === row) last[1] = row + count - 1;
      else report.done.push([row, row + count - 1]);
      evaluated += count;
      row += count;
    }
  }
  report.rows = evaluated;
  if (report.next !== null) report.anchor = anchorAbove(report.next, nicks, first);
  const entries: JournalEntry[] = [];
  for (const { table, changes } of tables) {
    entries.push(...journalEntries(table, changes, clock, 'recalc'));
    const result = writeChanges(table, changes);
    report.changedCells += result.cellsChanged;
    report.skippedStale += result.skippedStale;
    report.changedRows += changes.size;
  }
  flushJournalQueue(ss, MOSCOW, entries);
  return report;
}

/** Asked spans inside the data rows, sorted, overlapping and adjacent ones joined. */
function mergeSpans(spans: ReadonlyArray<readonly [number, number]>, first: number, last: number): Array<[number, number]> {
  const clamped = spans.map(([a, b]) => [Math.max(a, first), Math.min(b, last)] as [number, number]).filter(([a, b]) => a <= b).sort((x, y) => x[0] - y[0]);
  const out: Array<[number, number]> = [];
  for (const [a, b] of clamped) {
    const prev = out[out.length - 1];
    if (prev && a <= prev[1] + 1) prev[1] = Math.max(prev[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** The rows of deferred edits (within [low, high]) and when each was edited. */
function editedRows(edited: NonNullable<RecalcOptions['edited']>, low: number, high: number): Map<number, { at: number; bulk: boolean }> {
  const out = new Map<number, { at: number; bulk: boolean }>();
  for (const [, row, count, at, kind] of edited) {
    if (!at) continue;
    const to = Math.min(row + count - 1, high);
    for (let r = Math.max(row, low); r <= to; r++) {
      const was = out.get(r);
      // A row some person worked on keeps that, even if a sort also moved it.
      out.set(r, { at: Math.max(at, was?.at ?? 0), bulk: kind === 'bulk' && (was?.bulk ?? true) });
    }
  }
  return out;
}

/**
 * The sheet-wide duplicate findings, from the number and nick columns alone: evaluateSheet's facts of a
 * row are its typed number and its valid nick (a cell looking like a formula has none), and a number it
 * generates never repeats one (every typed number is taken first). Same messages, same order.
 */
function duplicates(numbers: readonly CellValue[], nicks: readonly CellValue[], first: number): { number: Map<number, string>; nick: Map<number, string>; sheetProblems: string[] } {
  const numberShown = numbers.map((v) => (looksLikeFormula(v) ? '' : cellText(v)));
  const nickShown = nicks.map((v) => {
    if (looksLikeFormula(v)) return '';
    const u = readUsername(v);
    return u.kind === 'nick' ? u.display : '';
  });
  const sheetProblems: string[] = [];
  const mark = (shown: string[], key: (s: string) => string, rowMessage: (v: string, others: number[]) => string, sheetMessage: (v: string, rows: number[]) => string): Map<number, string> => {
    const out = new Map<number, string>();
    for (const indexes of repeated(shown.map((s) => (s === '' ? null : key(s))))) {
      const rowNumbers = indexes.map((i) => first + i);
      sheetProblems.push(sheetMessage(shown[indexes[0]], rowNumbers));
      for (const i of indexes) out.set(i, rowMessage(shown[i], rowNumbers.filter((n) => n !== first + i)));
    }
    return out;
  };
  const number = mark(numberShown, numberKey, msg.duplicateIndividualNumber, msg.sheetDuplicateNumber);
  const nick = mark(nickShown, (s) => s.toLowerCase(), msg.duplicateUsername, msg.sheetDuplicateNick);
  return { number, nick, sheetProblems };
}

/** Indexes of the entries sharing each key, for keys held more than once, in order of first index. */
function repeated(keys: ReadonlyArray<string | null>): number[][] {
  const seen = new Map<string, number | number[]>();
  const groups: number[][] = [];
  keys.forEach((key, i) => {
    if (key === null) return;
    const hit = seen.get(key);
    if (hit === undefined) seen.set(key, i);
    else if (typeof hit === 'number') {
      const group = [hit, i];
      seen.set(key, group);
      groups.push(group);
    } else hit.push(i);
  });
  return groups.sort((a, b) => a[0] - b[0]);
}

/** How far above `next` an anchor is looked for. */
const ANCHOR_SEARCH = 200;

/** A nick cell as the rules leave it: `t.me/nick` and `@nick` are one anchor, before and after a chunk wrote it. */
function anchorKey(value: CellValue): string {
  const u = readUsername(value);
  return u.kind === 'nick' ? u.display.toLowerCase() : cellText(value);
}

/** The nearest row above `next` whose nick no other row has: the run finds its place by it after rows moved. */
function anchorAbove(next: number, nicks: readonly CellValue[], first: number): RecalcAnchor | null {
  const counts = new Map<string, number>();
  for (const v of nicks) {
    const k = anchorKey(v);
    if (k !== '') counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (let row = next - 1; row >= Math.max(first, next - ANCHOR_SEARCH); row--) {
    const text = anchorKey(nicks[row - first]);
    if (text !== '' && counts.get(text) === 1) return { text, offset: next - row };
  }
  return null;
}

/**
 * Where a chunked run goes on. Between two chunks people may insert or delete rows (no edit event
 * tells): the anchor row, found once elsewhere, moves `next` with it (rows inserted above are evaluated
 * again, which changes nothing; none is skipped). Without it (deleted, retyped, or no longer unique),
 * `next` moves up by as many rows as the sheet lost, so rows shifted up past it are not skipped.
 * Rows added below are reached because every chunk runs to the sheet's last row as it is then. Sorts
 * fire an edit: their deferral restarts the run from row 2 (see jobs/recalc.ts).
 */
function resumeRow(resume: RecalcResume, nicks: readonly CellValue[], first: number, lastRow: number): number {
  const a = resume.anchor;
  if (a) {
    const hits: number[] = [];
    for (let i = 0; i < nicks.length && hits.length < 2; i++) if (anchorKey(nicks[i]) === a.text) hits.push(i);
    if (hits.length === 1) return Math.max(first, first + hits[0] + a.offset);
  }
  return Math.max(first, resume.next - Math.max(0, resume.lastRow - lastRow));
}

function journalEntries(table: Table, changes: TableChanges, clock: JobClock, source: JournalSource): JournalEntry[] {
  const entries: JournalEntry[] = [];
  for (const [rowIndex, update] of changes) {
    for (const [key, value] of Object.entries(update)) {
      const i = table.headers.index.get(key);
      if (i === undefined || sameCell(table.rows[rowIndex][i], value)) continue;
      entries.push({ at: clock.now, user: clock.user, sheet: ANALYTICS.name, cell: `${columnLetter(i + 1)}${table.firstRow + rowIndex}`, before: table.rows[rowIndex][i], after: value, source });
    }
  }
  return entries;
}

/** Row numbers inside duplicate findings («уже есть в строке 12»): a sort changes them, not the lead. */
const ROW_REFERENCES = /строк(е|ах) \d[\d, ]*(и ещё \d+)?/g;

/**
 * Whether the rules change the row beyond what moving it changes: a sorted or moved row is consistent
 * already, so only the row numbers quoted in its duplicate findings may differ.
 */
function valuesChange(table: Table, row: CellValue[], update: Record<string, CellValue>): boolean {
  return Object.entries(update).some(([key, value]) => {
    const old = row[table.headers.index.get(key) ?? -1] ?? '';
    if (key !== 'problems') return !sameCell(old, value);
    return String(old).replace(ROW_REFERENCES, '') !== String(value).replace(ROW_REFERENCES, '');
  });
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
  const opts = { today: toLocalDate(clock.now, MOSCOW), idleDays: settings.idleDays, workingDays: settings.idleWorkingDays, tz: MOSCOW, stuck: stuckSettings(settings) };
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
  // «Ожидание» is written without a stamp: the lead index replays this run (jobs/lead-index.ts).
  const indexLog = touchesLeadIndex(changes) ? sweepBegin() : null;
  commit(ss, table, changes, clock, 'sweep', report);
  sweepEnd(indexLog, opts);
  archiveJournal(ss, settings.journalMaxRows, settings.journalArchiveMaxRows);
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

