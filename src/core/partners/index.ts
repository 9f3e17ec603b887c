// Partner sync, pure part: who the partners are, which paid leads are whose, the «Аффилейты» diff,
// commission, and the block each partner's own file holds.
export { buildDirectory, partnerKey, resolvePartnerName, type PartnerDirectory, type PartnerEntry, type ResolvedName } from './directory';
export { ANALYTICS_LEAD_KEYS, collectLeads, type AnalyticsLeadRow, type LeadOutcome, type LeadsResult, type PaidLead } from './leads';
export { planMaster, markWithdrawn, clearWithdrawn, isWithdrawnNote, isRowBlank, MASTER_KEYS, type MasterKey, type MasterPlan, type MasterRow, type MasterInput } from './master';
export { commissionOf, readAffiliatePercent, readMoney } from './commission';
export { assignRows, buildPartnerBlock, blockForWrite, blockMatches, partnerCell, PARTNER_FILE_KEYS, type PartnerFileKey, type PartnerBlock, type MasterRowState } from './block';
export { partnerMsg, PARTNER_FILE_PREFIX, PARTNER_FILE_SHEET, TOTAL_LABEL, WITHDRAWN_MARK } from './messages';
