// Sheet and column names as the templates define them, so notes name exactly what the team sees.
import { callsSheet } from '../../../sheets-templates/calls';
import { invoicesSheet, INVOICE_STATUSES } from '../../../sheets-templates/invoices';
import { listValues, SECRETARY_CALLBACK } from '../../../sheets-templates/lists';
import { secretaryLogSheet } from '../../../sheets-templates/secretary-log';
import type { CallsKey, InvoiceKey, SecretaryKey } from './types';

function headersOf<K extends string>(columns: ReadonlyArray<{ key: string; header: string }>): Record<K, string> {
  return Object.fromEntries(columns.map((c) => [c.key, c.header])) as Record<K, string>;
}

export const SECRETARY_SHEET = secretaryLogSheet.name;
export const CALLS_SHEET = callsSheet.name;
export const INVOICES_SHEET = invoicesSheet.name;

export const SECRETARY_HEADERS = headersOf<SecretaryKey>(secretaryLogSheet.columns);
export const CALLS_HEADERS = headersOf<CallsKey>(callsSheet.columns);
export const INVOICE_HEADERS = headersOf<InvoiceKey>(invoicesSheet.columns);

export const SECRETARY_CHANNELS = listValues('secretaryChannels');
export const SECRETARY_OUTCOMES = listValues('secretaryOutcomes');
export const INVOICE_CHANNELS = listValues('invoiceChannels');
/** «Заявка оформлена»: the outcome that counts as a request. */
export const OUTCOME_REQUEST = 'Заявка оформлена';
export const OUTCOME_CALLBACK = SECRETARY_CALLBACK;

export { INVOICE_STATUSES };
export type InvoiceStatus = (typeof INVOICE_STATUSES)[keyof typeof INVOICE_STATUSES];
