// The «Аналитика» part of the 19:45 head-of-sales email (SPEC §3.4), from the same reading as «Воронка».
import { daysBetween, type LocalDate } from '../dates';
import { cellText, readAmountCell, roundCents } from '../analytics/cells';
import { nameKey } from '../analytics/promo-code';
import { ACTIVITY_STAGE_KEYS, STAGE_KEYS } from '../analytics/stages';
import type { AnalyticsKey, AnalyticsRow } from '../analytics/types';
import { isDate } from '../text';
import { hasStage, leadReader, newLeadFacts, PAID, WAITING } from './lead';
import { inPeriod, periodRange, resolveToday } from './period';

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
  /** Newest fallback date from rows without «Обновлено». */
  fallback: LocalDate | null;
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
  const reader = leadReader(todayDate, tz);
  const facts = newLeadFacts();
  let newLeadsToday = 0;
  let paidCount = 0;
  let paidSum = 0;
  let waitingNow = 0;
  let cohortLeads = 0;
  let cohortPaid = 0;
  const touches = new Map<string, ManagerTouch>();
  // The oldest activity of the whole table (see newTable below).
  let firstUpdatedMs = Infinity;
  let firstFallback: LocalDate | null = null;
  const touchByRaw = new Map<string, ManagerTouch | null>();

  const touchOf = (raw: string): ManagerTouch | null => {
    let touch = touchByRaw.get(raw);
    if (touch !== undefined) return touch;
    const label = raw.trim();
    if (label === '') touch = null;
    else {
      const key = nameKey(label);
      touch = touches.get(key) ?? { label, updatedMs: -Infinity, fallback: null };
      touches.set(key, touch);
    }
    touchByRaw.set(raw, touch);
    return touch;
  };
  for (const m of opts.managers ?? []) touchOf(m);

  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!reader.read(row, facts)) continue;
    if (facts.firstContact === todayDate) newLeadsToday++;
    if (facts.dates[PAID] === todayDate) {
      paidCount++;
      const amount = readAmountCell(row.paidAmount);
      if (amount.kind === 'amount') paidSum += amount.amount;
    }
    if (facts.current === WAITING) waitingNow++;
    if (inPeriod(facts.firstContact, cohort)) {
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
    let newest = typeof updated === 'string' ? reader.date(updated, false) : null;
    if (newest === null) {
      newest = reader.date(row.lastContact, true);
      for (const i of ACTIVITY_INDEX) {
        const d = facts.dates[i];
        if (d !== null && (newest === null || d > newest)) newest = d;
      }
    }
    if (newest !== null && (touch.fallback === null || newest > touch.fallback)) touch.fallback = newest;
    if (newest !== null && (firstFallback === null || newest < firstFallback)) firstFallback = newest;
  }
  // A manager without a single row is «ни разу» only once the table has been in use for staleDays: on the
  // first days after deployment every manager added that morning would be flagged.
  let inUseSince = firstFallback;
  if (firstUpdatedMs < Infinity) {
    const first = reader.date(new Date(firstUpdatedMs), false);
    if (first !== null && (inUseSince === null || first < inUseSince)) inUseSince = first;
  }
  const newTable = inUseSince === null || daysBetween(inUseSince, todayDate) < staleDays;

  const staleManagers: StaleManager[] = [];
  for (const touch of touches.values()) {
    let last = touch.fallback;
    if (touch.updatedMs > -Infinity) {
      const updated = reader.date(new Date(touch.updatedMs), false);
      if (updated !== null && (last === null || updated > last)) last = updated;
    }
    const daysSince = last === null ? null : daysBetween(last, todayDate);
    if ((daysSince === null && !newTable) || (daysSince !== null && daysSince >= staleDays)) staleManagers.push({ manager: touch.label, lastUpdate: last, daysSince });
  }
  staleManagers.sort((a, b) =>
    (b.daysSince ?? Infinity) - (a.daysSince ?? Infinity) || (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0));

  return {
    today: todayDate, newLeadsToday, paidToday: { count: paidCount, sum: roundCents(paidSum) }, waitingNow,
    conversion30d: { leads: cohortLeads, paid: cohortPaid, rate: cohortLeads > 0 ? cohortPaid / cohortLeads : null },
    staleManagers,
  };
}
