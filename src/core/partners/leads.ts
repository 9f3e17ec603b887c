// Which paid leads of «Аналитика» belong to which partner. A lead is attributed by its promo code or
// by the partner a manager chose by hand; anything contradictory or unknown is reported and left alone,
// so a client can never land in another partner's file by guesswork.
import { cellText, isBlank, isStageMark, readAmountCell, readDateCell, type DateReading } from '../analytics/cells';
import { numberKey } from '../analytics/individual-number';
import { foldPromoCode } from '../analytics/promo-code';
import type { CellValue } from '../analytics/types';
import { localToDateCell } from '../analytics/cells';
import type { LocalDate } from '../dates';
import { resolvePartnerName, type PartnerDirectory } from './directory';
import { partnerMsg } from './messages';

/** The «Аналитика» fields the sync reads, by template column key. */
export interface AnalyticsLeadRow {
  rowNumber: number;
  name: CellValue;
  username: CellValue;
  promoCode: CellValue;
  partner: CellValue;
  stagePaid: CellValue;
  paidAmount: CellValue;
  individualNumber: CellValue;
  projectInfo: CellValue;
}

/** Those fields' column keys: the sync reads only these columns of «Аналитика». */
export const ANALYTICS_LEAD_KEYS: ReadonlyArray<Exclude<keyof AnalyticsLeadRow, 'rowNumber'>> = [
  'name', 'username', 'promoCode', 'partner', 'stagePaid', 'paidAmount', 'individualNumber', 'projectInfo',
];

export interface PaidLead {
  /** numberKey of the individual number (the sync key). */
  key: string;
  /** The individual number as written in «Аналитика». */
  number: string;
  rowNumber: number;
  partnerKey: string;
  partner: string;
  /** Moscow-midnight Date of «Оплата», or '' when it is not a readable date. */
  purchaseDate: Date | '';
  name: string;
  telegram: string;
  shopLink: string;
  /** null: «Оплаченная сумма» is not a number — the master cell is left as it is. */
  amount: number | '' | null;
}

/**
 * What «Аналитика» says about an individual number:
 * - lead: paid and attributed to exactly one partner;
 * - none: not a partner lead any more (payment cleared, or no code and no partner) — a master row
 *   with this key is marked, never deleted;
 * - unresolved: something is ambiguous or unknown — the master row is left exactly as it is.
 */
export type LeadOutcome =
  | { kind: 'lead'; lead: PaidLead }
  | { kind: 'none'; reason: 'unpaid' | 'noPartner'; rowNumber: number }
  | { kind: 'unresolved'; rowNumber: number };

export interface LeadsResult {
  byKey: Map<string, LeadOutcome>;
  /** Paid leads in sheet order (the order new master rows are appended in). */
  leads: PaidLead[];
  problems: string[];
  /** Paid leads with an ambiguous code, per folded code. */
  ambiguousCodeLeads: Map<string, number>;
}

type Attribution =
  | { kind: 'partner'; key: string; name: string }
  | { kind: 'none' }
  | { kind: 'unresolved'; problem?: string };

// Shared answers (read, never changed): most rows have no partner, and this runs for every row.
const NO_PARTNER: Attribution = { kind: 'none' };
const UNRESOLVED: Attribution = { kind: 'unresolved' };

function attribute(row: AnalyticsLeadRow, dir: PartnerDirectory, ambiguousCodeLeads: Map<string, number>, paid: boolean): Attribution {
  const code = cellText(row.promoCode);
  const hand = cellText(row.partner);
  const handResolved = hand === '' ? null : resolvePartnerName(hand, dir);
  if (code !== '') {
    const folded = foldPromoCode(code);
    const owners = dir.codes.get(folded);
    if (owners && owners.keys.length > 1) {
      if (paid) ambiguousCodeLeads.set(folded, (ambiguousCodeLeads.get(folded) ?? 0) + 1);
      return UNRESOLVED;
    }
    if (owners) {
      const ownerKey = owners.keys[0];
      const owner = resolvePartnerName(owners.names[0], dir);
      if (owner.kind === 'ambiguous') return { kind: 'unresolved', problem: partnerMsg.unknownPartnerName(row.rowNumber, owners.names[0]) };
      if (handResolved && !(handResolved.kind === 'partner' && handResolved.key === ownerKey)) {
        return { kind: 'unresolved', problem: partnerMsg.contradiction(row.rowNumber, owners.code, owners.names[0], hand) };
      }
      return { kind: 'partner', key: ownerKey, name: owner.kind === 'partner' ? owner.name : owners.names[0] };
    }
    if (!handResolved) return { kind: 'unresolved', problem: partnerMsg.unknownCode(row.rowNumber, code) };
  }
  if (!handResolved) return NO_PARTNER;
  if (handResolved.kind === 'partner') return handResolved;
  return { kind: 'unresolved', problem: partnerMsg.unknownPartnerName(row.rowNumber, hand) };
}

