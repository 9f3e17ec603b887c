// «Автоматизация»: installing and removing the tick trigger (idempotently) and the status dialog.
import { MOSCOW, formatRuDateTime, toLocalDate } from '../core/dates';
import { describeMarker, JOBS, jobTitle, markerKey, TICK_MINUTES, type Marker } from '../core/schedule';
import { currentSettings } from '../gas/settings';
import { escapeHtml } from '../core/text';
import { jobText } from '../core/messages';
import { withRetry } from '../gas/retry';
import { spreadsheetZoneProblem } from '../gas/sheets';
import { readStatuses, TICK_STATUS } from './scheduler';
import { TICK_HANDLER } from '../core/triggers';
import { isAuthority, scheduleOwnerWarning, scheduleRefusal } from '../core/access';
import { readAuthority } from '../gas/access';

/** The trigger's period is the schedule's tick window (core/schedule.ts counts retries in it). */
export { TICK_MINUTES };
const OWNER_KEY = 'schedule:owner';

function tickTriggers(): GoogleAppsScript.Script.Trigger[] {
  return withRetry(() => ScriptApp.getProjectTriggers()).filter((t) => t.getHandlerFunction() === TICK_HANDLER);
}

function zoneWarnings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string[] {
  const warnings: string[] = [];
  const scriptZone = Session.getScriptTimeZone();
  if (scriptZone !== MOSCOW) warnings.push(`Часовой пояс скрипта — ${scriptZone}, а нужен ${MOSCOW} (appsscript.json). Время отчётов всё равно считается по Москве.`);
  const sheetZone = spreadsheetZoneProblem(ss);
  if (sheetZone) warnings.push(sheetZone);
  return warnings;
}

/**
 * «Включить расписание»: exactly one tick trigger, however many times it is clicked. Only the owner or
 * leadership may: the tick runs as its creator (their mail quota, their rights on protected sheets).
 */
export function enableSchedule(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string {
  const authority = readAuthority(ss);
  if (!isAuthority(authority, authority.me)) return scheduleRefusal(authority);
  const me = authority.me;
  const props = PropertiesService.getScriptProperties();
  const owner = withRetry(() => props.getProperty(OWNER_KEY));
  const existing = tickTriggers();
  const lines: string[] = [];
  if (existing.length === 0 && owner && owner !== me) {
    // Triggers of another user are invisible here; a second set would send every email twice.
    return `Расписание уже включено пользователем ${owner}. Выключить его может только он (Автоматизация → Отключить), после этого можно включить заново.`;
  }
  if (existing.length === 0) {
    ScriptApp.newTrigger(TICK_HANDLER).timeBased().everyMinutes(TICK_MINUTES).create();
    lines.push(jobText.scheduleOn(TICK_MINUTES));
  } else {
    for (const extra of existing.slice(1)) ScriptApp.deleteTrigger(extra);
    lines.push(existing.length > 1 ? `Удалены лишние триггеры: ${existing.length - 1}. Расписание работает.` : 'Расписание уже включено — ничего не изменено.');
  }
  if (owner !== me) withRetry(() => props.setProperty(OWNER_KEY, me));
  lines.push(`Триггеры работают от имени: ${me}. Письма уходят с этого адреса.`);
  return [...lines, ...zoneWarnings(ss)].join('\n');
}

export function disableSchedule(): string {
  const existing = tickTriggers();
  for (const t of existing) ScriptApp.deleteTrigger(t);
  const props = PropertiesService.getScriptProperties();
  const owner = withRetry(() => props.getProperty(OWNER_KEY));
  const me = Session.getEffectiveUser().getEmail();
  if (existing.length > 0 || owner === me) withRetry(() => props.deleteProperty(OWNER_KEY));
  if (existing.length === 0 && owner && owner !== me) return `Расписание включено пользователем ${owner}; отключить его может только он.`;
  return existing.length ? 'Расписание отключено. Отчёты больше не отправляются автоматически.' : 'Расписание и так было отключено.';
}

export function scheduleStatusHtml(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, now: Date): string {
  const triggers = tickTriggers();
  const owner = withRetry(() => PropertiesService.getScriptProperties().getProperty(OWNER_KEY));
  const all = withRetry(() => PropertiesService.getScriptProperties().getProperties());
  const statuses = readStatuses();
  const today = toLocalDate(now, MOSCOW);
  const quota = withRetry(() => MailApp.getRemainingDailyQuota());
  const settings = currentSettings(ss);
  const rows = JOBS.map((j) => {
    const s = statuses[j.id];
    const raw = all[markerKey(j.id, today)];
    const marker = raw ? (JSON.parse(raw) as Marker) : undefined;
    const last = s ? `${formatRuDateTime(s.at, MOSCOW)} — ${s.ok ? 'успешно' : 'ошибка'}: ${s.result}` : 'ещё не запускалось';
    return `<tr><td style="padding:4px 8px;border:1px solid #ddd">${escapeHtml(jobTitle(j, settings))}</td><td style="padding:4px 8px;border:1px solid #ddd">${escapeHtml(describeMarker(marker, MOSCOW))}</td><td style="padding:4px 8px;border:1px solid #ddd">${escapeHtml(last)}</td></tr>`;
  }).join('');
  const state = triggers.length
    ? `${jobText.scheduleState(triggers.length, TICK_MINUTES)}, владелец: ${escapeHtml(owner ?? Session.getEffectiveUser().getEmail())}`
    : owner ? `Включено пользователем ${escapeHtml(owner)} (его триггеры здесь не видны)` : 'Отключено';
  const tick = statuses[TICK_STATUS];
  const tickLine = tick && !tick.ok ? [`Последняя ошибка запуска расписания: ${formatRuDateTime(tick.at, MOSCOW)} — ${tick.result}`] : [];
  // A tick of a manager (switched on before only leadership could) sends from their address and fails on protected sheets.
  const runsAs = owner ?? (triggers.length ? Session.getEffectiveUser().getEmail() : null);
  const authority = runsAs ? readAuthority(ss) : null;
  const ownerLine = runsAs && authority && !isAuthority(authority, runsAs) ? [scheduleOwnerWarning(runsAs, authority)] : [];
  const warnings = [...ownerLine, ...zoneWarnings(ss), ...tickLine].map((w) => `<p style="color:#b3261e">${escapeHtml(w)}</p>`).join('');
  return `<div style="font:14px Arial,sans-serif"><p><b>Расписание:</b> ${state}</p><p><b>Осталось писем на сегодня:</b> ${quota}</p>${warnings}`
    + `<table style="border-collapse:collapse"><tr><th style="padding:4px 8px;border:1px solid #ddd">Задание</th><th style="padding:4px 8px;border:1px solid #ddd">Сегодня</th><th style="padding:4px 8px;border:1px solid #ddd">Последний запуск</th></tr>${rows}</table></div>`;
}
