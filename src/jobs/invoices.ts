// «Счета».Статус: computed for the edited rows on edit and for every row daily (an invoice becomes
// «Просрочен» by the passing of time alone). Every status the script changes goes to «Журнал» (SPEC §3.2).
import { templateByKey } from '../../sheets-templates';
import { MOSCOW, toLocalDate } from '../core/dates';
import { invoiceStatus } from '../core/reports/invoice';
import type { Settings } from '../core/settings';
import { findSheet } from '../gas/sheets';
import { readHeaders, readTable, rowObject, rowReader, sameCell, writeChanges, type TableChanges } from '../gas/table';
import { isBlank } from '../core/analytics/cells';
import { withRetry } from '../gas/retry';
import { columnLetter } from '../core/header-map';
import type { JournalEntry } from '../core/journal';
import { flushJournalQueue, queueJournal } from '../gas/journal-queue';
import type { JobClock } from './analytics';

const INVOICES = templateByKey('invoices');
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export function runInvoiceStatuses(ss: Spreadsheet, clock: JobClock, settings: Settings): { rows: number; changed: number } {
  const sheet = findSheet(ss, INVOICES);
  if (!sheet) return { rows: 0, changed: 0 };
  const table = readTable(sheet, INVOICES);
  const today = toLocalDate(clock.now, MOSCOW);
  const changes: TableChanges = new Map();
  const statusCol = table.headers.index.get('status');
  if (statusCol === undefined) return { rows: table.rows.length, changed: 0 };
  const entries: JournalEntry[] = [];
  table.rows.forEach((values, i) => {
    const status = invoiceStatus(rowObject(table, values), today, MOSCOW, settings.invoiceOverdueDays);
    if (values[statusCol] === status) return;
    changes.set(i, { status });
    entries.push(statusEntry(clock, statusCol, table.firstRow + i, values[statusCol], status));
  });
  const result = writeChanges(table, changes);
  // One write to «Журнал», together with whatever edits queued meanwhile.
  flushJournalQueue(ss, MOSCOW, entries);
  return { rows: table.rows.length, changed: result.cellsChanged };
}

/** On edit of «Счета»: the status of the edited rows only (header, rows, one write). */
export function handleInvoiceEdit(range: GoogleAppsScript.Spreadsheet.Range, clock: JobClock, overdueDays: number): void {
  const sheet = range.getSheet();
  // Headers nobody can place: no status is written (the daily run reports the sheet).
  const found = readHeaders(sheet, INVOICES);
  if (!found.ok) return;
  const first = Math.max(range.getRow(), found.row + 1);
  const last = range.getRow() + range.getNumRows() - 1;
  if (last < first) return;
  const width = found.lastColumn;
  const map = found.map;
  const statusCol = map.index.get('status');
  if (statusCol === undefined) return;
  const rows = withRetry(() => sheet.getRange(first, 1, last - first + 1, width).getValues());
  const today = toLocalDate(clock.now, MOSCOW);
  const read = rowReader(INVOICES, map);
  const statuses = rows.map((values) => [invoiceStatus(read(values), today, MOSCOW, overdueDays)]);
  // «Оплата внесена»: the moment a payment was typed (seed 004: by 10:00 the next morning), so one entered
  // after its day's 19:45 summary reaches the next one as «внесено с опозданием».
  const enteredCol = map.index.get('paymentEnteredAt');
  const left = range.getColumn();
  const typed = (key: string) => {
    const c = map.index.get(key);
    return c !== undefined && c + 1 >= left && c + 1 < left + range.getNumColumns();
  };
  const paymentTyped = enteredCol !== undefined && (typed('paymentDate') || typed('paidAmount'));
  const entered = rows.map((values) => {
    if (!paymentTyped) return values[enteredCol ?? 0];
    const v = read(values);
    return isBlank(v.paymentDate) && isBlank(v.paidAmount) ? '' : clock.now;
  });
  const statusChanged = !statuses.every((s, i) => s[0] === rows[i][statusCol]);
  const enteredChanged = paymentTyped && entered.some((v, i) => !sameCell(v, rows[i][enteredCol!]));
  if (!statusChanged && !enteredChanged) return;
  if (enteredChanged && enteredCol === statusCol + 1) {
    // Side by side (as the template places them): one write for both.
    withRetry(() => sheet.getRange(first, statusCol + 1, statuses.length, 2).setValues(statuses.map((st, i) => [st[0], entered[i]])));
  } else {
    if (statusChanged) withRetry(() => sheet.getRange(first, statusCol + 1, statuses.length, 1).setValues(statuses));
    if (enteredChanged) withRetry(() => sheet.getRange(first, enteredCol! + 1, entered.length, 1).setValues(entered.map((v) => [v])));
  }
  // Queued, not appended: an edit stays one write; the next job or tick writes the queue to «Журнал».
  const entries = statuses.flatMap(([status], i) => (status === rows[i][statusCol] ? [] : [statusEntry(clock, statusCol, first + i, rows[i][statusCol], status)]));
  queueJournal(sheet.getParent(), entries, MOSCOW);
}

function statusEntry(clock: JobClock, statusCol: number, row: number, before: unknown, after: string): JournalEntry {
  return { at: clock.now, user: clock.user, sheet: INVOICES.name, cell: `${columnLetter(statusCol + 1)}${row}`, before, after, source: 'invoices' };
}
