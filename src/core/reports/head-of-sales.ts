// The 19:45 head-of-sales summary (SPEC §3.4): today's «Звонки» and «Счета» per manager and channel,
// payments on earlier invoices, overdue invoices, who has not filled «Звонки», and the Telegram funnel.
import { addDays, daysBetween, toLocalDate, zonedParts, type LocalDate } from '../dates';
import type { Settings } from '../settings';
import { formatTimeOfDay } from '../settings';
import { isPaidInFull, readInvoice, statusByAge, type Invoice, type IssueAges } from './invoice';
import { rmsg } from './messages';
import { isBlank, NameBook, nameKey, readCount, readDay, readText, roundCents } from './read';
import { CALLS_HEADERS, CALLS_SHEET, INVOICE_CHANNELS, INVOICES_SHEET, INVOICE_STATUSES, type InvoiceStatus } from './sheets';
import { commissionOn, commissionRate, type ManagerDirectory } from '../managers';
import type { AnalyticsRow } from '../analytics/types';
import type { StuckSettings } from '../analytics/stuck';
import { computeManagerResults } from './manager-results';
import { percentOf } from './format';
import {
  CALLS_KEYS, type CallsRow, type ChannelDay, type HeadOfSalesReport, type InvoiceLine, type InvoiceRow, type ManagerDay,
  type TelegramFunnelSummary, type UnparsedRow,
} from './types';

/** Managers seen in «Звонки» / «Счета» over this many days (today included) are expected to report. */
export const MANAGER_LOOKBACK_DAYS = 14;

export type HeadOfSalesSettings = Pick<Settings,
  'callsDeadline' | 'invoiceOverdueDays' | 'managerCommissionPercent' | 'managerCommissionFixed' | 'staleAnalyticsDays'>;

export interface HeadOfSalesInput {
  calls: CallsRow[];
  invoices: InvoiceRow[];
  /** The «Справочники» managers list. */
  managers: string[];
  settings: HeadOfSalesSettings;
  /** From src/core/funnel `telegramFunnelSummary`; null when it could not be computed. */
  funnel: TelegramFunnelSummary | null;
  /** When the summary is made; it covers that Moscow day. */
  now: Date;
  tz: string;
  /** «Менеджеры»: own commission rates (and, with `leads`, who has no address). */
  directory?: ManagerDirectory;
  /** «Аналитика» rows (RESULT_KEYS) for the per-manager lead results; without them there are none. */
  leads?: readonly AnalyticsRow[];
  /** «Подвисла» settings for those results (default: 2 calendar days). */
  stuck?: StuckSettings;
  /**
   * When the previous summary was made (ms; default 24 h before `now`): a payment dated before today
   * but entered after it missed every summary so far and is listed as «внесено с опозданием».
   */
  lateEntriesSince?: number;
}

/** The day a 19:45 summary made at `now` covers: today in `tz`. */
export function headOfSalesReportDay(now: Date | number, tz: string): LocalDate {
  return toLocalDate(now, tz);
}

type Counters = Omit<ManagerDay, 'manager' | 'callsFilled'>;

function zeroCounters(): Counters {
  return {
    incomingCalls: 0, outgoingCalls: 0, mailRequests: 0, existingClientCalls: 0,
    issuedCount: 0, issuedSum: 0, paidCount: 0, paidSum: 0, issuedTodayPaidCount: 0, conversionPercent: null,
    fullyPaidCount: 0, fullyPaidSum: 0, commission: 0,
  };
}

/** Key of invoices with an empty «Менеджер»: they still count in the totals and by channel. */
const NO_MANAGER = '\u0000';

type Entry = { invoice: Invoice; key: string };

/**
 * The day's figures, gathered row by row from «Звонки» and «Счета». A class so that each row loop is a
 * method of its own (V8 optimises a long loop while it runs, one loop at a time) and no helper closure is
 * made anew for every report.
 */
