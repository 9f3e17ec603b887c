// The reference sheets (Промокоды, Тарифы, Партнёры) as typed lookups for the «Аналитика» rules.
// Rows arrive keyed by column key, in sheet order, starting right under the header (row 2), blank rows
// included so that messages can name the sheet row.
import { cellText, isBlank, parseNumberText, parsePercent } from './analytics/cells';
import { refMsg } from './analytics/messages';
import { foldPromoCode, nameKey, partnerKey } from './analytics/promo-code';
import type { CellValue } from './analytics/types';

export type ReferenceRow = Record<string, CellValue | null | undefined>;

export interface ReferenceRows {
  /** Промокоды: code, partner, discountPercent, active, comment. */
  promoRows: ReferenceRow[];
  /** Тарифы: plan, price, currency. */
  planRows: ReferenceRow[];
  /** Партнёры: partner, emails, defaultPercent, active, sheetUrl, lastSync. */
  partnerRows: ReferenceRow[];
}

export interface Promo {
  /** The code as written in «Промокоды» (canonical spelling). */
  code: string;
  partner: string;
  /** Number of percent (5 = 5 %); null when the cell is empty or not a percentage. */
  discountPercent: number | null;
  active: boolean;
  comment: string;
  /** Sheet row in «Промокоды». */
  row: number;
}

export interface Plan {
  name: string;
  /** Null when leadership has not filled the price yet. */
  price: number | null;
  currency: string;
}

export interface Reference {
  /** Keyed by `foldPromoCode(code)`. */
  promoByCode: Map<string, Promo>;
  /** Keyed by `nameKey(plan)`. */
  planByName: Map<string, Plan>;
  /**
   * `partnerKey` of every partner in «Партнёры»: the rules only ask whether a name is known. Emails,
   * «% по умолчанию» and links are the sync's (core/partners/directory.ts), which reports their problems.
   */
  partners: Set<string>;
  /** What is wrong in the reference sheets, in Russian. */
  problems: string[];
}

const FIRST_DATA_ROW = 2;
const INACTIVE_WORDS = new Set(['false', 'нет', 'no', '0', 'неактивен', 'не активен', 'выкл']);

/** «Активен»: an unticked checkbox or «Нет» is inactive; an empty cell (no checkbox) counts as active. */
export function readActive(value: CellValue | null | undefined): boolean {
  if (value === false || value === 0) return false;
  if (typeof value === 'string') return !INACTIVE_WORDS.has(value.trim().toLowerCase());
  return true;
}

function readPrice(value: CellValue | null | undefined): number | null | 'bad' {
  if (isBlank(value)) return null;
  const n = typeof value === 'number' ? value : typeof value === 'string' ? parseNumberText(value) : null;
  return n === null || !Number.isFinite(n) || n <= 0 ? 'bad' : n;
}

function buildPartners(rows: ReferenceRow[], problems: string[]): Set<string> {
  const partners = new Set<string>();
  for (const r of rows) {
    const name = cellText(r.partner);
    if (name === '') continue;
    const key = partnerKey(name);
    if (partners.has(key)) problems.push(refMsg.duplicatePartner(name));
    partners.add(key);
  }
  return partners;
}

function buildPromos(rows: ReferenceRow[], partners: Set<string>, problems: string[]): Map<string, Promo> {
  const promoByCode = new Map<string, Promo>();
  const rowsByCode = new Map<string, Promo[]>();
  rows.forEach((r, i) => {
    const code = cellText(r.code);
    if (code === '') return;
    const row = i + FIRST_DATA_ROW;
    const partner = cellText(r.partner);
    const percent = parsePercent(r.discountPercent);
    if (partner === '') problems.push(refMsg.codeWithoutPartner(code, row));
    else if (partners.size > 0 && !partners.has(partnerKey(partner))) problems.push(refMsg.unknownPartner(code, partner));
    if (percent === null) problems.push(refMsg.codeWithoutDiscount(code, row));
    else if (Number.isNaN(percent)) problems.push(refMsg.badPercent('Промокоды', row, r.discountPercent));
    const promo: Promo = {
      code,
      partner,
      discountPercent: percent === null || Number.isNaN(percent) ? null : percent,
      active: readActive(r.active),
      comment: cellText(r.comment),
      row,
    };
    const key = foldPromoCode(code);
    const same = rowsByCode.get(key);
    if (same) same.push(promo);
    else rowsByCode.set(key, [promo]);
  });
  for (const [key, promos] of rowsByCode) {
    // A code repeated (also after folding look-alikes) is ambiguous; the first active row wins.
    promoByCode.set(key, promos.find((p) => p.active) ?? promos[0]);
    if (promos.length < 2) continue;
    const owners = [...new Map(promos.map((p) => [partnerKey(p.partner), p.partner])).values()];
    problems.push(
      owners.length > 1
        ? refMsg.duplicateCodeAcrossPartners(promos[0].code, owners)
        : refMsg.duplicateCode(promos[0].code, promos.map((p) => p.row)),
    );
  }
  return promoByCode;
}

function buildPlans(rows: ReferenceRow[], problems: string[]): Map<string, Plan> {
  const planByName = new Map<string, Plan>();
  for (const r of rows) {
    const name = cellText(r.plan);
    if (name === '') continue;
    const key = nameKey(name);
    if (planByName.has(key)) {
      problems.push(refMsg.duplicatePlan(name));
      continue;
    }
    const price = readPrice(r.price);
    if (price === 'bad') problems.push(refMsg.badPrice(name, r.price));
    planByName.set(key, { name, price: price === 'bad' ? null : price, currency: cellText(r.currency) });
  }
  return planByName;
}

/**
 * Builds the lookups. `tz` is accepted for symmetry with the other readers (dates in these sheets are
 * kept as instants); problems never stop the build — a bad row is reported and the rest still works.
 */
export function buildReference(rows: ReferenceRows, tz: string): Reference {
  void tz;
  const problems: string[] = [];
  const partners = buildPartners(rows.partnerRows, problems);
  const promoByCode = buildPromos(rows.promoRows, partners, problems);
  const planByName = buildPlans(rows.planRows, problems);
  return { promoByCode, planByName, partners, problems };
}

