// Menu «Отчёты»: preview each email in a dialog, or send it now (asking first when it already went
// out today). A manual send writes the same per-day marker as the schedule, so nothing doubles.
import { MOSCOW, formatRuDateTime, toLocalDate } from '../core/dates';
import { JOBS, jobTitle, markerKey, type Marker } from '../core/schedule';
import { escapeHtml } from '../core/text';
import { jobClock } from '../gas/clock';
import { withScriptLock } from '../gas/lock';
import { withRetry } from '../gas/retry';
import { currentSettings, loadSettings } from '../gas/settings';
import type { Settings } from '../core/settings';
import { showHtmlDialog } from '../gas/ui';
import { composeReport, type ReportKind } from './reports';
import { sendEmailOnce } from './scheduler';

const spec = (kind: ReportKind) => JOBS.find((j) => j.id === kind)!;
const titleOf = (kind: ReportKind, settings: Settings) => jobTitle(spec(kind), settings);

export function previewReport(kind: ReportKind): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings } = loadSettings(ss);
  const message = composeReport(kind, ss, settings, jobClock().now);
  const to = message.recipients.length ? message.recipients.join(', ') : 'получатели не заданы в «Настройках»';
  const header = `<div style="font:13px Arial,sans-serif;color:#555;margin-bottom:8px">Тема: <b>${escapeHtml(message.subject)}</b><br>Кому: ${escapeHtml(to)}</div>`;
  showHtmlDialog(header + message.html, `Предпросмотр: ${titleOf(kind, settings)}`, 720, 640);
}


export function sendReportNow(kind: ReportKind): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const clock = jobClock();
  const day = toLocalDate(clock.now, MOSCOW);
  const key = markerKey(kind, day);
  const props = PropertiesService.getScriptProperties();
  const raw = withRetry(() => props.getProperty(key));
  const marker = raw ? (JSON.parse(raw) as Marker) : null;
  if (marker && (marker.state === 'done' || marker.state === 'sending')) {
    const title = titleOf(kind, currentSettings(ss));
    const ui = SpreadsheetApp.getUi();
    const question = marker.state === 'sending'
      ? `Отправка «${title}» (${formatRuDateTime(marker.at, MOSCOW)}) не подтверждена: письмо могло уйти. Проверьте почту получателей. Отправить его ещё раз?`
      : `«${title}» уже отправлен сегодня (${formatRuDateTime(marker.at, MOSCOW)}). Отправить его ещё раз?`;
    const answer = ui.alert('Отправить ещё раз?', question, ui.ButtonSet.YES_NO);
    if (answer !== ui.Button.YES) return 'Не отправлено.';
  }
  return withScriptLock(() => {
    // Checked again under the lock: the tick may have sent it while the question was on screen.
    const fresh = withRetry(() => props.getProperty(key));
    if (fresh !== raw) {
      const now = JSON.parse(fresh ?? '{}') as Partial<Marker>;
      if (now.state === 'done' || now.state === 'sending') return `Не отправлено: «${titleOf(kind, currentSettings(ss))}» только что ушёл по расписанию (${formatRuDateTime(now.at ?? clock.now.getTime(), MOSCOW)}).`;
    }
    const { settings, problems } = loadSettings(ss);
    const message = composeReport(kind, ss, settings, clock.now);
    const due = { spec: spec(kind), day, minutesLate: 0, late: false, attempt: (marker?.attempts ?? 0) + 1 };
    const outcome = sendEmailOnce(message, due, key, settings, props, clock.now.getTime());
    // A refusal often comes from «Настройки» (no recipients, a bad address): say what is wrong there.
    if (outcome.unknown) return `Отправка не подтверждена: сервис почты ответил «${outcome.error}», а письмо могло уже уйти. Проверьте почту получателей; если письма нет, отправьте снова — вас спросят, отправлять ли второй раз.`;
    return outcome.ok ? `Отправлено: ${message.recipients.join(', ')}` : [`Не отправлено: ${outcome.result}`, ...problems].join('\n');
  });
}
