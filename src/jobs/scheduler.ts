// The tick: a 5-minute clock trigger that runs whatever is due. Apps Script fires clock triggers
// anywhere within their period, so the tick — not the trigger — decides, using per-job per-day
// markers in script properties, under the script lock. A tick with nothing due reads no sheet.
import { formatRuDateTime, MOSCOW, toLocalDate } from '../core/dates';
import {
  CATCH_UP_UNTIL, describeMissed, dueJobs, JOBS, jobTitle, markerKey, recipientMarkerKey, TICK_MINUTES, missedEmails, staleMarkerKeys, uncertainAlertKey, uncertainSends,
  type DueJob, type JobId, type Marker,
} from '../core/schedule';
import { alertRecipients, DEFAULT_SETTINGS, formatTimeOfDay, isDefaultSettings, settingsRows, type Settings } from '../core/settings';
import { countOf, WORDS } from '../core/plural';
import { withRetry, errorMessage, isMailRefusal, isTransient } from '../gas/retry';
import { spreadsheetZoneProblem } from '../gas/sheets';
import { copyDate, lastKnownSettings, loadSettings, readSnapshot, saveSettingsSnapshot } from '../gas/settings';
import type { JobClock } from './analytics';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface EmailMessage { recipients: string[]; subject: string; html: string; text: string }

/**
 * One email per recipient (the managers' morning emails): each goes through the same sending → done
 * protocol under its own marker, so a retry sends only the ones not yet sent, and one whose outcome is
 * unknown is never sent again. `address` names the marker (recipientMarkerKey).
 */
export interface EmailBatch { batch: Array<{ address: string; message: EmailMessage }>; note?: string }

export interface JobRun {
  ss: Spreadsheet;
  settings: Settings;
  clock: JobClock;
  due: DueJob;
  /**
   * Reads shared by the jobs of one tick (the 06:00 jobs all need «Аналитика»: one read instead of three).
   * Emptied when a job fails, since it may have left a shared read half-updated.
   */
  shared: Map<string, unknown>;
}
/** A maintenance job returns what it did; an email job returns the message(s) to send (or null: nothing to send). */
export type JobRunner = (run: JobRun) => string | EmailMessage | EmailBatch | null;
export type Runners = Partial<Record<JobId, JobRunner>>;

export interface TickReport { ran: Array<{ job: string; result: string; ok: boolean }>; readSheets: boolean; skipped?: string }

/** Incidental work outside the daily slots (a stale funnel, rows an edit had to skip). */
export interface ExtraWork {
  /** Cheap check: properties only, never a sheet. */
  due(): boolean;
  run(ss: Spreadsheet, clock: JobClock): Array<{ job: string; result: string; ok: boolean }>;
}

const STATUS_PREFIX = 'status:';
/** Leave room under the 6-minute limit: no new job starts after this. */
const BUDGET_MS = 4.5 * 60_000;
const SENDER_NAME = 'Продажи';

export interface JobStatus { at: number; ok: boolean; result: string }

function readMarkers(all: Record<string, string>): Record<string, Marker> {
  const out: Record<string, Marker> = {};
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith('sched:') && !k.startsWith('alert:')) continue;
    try { out[k] = JSON.parse(v) as Marker; } catch { /* a damaged marker is treated as absent */ }
  }
  return out;
}


