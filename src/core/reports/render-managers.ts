// Rendering for the follow-up feature: the managers' morning email «Кого дожать сегодня», and the blocks it
// adds to the 19:45 email (per-manager leads, refusals, commission, payments entered late) and to the 11:00
// one (response times). Same blocks as the other emails (document.ts): escaped HTML, inline styles, text.
import { addDays, formatRuDate, formatRuDateTime, localDateTimeToDate, type LocalDate } from '../dates';
import { formatTimeOfDay, type TimeOfDay } from '../settings';
import type { Block, Cell } from './document';
import { FOLLOW_UP_KINDS, type FollowUpLine, type ManagerFollowUp } from './follow-up';
import { formatCount, formatMoney, formatPercent, formatRate } from './format';
import type { ManagerResults } from './manager-results';
import { mmsg } from './manager-messages';
import { rmsg } from './messages';
import { closingBlocks, cut, fitted, lateBlocks, type ListLimits, type RenderContext, type RenderedEmail } from './render';
import type { InvoiceLine, ResponseFigures } from './types';

export interface FollowUpContext extends RenderContext {
  /** Sheet ids for the row links (`#gid=<id>&range=A<row>`); without one a line has no link. */
  sheetIds: { analytics?: number; secretaryLog?: number };
  stuckDays: number;
}

