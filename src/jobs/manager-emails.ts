// The managers' morning emails «Кого дожать сегодня» (SPEC §3.6): read «Менеджеры», «Аналитика» (the
// columns the list needs) and «Отчёт секретаря» once, then one email per active manager with an address,
// each under its own per-day marker (scheduler.ts sendBatch). The menu previews them or sends them now.
import { templateByKey, type SheetKey } from '../../sheets-templates';
import { formatRuDateTime, MOSCOW, toLocalDate, type LocalDate } from '../core/dates';
import { computeFollowUps, FOLLOW_UP_KEYS, renderFollowUpEmail, type ManagerFollowUp, type SecretaryRow } from '../core/reports';
import { parseManagers, type ManagerDirectory, type ManagerKey } from '../core/managers';
import { JOBS, jobTitle, markerKey, recipientMarkerKey, type Marker } from '../core/schedule';
import type { Settings } from '../core/settings';
import { escapeHtml } from '../core/text';
import type { AnalyticsRow } from '../core/analytics';
import { jobClock } from '../gas/clock';
import { withScriptLock } from '../gas/lock';
import { withRetry } from '../gas/retry';
import { loadSettings } from '../gas/settings';
import { findSheet } from '../gas/sheets';
import { readTable, rowObject } from '../gas/table';
import { showHtmlDialog } from '../gas/ui';
import { sendBatch, type EmailBatch } from './scheduler';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Values = Record<string, string | number | boolean | Date>;

const SPEC = JOBS.find((j) => j.id === 'managersReport')!;

function rows(ss: Spreadsheet, key: SheetKey, keys?: readonly string[]): { rows: Array<{ rowNumber: number; values: Values }>; sheetId?: number } {
  const def = templateByKey(key);
  const sheet = findSheet(ss, def);
  if (!sheet) return { rows: [] };
  const table = readTable(sheet, def, keys);
  return { rows: table.rows.map((r, i) => ({ rowNumber: table.firstRow + i, values: rowObject(table, r) })), sheetId: withRetry(() => sheet.getSheetId()) };
}

/** «Менеджеры» as parsed; an old spreadsheet without the sheet has no directory (setup creates it). */
export function readManagerDirectory(ss: Spreadsheet): ManagerDirectory {
  return parseManagers(rows(ss, 'managers').rows as Array<{ rowNumber: number; values: Partial<Record<ManagerKey, Values[string]>> }>);
}

export interface ManagerEmails {
  batch: EmailBatch;
  /** Every manager's list, including those who get no email (no address). */
  followUps: ManagerFollowUp[];
  directory: ManagerDirectory;
}

/**
 * The morning emails as of `now`. `lateMinutes`: a run after the slot's window (the email says so);
 * `day`: the schedule day the run belongs to (always today: these emails are never caught up next day).
 */
export function composeManagerEmails(ss: Spreadsheet, settings: Settings, now: Date, opts: { lateMinutes?: number; day?: LocalDate } = {}): ManagerEmails {
  const today = opts.day ?? toLocalDate(now, MOSCOW);
  // Without «Аналитика» every list would look empty: say so instead of telling managers all is well.
  if (!findSheet(ss, templateByKey('analytics'))) throw new Error(`нет листа «${templateByKey('analytics').name}» — письма менеджерам не составлены. Верните лист (или запустите «Настроить таблицу»).`);
  const directory = readManagerDirectory(ss);
  const analytics = rows(ss, 'analytics', FOLLOW_UP_KEYS);
  const secretary = rows(ss, 'secretaryLog');
  const followUps = computeFollowUps({
    leads: analytics.rows as Array<{ rowNumber: number; values: AnalyticsRow }>,
    secretary: secretary.rows as SecretaryRow[],
    directory,
    stuck: { days: settings.stuckDays, workingDays: settings.idleWorkingDays },
    now, today, tz: MOSCOW,
  });
  const ctx = {
    spreadsheetUrl: withRetry(() => ss.getUrl()), currency: settings.currency, tz: MOSCOW,
    late: opts.lateMinutes ? { minutes: opts.lateMinutes } : undefined,
    sheetIds: { analytics: analytics.sheetId, secretaryLog: secretary.sheetId },
    stuckDays: settings.stuckDays,
  };
  const batch: EmailBatch['batch'] = [];
  const noAddress: string[] = [];
  for (const m of followUps) {
    if (m.email === null) { noAddress.push(m.manager); continue; }
    const email = renderFollowUpEmail(m, today, now, ctx);
    batch.push({ address: `${m.manager} <${m.email}>`, message: { recipients: [m.email], ...email } });
  }
  const notes = [
    ...(noAddress.length ? [`без адреса на листе «Менеджеры» (названы в отчёте РОП): ${noAddress.join(', ')}`] : []),
    ...(directory.problems.length ? [`«Менеджеры»: ${directory.problems.join('; ')}`] : []),
  ];
  return { batch: { batch, note: notes.length ? notes.join('; ') : undefined }, followUps, directory };
}

