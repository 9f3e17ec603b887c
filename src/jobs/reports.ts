// The two daily emails: read the logs once each, compute, render. Sending (exactly once per day)
// belongs to the scheduler; the menu's «send now» goes through the same marker.
import { templateByKey, type SheetKey } from '../../sheets-templates';
import { MOSCOW, toLocalDate } from '../core/dates';
import { SUMMARY_KEYS, telegramFunnelSummary } from '../core/funnel';
import {
  computeHeadOfSalesReport, computeSecretaryReport, renderHeadOfSalesEmail, renderSecretaryEmail,
  type CallsRow, type InvoiceRow, type RenderedEmail, type SecretaryRow,
} from '../core/reports';
import { reportRecipients, type Settings } from '../core/settings';
import type { AnalyticsRow } from '../core/analytics';
import { findSheet } from '../gas/sheets';
import { readTable, rowObject } from '../gas/table';
import type { EmailMessage } from './scheduler';

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

function managersList(ss: Spreadsheet): string[] {
  const lists = rowsOf<string>(ss, 'lists');
  return lists.map((r) => String(r.values.managers ?? '').trim()).filter(Boolean);
}

export function composeReport(kind: ReportKind, ss: Spreadsheet, settings: Settings, now: Date, lateMinutes?: number): EmailMessage {
  const ctx = { spreadsheetUrl: ss.getUrl(), currency: settings.currency, tz: MOSCOW, late: lateMinutes ? { minutes: lateMinutes } : undefined };
  let email: RenderedEmail;
  if (kind === 'secretaryReport') {
    const model = computeSecretaryReport({ rows: rowsOf(ss, 'secretaryLog') as SecretaryRow[], now, tz: MOSCOW, managers: managersList(ss) });
    email = renderSecretaryEmail(model, ctx);
  } else {
    const managers = managersList(ss);
    // Only the columns the summary reads: 13 of the 31 of «Аналитика».
    const analytics = rowsOf<string>(ss, 'analytics', SUMMARY_KEYS).map((r) => r.values as AnalyticsRow);
    const funnel = telegramFunnelSummary(analytics, toLocalDate(now, MOSCOW), MOSCOW, { staleDays: settings.staleAnalyticsDays, managers });
    const model = computeHeadOfSalesReport({
      calls: rowsOf(ss, 'calls') as CallsRow[], invoices: rowsOf(ss, 'invoices') as InvoiceRow[], managers, settings, funnel, now, tz: MOSCOW,
    });
    email = renderHeadOfSalesEmail(model, ctx);
  }
  return { recipients: reportRecipients(settings, kind === 'secretaryReport' ? 'secretary' : 'headOfSales'), ...email };
}