/** A link that opens the row: the spreadsheet URL with the sheet's gid and the row's first cell. */
export function rowLink(spreadsheetUrl: string, sheetId: number | undefined, row: number): string | undefined {
  if (sheetId === undefined || !/^https?:\/\//i.test(spreadsheetUrl)) return undefined;
  return `${spreadsheetUrl.replace(/#.*$/, '')}#gid=${sheetId}&range=A${row}`;
}

export function renderFollowUpEmail(model: ManagerFollowUp, day: LocalDate, generatedAt: Date, ctx: FollowUpContext): RenderedEmail {
  const subject = mmsg.subject(model.manager, day, Boolean(ctx.late));
  return fitted(subject, (limits) => followUpBlocks(model, generatedAt, ctx, limits));
}

function followUpBlocks(m: ManagerFollowUp, generatedAt: Date, ctx: FollowUpContext, limits: ListLimits): Block[] {
  const blocks: Block[] = [{ kind: 'title', text: mmsg.title(m.manager) }, ...lateBlocks(ctx)];
  if (m.lines.length === 0) {
    blocks.push({ kind: 'alert', tone: 'ok', text: mmsg.nothing });
    return [...blocks, ...closingBlocks(ctx, generatedAt)];
  }
  blocks.push({ kind: 'p', muted: true, text: mmsg.intro });
  const byKind = FOLLOW_UP_KINDS.map((kind) => ({ kind, lines: m.lines.filter((l) => l.kind === kind) })).filter((g) => g.lines.length > 0);
  blocks.push({ kind: 'keys', items: byKind.map((g) => ({ label: mmsg.key(g.kind), value: formatCount(g.lines.length) })) });
  for (const g of byKind) {
    const shown = cut(g.lines, limits.list);
    blocks.push({ kind: 'h2', text: mmsg.section(g.kind, ctx.stuckDays) }, {
      kind: 'table', headers: mmsg.header, numeric: [false, false, false, false], nowrap: [true, false, true, true],
      rows: shown.shown.map((l) => lineCells(l, ctx)),
      more: shown.more,
    });
  }
  return [...blocks, ...closingBlocks(ctx, generatedAt)];
}

function lineCells(l: FollowUpLine, ctx: FollowUpContext): Cell[] {
  const sheetId = l.sheet === 'analytics' ? ctx.sheetIds.analytics : ctx.sheetIds.secretaryLog;
  const note = [l.detail, ...l.also].filter(Boolean).join('; ');
  return [
    { text: l.client, sub: l.contact },
    { text: l.stage || rmsg.none, sub: note },
    { text: mmsg.waited(l.days), sub: l.since ? mmsg.since(l.since) : '' },
    { text: l.sheet === 'analytics' ? mmsg.row(l.rowNumber) : mmsg.secretaryRow(l.rowNumber), href: rowLink(ctx.spreadsheetUrl, sheetId, l.rowNumber) },
  ];
}

// ---- 19:45 ----------------------------------------------------------------------------------------

export function managerResultBlocks(r: ManagerResults, ctx: RenderContext, limits: ListLimits, stuckDays: number): Block[] {
  const money = (n: number) => formatMoney(n, ctx.currency);
  const blocks: Block[] = [];
  if (r.noEmail.length > 0) blocks.push({ kind: 'alert', tone: 'warn', text: mmsg.noEmail(r.noEmail.join(', ')) });
  if (r.managers.length === 0) return blocks;
  const rows = cut(r.managers, limits.table);
  const period = (p: { taken: number; paid: number; conversion: number | null }): Cell =>
    ({ text: mmsg.taken(p.taken, p.paid), sub: p.taken > 0 ? mmsg.conversion(formatPercent(p.conversion === null ? null : p.conversion * 100)) : '' });
  const average = (value: number | null, n: number): Cell => (value === null ? rmsg.none : { text: money(value), sub: mmsg.averageOf(n) });
  const t = r.totals;
  blocks.push({ kind: 'h2', text: mmsg.resultsTitle }, {
    kind: 'table', headers: mmsg.resultsHeader, numeric: [false, true, true, true, true, true],
    rows: rows.shown.map((m): Cell[] => [
      m.manager, period(m.today), period(m.days30), period(m.month), average(m.averageCheck30, m.payments30.withAmount), mmsg.waitingStuck(m.waiting, m.stuck),
    ]),
    more: rows.more,
    footer: [rmsg.total, period(t.today), period(t.days30), period(t.month), average(t.averageCheck30, t.payments30.withAmount), mmsg.waitingStuck(t.waiting, t.stuck)],
  }, { kind: 'p', muted: true, text: mmsg.resultsFootnote(stuckDays) });

  const withRefusals = r.managers.filter((m) => m.refusals30.length > 0);
  blocks.push({ kind: 'h2', text: mmsg.refusalsTitle });
  if (withRefusals.length === 0) blocks.push({ kind: 'p', text: mmsg.refusalsNone });
  else {
    const refusals = cut(withRefusals, limits.table);
    blocks.push({
      kind: 'table', headers: mmsg.refusalsHeader, numeric: [false, false],
      rows: refusals.shown.map((m): Cell[] => [m.manager, m.refusals30.slice(0, 8).map((x) => mmsg.reasonCount(x.reason, x.count)).join('; ')
        + (m.refusals30.length > 8 ? ` ${rmsg.more(m.refusals30.length - 8)}` : '')]),
      more: refusals.more,
    });
  }

  const part = (p: { invoices: number; leads: number; amount: number }): Cell => ({ text: money(p.amount), sub: mmsg.commissionBasis(p.invoices, p.leads) });
  blocks.push({ kind: 'h2', text: mmsg.commissionTitle }, {
    kind: 'table', headers: mmsg.commissionHeader, numeric: [false, true, true, false],
    rows: rows.shown.map((m): Cell[] => [
      m.manager, part(m.commissionToday), part(m.commissionMonth),
      { text: mmsg.rate(formatRate(m.rate.percent), money(m.rate.fixed)), sub: m.rate.own ? mmsg.rateOwn : mmsg.rateDefault },
    ]),
    more: rows.more,
    footer: [rmsg.total, part(t.commissionToday), part(t.commissionMonth), rmsg.none],
  }, { kind: 'p', muted: true, text: mmsg.commissionFootnote(r.monthStart) });
  return blocks;
}

/** Payments dated before today, entered after the previous summary: they reach no other email. */
export function lateEntryBlocks(lines: InvoiceLine[], sum: number, ctx: RenderContext, limits: ListLimits, deadline: TimeOfDay): Block[] {
  if (lines.length === 0) return [];
  const money = (n: number) => formatMoney(n, ctx.currency);
  const shown = cut(lines, limits.list);
  // Seed 004: payments on earlier invoices are entered by 10:00 the next morning.
  const afterDeadline = (i: InvoiceLine) => i.paymentDate !== null && i.paymentEnteredAt !== null
    && i.paymentEnteredAt > localDateTimeToDate(addDays(i.paymentDate, 1), ctx.tz, deadline.hour, deadline.minute).getTime();
  return [
    { kind: 'h2', text: mmsg.lateTitle },
    { kind: 'p', text: mmsg.lateLead(lines.length, money(sum)) },
    {
      kind: 'table', headers: mmsg.lateHeader, numeric: [false, false, false, false, true],
      rows: shown.shown.map((i): Cell[] => [
        { text: i.number || rmsg.invoiceNoNumber, sub: rmsg.sheetRow(i.rowNumber) },
        i.paymentDate ? formatRuDate(i.paymentDate) : rmsg.none,
        { text: i.paymentEnteredAt === null ? rmsg.none : formatRuDateTime(i.paymentEnteredAt, ctx.tz), sub: afterDeadline(i) ? mmsg.lateAfterDeadline(formatTimeOfDay(deadline)) : '' },
        i.manager || rmsg.managerMissing,
        money(i.paidAmount),
      ]),
      more: shown.more,
    },
  ];
}

// ---- 11:00 ----------------------------------------------------------------------------------------

export function responseBlocks(callback: ResponseFigures | null, transfer: ResponseFigures | null, hadRows: boolean, limits: ListLimits, targets: { callback: number; transfer: number }): Block[] {
  if (callback === null && transfer === null) {
    return hadRows ? [{ kind: 'h2', text: mmsg.responseTitle }, { kind: 'p', muted: true, text: mmsg.responseMissing }] : [];
  }
  const value = (f: ResponseFigures | null) => (f === null ? rmsg.none : mmsg.responseValue(f.withinTarget, f.count, f.targetMinutes, f.medianMinutes));
  const slow = [
    ...(callback?.slow ?? []).map((s) => ({ ...s, what: mmsg.slowCallback })),
    ...(transfer?.slow ?? []).map((s) => ({ ...s, what: mmsg.slowTransfer })),
  ].sort((a, b) => b.minutes - a.minutes || a.rowNumber - b.rowNumber);
  const blocks: Block[] = [
    { kind: 'h2', text: mmsg.responseTitle },
    { kind: 'keys', items: [{ label: mmsg.callbackKey, value: value(callback) }, { label: mmsg.transferKey, value: value(transfer) }] },
    { kind: 'p', muted: true, text: mmsg.responseNote(targets.callback, targets.transfer) },
  ];
  if (slow.length > 0) {
    const shown = cut(slow, limits.list);
    blocks.push({ kind: 'p', text: mmsg.slowTitle }, {
      kind: 'table', headers: mmsg.slowHeader, numeric: [false, false, false, false, true],
      rows: shown.shown.map((s): Cell[] => [
        { text: s.time, sub: rmsg.sheetRow(s.rowNumber) }, s.client || rmsg.clientMissing, s.manager || rmsg.none, { text: s.what, sub: s.channel }, mmsg.slowMinutes(s.minutes),
      ]),
      more: shown.more,
    });
  }
  return blocks;
}
