// «Счета»: reading one invoice row and the «Статус» rule (SPEC §3.4).
import { daysBetween, type LocalDate } from '../dates';
import { isDate } from '../text';
import { isBlank, readDay, readMoney, readText, type Read } from './read';
import { rmsg } from './messages';
import { INVOICE_HEADERS, INVOICE_STATUSES, type InvoiceStatus } from './sheets';
import { INVOICE_KEYS, type CellValue, type Invoice, type InvoiceKey } from './types';

export type { Invoice };

export type InvoiceReading =
  | { kind: 'empty' }
  | { kind: 'invoice'; invoice: Invoice }
  | { kind: 'bad'; reason: string };

type InvoiceValues = Partial<Record<InvoiceKey, CellValue>>;

/** A row with nothing typed in any column but the script's own («Статус», «Оплата внесена»). */
export function isEmptyInvoice(values: InvoiceValues): boolean {
  // A filled «Сумма» or «Номер» (nearly every row) settles it without visiting every column.
  if (!isBlank(values.amount) || !isBlank(values.number)) return false;
  return INVOICE_KEYS.every((k) => k === 'status' || k === 'paymentEnteredAt' || isBlank(values[k]));
}

/**
 * Reads an invoice. «Сумма» must be a number > 0. A «Дата оплаты» with no «Сумма оплаты» means the
 * invoice was paid in full (a manager who marks the date and skips the sum means exactly that).
 */
export function readInvoice(values: InvoiceValues, rowNumber: number, today: LocalDate, tz: string): InvoiceReading {
  if (isEmptyInvoice(values)) return { kind: 'empty' };
  const amount = readMoney(values.amount, INVOICE_HEADERS.amount);
  const paid = readMoney(values.paidAmount, INVOICE_HEADERS.paidAmount);
  const issueDate = readDay(values.issueDate, INVOICE_HEADERS.issueDate, today, tz);
  const paymentDate = readDay(values.paymentDate, INVOICE_HEADERS.paymentDate, today, tz);
  // A readable row (nearly every one) is built at once; the reasons are gathered only for a bad one.
  if (!amount.ok || !paid.ok || !issueDate.ok || !paymentDate.ok || !amount.value || issueDate.value === null) {
    return { kind: 'bad', reason: badInvoiceReason(values, today, tz) };
  }
  return {
    kind: 'invoice',
    invoice: {
      rowNumber,
      number: readText(values.number, tz),
      issueDate: issueDate.value,
      manager: readText(values.manager, tz),
      client: readText(values.client, tz),
      channel: readText(values.channel, tz),
      amount: amount.value,
      paymentDate: paymentDate.value,
      paidAmount: paid.value ?? (paymentDate.value !== null ? amount.value : 0),
      paymentEnteredAt: enteredAt(values.paymentEnteredAt),
    },
  };
}

/** Why a row that is not empty cannot be read as an invoice ('; '-joined). */
function badInvoiceReason(values: InvoiceValues, today: LocalDate, tz: string): string {
  const reasons: string[] = [];
  const need = <T>(r: Read<T>): T | null => {
    if (r.ok) return r.value;
    reasons.push(r.reason);
    return null;
  };
  const amount = need(readMoney(values.amount, INVOICE_HEADERS.amount));
  const paid = need(readMoney(values.paidAmount, INVOICE_HEADERS.paidAmount));
  const issueDate = need(readDay(values.issueDate, INVOICE_HEADERS.issueDate, today, tz));
  const paymentDate = need(readDay(values.paymentDate, INVOICE_HEADERS.paymentDate, today, tz));
  if (reasons.length === 0) {
    if (amount === null) reasons.push(rmsg.missing(INVOICE_HEADERS.amount));
    else if (amount === 0) reasons.push(rmsg.zeroAmount(INVOICE_HEADERS.amount));
    if (issueDate === null) reasons.push(rmsg.missing(INVOICE_HEADERS.issueDate));
  }
  return reasons.join('; ');
}

/** «Оплата внесена»: the script's timestamp (ms), or null (never stamped, or typed over by hand). */
function enteredAt(value: CellValue | undefined): number | null {
  return typeof value === 'object' && value !== null && isDate(value) ? value.getTime() : null;
}

/** True when «Сумма оплаты» covers «Сумма» (compared in cents). */
export function isPaidInFull(invoice: Pick<Invoice, 'amount' | 'paidAmount'>): boolean {
  return Math.round(invoice.paidAmount * 100) >= Math.round(invoice.amount * 100);
}

/**
 * The «Статус» of a read invoice as of `today` (Moscow): Оплачен when the paid sum covers the amount;
 * Частично when something but not all is paid; Просрочен when nothing is paid and it was issued more
 * than `overdueDays` calendar days ago; otherwise Выставлен.
 */
export function statusOf(invoice: Pick<Invoice, 'amount' | 'paidAmount' | 'issueDate'>, today: LocalDate, overdueDays: number): InvoiceStatus {
  return statusByAge(invoice, overdueDays, { ageOf: (issueDate) => daysBetween(issueDate, today) });
}

/** Days from an issue date to the day a status is for. */
export interface IssueAges {
  ageOf(issueDate: LocalDate): number;
}

/** statusOf with the days since issue told by `ages` (a report that asks for thousands memoises them). */
export function statusByAge(invoice: Pick<Invoice, 'amount' | 'paidAmount' | 'issueDate'>, overdueDays: number, ages: IssueAges): InvoiceStatus {
  if (isPaidInFull(invoice)) return INVOICE_STATUSES.paid;
  if (invoice.paidAmount > 0) return INVOICE_STATUSES.partlyPaid;
  if (invoice.issueDate !== null && ages.ageOf(invoice.issueDate) > overdueDays) return INVOICE_STATUSES.overdue;
  return INVOICE_STATUSES.issued;
}

/**
 * «Статус» for one row of «Счета», for the job that writes the column. '' for an empty row and for a
 * row whose «Сумма» is missing or unreadable (no status can be honest there). An unreadable
 * «Дата выставления» just never makes the invoice overdue; an unreadable «Сумма оплаты» gives ''.
 */
export function invoiceStatus(values: InvoiceValues, today: LocalDate, tz: string, overdueDays: number): InvoiceStatus | '' {
  if (isEmptyInvoice(values)) return '';
  const amount = readMoney(values.amount, INVOICE_HEADERS.amount);
  const paid = readMoney(values.paidAmount, INVOICE_HEADERS.paidAmount);
  if (!amount.ok || amount.value === null || amount.value === 0 || !paid.ok) return '';
  const issue = readDay(values.issueDate, INVOICE_HEADERS.issueDate, today, tz);
  const payment = readDay(values.paymentDate, INVOICE_HEADERS.paymentDate, today, tz);
  const paidAmount = paid.value ?? (payment.ok && payment.value !== null ? amount.value : 0);
  return statusOf({ amount: amount.value, paidAmount, issueDate: issue.ok ? issue.value : null }, today, overdueDays);
}