class DayTally implements IssueAges {
  readonly names = new NameBook();
  readonly expected = new Set<string>();
  readonly unparsed: UnparsedRow[] = [];
  readonly perManager = new Map<string, Counters>();
  readonly filledToday = new Set<string>();
  readonly channelMap = new Map<string, ChannelDay>();
  readonly earlier: Entry[] = [];
  readonly overdue: Entry[] = [];
  readonly late: Entry[] = [];
  /** Every read invoice, for the per-manager results (kept only when «Аналитика» is given for them). */
  readonly readInvoices: Invoice[] = [];
  private readonly windowStart: LocalDate;
  /** Days since issue by date: thousands of invoices share a few hundred issue days. */
  private readonly ages = new Map<LocalDate, number>();

  constructor(readonly day: LocalDate, private readonly input: HeadOfSalesInput) {
    this.windowStart = addDays(day, -(MANAGER_LOOKBACK_DAYS - 1));
    for (const m of input.managers) {
      const key = this.names.add(m);
      if (key) this.expected.add(key);
    }
    for (const ch of INVOICE_CHANNELS) this.channelMap.set(ch, { channel: ch, issuedCount: 0, issuedSum: 0, paidCount: 0, paidSum: 0 });
  }

  inWindow(d: LocalDate | null): boolean {
    return d !== null && d >= this.windowStart && d <= this.day;
  }

  counters(key: string): Counters {
    let c = this.perManager.get(key);
    if (!c) this.perManager.set(key, (c = zeroCounters()));
    return c;
  }

  ageOf(issueDate: LocalDate): number {
    let age = this.ages.get(issueDate);
    if (age === undefined) this.ages.set(issueDate, (age = daysBetween(issueDate, this.day)));
    return age;
  }

  status(inv: Invoice): InvoiceStatus {
    return statusByAge(inv, this.input.settings.invoiceOverdueDays, this);
  }

  /**
   * «Звонки»: rows of today are summed per manager; a row with an unreadable date or a broken row of
   * the last 14 days is reported. Older rows only matter as history and are not re-checked.
   */
  readCalls(rows: CallsRow[]): void {
    const { day, unparsed } = this;
    const tz = this.input.tz;
    for (const row of rows) {
      const v = row.values;
      // A filled «Дата» (nearly every row) already tells the row is not empty.
      if (isBlank(v.date) && CALLS_KEYS.every((k) => isBlank(v[k]))) continue;
      const date = readDay(v.date, CALLS_HEADERS.date, day, tz);
      if (!date.ok || date.value === null) {
        unparsed.push({ sheet: CALLS_SHEET, rowNumber: row.rowNumber, reason: date.ok ? rmsg.missing(CALLS_HEADERS.date) : date.reason });
        continue;
      }
      // The few dozen rows of the window are read apart: the loop over years of rows stays small.
      if (this.inWindow(date.value)) this.addCallsRow(row, date.value);
    }
  }

  /** A «Звонки» row of the lookback window: its manager is expected; today's counts are summed. */
  private addCallsRow(row: CallsRow, date: LocalDate): void {
    const v = row.values;
    const manager = readText(v.manager, this.input.tz);
    const reasons: string[] = [];
    if (!manager) reasons.push(rmsg.missing(CALLS_HEADERS.manager));
    const nums = (['incomingCalls', 'outgoingCalls', 'mailRequests', 'existingClientCalls'] as const).map((k) => {
      const r = readCount(v[k], CALLS_HEADERS[k]);
      if (!r.ok) reasons.push(r.reason);
      return r.ok ? r.value : 0;
    });
    if (reasons.length > 0) {
      this.unparsed.push({ sheet: CALLS_SHEET, rowNumber: row.rowNumber, reason: reasons.join('; ') });
      return;
    }
    const key = this.names.add(manager);
    this.expected.add(key);
    if (date !== this.day) return;
    this.filledToday.add(key);
    const c = this.counters(key);
    c.incomingCalls += nums[0];
    c.outgoingCalls += nums[1];
    c.mailRequests += nums[2];
    c.existingClientCalls += nums[3];
  }

