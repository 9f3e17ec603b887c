// What the 5-minute tick must do now. Apps Script clock triggers are imprecise, so the tick runs
// often and decides itself: a job is due once its Moscow slot has passed and its per-day marker is
// not final. Pure: markers and settings come in, decisions go out.
import { addDays, formatRuDate, formatRuDateTime, localDateTimeToDate, toLocalDate, zonedParts, type LocalDate } from './dates';
import { formatTimeOfDay, type Settings, type TimeOfDay } from './settings';

export type JobId =
  | 'secretaryReport'
  | 'headOfSalesReport'
  | 'managersReport'
  | 'sweep'
  | 'partners'
  | 'funnel'
  | 'invoices';

export interface JobSpec {
  id: JobId;
  title: string;
  /** An email: sent at most once per day, marked before and after sending. */
  email: boolean;
  /**
   * Worth only its own day (the morning «Кого дожать сегодня»: tomorrow brings a fresh one): a day that
   * missed it is not caught up the next morning — the admin is told instead.
   */
  sameDayOnly?: boolean;
  slot(settings: Settings): TimeOfDay;
}

/** Daily maintenance runs before the working day. */
export const MAINTENANCE_TIME: TimeOfDay = { hour: 6, minute: 0 };
/**
 * «Воронка» and the invoice statuses run in the next tick, not with the rest: the 06:00 jobs and
 * «Воронка» each read «Аналитика» in a tick of their own, so at the largest sheet that fits the cell cap
 * neither tick uses more than half of the 6 minutes (issue 16).
 */
export const FUNNEL_TIME: TimeOfDay = { hour: 6, minute: 5 };
/**
 * Seed 004: managers enter payments on earlier invoices by this time. An instruction for people (the
 * «Справка»), not a job: a payment entered later still reaches the 19:45 email as «внесено с опозданием».
 */
export const PAYMENTS_ENTRY_DEADLINE: TimeOfDay = { hour: 10, minute: 0 };

export const JOBS: readonly JobSpec[] = [
  { id: 'sweep', title: '«Ожидание» и журнал', email: false, slot: () => MAINTENANCE_TIME },
  { id: 'invoices', title: 'Статусы счетов', email: false, slot: () => FUNNEL_TIME },
  { id: 'partners', title: 'Таблицы партнёров', email: false, slot: () => MAINTENANCE_TIME },
  { id: 'funnel', title: 'Воронка', email: false, slot: () => FUNNEL_TIME },
  { id: 'secretaryReport', title: 'Отчёт секретаря', email: true, slot: (s) => s.secretaryReportTime },
  { id: 'headOfSalesReport', title: 'Отчёт РОП', email: true, slot: (s) => s.headOfSalesReportTime },
  // Last of the emails: one per manager, each with its own marker (`sched:managersReport:<day>:<address>`).
  { id: 'managersReport', title: 'Письма менеджерам «Кого дожать сегодня»', email: true, slot: (s) => s.managersReportTime, sameDayOnly: true },
];

/** A job's name for people; an email's carries its time from «Настройки»: «Отчёт секретаря (11:00)». */
export function jobTitle(spec: JobSpec, settings: Settings): string {
  return spec.email ? `${spec.title} (${formatTimeOfDay(spec.slot(settings))})` : spec.title;
}

/**
 * A day's marker. `sending` is written right before an email goes out and `done` right after:
 * a run killed in between — or a `sendEmail` that threw after it may have delivered (a time-out) —
 * leaves `sending`, and that email is NOT sent again automatically (a duplicate to leadership is worse
 * than asking the admin to check) — the admin is alerted. `missed`: no tick sent it by the catch-up
 * cut-off (CATCH_UP_UNTIL the next day); the admin was told instead.
 */
export type MarkerState = 'sending' | 'done' | 'failed' | 'deferred' | 'missed';

export interface Marker {
  state: MarkerState;
  /** When the state was written (ms). */
  at: number;
  attempts: number;
  late?: boolean;
  message?: string;
}

export const markerKey = (job: JobId, day: LocalDate) => `sched:${job}:${day}`;

/** The marker of one email of a job that sends one per recipient (the managers' morning emails). */
export const recipientMarkerKey = (job: JobId, day: LocalDate, address: string) => `${markerKey(job, day)}:${address.trim().toLowerCase()}`;

export interface DueJob {
  spec: JobSpec;
  /** The schedule day the run belongs to (its marker): today, or yesterday for an email caught up late. */
  day: LocalDate;
  /** Minutes since the slot. */
  minutesLate: number;
  /** Late beyond the 10-minute window: the email says so. */
  late: boolean;
  attempt: number;
}