export function runTick(getSpreadsheet: () => Spreadsheet, runners: Runners, clock: JobClock, extra?: ExtraWork): TickReport {
  const started = Date.now();
  const props = PropertiesService.getScriptProperties();
  let all = withRetry(() => props.getProperties());
  let settings = readSnapshot(all);
  const report: TickReport = { ran: [], readSheets: false };
  const due = settings ? dueJobs(clock.now, MOSCOW, settings, readMarkers(all)).filter((j) => runners[j.spec.id]) : null;
  const expired = settings ? missedEmails(clock.now, MOSCOW, settings, readMarkers(all)).expired.filter((m) => runners[m.spec.id]) : [];
  const uncertain = uncertainSends(readMarkers(all)).filter(({ key }) => !all[uncertainAlertKey(key)]);
  const extraDue = extra ? extra.due() : false;
  if (due && due.length === 0 && expired.length === 0 && uncertain.length === 0 && !extraDue) return report;

  const lock = withRetry(() => LockService.getScriptLock());
  if (!withRetry(() => lock.tryLock(10_000))) return { ...report, skipped: 'lock busy' };
  try {
    // Re-read under the lock: a concurrent tick may have just finished the same job.
    all = withRetry(() => props.getProperties());
    const ss = withRetry(getSpreadsheet);
    report.readSheets = true;
    const fresh = loadSettings(ss);
    // «Настройки» deleted or renamed, or left with nothing but defaults (recreated empty): keep the last
    // settings known (recipients, admin) rather than none — and never let that sheet replace them.
    const known = lastKnownSettings(all);
    const lastRead = known?.settings ?? readSnapshot(all);
    const emptied = !fresh.missingSheet && isDefaultSettings(fresh.settings) && known !== null;
    const keep = (fresh.missingSheet && lastRead !== null) || emptied;
    settings = keep && lastRead ? lastRead : fresh.settings;
    if (!keep && JSON.stringify(settings) !== JSON.stringify(readSnapshot(all))) saveSettingsSnapshot(settings);
    // A broken setting falls back to its default: the admin hears what is wrong (once a day) rather
    // than getting emails at a default time or address nobody chose.
    const settingsAlert = `alert:settings:${toLocalDate(clock.now, MOSCOW)}`;
    const zone = spreadsheetZoneProblem(ss);
    const copy = `(копия${copyDate(known?.at ?? null)})`;
    const settingsProblems = [
      ...(emptied ? [emptiedProblem(settings, copy), ...fresh.problems]
        : keep ? [`Нет листа «Настройки»: действуют настройки, прочитанные последними ${copy}. Верните лист (или его имя) или запустите «Настроить таблицу» — лист будет создан заново из этой копии.`]
          : fresh.problems),
      ...(zone ? [zone] : []),
    ];
    if (settingsProblems.length > 0 && !all[settingsAlert]) {
      alertAdmin(settings, 'ошибки в «Настройках»', `В «Настройках» есть ошибки; что действует до исправления — сказано в каждой строке:\n${settingsProblems.map((p) => `— ${p}`).join('\n')}`);
      setJson(props, settingsAlert, { state: 'done', at: clock.now.getTime(), attempts: 1 });
    }
    for (const { key, marker } of uncertainSends(readMarkers(all))) {
      const alertKey = uncertainAlertKey(key);
      if (all[alertKey]) continue;
      // A per-recipient marker names its address after the day.
      const parsed = /^sched:([A-Za-z]+):\d{4}-\d{2}-\d{2}(?::(.+))?$/.exec(key);
      const job = JOBS.find((j) => j.id === parsed?.[1]);
      alertUnconfirmed(settings, job ? `${jobTitle(job, settings)}${parsed?.[2] ? `: ${parsed[2]}` : ''}` : key, marker.at, marker.message ?? 'выполнение прервалось');
      setJson(props, alertKey, { state: 'done', at: clock.now.getTime(), attempts: 1 });
    }
    reportExpired(settings, runners, props, clock, readMarkers(all));
    const shared = new Map<string, unknown>();
    for (const job of dueJobs(clock.now, MOSCOW, settings, readMarkers(all))) {
      if (Date.now() - started > BUDGET_MS) { report.skipped = 'time budget'; break; }
      const runner = runners[job.spec.id];
      if (!runner) continue;
      report.ran.push(runJob({ ss, settings, clock, due: job, shared }, runner, props));
    }
    if (extra && Date.now() - started <= BUDGET_MS) report.ran.push(...extra.run(ss, clock));
    cleanupMarkers(props, Object.keys(all), toLocalDate(clock.now, MOSCOW));
  } finally {
    lock.releaseLock();
  }
  return report;
}

/** The settings sheet holds nothing but defaults while a copy is known: what the admin should re-enter. */
function emptiedProblem(known: Settings, copy: string): string {
  const defaults = settingsRows(DEFAULT_SETTINGS);
  const differing = settingsRows(known).filter((r, i) => r.value !== defaults[i].value);
  return `«Настройки» содержат только значения по умолчанию (лист пуст или создан заново, либо все значения неверны): действуют настройки, прочитанные последними ${copy}. `
    + `Впишите их в лист снова: ${differing.map((r) => `«${r.name}» — ${r.value}`).join('; ')}.`;
}

