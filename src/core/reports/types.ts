// Shapes of the two daily reports (SPEC §3.4). Column keys mirror sheets-templates/secretary-log.ts,
// calls.ts and invoices.ts (test/reports/read.test.ts keeps them equal).
import type { LocalDate } from '../dates';
import type { TelegramFunnelSummary } from '../funnel';
import type { ManagerResults } from './manager-results';

/** What a Sheets cell reads as: '' when empty, Date for date and date-time cells. */
export type CellValue = string | number | boolean | Date;

export const SECRETARY_KEYS = [
  'dateTime', 'channel', 'client', 'company', 'contact', 'city', 'personType', 'newClient', 'request',
  'transferredTo', 'transferredAt', 'outcome', 'calledBackAt', 'comment',
] as const;
export type SecretaryKey = (typeof SECRETARY_KEYS)[number];

export const CALLS_KEYS = [
  'date', 'manager', 'incomingCalls', 'outgoingCalls', 'mailRequests', 'existingClientCalls', 'comment',
] as const;
export type CallsKey = (typeof CALLS_KEYS)[number];

export const INVOICE_KEYS = [
  'number', 'issueDate', 'manager', 'client', 'channel', 'amount', 'paymentDate', 'paidAmount', 'status', 'paymentEnteredAt',
] as const;
export type InvoiceKey = (typeof INVOICE_KEYS)[number];

/**
 * A sheet row keyed by column key, with its 1-based sheet row number (named in «не удалось разобрать»).
 * A column the sheet lacks may be absent.
 */
export interface ReportRow<K extends string> {
  rowNumber: number;
  values: Partial<Record<K, CellValue>>;
}
export type SecretaryRow = ReportRow<SecretaryKey>;
export type CallsRow = ReportRow<CallsKey>;
export type InvoiceRow = ReportRow<InvoiceKey>;

/** A row the report could not use, and why (Russian, shown to leadership). */
export interface UnparsedRow {
  sheet: string;
  rowNumber: number;
  reason: string;
}

// ---- 11:00 secretary summary --------------------------------------------------------------------

export interface ChannelCount {
  channel: string;
  count: number;
  previousCount: number;
  delta: number;
}

export interface TransferCount {
  manager: string;
  count: number;
  /** Of those transfers, how many ended with «Заявка оформлена». */
  requests: number;
}

export interface OpenCallback {
  rowNumber: number;
  date: LocalDate;
  /** 'ЧЧ:ММ' when the cell had a time. */
  time: string;
  client: string;
  company: string;
  contact: string;
  manager: string;
  request: string;
  comment: string;
  /** Calendar days from the callback's date to the report's sending day. */
  ageDays: number;
}

/** A contact answered later than the seed allows. */
export interface SlowResponse {
  rowNumber: number;
  /** 'ЧЧ:ММ' of the contact. */
  time: string;
  client: string;
  manager: string;
  channel: string;
  minutes: number;
}

/** How fast the day's contacts were called back or transferred (rows with both times only). */
export interface ResponseFigures {
  count: number;
  medianMinutes: number;
  withinTarget: number;
  targetMinutes: number;
  /** Over the target, slowest first. */
  slow: SlowResponse[];
}

export interface SecretaryReport {
  /** The day the summary covers (yesterday in Moscow when sent). */
  day: LocalDate;
  previousDay: LocalDate;
  generatedAt: Date;
  total: number;
  previousTotal: number;
  byChannel: ChannelCount[];
  byOutcome: Array<{ outcome: string; count: number }>;
  newClients: number;
  /** New clients whose contact ended with «Заявка оформлена». */
  newClientRequests: number;
  /** newClientRequests / newClients × 100; null when there were no new clients. */
  newClientRequestPercent: number | null;
  transfers: TransferCount[];
  /** Contacts of the day not transferred to any manager. */
  notTransferred: number;
  openCallbacks: OpenCallback[];
  /** «Перезвонили в» − «Дата и время» over the day; null when no row of the day has both. */
  callbackResponse: ResponseFigures | null;
  /** «Передано в» − «Дата и время» over the day; null when no row of the day has both. */
  transferResponse: ResponseFigures | null;
  noRows: boolean;
  unparsed: UnparsedRow[];
}

// ---- 19:45 head-of-sales summary ----------------------------------------------------------------

/**
 * The Telegram funnel block, computed from «Аналитика» by src/core/funnel (`telegramFunnelSummary`);
 * the report only shows it.
 */
export type { TelegramFunnelSummary } from '../funnel';

export interface ManagerDay {
  manager: string;
  /** A «Звонки» row for today exists. */
  callsFilled: boolean;
  incomingCalls: number;
  outgoingCalls: number;
  mailRequests: number;
  existingClientCalls: number;
  issuedCount: number;
  issuedSum: number;
  /** Invoices with «Дата оплаты» today (any issue date), and their «Сумма оплаты». */
  paidCount: number;
  paidSum: number;
  /** Invoices issued today and already paid in full. */
  issuedTodayPaidCount: number;
  /** issuedTodayPaidCount / issuedCount × 100; null when nothing was issued today. */
  conversionPercent: number | null;
  /** Invoices that became paid in full today (the commission basis), and the commission. */
  fullyPaidCount: number;
  fullyPaidSum: number;
  commission: number;
}

export interface ChannelDay {
  channel: string;
  issuedCount: number;
  issuedSum: number;
  paidCount: number;
  paidSum: number;
}

export interface Invoice {
  rowNumber: number;
  number: string;
  issueDate: LocalDate | null;
  manager: string;
  client: string;
  channel: string;
  amount: number;
  paymentDate: LocalDate | null;
  /** Everything paid on the invoice so far (the column holds the running total). */
  paidAmount: number;
  /** When the payment was entered («Оплата внесена», ms); null when unknown. */
  paymentEnteredAt: number | null;
}

export interface InvoiceLine extends Invoice {
  status: string;
  /** Days since issue, as of the report day. */
  ageDays: number | null;
}

export interface HeadOfSalesReport {
  day: LocalDate;
  generatedAt: Date;
  /** False when the report is made before the «Звонки» deadline (a preview in the afternoon). */
  pastCallsDeadline: boolean;
  callsDeadline: string;
  managers: ManagerDay[];
  totals: Omit<ManagerDay, 'manager' | 'callsFilled'>;
  byChannel: ChannelDay[];
  earlierPayments: InvoiceLine[];
  earlierPaymentsSum: number;
  overdue: InvoiceLine[];
  overdueSum: number;
  overdueDays: number;
  /** «Дней без обновления Аналитики», for the funnel block's wording. */
  staleDays: number;
  missingCalls: string[];
  commissionPercent: number;
  commissionFixed: number;
  funnel: TelegramFunnelSummary | null;
  /** Payments dated before today but entered after the previous summary (seed 004: by 10:00 next morning). */
  lateEntries: InvoiceLine[];
  lateEntriesSum: number;
  /** Per-manager leads, conversion, refusals and commission; null when «Аналитика» was not given. */
  results: ManagerResults | null;
  unparsed: UnparsedRow[];
}