/** The window after a slot in which a run counts as on time. */
export const ON_TIME_MINUTES = 10;

export function minutesOfDay(t: TimeOfDay): number {
  return t.hour * 60 + t.minute;
}

/** The tick's period: clock triggers fire once in each such window, anywhere inside it. */
export const TICK_MINUTES = 5;
const TICK_MS = TICK_MINUTES * 60_000;

/**
 * Tick windows a job waits after its `attempts`-th failure: 1, 2, 4, 8 … (5, 10, 20, 40 … minutes).
 * Counted in windows rather than minutes from the failure because the tick fires anywhere in its
 * window: the first retry is the next tick, so an email failing at its slot still goes out within 10
 * minutes, while a failure that persists (a broken sheet) costs a few runs a day, not 288.
 */
export function retryWindows(attempts: number): number {
  return 2 ** Math.max(0, Math.min(attempts, 20) - 1);
}

/** When a failed marker's job may run again (ms): the start of the tick window it is due in. */
export function retryAt(marker: Marker): number {
  return (Math.floor(marker.at / TICK_MS) + retryWindows(marker.attempts)) * TICK_MS;
}

/**
 * How long an email whose slot no tick reached is still sent the next day: until noon. A 19:45 summary
 * read the next morning still serves its purpose (the РОП goes over yesterday at the start of the day),
 * and so does the 11:00 one; after noon the day has moved on, today's 11:00 summary is out, and a stale
 * report landing in the afternoon would be read as today's — the admin is told instead.
 */
export const CATCH_UP_UNTIL: TimeOfDay = { hour: 12, minute: 0 };

/** How many days back the tick looks for emails nobody sent (markers are kept 7 days). */
const LOOKBACK_DAYS = 6;

/** The day an email of the schedule day `day` reports on: the 11:00 one covers the day before. */
export function reportedDay(job: JobId, day: LocalDate): LocalDate {
  return job === 'secretaryReport' ? addDays(day, -1) : day;
}

/** The moment of a job's slot on `day` (Moscow). */
export function slotInstant(spec: JobSpec, settings: Settings, day: LocalDate, tz: string): Date {
  const t = spec.slot(settings);
  return localDateTimeToDate(day, tz, t.hour, t.minute);
}

const isFinal = (m: Marker | undefined) => m !== undefined && (m.state === 'done' || m.state === 'sending' || m.state === 'missed');

/** Days before `today` on which some tick ran (it left a marker), newest first. */
function daysWithTicks(markers: Record<string, Marker | undefined>, today: LocalDate): LocalDate[] {
  const days = new Set<LocalDate>();
  for (const k of Object.keys(markers)) {
    const m = /^sched:[A-Za-z]+:(\d{4}-\d{2}-\d{2})$/.exec(k);
    if (m && m[1] < today && m[1] >= addDays(today, -LOOKBACK_DAYS)) days.add(m[1]);
  }
  return [...days].sort().reverse();
}

export interface MissedEmail { spec: JobSpec; day: LocalDate; marker?: Marker; reason: 'late' | 'noTick' }

/**
 * Emails of earlier days that never went out (no final marker). Only from the last day the schedule
 * ran on: before it there is no telling whether it was switched on. On that day an email without a
 * final marker was missed (the ticks stopped after the slot, or it kept failing); every later day with
 * no tick at all missed all of them. Yesterday's are still sent before CATCH_UP_UNTIL (`catchUp`),
 * but only if the schedule ran yesterday — a day without a single tick may be a schedule switched off
 * on purpose; everything else is `expired`: the admin is told and the day is marked `missed`.
 */
export function missedEmails(now: Date | number, tz: string, settings: Settings, markers: Record<string, Marker | undefined>): { catchUp: MissedEmail[]; expired: MissedEmail[] } {
  const today = toLocalDate(now, tz);
  const yesterday = addDays(today, -1);
  const catchUp: MissedEmail[] = [];
  const expired: MissedEmail[] = [];
  const last = daysWithTicks(markers, today)[0];
  if (!last) return { catchUp, expired };
  const p = zonedParts(now, tz);
  const beforeCutoff = p.hour * 60 + p.minute < minutesOfDay(CATCH_UP_UNTIL);
  for (let day = last; day < today; day = addDays(day, 1)) {
    for (const spec of JOBS) {
      if (!spec.email) continue;
      const marker = markers[markerKey(spec.id, day)];
      if (isFinal(marker)) continue;
      const missed: MissedEmail = { spec, day, marker, reason: day === last ? 'late' : 'noTick' };
      if (day === yesterday && day === last && beforeCutoff && !spec.sameDayOnly) catchUp.push(missed);
      else expired.push(missed);
    }
  }
  return { catchUp, expired };
}