/**
 * Emails whose day is over without them, past the catch-up cut-off: each marked `missed` (so it is
 * reported once) and the admin told in one message, never nothing.
 */
function reportExpired(settings: Settings, runners: Runners, props: GoogleAppsScript.Properties.Properties, clock: JobClock, markers: Record<string, Marker>): void {
  const expired = missedEmails(clock.now, MOSCOW, settings, markers).expired.filter((m) => runners[m.spec.id]);
  if (expired.length === 0) return;
  const at = clock.now.getTime();
  for (const m of expired) {
    setJson(props, markerKey(m.spec.id, m.day), { state: 'missed', at, attempts: m.marker?.attempts ?? 0, message: m.marker?.message } satisfies Marker);
  }
  alertAdmin(settings, expired.length === 1 ? 'отчёт не отправлен' : 'отчёты не отправлены',
    `Эти письма не ушли вовремя, и автоматически они уже не отправляются:\n${expired.map((m) => `— ${describeMissed(m, settings, MOSCOW)}`).join('\n')}\n\n`
    + 'Пропущенный отчёт досылается с пометкой «(с опозданием)» только до 12:00 следующего дня: позже его легко принять за сегодняшний. '
    + 'Цифры за эти дни есть в таблице («Отчёт секретаря», «Звонки», «Счета»). Если расписание останавливалось, проверьте «Продажи → Автоматизация → Статус».');
}

/** One alert for an email that may or may not have gone out. */
function alertUnconfirmed(settings: Settings, title: string, at: number, cause: string): boolean {
  return alertAdmin(settings, `${title}: отправка не подтверждена`,
    `Отправка письма «${title}» началась ${formatRuDateTime(at, MOSCOW)} (МСК) и не была подтверждена (${cause}). `
    + 'Письмо могло уйти, поэтому повторно оно автоматически не отправляется, чтобы не прислать его дважды. '
    + 'Проверьте, дошло ли оно (например, у получателей или в папке «Отправленные» владельца расписания), и если нет — отправьте вручную: Продажи → Отчёты → Отправить … сейчас.');
}

function setJson(props: GoogleAppsScript.Properties.Properties, key: string, value: unknown): void {
  withRetry(() => props.setProperty(key, JSON.stringify(value)));
}

function runJob(run: JobRun, runner: JobRunner, props: GoogleAppsScript.Properties.Properties): { job: JobId; result: string; ok: boolean } {
  const { settings, clock, due } = run;
  const key = markerKey(due.spec.id, due.day);
  const at = () => clock.now.getTime();
  let outcome: { result: string; ok: boolean };
  try {
    const produced = runner(run);
    if (produced === null || typeof produced === 'string') {
      setJson(props, key, { state: 'done', at: at(), attempts: due.attempt, late: due.late } satisfies Marker);
      outcome = { result: produced ?? 'нечего делать', ok: true };
    } else if ('batch' in produced) {
      outcome = sendBatch(produced, due, settings, props, at());
    } else {
      outcome = sendEmailOnce(produced, due, key, settings, props, at());
    }
  } catch (error) {
    run.shared.clear();
    const message = errorMessage(error);
    setJson(props, key, { state: 'failed', at: at(), attempts: due.attempt, message } satisfies Marker);
    const alertKey = `alert:${due.spec.id}:${due.day}`;
    if (!props.getProperty(alertKey)) {
      alertAdmin(settings, `${jobTitle(due.spec, settings)}: ошибка`, `Задание «${jobTitle(due.spec, settings)}» завершилось ошибкой: ${message}\nОно будет повторено при следующем запуске расписания, а если ошибка не уйдёт — всё реже (через 10, 20, 40 … минут) до конца дня${due.spec.email ? ` (письмо — до ${formatTimeOfDay(CATCH_UP_UNTIL)} следующего дня, с пометкой «с опозданием»; если оно так и не уйдёт, придёт отдельное сообщение)` : ''}. Следующие ошибки этого задания сегодня — в «Продажи → Автоматизация → Статус».`);
      setJson(props, alertKey, { state: 'done', at: at(), attempts: 1 });
    }
    outcome = { result: `ошибка: ${message}`, ok: false };
  }
  setJson(props, `${STATUS_PREFIX}${due.spec.id}`, { at: at(), ok: outcome.ok, result: outcome.result } satisfies JobStatus);
  return { job: due.spec.id, ...outcome };
}

