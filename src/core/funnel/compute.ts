// Funnel maths for «Воронка» (SPEC §3.5): one pass over «Аналитика» rows, then small per-group totals.
import type { LocalDate } from '../dates';
import { cellText, roundCents } from '../analytics/cells';
import { foldPromoCode, nameKey } from '../analytics/promo-code';
import { headerOf, type StageKey } from '../analytics/stages';
import type { AnalyticsKey, AnalyticsRow } from '../analytics/types';
import { dayOfLocal, NO_DAY } from './day';
import {
  deepestMainOf, hasStage, LEAD_KEYS, LeadDayReader, MAIN_STAGE_INDEX, MAIN_STAGE_KEYS, newLeadDays, PAID, readAmount, REFUSED,
  SIDE_STAGE_INDEX, SIDE_STAGE_KEYS, STAGE_COUNT,
} from './lead';
import { funnelText } from './messages';
import { periodRange, resolveToday, type FunnelPeriod, type PeriodRange } from './period';

export interface MainStageStat {
  key: StageKey;
  name: string;
  /** The stage cell is set. */
  reached: number;
  /** Reached this stage or any later stage of the main path (a skipped stage still counts as passed). */
  cumulative: number;
  /** The stage is the lead's current stage. */
  current: number;
  /** cumulative / cumulative of «Первичный контакт»; null when that is 0. */
  fromFirst: number | null;
  /** cumulative / cumulative of the previous main stage; null for the first stage or a 0 denominator. */
  fromPrevious: number | null;
}

export interface SideStageStat {
  key: StageKey;
  name: string;
  reached: number;
  current: number;
}

export interface BreakdownRow {
  /** As first typed in the sheet (trimmed); «(не указан)» for an empty cell. */
  label: string;
  /** Leads in the cohort with this value; for managers, the leads taken in work (seed 000). */
  leads: number;
  /** Leads with «Оплата» set. */
  paid: number;
  refused: number;
  /** paid / leads; null when there are no leads. */
  conversion: number | null;
  /** Sum of «Оплаченная сумма» over paid leads, rounded to cents. */
  revenue: number;
  /** Paid leads whose amount reads as a number > 0. */
  paidWithAmount: number;
  /** revenue / paidWithAmount; null when no paid lead has an amount. */
  averageCheck: number | null;
}

export interface ReasonRow {
  /** «(не указан)» when «Отказ» is set without a reason. */
  reason: string;
  count: number;
  /** count / refused leads. */
  share: number;
}

export const BREAKDOWN_KEYS = ['trafficSource', 'plan', 'manager', 'partner', 'promoCode'] as const;

/**
 * The columns computeFunnel needs from «Аналитика»: those that make a row a lead (counted, if undated,
 * under «Всё время»), which hold the breakdowns, amounts and stages too. 19 of the 31 columns (it was
 * every column a manager types, 25): a redraw at 100,000 leads moves 600,000 cells fewer. The script's
 * own columns are never read.
 */
export const FUNNEL_KEYS: readonly AnalyticsKey[] = LEAD_KEYS;
export type BreakdownKey = (typeof BREAKDOWN_KEYS)[number];

export interface FunnelResult {
  period: FunnelPeriod;
  /** null for «Всё время». */
  range: PeriodRange | null;
  today: LocalDate;
  /** Leads in the cohort (non-empty rows). */
  leads: number;
  /** Leads without a readable «Дата первого взаимодействия» in the whole sheet (they count only in «Всё время»). */
  undatedLeads: number;
  /** Totals of the whole cohort, with the same meaning as a breakdown row. */
  total: BreakdownRow;
  main: MainStageStat[];
  side: SideStageStat[];
  /** Leads without any readable stage date (no current stage). */
  noStage: number;
  breakdowns: Record<BreakdownKey, BreakdownRow[]>;
  /** Most frequent first; at most `maxReasons` rows, the rest folded into «Прочие (N)». */
  refusalReasons: ReasonRow[];
}

export interface FunnelOptions {
  /** Rows per breakdown table before the rest is folded into «Прочие (N)» (default 30). */
  maxBreakdownRows?: number;
  /** Refusal reasons shown (default 10). */
  maxReasons?: number;
}

interface Group {
  label: string;
  leads: number;
  paid: number;
  refused: number;
  revenue: number;
  paidWithAmount: number;
}

const newGroup = (label: string): Group => ({ label, leads: 0, paid: 0, refused: 0, revenue: 0, paidWithAmount: 0 });

