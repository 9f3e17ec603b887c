// The «Аналитика» part of the 19:45 head-of-sales email (SPEC §3.4), from the same reading as «Воронка».
import type { LocalDate } from '../dates';
import { cellText, roundCents } from '../analytics/cells';
import { nameKey } from '../analytics/promo-code';
import { ACTIVITY_STAGE_KEYS, STAGE_KEYS } from '../analytics/stages';
import type { AnalyticsKey, AnalyticsRow } from '../analytics/types';
import { isDate } from '../text';
import { dayOfInstant, dayOfLocal, localOfDay, NO_DAY, type Day } from './day';
import { hasStage, LeadDayReader, newLeadDays, PAID, readAmount, WAITING } from './lead';
import { periodRange, resolveToday } from './period';

export interface StaleManager {
  manager: string;
  /** Newest day the manager touched «Аналитика»; null when none of their rows says. */
  lastUpdate: LocalDate | null;
  /** Whole Moscow days since lastUpdate; null with lastUpdate. */
  daysSince: number | null;
}

export interface TelegramFunnelSummary {
  today: LocalDate;
  /** Leads whose «Дата первого взаимодействия» is today. */
  newLeadsToday: number;
  /** Leads whose «Оплата» date is today; sum of their «Оплаченная сумма» (cents). */
  paidToday: { count: number; sum: number };
  /** Leads whose current stage (latest stage date) is «Ожидание». */
  waitingNow: number;
  /** The «30 дней» cohort: paid / leads; rate null when there are no leads. */
  conversion30d: { leads: number; paid: number; rate: number | null };
  /** Most days without an update first; managers with no dated row at all come first. */
  staleManagers: StaleManager[];
}

export interface SummaryOptions {
  /** A manager is stale after this many days without an update (default 3, from Настройки). */
  staleDays?: number;
  /**
   * Managers from «Справочники». Listed managers without a single row are reported as stale (they have
   * never filled in «Аналитика»); without the list only managers seen in rows are checked.
   */
  managers?: readonly string[];
}

interface ManagerTouch {
  label: string;
  /** Newest «Обновлено» instant (converted to a date once, at the end). */
  updatedMs: number;
  /** Newest fallback day from rows without «Обновлено»; NO_DAY when none. */
  fallback: Day;
}

const ACTIVITY_INDEX: readonly number[] = ACTIVITY_STAGE_KEYS.map((k) => STAGE_KEYS.indexOf(k));

/**
 * The only columns telegramFunnelSummary reads. A row whose other columns alone are filled would count
 * as a lead, but with no first contact, stage or manager it adds to no figure, so leaving those columns
 * unread gives the same summary (test/funnel/summary.test.ts proves it on a full sheet).
 */
export const SUMMARY_KEYS: readonly AnalyticsKey[] = ['firstContactDate', 'manager', ...STAGE_KEYS, 'lastContact', 'paidAmount', 'updatedAt'];

/**
 * Compact funnel numbers for the 19:45 email. A row's last touch is its «Обновлено», or when empty the
 * newest of its stage dates (except «Ожидание», which the script writes) and «Последний контакт»; a
 * manager's last touch is the newest over their rows.
 */