  /** «Счета»: today's issues and payments per manager and channel, late entries, overdue invoices. */
  readInvoiceRows(rows: InvoiceRow[]): void {
    const { day, names, input } = this;
    const lateSince = input.lateEntriesSince ?? input.now.getTime() - 86_400_000;
    const nowMs = input.now.getTime();
    for (const row of rows) {
      const read = readInvoice(row.values, row.rowNumber, day, input.tz);
      if (read.kind === 'empty') continue;
      if (read.kind === 'bad') {
        this.unparsed.push({ sheet: INVOICES_SHEET, rowNumber: row.rowNumber, reason: read.reason });
        continue;
      }
      const inv = read.invoice;
      if (input.leads) this.readInvoices.push(inv);
      const key = inv.manager ? names.add(inv.manager) : NO_MANAGER;
      if (inv.paymentDate !== null && inv.paymentDate < day && inv.paidAmount > 0 && inv.paymentEnteredAt !== null
        && inv.paymentEnteredAt > lateSince && inv.paymentEnteredAt <= nowMs) this.late.push({ invoice: inv, key });
      if (key !== NO_MANAGER && (this.inWindow(inv.issueDate) || this.inWindow(inv.paymentDate))) this.expected.add(key);
      const issuedToday = inv.issueDate === day;
      const paidToday = inv.paymentDate === day && inv.paidAmount > 0;
      if (issuedToday || paidToday) this.countToday(inv, key, issuedToday, paidToday);
      if (this.status(inv) === INVOICE_STATUSES.overdue) this.overdue.push({ invoice: inv, key });
    }
  }

  /** An invoice issued or paid today, into its manager's and its channel's figures. */
  private countToday(inv: Invoice, key: string, issuedToday: boolean, paidToday: boolean): void {
    const full = isPaidInFull(inv);
    const c = this.counters(key);
    const channel = invoiceChannel(inv.channel);
    let ch = this.channelMap.get(channel);
    if (!ch) this.channelMap.set(channel, (ch = { channel, issuedCount: 0, issuedSum: 0, paidCount: 0, paidSum: 0 }));
    if (issuedToday) {
      c.issuedCount++;
      c.issuedSum += inv.amount;
      ch.issuedCount++;
      ch.issuedSum += inv.amount;
      if (full) c.issuedTodayPaidCount++;
    }
    if (paidToday) {
      c.paidCount++;
      c.paidSum += inv.paidAmount;
      ch.paidCount++;
      ch.paidSum += inv.paidAmount;
      if (full) {
        const { settings, directory } = this.input;
        const rate = commissionRate(directory, key === NO_MANAGER ? '' : this.names.display(key),
          { percent: settings.managerCommissionPercent, fixed: settings.managerCommissionFixed });
        c.fullyPaidCount++;
        c.fullyPaidSum += inv.amount;
        c.commission += commissionOn(inv.amount, rate);
      }
      if (inv.issueDate !== null && inv.issueDate < this.day) this.earlier.push({ invoice: inv, key });
    }
  }
}

/** «Канал» of an invoice as «Справочники» spell it; unknown text is kept as typed. */
function invoiceChannel(text: string): string {
  if (!text) return rmsg.channelMissing;
  const key = nameKey(text);
  return INVOICE_CHANNELS.find((c) => nameKey(c) === key) ?? text;
}

