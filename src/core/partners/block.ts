// A partner's own file: only that partner's rows of «Аффилейты» (the master's columns minus «Партнёр»
// and the key), plus totals, as static values. Every string is neutralised so nothing a manager typed
// can run as a formula in someone else's spreadsheet.
import { cellText, isBlank, roundCents } from '../analytics/cells';
import type { CellValue } from '../analytics/types';
import { isDate, literalForSheet, neutraliseFormula } from '../text';
import { commissionOf, readMoney } from './commission';
import { resolvePartnerName, type PartnerDirectory } from './directory';
import { MASTER_KEYS, isRowBlank, type MasterKey, type MasterRow } from './master';
import { partnerMsg, TOTAL_LABEL } from './messages';

/** Columns a partner sees: the master's, minus who the partner is and the internal key. */
export const PARTNER_FILE_KEYS = MASTER_KEYS.filter((k) => k !== 'partner' && k !== 'individualNumber') as Exclude<MasterKey, 'partner' | 'individualNumber'>[];
export type PartnerFileKey = (typeof PARTNER_FILE_KEYS)[number];

export interface MasterRowState {
  row: MasterRow;
  /** Sheet row number (for messages). */
  rowNumber: number;
  withdrawn: boolean;
}

export interface Assignment {
  /** Rows per partner key, in master order. */
  byPartner: Map<string, MasterRow[]>;
  problems: string[];
}

/** Which master rows go to which partner's file. A row goes to at most one partner, by its «Партнёр». */
export function assignRows(rows: MasterRowState[], dir: PartnerDirectory): Assignment {
  const byPartner = new Map<string, MasterRow[]>();
  const problems: string[] = [];
  for (const { row, rowNumber, withdrawn } of rows) {
    if (withdrawn || isRowBlank(row)) continue;
    const typed = cellText(row.partner);
    if (typed === '') continue;
    const who = resolvePartnerName(typed, dir);
    if (who.kind !== 'partner') {
      problems.push(partnerMsg.masterUnknownPartner(rowNumber, typed));
      continue;
    }
    const list = byPartner.get(who.key);
    if (list) list.push(row); else byPartner.set(who.key, [row]);
  }
  return { byPartner, problems };
}

export interface PartnerBlock {
  /** The values as the partner file should read back: header, rows, a blank line, totals. */
  grid: CellValue[][];
  rows: number;
  totalPaid: number;
  totalCommission: number;
}

/** The value a partner sees for a column: the master cell, commission computed when the cell lacks it. */
function fileValue(row: MasterRow, key: PartnerFileKey): CellValue {
  if (key === 'commission') {
    const computed = commissionOf(row.paidAmount, row.affiliatePercent);
    return computed !== '' ? computed : row.commission;
  }
  const v = row[key];
  return typeof v === 'string' ? v.trim() : v;
}

export function buildPartnerBlock(rows: MasterRow[], headers: Record<PartnerFileKey, string>): PartnerBlock {
  const grid: CellValue[][] = [PARTNER_FILE_KEYS.map((k) => headers[k])];
  let totalPaid = 0;
  let totalCommission = 0;
  for (const row of rows) {
    const line = PARTNER_FILE_KEYS.map((k) => fileValue(row, k));
    grid.push(line);
    const paid = isDate(row.paidAmount) ? null : readMoney(row.paidAmount);
    if (paid !== null) totalPaid += paid;
    const commission = line[PARTNER_FILE_KEYS.indexOf('commission')];
    const c = isDate(commission) ? null : readMoney(commission);
    if (c !== null) totalCommission += c;
  }
  totalPaid = roundCents(totalPaid);
  totalCommission = roundCents(totalCommission);
  grid.push(PARTNER_FILE_KEYS.map(() => ''));
  grid.push(PARTNER_FILE_KEYS.map((k, i) => {
    if (i === 0) return TOTAL_LABEL;
    if (k === 'name') return partnerMsg.clientsCount(rows.length);
    if (k === 'paidAmount') return totalPaid;
    if (k === 'commission') return totalCommission;
    return '';
  }));
  return { grid, rows: rows.length, totalPaid, totalCommission };
}

/**
 * How a value goes into a partner file: strings starting with = + - @ are neutralised; any other
 * string Sheets would re-parse (a number, a date, TRUE) is kept literal, so it reads back as written.
 */
export function partnerCell(value: CellValue): unknown {
  if (typeof value !== 'string' || value === '') return value;
  const neutral = neutraliseFormula(value);
  return neutral !== value ? neutral : literalForSheet(value);
}

export function blockForWrite(grid: CellValue[][]): unknown[][] {
  return grid.map((r) => r.map(partnerCell));
}

function sameValue(a: unknown, b: unknown): boolean {
  const aDate = isDate(a);
  const bDate = isDate(b);
  if (aDate || bDate) return aDate && bDate && (a as Date).getTime() === (b as Date).getTime();
  return (a ?? '') === (b ?? '');
}

/** True when the sheet already holds exactly the block (and nothing else around it). */
export function blockMatches(current: unknown[][], grid: CellValue[][]): boolean {
  const height = Math.max(current.length, grid.length);
  for (let r = 0; r < height; r++) {
    const have = current[r] ?? [];
    const want = grid[r] ?? [];
    const width = Math.max(have.length, want.length);
    for (let c = 0; c < width; c++) {
      const h = have[c] ?? '';
      const w = want[c] ?? '';
      if (!sameValue(h, w) && !(isBlank(h as CellValue) && isBlank(w) && typeof h !== 'boolean')) return false;
    }
  }
  return true;
}