/**
 * Sends each email of a batch once (see EmailBatch). Done and unconfirmed ones are skipped; when any is
 * refused or deferred the job throws after trying the rest — the schedule retries it with backoff, and the
 * retry sends only what is still unsent. The job's own marker becomes `done` when every email is final.
 */
export function sendBatch(batch: EmailBatch, due: DueJob, settings: Settings, props: GoogleAppsScript.Properties.Properties, now: number): { result: string; ok: boolean } {
  const sent: string[] = [];
  const before: string[] = [];
  const unknown: string[] = [];
  const notSent: string[] = [];
  for (const { address, message } of batch.batch) {
    const itemKey = recipientMarkerKey(due.spec.id, due.day, address);
    const raw = withRetry(() => props.getProperty(itemKey));
    let marker: Marker | null = null;
    try { marker = raw ? (JSON.parse(raw) as Marker) : null; } catch { /* a damaged marker is treated as absent */ }
    if (marker?.state === 'done') { before.push(address); continue; }
    // Maybe delivered: never again automatically (the tick's check alerts the admin once).
    if (marker?.state === 'sending') { unknown.push(address); continue; }
    const item: DueJob = { ...due, spec: { ...due.spec, title: `${due.spec.title}: ${address}` }, attempt: (marker?.attempts ?? 0) + 1 };
    try {
      const r = sendEmailOnce(message, item, itemKey, settings, props, now);
      if (r.ok) sent.push(address);
      else if (r.unknown) unknown.push(address);
      else notSent.push(`${address}: ${r.result}`);
    } catch (error) {
      notSent.push(`${address}: ${errorMessage(error)}`);
    }
  }
  const parts = [
    `отправлено: ${sent.length}${sent.length ? ` (${sent.join(', ')})` : ''}${due.late && sent.length ? ' с опозданием' : ''}`,
    ...(before.length ? [`уже были отправлены: ${before.length}`] : []),
    ...(unknown.length ? [`не подтверждены, повторно не отправляются: ${unknown.join(', ')}`] : []),
    ...(batch.note ? [batch.note] : []),
  ];
  if (notSent.length > 0) throw new Error(`не отправлено — ${notSent.join('; ')}; ${parts.join('; ')}`);
  setJson(props, markerKey(due.spec.id, due.day), { state: 'done', at: now, attempts: due.attempt, late: due.late } satisfies Marker);
  return { result: parts.join('; '), ok: unknown.length === 0 };
}