export function computeHeadOfSalesReport(input: HeadOfSalesInput): HeadOfSalesReport {
  const { now, tz, settings } = input;
  const day = toLocalDate(now, tz);
  const tally = new DayTally(day, input);
  tally.readCalls(input.calls);
  tally.readInvoiceRows(input.invoices);
  const { names, expected, unparsed, perManager, filledToday, channelMap, earlier, overdue, late, readInvoices } = tally;

  const pct = settings.managerCommissionPercent;
  const fixed = settings.managerCommissionFixed;
  // The commission is summed per invoice at its manager's rate («Менеджеры», else «Настройки»).
  const finish = (c: Counters): Counters => {
    c.issuedSum = roundCents(c.issuedSum);
    c.paidSum = roundCents(c.paidSum);
    c.fullyPaidSum = roundCents(c.fullyPaidSum);
    c.conversionPercent = percentOf(c.issuedTodayPaidCount, c.issuedCount);
    c.commission = roundCents(c.commission);
    return c;
  };

  // Table order: «Справочники» order, then other names alphabetically, then invoices without a manager.
  const listed = input.managers.map((m) => nameKey(m)).filter((k) => k !== '');
  const others = [...new Set([...expected, ...perManager.keys()])]
    .filter((k) => k !== NO_MANAGER && !listed.includes(k))
    .sort((a, b) => names.display(a).localeCompare(names.display(b), 'ru'));
  const order = [...new Set([...listed, ...others])];
  if (perManager.has(NO_MANAGER)) order.push(NO_MANAGER);
  const managers: ManagerDay[] = order.map((key) => ({
    manager: key === NO_MANAGER ? rmsg.managerMissing : names.display(key),
    callsFilled: filledToday.has(key),
    ...finish(perManager.get(key) ?? zeroCounters()),
  }));

  const totals = zeroCounters();
  for (const c of perManager.values()) {
    for (const k of Object.keys(totals) as Array<keyof Counters>) {
      if (k !== 'conversionPercent') (totals[k] as number) += c[k] as number;
    }
  }
  finish(totals);
  totals.commission = roundCents(managers.reduce((s, m) => s + m.commission, 0));

  const line = ({ invoice: inv, key }: Entry): InvoiceLine => ({
    rowNumber: inv.rowNumber,
    number: inv.number,
    issueDate: inv.issueDate,
    manager: key === NO_MANAGER ? '' : names.display(key),
    client: inv.client,
    channel: inv.channel,
    amount: inv.amount,
    paymentDate: inv.paymentDate,
    paidAmount: inv.paidAmount,
    paymentEnteredAt: inv.paymentEnteredAt,
    status: tally.status(inv),
    ageDays: inv.issueDate === null ? null : tally.ageOf(inv.issueDate),
  });
  const byIssue = (a: { invoice: Invoice }, b: { invoice: Invoice }) =>
    compareDays(a.invoice.issueDate ?? '', b.invoice.issueDate ?? '') || a.invoice.rowNumber - b.invoice.rowNumber;

  const deadline = settings.callsDeadline;
  const p = zonedParts(now, tz);
  const missingCalls = order.filter((k) => k !== NO_MANAGER && expected.has(k) && !filledToday.has(k)).map((k) => names.display(k));

  return {
    day,
    generatedAt: new Date(now.getTime()),
    pastCallsDeadline: p.hour * 60 + p.minute >= deadline.hour * 60 + deadline.minute,
    callsDeadline: formatTimeOfDay(deadline),
    managers,
    totals,
    byChannel: [...channelMap.values()],
    earlierPayments: earlier.sort(byIssue).map(line),
    earlierPaymentsSum: roundCents(earlier.reduce((s, e) => s + e.invoice.paidAmount, 0)),
    overdue: overdue.sort(byIssue).map(line),
    overdueSum: roundCents(overdue.reduce((s, e) => s + e.invoice.amount, 0)),
    overdueDays: settings.invoiceOverdueDays,
    staleDays: settings.staleAnalyticsDays,
    missingCalls,
    commissionPercent: pct,
    commissionFixed: fixed,
    funnel: input.funnel,
    lateEntries: late.sort((a, b) => (a.invoice.paymentEnteredAt ?? 0) - (b.invoice.paymentEnteredAt ?? 0) || a.invoice.rowNumber - b.invoice.rowNumber).map(line),
    lateEntriesSum: roundCents(late.reduce((s, e) => s + e.invoice.paidAmount, 0)),
    results: input.leads ? computeManagerResults({
      leads: input.leads, invoices: readInvoices, directory: input.directory ?? { entries: [], problems: [] },
      commission: { percent: pct, fixed }, stuck: input.stuck ?? { days: 2, workingDays: false }, day, tz,
    }) : null,
    unparsed,
  };
}

/**
 * Order of two LocalDates (or ''). They hold only digits and '-', which localeCompare ranks in code-unit
 * order too; a plain comparison skips the collator on thousands of overdue invoices.
 */
function compareDays(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
