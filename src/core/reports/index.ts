// Daily reports (SPEC §3.4): pure computing and rendering of the 11:00 secretary and 19:45 РОП emails.
export * from './types';
export { computeSecretaryReport, secretaryReportDay, type SecretaryInput } from './secretary';
export { computeHeadOfSalesReport, headOfSalesReportDay, MANAGER_LOOKBACK_DAYS, type HeadOfSalesInput, type HeadOfSalesSettings } from './head-of-sales';
export { invoiceStatus, isPaidInFull, readInvoice, statusOf, type Invoice, type InvoiceReading } from './invoice';
export { renderSecretaryEmail, renderHeadOfSalesEmail, DEFAULT_LIMITS, GMAIL_CLIP_BYTES, MAX_EMAIL_BYTES, type RenderContext, type RenderedEmail, type ListLimits } from './render';
export { formatMoney, formatPercent, formatDelta, formatCount, utf8Bytes } from './format';
export type { InvoiceStatus } from './sheets';
export { computeFollowUps, FOLLOW_UP_KEYS, FOLLOW_UP_KINDS, type FollowUpInput, type FollowUpKind, type FollowUpLine, type ManagerFollowUp } from './follow-up';
export { computeManagerResults, RESULT_KEYS, type ManagerResult, type ManagerResults } from './manager-results';
export { renderFollowUpEmail, rowLink, type FollowUpContext } from './render-managers';
export { openCallbackItems, CALLBACK_TARGET_MINUTES, TRANSFER_TARGET_MINUTES } from './secretary';