export function sendEmailOnce(message: EmailMessage, due: DueJob, key: string, settings: Settings, props: GoogleAppsScript.Properties.Properties, now: number): { result: string; ok: boolean; unknown?: boolean; error?: string } {
  if (message.recipients.length === 0) {
    setJson(props, key, { state: 'deferred', at: now, attempts: due.attempt, message: 'нет получателей в «Настройках»' } satisfies Marker);
    return { result: 'нет получателей — заполните «Настройки»', ok: false };
  }
  const quota = withRetry(() => MailApp.getRemainingDailyQuota());
  if (quota < message.recipients.length) {
    setJson(props, key, { state: 'deferred', at: now, attempts: due.attempt, message: `квота писем: осталось ${quota}` } satisfies Marker);
    const alertKey = `alert:${due.spec.id}:${due.day}`;
    if (!props.getProperty(alertKey) && quota > 0) {
      alertAdmin(settings, `${jobTitle(due.spec, settings)}: не хватает квоты писем`, `Осталось писем на сегодня: ${quota}, нужно ${message.recipients.length}. Письмо будет отправлено, когда квота восстановится.`);
      setJson(props, alertKey, { state: 'done', at: now, attempts: 1 });
    }
    return { result: `отложено: квота писем ${quota}`, ok: false };
  }
  // Order matters: `sending` first, so a run killed mid-send is never sent twice.
  setJson(props, key, { state: 'sending', at: now, attempts: due.attempt, late: due.late } satisfies Marker);
  try {
    // Retried only when the service refused before sending (a rate limit): a time-out may follow a
    // delivered mail, and a retry would send it twice.
    withRetry(() => MailApp.sendEmail({ to: message.recipients.join(','), subject: message.subject, body: message.text, htmlBody: message.html, name: SENDER_NAME }),
      { retryIf: (e) => isMailRefusal(e) && isTransient(e) });
  } catch (error) {
    if (isMailRefusal(error)) {
      // The service refused: nothing went out, so the next tick may try again.
      setJson(props, key, { state: 'failed', at: now, attempts: due.attempt, message: errorMessage(error) } satisfies Marker);
      throw error;
    }
    // Outcome unknown: the marker stays `sending` (never resent automatically), the admin checks.
    const text = errorMessage(error);
    setJson(props, key, { state: 'sending', at: now, attempts: due.attempt, late: due.late, message: `исход неизвестен: ${text}` } satisfies Marker);
    // Not sent (the mail service is down): the next tick's check of `sending` markers tries once more.
    if (alertUnconfirmed(settings, jobTitle(due.spec, settings), now, `сервис почты ответил ошибкой «${text}»`)) {
      setJson(props, uncertainAlertKey(key), { state: 'done', at: now, attempts: 1 });
    }
    return { result: `отправка не подтверждена (${text}): письмо могло уйти, повторно не отправляется — администратор предупреждён`, ok: false, unknown: true, error: text };
  }
  setJson(props, key, { state: 'done', at: now, attempts: due.attempt, late: due.late } satisfies Marker);
  return { result: `отправлено: ${message.recipients.join(', ')}${due.late ? ' (с опозданием)' : ''}`, ok: true };
}

/**
 * A tick that failed outside any one job (the lock, «Настройки», the extra work): a «Статус» line and one
 * admin alert a day, best effort — the error itself stays in the execution log, and the next tick retries.
 */
export function reportTickFailure(error: unknown, clock: JobClock): void {
  try {
    const props = PropertiesService.getScriptProperties();
    const message = errorMessage(error);
    const at = clock.now.getTime();
    setJson(props, `${STATUS_PREFIX}${TICK_STATUS}`, { at, ok: false, result: `ошибка: ${message}` } satisfies JobStatus);
    const alertKey = `alert:${TICK_STATUS}:${toLocalDate(clock.now, MOSCOW)}`;
    if (withRetry(() => props.getProperty(alertKey))) return;
    const settings = readSnapshot() ?? DEFAULT_SETTINGS;
    alertAdmin(settings, 'расписание: ошибка', `Запуск расписания завершился ошибкой: ${message}\nОн будет повторён при следующем запуске (раз в ${countOf(TICK_MINUTES, WORDS.minuteAcc)}). Если ошибка повторяется, откройте «Продажи → Автоматизация → Статус».`);
    setJson(props, alertKey, { state: 'done', at, attempts: 1 });
  } catch {
    // Nothing more can be recorded now; the thrown error is in the execution log.
  }
}

/** Status key of the tick itself (not a job of its own). */
export const TICK_STATUS = 'tick';

/** Best effort; true when the alert went out. */
export function alertAdmin(settings: Settings, subject: string, body: string): boolean {
  const to = alertRecipients(settings);
  if (to.length === 0) return false;
  try {
    if (MailApp.getRemainingDailyQuota() < to.length) return false;
    MailApp.sendEmail({ to: to.join(','), subject: `Продажи: ${subject}`, body, name: SENDER_NAME });
    return true;
  } catch {
    // An alert that cannot be sent must not hide the original failure; «Статус» still shows it.
    return false;
  }
}

function cleanupMarkers(props: GoogleAppsScript.Properties.Properties, keys: string[], today: string): void {
  for (const k of staleMarkerKeys(keys, today, 7)) withRetry(() => props.deleteProperty(k));
}

export function readStatuses(): Record<string, JobStatus> {
  const all = withRetry(() => PropertiesService.getScriptProperties().getProperties());
  const out: Record<string, JobStatus> = {};
  for (const [k, v] of Object.entries(all)) {
    if (!k.startsWith(STATUS_PREFIX)) continue;
    try { out[k.slice(STATUS_PREFIX.length)] = JSON.parse(v) as JobStatus; } catch { /* ignore */ }
  }
  return out;
}
