// Per-manager results of the 19:45 email (SPEC §3.6, seeds 000 and 003): the leads each manager took and
// how many paid — «Конверсия лидов», paid ÷ taken, by first-contact cohort as on «Воронка» — today, over
// 30 days and this month; the average check; refusals by reason; how many leads wait or are stuck; and the
// commission on paid invoices («Счета») and paid leads («Аналитика») today and since the 1st, each manager
// at their own rate from «Менеджеры» or the default of «Настройки». Leads and invoices without a manager
// are counted under «Без менеджера», never dropped.
import { addDays, startOfMonth, type LocalDate } from '../dates';
import { cellText, readAmountCell, roundCents } from '../analytics/cells';
import { STAGE_KEYS } from '../analytics/stages';
import { stuckSince, type StuckSettings } from '../analytics/stuck';
import type { AnalyticsKey, AnalyticsRow } from '../analytics/types';
import { hasStage, leadReader, newLeadFacts, PAID, REFUSED, WAITING } from '../funnel/lead';
import { SUMMARY_KEYS } from '../funnel/summary';
import { commissionOn, commissionRate, type CommissionRate, type ManagerDirectory } from '../managers';
import { headerKey } from '../text';
import { REFUSAL_REASONS } from '../../../sheets-templates/lists';
import { isPaidInFull } from './invoice';
import { rmsg } from './messages';
import type { Invoice } from './types';

/** The «Аналитика» columns the results read: the 19:45 summary's plus the refusal reason. */
export const RESULT_KEYS: readonly AnalyticsKey[] = [...new Set<AnalyticsKey>([...SUMMARY_KEYS, 'refusalReason'])];

export interface LeadPeriod {
  /** Leads whose «Дата первого взаимодействия» falls in the period. */
  taken: number;
  /** Of those, the ones with «Оплата» set. */
  paid: number;
  /** paid ÷ taken; null when none were taken. */
  conversion: number | null;
}

export interface CommissionPart {
  /** Invoices of «Счета» that became fully paid (by «Дата оплаты»). */
  invoices: number;
  /** Leads of «Аналитика» with «Оплата» in the period. */
  leads: number;
  /** The paid amounts the percent applies to. */
  base: number;
  amount: number;
}

export interface ManagerResult {
  manager: string;
  /** True for the «Без менеджера» line. */
  unassigned: boolean;
  today: LeadPeriod;
  days30: LeadPeriod;
  month: LeadPeriod;
  /** Lead payments with «Оплата» in the last 30 days and their amounts (only readable amounts count). */
  payments30: { count: number; withAmount: number; sum: number };
  /** sum ÷ payments with an amount; null without any. */
  averageCheck30: number | null;
  /** Refusals with «Отказ» in the last 30 days, by reason, most frequent first. */
  refusals30: Array<{ reason: string; count: number }>;
  /** Open leads whose current stage is «Ожидание». */
  waiting: number;
  /** Open leads «Подвисла». */
  stuck: number;
  rate: CommissionRate;
  commissionToday: CommissionPart;
  commissionMonth: CommissionPart;
}

export interface ManagerResults {
  day: LocalDate;
  monthStart: LocalDate;
  managers: ManagerResult[];
  /** The same figures over everyone. */
  totals: Omit<ManagerResult, 'manager' | 'unassigned' | 'rate' | 'refusals30'>;
  /** Active managers of «Менеджеры» without a usable address, and managers with leads who are not listed there. */
  noEmail: string[];
  commissionDefaults: { percent: number; fixed: number };
  /** «Дней до «Подвисла»», for the wording. */
  stuckDays: number;
}

export interface ManagerResultsInput {
  /** «Аналитика» rows (at least RESULT_KEYS). */
  leads: readonly AnalyticsRow[];
  invoices: readonly Invoice[];
  directory: ManagerDirectory;
  commission: { percent: number; fixed: number };
  stuck: StuckSettings;
  day: LocalDate;
  tz: string;
}

const emptyPeriod = (): LeadPeriod => ({ taken: 0, paid: 0, conversion: null });
const emptyPart = (): CommissionPart => ({ invoices: 0, leads: 0, base: 0, amount: 0 });

interface Acc {
  label: string;
  today: LeadPeriod;
  days30: LeadPeriod;
  month: LeadPeriod;
  payments30: { count: number; withAmount: number; sum: number };
  refusals: Map<string, { reason: string; count: number }>;
  waiting: number;
  stuck: number;
  commissionToday: CommissionPart;
  commissionMonth: CommissionPart;
  /** Seen in a row of the last 30 days (or an open lead): expected to get the morning email. */
  recent: boolean;
}