/** Menu «Отчёты ▸ Предпросмотр: письма менеджерам»: every email as it would go out now. */
export function previewManagerEmails(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings } = loadSettings(ss);
  const { batch, followUps } = composeManagerEmails(ss, settings, jobClock().now);
  const parts = batch.batch.map(({ message }) =>
    `<div style="font:13px Arial,sans-serif;color:#555;margin:16px 0 8px;border-top:2px solid #d0d7de;padding-top:8px">Тема: <b>${escapeHtml(message.subject)}</b><br>Кому: ${escapeHtml(message.recipients.join(', '))}</div>${message.html}`);
  const missing = followUps.filter((m) => m.email === null).map((m) => m.manager);
  const head = batch.batch.length === 0
    ? '<p style="font:14px Arial,sans-serif">Писем нет: на листе «Менеджеры» нет активных менеджеров с email.</p>'
    : '';
  const tail = missing.length
    ? `<p style="font:13px Arial,sans-serif;color:#b3261e">Без адреса на листе «Менеджеры» — письмо не уйдёт: ${escapeHtml(missing.join(', '))}.</p>`
    : '';
  showHtmlDialog(head + parts.join('') + tail, `Предпросмотр: ${jobTitle(SPEC, settings)}`, 760, 640);
}

/**
 * Menu «Отчёты ▸ Отправить письма менеджерам сейчас»: sends to every manager who has not had today's email;
 * when all have, asks before sending everyone a second one. Same markers as the schedule.
 */
export function sendManagerEmailsNow(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const clock = jobClock();
  const day = toLocalDate(clock.now, MOSCOW);
  const props = PropertiesService.getScriptProperties();
  const { settings, problems } = loadSettings(ss);
  const title = jobTitle(SPEC, settings);
  const first = composeManagerEmails(ss, settings, clock.now);
  if (first.batch.batch.length === 0) return ['Писем нет: на листе «Менеджеры» нет активных менеджеров с email.', ...first.directory.problems, ...problems].join('\n');
  const markerOf = (address: string): Marker | null => {
    const raw = withRetry(() => props.getProperty(recipientMarkerKey('managersReport', day, address)));
    try { return raw ? (JSON.parse(raw) as Marker) : null; } catch { return null; }
  };
  const final = (m: Marker | null) => m !== null && (m.state === 'done' || m.state === 'sending');
  let again = false;
  if (first.batch.batch.every((b) => final(markerOf(b.address)))) {
    const last = Math.max(...first.batch.batch.map((b) => markerOf(b.address)?.at ?? 0));
    const ui = SpreadsheetApp.getUi();
    const answer = ui.alert('Отправить ещё раз?', `«${title}» сегодня уже отправлены (${formatRuDateTime(last, MOSCOW)}). Отправить всем менеджерам ещё раз?`, ui.ButtonSet.YES_NO);
    if (answer !== ui.Button.YES) return 'Не отправлено.';
    again = true;
  }
  return withScriptLock(() => {
    // Composed again under the lock: the tick may have sent some while the question was on screen.
    const { batch } = composeManagerEmails(ss, settings, clock.now);
    if (again) for (const b of batch.batch) withRetry(() => props.deleteProperty(recipientMarkerKey('managersReport', day, b.address)));
    const raw = withRetry(() => props.getProperty(markerKey('managersReport', day)));
    const attempts = raw ? ((JSON.parse(raw) as Marker).attempts ?? 0) : 0;
    try {
      const r = sendBatch(batch, { spec: SPEC, day, minutesLate: 0, late: false, attempt: attempts + 1 }, settings, props, clock.now.getTime());
      return `${title}: ${r.result}`;
    } catch (error) {
      return [`${title}: ${(error as Error).message}`, ...problems].join('\n');
    }
  });
}
