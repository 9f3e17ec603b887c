// The «Аффилейты» diff: one row per paid partner lead, keyed by the individual number. Only the columns
// «Аналитика» owns are updated; «% affiliate» is written once (the partner's default, when empty) and
// never again; rows added by hand, rows whose key «Аналитика» does not know, and everything ambiguous
// are left exactly as they are. A lead that stopped being a partner lead is marked with a note, not
// deleted, because its row may carry what leadership typed.
import { cellText, isBlank, sameCell } from '../analytics/cells';
import { numberKey } from '../analytics/individual-number';
import type { CellValue } from '../analytics/types';
import { commissionOf, readAffiliatePercent } from './commission';
import { partnerKey, type PartnerDirectory } from './directory';
import type { LeadOutcome, PaidLead } from './leads';
import { partnerMsg, WITHDRAWN_MARK } from './messages';

export const MASTER_KEYS = ['partner', 'purchaseDate', 'name', 'telegram', 'shopLink', 'paidAmount', 'affiliatePercent', 'commission', 'individualNumber'] as const;
export type MasterKey = (typeof MASTER_KEYS)[number];
export type MasterRow = Record<MasterKey, CellValue>;

export interface MasterPlan {
  /** Cell updates per row index (0-based into the rows read). */
  updates: Map<number, Partial<MasterRow>>;
  /** New note of the key cell per row index (only where it changes). */
  notes: Map<number, string>;
  /** New rows, in «Аналитика» order. */
  appends: MasterRow[];
  /** Row indexes (into the rows read) that must not reach a partner's file: not a partner lead any more. */
  withdrawn: Set<number>;
  partnerChanges: Array<{ index: number; from: string; to: string }>;
  problems: string[];
  counts: { synced: number; added: number; withdrawn: number; handRows: number };
}

export interface MasterInput {
  rows: MasterRow[];
  /** Notes of the key cells, same length as rows ('' when none). */
  keyNotes: string[];
  /** Sheet row number of rows[0] (for messages). */
  firstRow: number;
}

/** Note text with the sync's mark on the first line; a person's own note is kept below it. */
export function markWithdrawn(note: string, mark: string): string {
  if (note.startsWith(WITHDRAWN_MARK)) return note;
  return note === '' ? mark : `${mark}\n${note}`;
}

export function clearWithdrawn(note: string): string {
  if (!note.startsWith(WITHDRAWN_MARK)) return note;
  const nl = note.indexOf('\n');
  return nl < 0 ? '' : note.slice(nl + 1);
}

export function isWithdrawnNote(note: string): boolean {
  return note.startsWith(WITHDRAWN_MARK);
}

/** The values «Аналитика» owns for a lead (amount left out when it is not a number). */
function leadValues(lead: PaidLead): Partial<MasterRow> {
  const out: Partial<MasterRow> = {
    partner: lead.partner, purchaseDate: lead.purchaseDate, name: lead.name, telegram: lead.telegram, shopLink: lead.shopLink,
  };
  if (lead.amount !== null) out.paidAmount = lead.amount;
  return out;
}