/** What the rows carrying one individual number say: the first row's outcome; `rows` once it repeats. */
interface NumberEntry {
  /** As first written. */
  number: string;
  firstRow: number;
  outcome: LeadOutcome;
  /** Every row with the number, in sheet order; null while only one row has it. */
  rows: number[] | null;
  anyLead: boolean;
}

export function collectLeads(rows: AnalyticsLeadRow[], dir: PartnerDirectory, tz: string, today: LocalDate): LeadsResult {
  const problems: string[] = [];
  const ambiguousCodeLeads = new Map<string, number>();
  // One map entry per number (not an outcome list and a row list each): a repeat is the rare case.
  const entries = new Map<string, NumberEntry>();
  const leads: PaidLead[] = [];
  for (const row of rows) {
    const number = cellText(row.individualNumber);
    const paid = !isBlank(row.stagePaid);
    const attribution = attribute(row, dir, ambiguousCodeLeads, paid);
    // Problems matter for paid leads only: an unpaid lead never reaches a partner's file.
    if (paid && attribution.kind === 'unresolved' && attribution.problem) problems.push(attribution.problem);
    if (number === '') {
      if (paid && attribution.kind === 'partner') problems.push(partnerMsg.noIndividualNumber(row.rowNumber));
      continue;
    }
    const key = numberKey(number);
    let outcome: LeadOutcome;
    if (!paid) outcome = { kind: 'none', reason: 'unpaid', rowNumber: row.rowNumber };
    else if (attribution.kind === 'none') outcome = { kind: 'none', reason: 'noPartner', rowNumber: row.rowNumber };
    else if (attribution.kind === 'unresolved') outcome = { kind: 'unresolved', rowNumber: row.rowNumber };
    else {
      const lead = paidLead(row, number, key, attribution, tz, today, problems);
      outcome = { kind: 'lead', lead };
    }
    const seen = entries.get(key);
    if (seen === undefined) {
      entries.set(key, { number, firstRow: row.rowNumber, outcome, rows: null, anyLead: outcome.kind === 'lead' });
    } else {
      (seen.rows ??= [seen.firstRow]).push(row.rowNumber);
      if (outcome.kind === 'lead') seen.anyLead = true;
    }
  }

  const byKey = new Map<string, LeadOutcome>();
  for (const [key, e] of entries) {
    if (e.rows === null) {
      byKey.set(key, e.outcome);
      if (e.outcome.kind === 'lead') leads.push(e.outcome.lead);
      continue;
    }
    // The same number on several rows: which one is the partner's client is not ours to guess.
    if (e.anyLead) problems.push(partnerMsg.duplicateLeadNumber(e.number, e.rows));
    byKey.set(key, { kind: 'unresolved', rowNumber: e.rows[0] });
  }
  leads.sort((a, b) => a.rowNumber - b.rowNumber);
  // Every code two partners claim is reported (by both names), whether or not a lead used it yet.
  for (const [folded, owners] of dir.codes) {
    if (owners.keys.length > 1) problems.push(partnerMsg.ambiguousCode(owners.code, owners.names, ambiguousCodeLeads.get(folded) ?? 0));
  }
  return { byKey, leads, problems, ambiguousCodeLeads };
}

/** Reused for every paid lead (readDateCell keeps nothing of it). */
const paidReading: DateReading = { column: 'Оплата', acceptMarks: false, today: '', tz: '' };

function paidLead(row: AnalyticsLeadRow, number: string, key: string, who: { key: string; name: string }, tz: string, today: LocalDate, problems: string[]): PaidLead {
  let purchaseDate: Date | '' = '';
  paidReading.today = today;
  paidReading.tz = tz;
  const date = readDateCell(row.stagePaid, paidReading);
  if (date.kind === 'date') purchaseDate = localToDateCell(date.date, tz);
  else if (!isStageMark(row.stagePaid)) problems.push(partnerMsg.badPaidDate(row.rowNumber));
  const amountCell = readAmountCell(row.paidAmount);
  let amount: number | '' | null;
  if (amountCell.kind === 'amount') amount = amountCell.amount;
  else if (amountCell.kind === 'empty') amount = '';
  else {
    amount = null;
    problems.push(partnerMsg.badAmount(row.rowNumber));
  }
  return {
    key, number, rowNumber: row.rowNumber, partnerKey: who.key, partner: who.name, purchaseDate,
    name: cellText(row.name), telegram: cellText(row.username), shopLink: cellText(row.projectInfo), amount,
  };
}