export function telegramFunnelSummary(
  rows: readonly AnalyticsRow[], today: LocalDate | Date, tz: string, opts: SummaryOptions = {},
): TelegramFunnelSummary {
  const todayDate = resolveToday(today, tz);
  const staleDays = opts.staleDays ?? 3;
  const cohort = periodRange('30 дней', todayDate);
  const reader = new LeadDayReader(todayDate, tz);
  const facts = newLeadDays();
  // Compared as day numbers: no date string per cell.
  const todayDay = reader.today;
  const cohortFrom = cohort === null ? -Infinity : dayOfLocal(cohort.from);
  const cohortTo = cohort === null ? Infinity : dayOfLocal(cohort.to);
  let newLeadsToday = 0;
  let paidCount = 0;
  let paidSum = 0;
  let waitingNow = 0;
  let cohortLeads = 0;
  let cohortPaid = 0;
  const touches = new Map<string, ManagerTouch>();
  // The oldest activity of the whole table (see newTable below).
  let firstUpdatedMs = Infinity;
  let firstFallback: Day = Infinity;
  // A prototype-free object, not a Map: V8 looks a string key up in it faster than Map.get does.
  const touchByRaw: Record<string, ManagerTouch | null | undefined> = Object.create(null);

  const touchOf = (raw: string): ManagerTouch | null => {
    let touch = touchByRaw[raw];
    if (touch !== undefined) return touch;
    const label = raw.trim();
    if (label === '') touch = null;
    else {
      const key = nameKey(label);
      touch = touches.get(key) ?? { label, updatedMs: -Infinity, fallback: NO_DAY };
      touches.set(key, touch);
    }
    touchByRaw[raw] = touch;
    return touch;
  };
  for (const m of opts.managers ?? []) touchOf(m);

  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!reader.read(row, facts)) continue;
    if (facts.firstContact === todayDay) newLeadsToday++;
    if (facts.days[PAID] === todayDay) {
      paidCount++;
      const amount = readAmount(row.paidAmount);
      if (amount !== null) paidSum += amount;
    }
    if (facts.current === WAITING) waitingNow++;
    if (facts.firstContact >= cohortFrom && facts.firstContact <= cohortTo) {
      cohortLeads++;
      if (hasStage(facts, PAID)) cohortPaid++;
    }

    const manager = row.manager;
    const touch = touchOf(typeof manager === 'string' ? manager : cellText(manager));
    if (touch === null) continue;
    const updated = row.updatedAt;
    if (typeof updated === 'object' && isDate(updated)) {
      if (updated.getTime() > touch.updatedMs) touch.updatedMs = updated.getTime();
      if (updated.getTime() < firstUpdatedMs) firstUpdatedMs = updated.getTime();
      continue;
    }
    // A typed «Обновлено» (the column is the script's, but a pasted table may hold text) before the fallback.
    let newest = typeof updated === 'string' ? reader.day(updated, false) : NO_DAY;
    if (newest === NO_DAY) {
      newest = reader.day(row.lastContact, true);
      for (let k = 0; k < ACTIVITY_INDEX.length; k++) newest = Math.max(newest, facts.days[ACTIVITY_INDEX[k]]);
    }
    if (newest === NO_DAY) continue;
    if (newest > touch.fallback) touch.fallback = newest;
    if (newest < firstFallback) firstFallback = newest;
  }
  // A manager without a single row is «ни разу» only once the table has been in use for staleDays: on the
  // first days after deployment every manager added that morning would be flagged.
  let inUseSince = firstFallback;
  if (firstUpdatedMs < Infinity) inUseSince = Math.min(inUseSince, dayOfInstant(firstUpdatedMs, tz));
  const newTable = inUseSince === Infinity || todayDay - inUseSince < staleDays;

  const staleManagers: StaleManager[] = [];
  for (const touch of touches.values()) {
    let last = touch.fallback;
    if (touch.updatedMs > -Infinity) last = Math.max(last, dayOfInstant(touch.updatedMs, tz));
    const daysSince = last === NO_DAY ? null : todayDay - last;
    if ((daysSince === null && !newTable) || (daysSince !== null && daysSince >= staleDays)) {
      staleManagers.push({ manager: touch.label, lastUpdate: last === NO_DAY ? null : localOfDay(last), daysSince });
    }
  }
  staleManagers.sort((a, b) =>
    (b.daysSince ?? Infinity) - (a.daysSince ?? Infinity) || (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0));

  return {
    today: todayDate, newLeadsToday, paidToday: { count: paidCount, sum: roundCents(paidSum) }, waitingNow,
    conversion30d: { leads: cohortLeads, paid: cohortPaid, rate: cohortLeads > 0 ? cohortPaid / cohortLeads : null },
    staleManagers,
  };
}