/**
 * Jobs due at `now` (Moscow): slot passed today, no final marker for today, and a failed one's backoff
 * over; plus yesterday's emails still caught up (missedEmails). Emails first — yesterday's before
 * today's: one never waits behind a long maintenance retry (the tick has a time budget).
 */
export function dueJobs(now: Date | number, tz: string, settings: Settings, markers: Record<string, Marker | undefined>): DueJob[] {
  const p = zonedParts(now, tz);
  const day = toLocalDate(now, tz);
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const minuteNow = p.hour * 60 + p.minute;
  const due: DueJob[] = [];
  for (const { spec, day: past, marker } of missedEmails(now, tz, settings, markers).catchUp) {
    if (marker?.state === 'failed' && nowMs < retryAt(marker)) continue;
    const minutesLate = Math.floor((nowMs - slotInstant(spec, settings, past, tz).getTime()) / 60_000);
    due.push({ spec, day: past, minutesLate, late: true, attempt: (marker?.attempts ?? 0) + 1 });
  }
  for (const spec of JOBS) {
    const slot = minutesOfDay(spec.slot(settings));
    if (minuteNow < slot) continue;
    const marker = markers[markerKey(spec.id, day)];
    if (marker && (marker.state === 'done' || marker.state === 'sending')) continue;
    if (marker?.state === 'failed' && nowMs < retryAt(marker)) continue;
    const minutesLate = minuteNow - slot;
    due.push({ spec, day, minutesLate, late: spec.email && minutesLate > ON_TIME_MINUTES, attempt: (marker?.attempts ?? 0) + 1 });
  }
  return [...due.filter((j) => j.spec.email), ...due.filter((j) => !j.spec.email)];
}

/** One line of the admin's «not sent» alert: which report, for which date, when it was due. */
export function describeMissed(m: MissedEmail, settings: Settings, tz: string): string {
  const title = m.spec.title;
  const why = m.reason === 'noTick'
    ? 'в этот день расписание не запускалось ни разу'
    : m.marker?.state === 'failed' ? `отправка не удалась: ${m.marker.message ?? 'ошибка'}`
      : m.marker?.state === 'deferred' ? `отправка откладывалась: ${m.marker.message ?? ''}`
        : 'после этого времени расписание не запускалось';
  return `${title} за ${formatRuDate(reportedDay(m.spec.id, m.day))} (должен был уйти ${formatRuDateTime(slotInstant(m.spec, settings, m.day, tz), tz)}) — ${why}`;
}

/** Key of the one alert about an email whose outcome is unknown (apart from the failure alerts). */
export function uncertainAlertKey(markerKeyOfJob: string): string {
  return markerKeyOfJob.replace(/^sched:([A-Za-z]+):/, 'alert:$1Unconfirmed:');
}

/** Markers a run left in `sending`: the email may or may not have gone out. */
export function uncertainSends(markers: Record<string, Marker | undefined>): Array<{ key: string; marker: Marker }> {
  return Object.entries(markers)
    .filter((e): e is [string, Marker] => e[1]?.state === 'sending')
    .map(([key, marker]) => ({ key, marker }));
}

/** Marker keys older than `keepDays` before `today`, to delete. */
export function staleMarkerKeys(keys: string[], today: LocalDate, keepDays: number): string[] {
  const limit = new Date(Date.parse(`${today}T00:00:00Z`) - keepDays * 86_400_000).toISOString().slice(0, 10);
  return keys.filter((k) => {
    // A per-recipient marker carries the address after the day (see markerKey).
    const m = /^(?:sched|alert):[A-Za-z]+:(\d{4}-\d{2}-\d{2})(?::[^:]+)?$/.exec(k);
    return m !== null && m[1] < limit;
  });
}

export function describeMarker(m: Marker | undefined, tz: string): string {
  if (!m) return 'ещё не запускалось сегодня';
  const when = formatRuDateTime(m.at, tz);
  switch (m.state) {
    case 'done': return `выполнено ${when}${m.late ? ' (с опозданием)' : ''}`;
    case 'sending': return `отправка начата ${when} и не подтверждена — проверьте почту`;
    case 'failed': return `ошибка ${when} (попыток: ${m.attempts}, следующая — ${formatRuDateTime(retryAt(m), tz)}): ${m.message ?? ''}`;
    case 'deferred': return `отложено ${when}: ${m.message ?? ''}`;
    case 'missed': return `не отправлено (время прошло, администратор предупреждён ${when})`;
  }
}
