// Small builders that read like the sheets: a «Отчёт секретаря» contact at a Moscow date and time,
// a «Звонки» row, an «Счета» row, and the settings the reports use.
import { localDateTimeToDate, type LocalDate } from '../../src/core/dates';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import type {
  CallsKey, CallsRow, CellValue, InvoiceKey, InvoiceRow, RenderContext, SecretaryKey, SecretaryRow, TelegramFunnelSummary,
} from '../../src/core/reports';
import type { HeadOfSalesSettings } from '../../src/core/reports';

export const TZ = 'Europe/Moscow';

/** A date cell as Sheets returns it: midnight Moscow. */
export const d = (date: LocalDate): Date => localDateTimeToDate(date, TZ);
/** A date-time cell: that Moscow wall-clock time. */
export const dt = (date: LocalDate, time = '12:00'): Date => {
  const [h, m] = time.split(':').map(Number);
  return localDateTimeToDate(date, TZ, h, m);
};
/** The instant of a Moscow wall-clock time, e.g. the moment a report is made. */
export const at = dt;

type Values<K extends string> = Partial<Record<K, CellValue>>;

/** Rows numbered as in the sheet: the header is row 1, so data starts at row 2. */
export function numbered<K extends string>(rows: Array<Values<K>>, first = 2): Array<{ rowNumber: number; values: Values<K> }> {
  return rows.map((values, i) => ({ rowNumber: first + i, values }));
}

export function contact(date: LocalDate, time: string, values: Values<SecretaryKey> = {}): Values<SecretaryKey> {
  return {
    dateTime: dt(date, time), channel: 'Входящий звонок', client: 'Клиент', company: '', contact: '', city: '',
    personType: '', newClient: 'Нет', request: '', transferredTo: '', outcome: 'Консультация', comment: '', ...values,
  };
}
export const secretaryRows = (rows: Array<Values<SecretaryKey>>): SecretaryRow[] => numbered(rows);

export function callsRow(date: LocalDate, manager: string, incoming = 0, outgoing = 0, mail = 0, existing = 0, comment = ''): Values<CallsKey> {
  return { date: d(date), manager, incomingCalls: incoming, outgoingCalls: outgoing, mailRequests: mail, existingClientCalls: existing, comment };
}
export const callsRows = (rows: Array<Values<CallsKey>>): CallsRow[] => numbered(rows);

export function invoice(values: Values<InvoiceKey>): Values<InvoiceKey> {
  return { number: '', issueDate: '', manager: '', client: '', channel: 'Заявка', amount: '', paymentDate: '', paidAmount: '', status: '', ...values };
}
export const invoiceRows = (rows: Array<Values<InvoiceKey>>): InvoiceRow[] => numbered(rows);

export const SETTINGS: HeadOfSalesSettings = {
  callsDeadline: DEFAULT_SETTINGS.callsDeadline,
  invoiceOverdueDays: 7,
  managerCommissionPercent: 5,
  managerCommissionFixed: 100,
  staleAnalyticsDays: 3,
};

export const FUNNEL: TelegramFunnelSummary = {
  today: '2026-11-23',
  newLeadsToday: 4,
  paidToday: { count: 2, sum: 1100 },
  waitingNow: 7,
  conversion30d: { leads: 40, paid: 5, rate: 0.125 },
  staleManagers: [{ manager: 'Олег', lastUpdate: '2026-11-18', daysSince: 5 }],
};

export const CTX: RenderContext = {
  spreadsheetUrl: 'https://docs.google.com/spreadsheets/d/abc123/edit',
  currency: 'EUR',
  tz: TZ,
};
