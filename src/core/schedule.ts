// What the 5-minute tick must do now. Apps Script clock triggers are imprecise, so the tick runs
// often and decides itself: a job is due once its Moscow slot has passed and its per-day marker is
// not final. Pure: markers and settings come in, decisions go out.
import { formatRuDateTime, toLocalDate, zonedParts, type LocalDate } from './dates';
import type { Settings, TimeOfDay } from './settings';

export type JobId =
  | 'secretaryReport'
  | 'headOfSalesReport'
  | 'sweep'
  | 'partners'
  | 'funnel'
  | 'invoices';

export interface JobSpec {
  id: JobId;
  title: string;
  /** An email: sent at most once per day, marked before and after sending. */
  email: boolean;
  slot(settings: Settings): TimeOfDay;
}

/** Daily maintenance runs before the working day. */
export const MAINTENANCE_TIME: TimeOfDay = { hour: 6, minute: 0 };

export const JOBS: readonly JobSpec[] = [
  { id: 'sweep', title: '«Ожидание» и журнал', email: false, slot: () => MAINTENANCE_TIME },
  { id: 'invoices', title: 'Статусы счетов', email: false, slot: () => MAINTENANCE_TIME },
  { id: 'partners', title: 'Таблицы партнёров', email: false, slot: () => MAINTENANCE_TIME },
  { id: 'funnel', title: 'Воронка', email: false, slot: () => MAINTENANCE_TIME },
  { id: 'secretaryReport', title: 'Отчёт секретаря (11:00)', email: true, slot: (s) => s.secretaryReportTime },
  { id: 'headOfSalesReport', title: 'Отчёт РОП (19:45)', email: true, slot: (s) => s.headOfSalesReportTime },
];

/**
 * A day's marker. `sending` is written right before an email goes out and `done` right after:
 * a run killed in between leaves `sending`, and that email is NOT sent again automatically
 * (a duplicate to leadership is worse than asking the admin to check) — the admin is alerted.
 */
export type MarkerState = 'sending' | 'done' | 'failed' | 'deferred';

export interface Marker {
  state: MarkerState;
  /** When the state was written (ms). */
  at: number;
  attempts: number;
  late?: boolean;
  message?: string;
}

export const markerKey = (job: JobId, day: LocalDate) => `sched:${job}:${day}`;

export interface DueJob {
  spec: JobSpec;
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
 * Jobs due at `now` (Moscow): slot passed today, no final marker for today, and a failed one's backoff
 * over. Emails first: one never waits behind a long maintenance retry (the tick has a time budget).
 */
export function dueJobs(now: Date | number, tz: string, settings: Settings, markers: Record<string, Marker | undefined>): DueJob[] {
  const p = zonedParts(now, tz);
  const day = toLocalDate(now, tz);
  const nowMs = typeof now === 'number' ? now : now.getTime();
  const minuteNow = p.hour * 60 + p.minute;
  const due: DueJob[] = [];
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
    const m = /^(?:sched|alert):[A-Za-z]+:(\d{4}-\d{2}-\d{2})$/.exec(k);
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
  }
}