/**
 * Groups rows by a text column. Keys fold case, spaces and ё (names) or look-alike letters (promo codes),
 * so «Гугл» and «гугл » are one group, shown as first typed. Raw cell text is memoised first: a sheet
 * repeats a handful of values on every row.
 */
class Grouping {
  // A prototype-free object, not a Map: V8 looks a string key up in it faster than Map.get does.
  private readonly byRaw: Record<string, Group | undefined> = Object.create(null);
  private readonly byKey = new Map<string, Group>();
  constructor(private readonly fold: (text: string) => string) {}

  get(value: AnalyticsRow[AnalyticsKey] | undefined): Group {
    const raw = typeof value === 'string' ? value : cellText(value);
    let group = this.byRaw[raw];
    if (group !== undefined) return group;
    const text = raw.trim();
    const key = text === '' ? '' : this.fold(text);
    group = this.byKey.get(key);
    if (group === undefined) {
      group = newGroup(key === '' ? funnelText.notSpecified : text);
      this.byKey.set(key, group);
    }
    this.byRaw[raw] = group;
    return group;
  }

  groups(): Group[] {
    return [...this.byKey.values()];
  }
}

const FOLD: Record<BreakdownKey, (text: string) => string> = {
  trafficSource: nameKey, plan: nameKey, manager: nameKey, partner: nameKey, promoCode: foldPromoCode,
};

/** The breakdown cells of a row (by BREAKDOWN_KEYS index), read by name rather than by a keyed read each. */
const breakdownValues: Array<AnalyticsRow[AnalyticsKey] | undefined> = BREAKDOWN_KEYS.map(() => undefined);
function readBreakdownsByName(r: AnalyticsRow): void {
  breakdownValues[0] = r.trafficSource;
  breakdownValues[1] = r.plan;
  breakdownValues[2] = r.manager;
  breakdownValues[3] = r.partner;
  breakdownValues[4] = r.promoCode;
}
const readBreakdowns: (row: AnalyticsRow) => void = BREAKDOWN_KEYS.join() === 'trafficSource,plan,manager,partner,promoCode'
  ? readBreakdownsByName
  : (row) => BREAKDOWN_KEYS.forEach((key, k) => { breakdownValues[k] = row[key]; });

const ratio = (part: number, whole: number): number | null => (whole > 0 ? part / whole : null);

function toRow(g: Group): BreakdownRow {
  const revenue = roundCents(g.revenue);
  return {
    label: g.label, leads: g.leads, paid: g.paid, refused: g.refused, conversion: ratio(g.paid, g.leads),
    revenue, paidWithAmount: g.paidWithAmount,
    averageCheck: g.paidWithAmount > 0 ? roundCents(revenue / g.paidWithAmount) : null,
  };
}

