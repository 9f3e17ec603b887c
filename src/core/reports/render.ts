// The two daily emails: subject, HTML body and plain-text alternative.
import { formatRuDate, formatRuDateTime } from '../dates';
import { renderHtml, renderText, type Block, type Cell } from './document';
import { formatCount, formatDelta, formatMoney, formatPercent, formatRate, utf8Bytes } from './format';
import { INVOICE_STATUSES } from './sheets';
import { rmsg } from './messages';
import { clip } from './read';
import type { HeadOfSalesReport, InvoiceLine, SecretaryReport, UnparsedRow } from './types';
import { lateEntryBlocks, managerResultBlocks, responseBlocks } from './render-managers';
import { mmsg } from './manager-messages';
import { CALLBACK_TARGET_MINUTES, TRANSFER_TARGET_MINUTES } from './secretary';
import { PAYMENTS_ENTRY_DEADLINE } from '../schedule';

export interface RenderContext {
  /** Link to the team's spreadsheet, shown in both emails. */
  spreadsheetUrl: string;
  /** ISO code from «Настройки» (EUR). */
  currency: string;
  tz: string;
  /** Set when the email goes out after its slot (a caught-up run); `dueAt` when that slot was on an earlier day. */
  late?: { minutes: number; dueAt?: string };
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

/** SPEC §3.4 caps each email at 150 KB. */
export const MAX_EMAIL_BYTES = 150 * 1024;
/** Gmail hides the end of an HTML body above about 102 KB («[Сообщение обрезано]»); stay below it. */
export const GMAIL_CLIP_BYTES = 100 * 1024;

/** How many entries a long list shows before «… и ещё N». */
export interface ListLimits {
  /** Open callbacks, overdue invoices, payments on earlier invoices. */
  list: number;
  /** Managers, channels, transfers. */
  table: number;
  /** «Не удалось разобрать» notes. */
  unparsed: number;
}
export const DEFAULT_LIMITS: Readonly<ListLimits> = { list: 40, table: 40, unparsed: 20 };

export function cut<T>(items: T[], limit: number): { shown: T[]; more: number } {
  return items.length > limit ? { shown: items.slice(0, limit), more: items.length - limit } : { shown: items, more: 0 };
}

export function lateBlocks(ctx: RenderContext): Block[] {
  return ctx.late ? [{ kind: 'alert', tone: 'warn', text: rmsg.lateNotice(ctx.late.minutes, ctx.late.dueAt) }] : [];
}

function unparsedBlocks(rows: UnparsedRow[], limit: number): Block[] {
  if (rows.length === 0) return [];
  const { shown, more } = cut(rows, limit);
  return [
    { kind: 'h2', text: rmsg.unparsedTitle },
    { kind: 'p', text: rmsg.unparsedLead(rows.length) },
    { kind: 'list', items: shown.map((r) => rmsg.unparsedLine(r.sheet, r.rowNumber, r.reason)), more },
  ];
}

export function closingBlocks(ctx: RenderContext, generatedAt: Date): Block[] {
  return [
    { kind: 'link', text: rmsg.openSheet, href: ctx.spreadsheetUrl },
    { kind: 'p', muted: true, text: rmsg.generatedAt(formatRuDateTime(generatedAt, ctx.tz)) },
  ];
}

/**
 * Renders with the default limits and, if the HTML would be clipped by Gmail or either part would
 * exceed MAX_EMAIL_BYTES (thousands of long rows), halves the limits until it fits.
 */
export function fitted(subject: string, build: (limits: ListLimits) => Block[]): RenderedEmail {
  let limits: ListLimits = { ...DEFAULT_LIMITS };
  for (;;) {
    const blocks = build(limits);
    const html = renderHtml(subject, blocks);
    const text = renderText(blocks);
    const small = utf8Bytes(html) <= GMAIL_CLIP_BYTES && utf8Bytes(text) <= MAX_EMAIL_BYTES;
    if (small || (limits.list <= 1 && limits.table <= 1 && limits.unparsed <= 1)) return { subject, html, text };
    limits = {
      list: Math.max(1, Math.floor(limits.list / 2)),
      table: Math.max(1, Math.floor(limits.table / 2)),
      unparsed: Math.max(1, Math.floor(limits.unparsed / 2)),
    };
  }
}

// ---- 11:00 secretary summary --------------------------------------------------------------------

export function renderSecretaryEmail(model: SecretaryReport, ctx: RenderContext): RenderedEmail {
  const subject = rmsg.secretarySubject(model.day, Boolean(ctx.late));
  return fitted(subject, (limits) => secretaryBlocks(model, ctx, limits));
}

function secretaryBlocks(m: SecretaryReport, ctx: RenderContext, limits: ListLimits): Block[] {
  const blocks: Block[] = [{ kind: 'title', text: rmsg.secretaryTitle(m.day) }, ...lateBlocks(ctx)];
  if (m.noRows) blocks.push({ kind: 'alert', tone: 'danger', text: rmsg.noRowsWarning(m.day) });
  blocks.push({ kind: 'p', muted: true, text: rmsg.secretaryIntro });
  blocks.push({
    kind: 'keys',
    items: [
      { label: rmsg.keyTotal, value: formatCount(m.total) },
      { label: rmsg.keyPrevious(m.previousDay), value: rmsg.keyPreviousValue(formatCount(m.previousTotal), formatDelta(m.total - m.previousTotal)) },
      { label: rmsg.keyNewClients, value: formatCount(m.newClients) },
      { label: rmsg.keyNewRequests, value: rmsg.countAndPercent(formatCount(m.newClientRequests), formatPercent(m.newClientRequestPercent)) },
      { label: rmsg.keyCallbacks, value: formatCount(m.openCallbacks.length) },
    ],
  });

  const channels = cut(m.byChannel, limits.table);
  blocks.push({ kind: 'h2', text: rmsg.channelsTitle }, {
    kind: 'table', headers: rmsg.channelHeader, numeric: [false, true, true, true],
    rows: channels.shown.map((c) => [c.channel, formatCount(c.count), formatCount(c.previousCount), formatDelta(c.delta)]),
    more: channels.more,
    footer: [rmsg.total, formatCount(m.total), formatCount(m.previousTotal), formatDelta(m.total - m.previousTotal)],
  });

  if (m.byOutcome.length > 0) {
    const outcomes = cut(m.byOutcome, limits.table);
    blocks.push({ kind: 'h2', text: rmsg.outcomesTitle }, {
      kind: 'table', headers: rmsg.outcomeHeader, numeric: [false, true],
      rows: outcomes.shown.map((o) => [o.outcome, formatCount(o.count)]), more: outcomes.more,
    });
  }

  blocks.push({ kind: 'h2', text: rmsg.newClientsTitle },
    { kind: 'p', text: rmsg.newClientsLine(m.newClients, m.newClientRequests, formatPercent(m.newClientRequestPercent)) });

  blocks.push({ kind: 'h2', text: rmsg.transfersTitle });
  if (m.transfers.length === 0) blocks.push({ kind: 'p', text: rmsg.noTransfers });
  else {
    const transfers = cut(m.transfers, limits.table);
    blocks.push({
      kind: 'table', headers: rmsg.transferHeader, numeric: [false, true, true],
      rows: transfers.shown.map((t) => [t.manager, formatCount(t.count), formatCount(t.requests)]), more: transfers.more,
    });
  }
  if (m.notTransferred > 0) blocks.push({ kind: 'p', text: rmsg.notTransferred(m.notTransferred) });

  blocks.push({ kind: 'h2', text: rmsg.callbacksTitle });
  if (m.openCallbacks.length === 0) blocks.push({ kind: 'p', text: rmsg.callbacksNone });
  else {
    const callbacks = cut(m.openCallbacks, limits.list);
    blocks.push({ kind: 'p', text: rmsg.callbacksLead(m.openCallbacks.length) }, {
      kind: 'table', headers: rmsg.callbackHeader, numeric: [false, false, false, false, false],
      rows: callbacks.shown.map((c): Cell[] => [
        { text: formatRuDate(c.date) + (c.time ? ` ${c.time}` : ''), sub: rmsg.waitingDays(c.ageDays) },
        { text: c.client || rmsg.clientMissing, sub: c.company },
        c.contact || rmsg.none,
        c.manager || rmsg.none,
        { text: c.request || rmsg.none, sub: c.comment },
      ]),
      more: callbacks.more,
    });
  }

  blocks.push(...responseBlocks(m.callbackResponse, m.transferResponse, m.total > 0, limits, { callback: CALLBACK_TARGET_MINUTES, transfer: TRANSFER_TARGET_MINUTES }));

  blocks.push(...unparsedBlocks(m.unparsed, limits.unparsed), ...closingBlocks(ctx, m.generatedAt));
  return blocks;
}

// ---- 19:45 head-of-sales summary ----------------------------------------------------------------

export function renderHeadOfSalesEmail(model: HeadOfSalesReport, ctx: RenderContext): RenderedEmail {
  const subject = rmsg.headOfSalesSubject(model.day, Boolean(ctx.late));
  return fitted(subject, (limits) => headOfSalesBlocks(model, ctx, limits));
}

function headOfSalesBlocks(m: HeadOfSalesReport, ctx: RenderContext, limits: ListLimits): Block[] {
  const money = (n: number) => formatMoney(n, ctx.currency);
  const countSum = (count: number, sum: number): Cell => (count === 0 ? '0' : { text: formatCount(count), sub: money(sum) });
  const t = m.totals;
  const blocks: Block[] = [{ kind: 'title', text: rmsg.headTitle(m.day) }, ...lateBlocks(ctx)];

  if (m.missingCalls.length > 0) {
    const names = cut(m.missingCalls, limits.table);
    const list = names.shown.join(', ') + (names.more ? ` ${rmsg.more(names.more)}` : '');
    blocks.push({ kind: 'alert', tone: m.pastCallsDeadline ? 'danger' : 'warn', text: rmsg.missingCallsWarning(m.callsDeadline, list, m.pastCallsDeadline) });
  } else if (m.managers.some((x) => x.callsFilled)) {
    blocks.push({ kind: 'alert', tone: 'ok', text: rmsg.allCallsFilled(m.callsDeadline) });
  }
  blocks.push({ kind: 'p', muted: true, text: rmsg.headIntro });
  blocks.push({
    kind: 'keys',
    items: [
      { label: rmsg.keyIssued, value: rmsg.countAndSum(t.issuedCount, money(t.issuedSum)) },
      { label: rmsg.keyPaid, value: rmsg.countAndSum(t.paidCount, money(t.paidSum)) },
      { label: rmsg.keyEarlier, value: rmsg.countAndSum(m.earlierPayments.length, money(m.earlierPaymentsSum)) },
      ...(m.lateEntries.length > 0 ? [{ label: mmsg.keyLate, value: rmsg.countAndSum(m.lateEntries.length, money(m.lateEntriesSum)) }] : []),
      // With «Аналитика» at hand, the commission includes the paid leads (see «Комиссия менеджеров» below).
      { label: rmsg.keyCommission, value: money(m.results ? m.results.totals.commissionToday.amount : t.commission) },
      { label: rmsg.keyOverdue, value: rmsg.countAndSum(m.overdue.length, money(m.overdueSum)) },
    ],
  });

  if (m.managers.length === 0) blocks.push({ kind: 'p', text: rmsg.noManagers });
  else {
    const managers = cut(m.managers, limits.table);
    blocks.push({ kind: 'h2', text: rmsg.callsTitle }, {
      kind: 'table', headers: rmsg.callsHeader, numeric: [false, true, true, true, true],
      rows: managers.shown.map((x): Cell[] => x.callsFilled
        ? [x.manager, formatCount(x.incomingCalls), formatCount(x.outgoingCalls), formatCount(x.mailRequests), formatCount(x.existingClientCalls)]
        : [{ text: x.manager, sub: rmsg.callsNotFilled }, rmsg.none, rmsg.none, rmsg.none, rmsg.none]),
      more: managers.more,
      footer: [rmsg.total, formatCount(t.incomingCalls), formatCount(t.outgoingCalls), formatCount(t.mailRequests), formatCount(t.existingClientCalls)],
    });
    // The commission has its own table (invoices and leads, today and month) when «Аналитика» was read.
    const withCommission = m.results === null;
    const keep = <T>(row: T[]): T[] => (withCommission ? row : row.slice(0, 4));
    blocks.push({ kind: 'h2', text: rmsg.invoicesTitle }, {
      kind: 'table', headers: keep(rmsg.invoicesHeader), numeric: keep([false, true, true, true, true]),
      rows: managers.shown.map((x): Cell[] => keep([
        x.manager, countSum(x.issuedCount, x.issuedSum), countSum(x.paidCount, x.paidSum),
        formatPercent(x.conversionPercent), money(x.commission),
      ])),
      more: managers.more,
      footer: keep([rmsg.total, countSum(t.issuedCount, t.issuedSum), countSum(t.paidCount, t.paidSum), formatPercent(t.conversionPercent), money(t.commission)]),
    }, {
      kind: 'p', muted: true,
      text: withCommission ? rmsg.invoicesFootnote(formatRate(m.commissionPercent), money(m.commissionFixed)) : rmsg.invoicesFootnoteShort,
    });
  }

  blocks.push({ kind: 'h2', text: rmsg.channelsDayTitle });
  if (t.issuedCount === 0 && t.paidCount === 0) blocks.push({ kind: 'p', text: rmsg.noInvoicesToday });
  else {
    const channels = cut(m.byChannel, limits.table);
    blocks.push({
      kind: 'table', headers: rmsg.channelsDayHeader, numeric: [false, true, true],
      rows: channels.shown.map((c) => [c.channel, countSum(c.issuedCount, c.issuedSum), countSum(c.paidCount, c.paidSum)]),
      more: channels.more,
    });
  }

  const invoiceCell = (i: InvoiceLine): Cell => ({ text: i.number || rmsg.invoiceNoNumber, sub: rmsg.sheetRow(i.rowNumber) });
  blocks.push({ kind: 'h2', text: rmsg.earlierTitle });
  if (m.earlierPayments.length === 0) blocks.push({ kind: 'p', text: rmsg.earlierNone });
  else {
    const earlier = cut(m.earlierPayments, limits.list);
    blocks.push({ kind: 'p', text: rmsg.earlierTotal(m.earlierPayments.length, money(m.earlierPaymentsSum)) }, {
      kind: 'table', headers: rmsg.earlierHeader, numeric: [false, false, false, false, true],
      rows: earlier.shown.map((i): Cell[] => [
        invoiceCell(i),
        i.issueDate ? formatRuDate(i.issueDate) : rmsg.none,
        i.manager || rmsg.none,
        i.client || rmsg.none,
        { text: money(i.paidAmount), sub: i.status === INVOICE_STATUSES.paid ? rmsg.paidInFull : rmsg.paidPartly(money(i.amount)) },
      ]),
      more: earlier.more,
    });
  }

  blocks.push(...lateEntryBlocks(m.lateEntries, m.lateEntriesSum, ctx, limits, PAYMENTS_ENTRY_DEADLINE));

  blocks.push({ kind: 'h2', text: rmsg.overdueTitle(m.overdueDays) });
  if (m.overdue.length === 0) blocks.push({ kind: 'p', text: rmsg.overdueNone });
  else {
    const overdue = cut(m.overdue, limits.list);
    blocks.push({ kind: 'p', text: rmsg.overdueTotal(m.overdue.length, money(m.overdueSum)) }, {
      kind: 'table', headers: rmsg.overdueHeader, numeric: [false, false, false, false, true],
      rows: overdue.shown.map((i): Cell[] => [
        invoiceCell(i),
        { text: i.issueDate ? formatRuDate(i.issueDate) : rmsg.none, sub: i.ageDays === null ? '' : rmsg.overdueAge(i.ageDays) },
        i.manager || rmsg.none,
        i.client || rmsg.none,
        money(i.amount),
      ]),
      more: overdue.more,
    });
  }

  blocks.push({ kind: 'h2', text: rmsg.funnelTitle });
  const f = m.funnel;
  if (!f) blocks.push({ kind: 'p', text: rmsg.funnelMissing });
  else {
    const stale = cut(f.staleManagers, limits.table);
    const staleText = f.staleManagers.length === 0
      ? rmsg.funnelStaleNone
      : stale.shown.map((s) => rmsg.staleEntry(clip(String(s.manager ?? '')), s.daysSince)).join(', ') + (stale.more ? ` ${rmsg.more(stale.more)}` : '');
    blocks.push({
      kind: 'keys',
      items: [
        { label: rmsg.funnelNewLeads, value: formatCount(f.newLeadsToday) },
        { label: rmsg.funnelPaid, value: rmsg.countAndSum(f.paidToday.count, money(f.paidToday.sum)) },
        { label: rmsg.funnelWaiting, value: formatCount(f.waitingNow) },
        { label: rmsg.funnelConversion, value: rmsg.funnelConversionValue(formatPercent(f.conversion30d.rate === null ? null : f.conversion30d.rate * 100), f.conversion30d.paid, f.conversion30d.leads) },
        { label: rmsg.funnelStale(m.staleDays), value: staleText },
      ],
    });
  }

  if (m.results) blocks.push(...managerResultBlocks(m.results, ctx, limits, m.results.stuckDays));

  blocks.push(...unparsedBlocks(m.unparsed, limits.unparsed), ...closingBlocks(ctx, m.generatedAt));
  return blocks;
}
