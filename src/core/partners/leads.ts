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

/**
 * cellText without the trim call for the cells that need none: empty, or text whose two ends trim keeps.
 * Runs on the number of every row of «Аналитика» and on five more cells of a paid one.
 */
function textOf(value: CellValue): string {
  if (typeof value === 'string') {
    if (value === '') return '';
    if (trimKeeps(value.charCodeAt(0)) && trimKeeps(value.charCodeAt(value.length - 1))) return value;
  }
  return cellText(value);
}

/** A char trim never removes: JS white space and line terminators all lie at ≤ U+0020, U+00A0 or ≥ U+1680. */
const trimKeeps = (c: number) => c > 32 && c < 0x1680 && c !== 0xa0;

/** Whose lead a paid row is. */
function attribute(row: AnalyticsLeadRow, dir: PartnerDirectory, ambiguousCodeLeads: Map<string, number>): Attribution {
  const code = textOf(row.promoCode);
  const hand = textOf(row.partner);
  const handResolved = hand === '' ? null : resolvePartnerName(hand, dir);
  if (code !== '') {
    const folded = foldPromoCode(code);
    const owners = dir.codes.get(folded);
    if (owners && owners.keys.length > 1) {
      ambiguousCodeLeads.set(folded, (ambiguousCodeLeads.get(folded) ?? 0) + 1);
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

/** What the row loop gathers. */
interface Collected {
  byKey: Map<string, LeadOutcome>;
  /** Every paid lead, in row order (those of a repeated number are dropped afterwards). */
  leads: PaidLead[];
  problems: string[];
  ambiguousCodeLeads: Map<string, number>;
  /** Numbers found on more than one row: the rare case, settled after the loop. */
  repeated: Set<string>;
}

export function collectLeads(rows: AnalyticsLeadRow[], dir: PartnerDirectory, tz: string, today: LocalDate): LeadsResult {
  const out: Collected = { byKey: new Map(), leads: [], problems: [], ambiguousCodeLeads: new Map(), repeated: new Set() };
  collectRows(rows, dir, tz, today, out);
  const { byKey, problems, ambiguousCodeLeads, repeated } = out;
  let leads = out.leads;
  if (repeated.size > 0) {
    settleRepeats(rows, repeated, leads, byKey, problems);
    leads = leads.filter((l) => !repeated.has(l.key));
  }
  leads.sort((a, b) => a.rowNumber - b.rowNumber);
  // Every code two partners claim is reported (by both names), whether or not a lead used it yet.
  for (const [folded, owners] of dir.codes) {
    if (owners.keys.length > 1) problems.push(partnerMsg.ambiguousCode(owners.code, owners.names, ambiguousCodeLeads.get(folded) ?? 0));
  }
  return { byKey, leads, problems, ambiguousCodeLeads };
}

/**
 * The outcome of each row's number into `byKey`. Nothing follows the loop: V8 optimises a long loop
 * while it runs, and code after it that has never run would cost a deoptimisation on every sync.
 */
function collectRows(rows: AnalyticsLeadRow[], dir: PartnerDirectory, tz: string, today: LocalDate, out: Collected): void {
  const { byKey, leads, problems, repeated } = out;
  for (const row of rows) {
    const number = textOf(row.individualNumber);
    const paid = !isBlank(row.stagePaid);
    // An unpaid row's partner is never used (its outcome is «unpaid» and it reports no problem).
    const attribution = paid ? attribute(row, dir, out.ambiguousCodeLeads) : NO_PARTNER;
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
      leads.push(lead);
      outcome = { kind: 'lead', lead };
    }
    // One map operation per row: a number seen before leaves the size as it was (its outcome is
    // replaced now and settled after the loop).
    const size = byKey.size;
    byKey.set(key, outcome);
    if (byKey.size === size) repeated.add(key);
  }
}

/**
 * The same number on several rows: which one is the partner's client is not ours to guess. Marks it
 * unresolved at its first row and reports those with a paid lead among their rows, in the order of
 * their first rows, by the number as first written (a second pass, made only when a number repeats).
 */
function settleRepeats(
  rows: AnalyticsLeadRow[], repeated: Set<string>, leads: PaidLead[], byKey: Map<string, LeadOutcome>, problems: string[],
): void {
  const seen = new Map<string, { number: string; rows: number[] }>();
  for (const row of rows) {
    const number = textOf(row.individualNumber);
    if (number === '') continue;
    const key = numberKey(number);
    if (!repeated.has(key)) continue;
    const entry = seen.get(key);
    if (entry === undefined) seen.set(key, { number, rows: [row.rowNumber] });
    else entry.rows.push(row.rowNumber);
  }
  const withLead = new Set<string>();
  for (const lead of leads) if (repeated.has(lead.key)) withLead.add(lead.key);
  for (const [key, { number, rows: where }] of seen) {
    if (withLead.has(key)) problems.push(partnerMsg.duplicateLeadNumber(number, where));
    byKey.set(key, { kind: 'unresolved', rowNumber: where[0] });
  }
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
    name: textOf(row.name), telegram: textOf(row.username), shopLink: textOf(row.projectInfo), amount,
  };
}
