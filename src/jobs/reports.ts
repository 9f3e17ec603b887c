// The two daily emails: read the logs once each, compute, render. Sending (exactly once per day)
// belongs to the scheduler; the menu's «send now» goes through the same marker.
import { templateByKey, type SheetKey } from '../../sheets-templates';
import { addDays, formatRuDateTime, MOSCOW, toLocalDate, type LocalDate } from '../core/dates';
import type { ManagerDirectory } from '../core/managers';
import { readManagerDirectory } from './manager-emails';
import { JOBS, slotInstant } from '../core/schedule';
import { telegramFunnelSummary } from '../core/funnel';
import {
  CALLS_KEYS, INVOICE_KEYS, RESULT_KEYS, computeHeadOfSalesReport, computeSecretaryReport, renderHeadOfSalesEmail, renderSecretaryEmail,
  type CallsRow, type InvoiceRow, type RenderedEmail, type SecretaryRow,
} from '../core/reports';
import { reportRecipients, type Settings } from '../core/settings';
import type { AnalyticsRow } from '../core/analytics';
import { findSheet } from '../gas/sheets';
import { readTable, rowObject } from '../gas/table';
import type { EmailMessage } from './scheduler';
import { readLeadsForReport } from './lead-index';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
export type ReportKind = 'secretaryReport' | 'headOfSalesReport';

/** Rows of a sheet keyed by column key; with `keys`, only those columns are read (the rest read as ''). */
/** The log sheets a report is made of: without one, the report would wrongly say «no rows». */
const REQUIRED: readonly SheetKey[] = ['secretaryLog', 'calls', 'invoices', 'analytics'];

function rowsOf<K extends string>(ss: Spreadsheet, key: SheetKey, keys?: readonly string[]): Array<{ rowNumber: number; values: Partial<Record<K, string | number | boolean | Date>> }> {
  const def = templateByKey(key);
  const sheet = findSheet(ss, def);
  if (!sheet) {
    if (REQUIRED.includes(key)) throw new Error(`нет листа «${def.name}» — отчёт не составлен, чтобы не показать пустой день вместо ошибки. Верните лист (или запустите «Настроить таблицу»).`);
    return [];
  }
  const table = readTable(sheet, def, keys);
  return table.rows.map((r, i) => ({ rowNumber: table.firstRow + i, values: rowObject(table, r) as Partial<Record<K, string | number | boolean | Date>> }));
}

const INVOICE_READ_KEYS: readonly string[] = INVOICE_KEYS.filter((k) => k !== 'status');

/** «Аналитика» rows of RESULT_KEYS, exactly as a full read gives them. */
function readLeads(ss: Spreadsheet, mode: 'use' | 'refresh' | 'full'): AnalyticsRow[] {
  const sheet = findSheet(ss, templateByKey('analytics'));
  if (!sheet) return rowsOf<string>(ss, 'analytics', RESULT_KEYS).map((r) => r.values as AnalyticsRow); // throws the message
  const read = readLeadsForReport(ss, sheet, { refresh: mode === 'refresh', full: mode === 'full' });
  // The execution log says which way it went (a full read is ~10× slower at 100,000 leads).
  console.log(read.via === 'index' ? `«Аналитика» через индекс: перечитано строк ${read.reread} из ${read.rows.length}` : `«Аналитика» прочитана целиком (${read.reason})`);
  return read.rows;
}

/** Active managers of «Менеджеры», in sheet order: the ones expected to fill «Звонки». */
function managersList(directory: ManagerDirectory): string[] {
  return directory.entries.filter((e) => e.active).map((e) => e.name);
}

export interface ComposeOptions {
  /** Minutes after the slot (a caught-up run): the email says it is late. */
  lateMinutes?: number;
  /**
   * The schedule day the email belongs to, when it is not today (yesterday's 19:45 caught up this
   * morning): the figures are those of that day, as if made at its slot, from the sheets as they are now.
   */
  day?: LocalDate;
  /**
   * «Аналитика» through the lead index (jobs/lead-index.ts): 'refresh' also writes it afresh (the 19:45
   * tick, under the script lock); 'full' ignores it. Default: use it when valid, write nothing.
   */
  leadIndex?: 'use' | 'refresh' | 'full';
}

export function composeReport(kind: ReportKind, ss: Spreadsheet, settings: Settings, now: Date, opts: ComposeOptions = {}): EmailMessage {
  const spec = JOBS.find((j) => j.id === kind)!;
  const today = toLocalDate(now, MOSCOW);
  const pastDay = opts.day !== undefined && opts.day !== today;
  // The compute functions take the day from `asOf`: 11:00 → the day before it, 19:45 → its own day.
  const asOf = pastDay ? slotInstant(spec, settings, opts.day!, MOSCOW) : now;
  const late = opts.lateMinutes ? { minutes: opts.lateMinutes, dueAt: pastDay ? formatRuDateTime(asOf, MOSCOW) : undefined } : undefined;
  const ctx = { spreadsheetUrl: ss.getUrl(), currency: settings.currency, tz: MOSCOW, late };
  let email: RenderedEmail;
  if (kind === 'secretaryReport') {
    const model = computeSecretaryReport({ rows: rowsOf(ss, 'secretaryLog') as SecretaryRow[], now: asOf, tz: MOSCOW, managers: managersList(readManagerDirectory(ss)) });
    email = renderSecretaryEmail({ ...model, generatedAt: new Date(now.getTime()) }, ctx);
  } else {
    const directory = readManagerDirectory(ss);
    const managers = managersList(directory);
    // Only the columns the summary and the per-manager results read (RESULT_KEYS, 14 of the 32 of
    // «Аналитика»), through the lead index: at 100,000 leads ~4 s instead of ~45 s (issue #16).
    const analytics = readLeads(ss, opts.leadIndex ?? 'use');
    const funnel = telegramFunnelSummary(analytics, toLocalDate(asOf, MOSCOW), MOSCOW, { staleDays: settings.staleAnalyticsDays, managers });
    const yesterday = addDays(toLocalDate(asOf, MOSCOW), -1);
    const model = computeHeadOfSalesReport({
      // Only the columns the report reads (31 µs a cell): «Статус» is the script's own mark, the report
      // works from the dates and sums (core/reports/invoice.ts), and a column added by hand is not read.
      calls: rowsOf(ss, 'calls', CALLS_KEYS) as CallsRow[], invoices: rowsOf(ss, 'invoices', INVOICE_READ_KEYS) as InvoiceRow[], managers, settings, funnel, now: asOf, tz: MOSCOW,
      directory, leads: analytics, stuck: { days: settings.stuckDays, workingDays: settings.idleWorkingDays },
      // A payment entered after yesterday's summary and dated before today reached no email yet.
      lateEntriesSince: slotInstant(spec, settings, yesterday, MOSCOW).getTime(),
    });
    email = renderHeadOfSalesEmail({ ...model, generatedAt: new Date(now.getTime()) }, ctx);
  }
  return { recipients: reportRecipients(settings, kind === 'secretaryReport' ? 'secretary' : 'headOfSales'), ...email };
}