const NO_MANAGER = '\u0000';
const REASON_BY_KEY = new Map<string, string>(REFUSAL_REASONS.map((r) => [headerKey(r), r]));

export function computeManagerResults(input: ManagerResultsInput): ManagerResults {
  const { day, tz } = input;
  const from30 = addDays(day, -29);
  const monthStart = startOfMonth(day);
  const earliest = from30 < monthStart ? from30 : monthStart;
  const accs = new Map<string, Acc>();
  const labelOf = new Map<string, string>();
  for (const e of input.directory.entries) labelOf.set(e.key, e.name);
  const acc = (raw: string): Acc => {
    const key = headerKey(raw) || NO_MANAGER;
    let a = accs.get(key);
    if (!a) {
      const label = key === NO_MANAGER ? rmsg.managerMissing : labelOf.get(key) ?? raw.trim().replace(/\s+/g, ' ');
      a = {
        label, today: emptyPeriod(), days30: emptyPeriod(), month: emptyPeriod(), payments30: { count: 0, withAmount: 0, sum: 0 },
        refusals: new Map(), waiting: 0, stuck: 0, commissionToday: emptyPart(), commissionMonth: emptyPart(), recent: false,
      };
      accs.set(key, a);
    }
    return a;
  };
  const rateCache = new Map<string, CommissionRate>();
  const rateOf = (a: Acc, key: string) => {
    let r = rateCache.get(key);
    if (!r) rateCache.set(key, (r = commissionRate(input.directory, key === NO_MANAGER ? '' : a.label, input.commission)));
    return r;
  };
  const credit = (part: CommissionPart, amount: number, rate: CommissionRate, kind: 'invoices' | 'leads') => {
    part[kind]++;
    part.base += amount;
    part.amount += commissionOn(amount, rate);
  };

  const reader = leadReader(day, tz);
  const facts = newLeadFacts();
  const stageDates: Partial<Record<(typeof STAGE_KEYS)[number], LocalDate>> = {};
  for (const row of input.leads) {
    if (!reader.read(row, facts)) continue;
    const managerText = cellText(row.manager);
    const a = acc(managerText);
    const key = headerKey(managerText) || NO_MANAGER;
    const first = facts.firstContact;
    const paid = hasStage(facts, PAID);
    const refused = hasStage(facts, REFUSED);
    const count = (p: LeadPeriod) => { p.taken++; if (paid) p.paid++; };
    if (first !== null && first <= day) {
      if (first === day) count(a.today);
      if (first >= from30) count(a.days30);
      if (first >= monthStart) count(a.month);
      if (first >= from30) a.recent = true;
    }
    if (!paid && !refused) {
      a.recent = true;
      if (facts.current === WAITING) a.waiting++;
      for (let i = 0; i < STAGE_KEYS.length; i++) {
        const d = facts.dates[i];
        if (d === null) delete stageDates[STAGE_KEYS[i]]; else stageDates[STAGE_KEYS[i]] = d;
      }
      if (stuckSince(stageDates, false, day, input.stuck) !== null) a.stuck++;
    }
    const paidOn = facts.dates[PAID];
    if (paidOn !== null && paidOn <= day && paidOn >= earliest) {
      const amount = readAmountCell(row.paidAmount);
      const sum = amount.kind === 'amount' ? amount.amount : 0;
      if (paidOn >= from30) {
        a.payments30.count++;
        if (amount.kind === 'amount') { a.payments30.withAmount++; a.payments30.sum += sum; }
      }
      const rate = rateOf(a, key);
      if (paidOn === day) credit(a.commissionToday, sum, rate, 'leads');
      if (paidOn >= monthStart) credit(a.commissionMonth, sum, rate, 'leads');
    }
    const refusedOn = facts.dates[REFUSED];
    if (refused && refusedOn !== null && refusedOn >= from30 && refusedOn <= day) {
      const typed = cellText(row.refusalReason).replace(/\s+/g, ' ');
      const reason = typed === '' ? rmsg.reasonMissing : REASON_BY_KEY.get(headerKey(typed)) ?? typed;
      const rk = headerKey(reason);
      const r = a.refusals.get(rk);
      if (r) r.count++; else a.refusals.set(rk, { reason, count: 1 });
    }
  }

  for (const inv of input.invoices) {
    if (inv.paymentDate === null || inv.paymentDate > day || inv.paymentDate < monthStart || !isPaidInFull(inv)) continue;
    const a = acc(inv.manager);
    const key = headerKey(inv.manager) || NO_MANAGER;
    const rate = rateOf(a, key);
    if (inv.paymentDate === day) credit(a.commissionToday, inv.amount, rate, 'invoices');
    credit(a.commissionMonth, inv.amount, rate, 'invoices');
  }

  // Order: «Менеджеры» as listed (inactive ones only when they have figures), others by name, «Без менеджера» last.
  const listed = input.directory.entries.map((e) => e.key);
  const hasFigures = (a: Acc) => a.days30.taken + a.month.taken + a.payments30.count + a.refusals.size + a.waiting + a.stuck
    + a.commissionMonth.invoices + a.commissionMonth.leads > 0;
  for (const e of input.directory.entries) if (e.active) acc(e.name);
  const others = [...accs.keys()].filter((k) => k !== NO_MANAGER && !listed.includes(k))
    .sort((x, y) => accs.get(x)!.label.localeCompare(accs.get(y)!.label, 'ru'));
  const order = [...listed.filter((k) => accs.has(k)), ...others, ...(accs.has(NO_MANAGER) ? [NO_MANAGER] : [])]
    .filter((k) => {
      const entry = input.directory.entries.find((e) => e.key === k);
      return (entry?.active ?? false) || hasFigures(accs.get(k)!);
    });

  const finishPeriod = (p: LeadPeriod) => { p.conversion = p.taken > 0 ? p.paid / p.taken : null; return p; };
  const finishPart = (p: CommissionPart) => { p.base = roundCents(p.base); p.amount = roundCents(p.amount); return p; };
  const managers: ManagerResult[] = order.map((k) => {
    const a = accs.get(k)!;
    return {
      manager: a.label,
      unassigned: k === NO_MANAGER,
      today: finishPeriod(a.today),
      days30: finishPeriod(a.days30),
      month: finishPeriod(a.month),
      payments30: { ...a.payments30, sum: roundCents(a.payments30.sum) },
      averageCheck30: a.payments30.withAmount > 0 ? roundCents(a.payments30.sum / a.payments30.withAmount) : null,
      refusals30: [...a.refusals.values()].sort((x, y) => y.count - x.count || x.reason.localeCompare(y.reason, 'ru')),
      waiting: a.waiting,
      stuck: a.stuck,
      rate: rateOf(a, k),
      commissionToday: finishPart(a.commissionToday),
      commissionMonth: finishPart(a.commissionMonth),
    };
  });

  const sumPeriod = (pick: (m: ManagerResult) => LeadPeriod) => finishPeriod(managers.reduce((t, m) => {
    t.taken += pick(m).taken; t.paid += pick(m).paid; return t;
  }, emptyPeriod()));
  const sumPart = (pick: (m: ManagerResult) => CommissionPart) => finishPart(managers.reduce((t, m) => {
    const p = pick(m); t.invoices += p.invoices; t.leads += p.leads; t.base += p.base; t.amount += p.amount; return t;
  }, emptyPart()));
  const payments30 = managers.reduce((t, m) => ({ count: t.count + m.payments30.count, withAmount: t.withAmount + m.payments30.withAmount, sum: t.sum + m.payments30.sum }), { count: 0, withAmount: 0, sum: 0 });
  const totals = {
    today: sumPeriod((m) => m.today), days30: sumPeriod((m) => m.days30), month: sumPeriod((m) => m.month),
    payments30: { ...payments30, sum: roundCents(payments30.sum) },
    averageCheck30: payments30.withAmount > 0 ? roundCents(payments30.sum / payments30.withAmount) : null,
    waiting: managers.reduce((t, m) => t + m.waiting, 0),
    stuck: managers.reduce((t, m) => t + m.stuck, 0),
    commissionToday: sumPart((m) => m.commissionToday),
    commissionMonth: sumPart((m) => m.commissionMonth),
  };

  const noEmail = [
    ...input.directory.entries.filter((e) => e.active && e.email === null).map((e) => e.name),
    ...others.filter((k) => accs.get(k)!.recent).map((k) => accs.get(k)!.label),
  ];
  return { day, monthStart, managers, totals, noEmail, commissionDefaults: input.commission, stuckDays: input.stuck.days };
}