export function planMaster(input: MasterInput, outcomes: Map<string, LeadOutcome>, leads: PaidLead[], dir: PartnerDirectory, syncDate: string): MasterPlan {
  const plan: MasterPlan = {
    updates: new Map(), notes: new Map(), appends: [], withdrawn: new Set(), partnerChanges: [], problems: [],
    counts: { synced: 0, added: 0, withdrawn: 0, handRows: 0 },
  };
  const firstIndexByKey = new Map<string, number>();
  const duplicates = new Map<string, number[]>();
  const noDefault = new Map<string, number>();

  input.rows.forEach((row, index) => {
    const number = cellText(row.individualNumber);
    if (number === '') { if (!isRowBlank(row)) plan.counts.handRows++; return; }
    const key = numberKey(number);
    const first = firstIndexByKey.get(key);
    if (first !== undefined) {
      const list = duplicates.get(key) ?? [first + input.firstRow];
      list.push(index + input.firstRow);
      duplicates.set(key, list);
      return;
    }
    firstIndexByKey.set(key, index);
    const outcome = outcomes.get(key);
    const note = input.keyNotes[index] ?? '';
    if (!outcome) { plan.counts.handRows++; return; }
    if (outcome.kind === 'unresolved') return;
    if (outcome.kind === 'none') {
      plan.withdrawn.add(index);
      plan.counts.withdrawn++;
      const mark = outcome.reason === 'unpaid' ? partnerMsg.withdrawnUnpaid(syncDate) : partnerMsg.withdrawnNoPartner(syncDate);
      const next = markWithdrawn(note, mark);
      if (next !== note) plan.notes.set(index, next);
      return;
    }
    plan.counts.synced++;
    const lead = outcome.lead;
    const cleared = clearWithdrawn(note);
    if (cleared !== note) plan.notes.set(index, cleared);
    const update: Partial<MasterRow> = {};
    for (const [k, v] of Object.entries(leadValues(lead)) as Array<[MasterKey, CellValue]>) {
      if (!sameCell(row[k], v)) update[k] = v;
    }
    const before = cellText(row.partner);
    if (before !== '' && partnerKey(before) !== lead.partnerKey) plan.partnerChanges.push({ index, from: before, to: lead.partner });
    fillPercentAndCommission(row, update, lead, dir, noDefault, index + input.firstRow, plan.problems);
    if (Object.keys(update).length > 0) plan.updates.set(index, update);
  });

  for (const lead of leads) {
    if (firstIndexByKey.has(lead.key)) continue;
    const row: MasterRow = {
      partner: lead.partner, purchaseDate: lead.purchaseDate, name: lead.name, telegram: lead.telegram, shopLink: lead.shopLink,
      paidAmount: lead.amount ?? '', affiliatePercent: '', commission: '', individualNumber: lead.number,
    };
    const update: Partial<MasterRow> = {};
    fillPercentAndCommission(row, update, lead, dir, noDefault, null, plan.problems);
    plan.appends.push({ ...row, ...update } as MasterRow);
    plan.counts.added++;
    plan.counts.synced++;
  }

  for (const [key, rows] of duplicates) {
    const number = cellText(input.rows[firstIndexByKey.get(key)!].individualNumber);
    plan.problems.push(partnerMsg.duplicateMasterNumber(number, rows));
  }
  for (const [name, count] of noDefault) plan.problems.push(partnerMsg.noDefaultPercent(name, count));
  for (const c of plan.partnerChanges) plan.problems.push(partnerMsg.partnerChanged(c.index + input.firstRow, c.from, c.to));
  return plan;
}

function fillPercentAndCommission(row: MasterRow, update: Partial<MasterRow>, lead: PaidLead, dir: PartnerDirectory, noDefault: Map<string, number>, rowNumber: number | null, problems: string[]): void {
  let percent: CellValue = row.affiliatePercent;
  if (isBlank(percent)) {
    const fallback = dir.partners.get(lead.partnerKey)?.defaultPercent ?? null;
    if (fallback !== null) {
      percent = fallback;
      update.affiliatePercent = fallback;
    } else noDefault.set(lead.partner, (noDefault.get(lead.partner) ?? 0) + 1);
  } else if (Number.isNaN(readAffiliatePercent(percent)) && rowNumber !== null) {
    problems.push(partnerMsg.badAffiliatePercent(rowNumber, cellText(percent)));
  }
  const amount = update.paidAmount !== undefined ? update.paidAmount : row.paidAmount;
  const commission = commissionOf(amount, percent);
  if (!sameCell(row.commission, commission)) update.commission = commission;
}

export function isRowBlank(row: MasterRow): boolean {
  return MASTER_KEYS.every((k) => isBlank(row[k]));
}