/** Most leads first, then most paid, then by name; «(не указан)» last. Overflow folds into «Прочие». */
function rankGroups(groups: Group[], max: number): BreakdownRow[] {
  const unspecified = groups.filter((g) => g.label === funnelText.notSpecified);
  const named = groups.filter((g) => g.label !== funnelText.notSpecified);
  named.sort((a, b) => b.leads - a.leads || b.paid - a.paid || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  let shown = named;
  if (named.length + unspecified.length > max) {
    const keep = Math.max(0, max - 1 - unspecified.length);
    const rest = named.slice(keep);
    const others = newGroup(funnelText.others(rest.length));
    for (const g of rest) {
      others.leads += g.leads;
      others.paid += g.paid;
      others.refused += g.refused;
      others.revenue += g.revenue;
      others.paidWithAmount += g.paidWithAmount;
    }
    shown = [...named.slice(0, keep), others];
  }
  return [...shown, ...unspecified].map(toRow);
}

/**
 * The funnel of the cohort chosen by `period` (by «Дата первого взаимодействия», Moscow dates). Rows with
 * nothing a manager types are skipped. `today` may be an instant; it is read as a date in `tz`.
 */
export function computeFunnel(
  rows: readonly AnalyticsRow[], period: FunnelPeriod, today: LocalDate | Date, tz: string, opts: FunnelOptions = {},
): FunnelResult {
  const todayDate = resolveToday(today, tz);
  const range = periodRange(period, todayDate);
  const reader = new LeadDayReader(todayDate, tz);
  const facts = newLeadDays();
  // The cohort as day numbers (inPeriod's test); every lead for «Всё время», undated ones too.
  const fromDay = range === null ? -Infinity : dayOfLocal(range.from);
  const toDay = range === null ? Infinity : dayOfLocal(range.to);

  // Leads per set of reached stages (a bit mask, 2^STAGE_COUNT of them): split into stages once, after the
  // loop, rather than testing every stage bit of every row.
  const byReached = new Array<number>(1 << STAGE_COUNT).fill(0);
  const current = new Array<number>(STAGE_COUNT).fill(0);
  let noStage = 0;
  let undated = 0;
  const total = newGroup('');
  const groupings = {} as Record<BreakdownKey, Grouping>;
  for (const key of BREAKDOWN_KEYS) groupings[key] = new Grouping(FOLD[key]);
  const groupingList = BREAKDOWN_KEYS.map((key) => groupings[key]);
  const reasons = new Grouping(nameKey);
  let refusedLeads = 0;
  const touched: Group[] = new Array<Group>(BREAKDOWN_KEYS.length + 1);

  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    if (!reader.read(row, facts)) continue;
    if (facts.firstContact === NO_DAY) undated++;
    if (range !== null && !(facts.firstContact >= fromDay && facts.firstContact <= toDay)) continue;

    byReached[facts.reached]++;
    if (facts.current >= 0) current[facts.current]++;
    else noStage++;

    const paid = hasStage(facts, PAID);
    const refused = hasStage(facts, REFUSED);
    let amount = 0;
    let hasAmount = false;
    if (paid) {
      const paidAmount = readAmount(row.paidAmount);
      if (paidAmount !== null) {
        amount = paidAmount;
        hasAmount = true;
      }
    }
    touched[0] = total;
    readBreakdowns(row);
    for (let k = 0; k < groupingList.length; k++) touched[k + 1] = groupingList[k].get(breakdownValues[k]);
    for (let k = 0; k < touched.length; k++) {
      const g = touched[k];
      g.leads++;
      if (paid) g.paid++;
      if (refused) g.refused++;
      if (hasAmount) {
        g.revenue += amount;
        g.paidWithAmount++;
      }
    }
    if (refused) {
      refusedLeads++;
      reasons.get(row.refusalReason).leads++;
    }
  }

  const reached = new Array<number>(STAGE_COUNT).fill(0);
  const deepest = new Array<number>(MAIN_STAGE_INDEX.length).fill(0);
  for (let mask = 0; mask < byReached.length; mask++) {
    const n = byReached[mask];
    if (n === 0) continue;
    for (let i = 0; i < STAGE_COUNT; i++) if (mask & (1 << i)) reached[i] += n;
    const p = deepestMainOf(mask);
    if (p >= 0) deepest[p] += n;
  }
  // Cumulative: a lead counts at its furthest main stage and at every main stage before it.
  const cumulative = new Array<number>(deepest.length).fill(0);
  let running = 0;
  for (let p = deepest.length - 1; p >= 0; p--) {
    running += deepest[p];
    cumulative[p] = running;
  }
  const main: MainStageStat[] = MAIN_STAGE_KEYS.map((key, p) => ({
    key, name: headerOf(key), reached: reached[MAIN_STAGE_INDEX[p]], cumulative: cumulative[p],
    current: current[MAIN_STAGE_INDEX[p]],
    fromFirst: ratio(cumulative[p], cumulative[0]),
    fromPrevious: p === 0 ? null : ratio(cumulative[p], cumulative[p - 1]),
  }));
  const side: SideStageStat[] = SIDE_STAGE_KEYS.map((key, s) => ({
    key, name: headerOf(key), reached: reached[SIDE_STAGE_INDEX[s]], current: current[SIDE_STAGE_INDEX[s]],
  }));

  const maxRows = Math.max(1, opts.maxBreakdownRows ?? 30);
  const breakdowns = {} as Record<BreakdownKey, BreakdownRow[]>;
  for (const key of BREAKDOWN_KEYS) breakdowns[key] = rankGroups(groupings[key].groups(), maxRows);
  const refusalReasons = rankGroups(reasons.groups(), Math.max(1, opts.maxReasons ?? 10))
    .map((g) => ({ reason: g.label, count: g.leads, share: refusedLeads > 0 ? g.leads / refusedLeads : 0 }));

  return {
    period, range, today: todayDate, leads: total.leads, undatedLeads: undated, total: toRow(total), main, side,
    noStage, breakdowns, refusalReasons,
  };
}
