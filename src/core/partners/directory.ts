// Who the partners are and which codes belong to whom, for the sync. Partner names are matched the way
// people type them: trimmed, any case, ё = е, and Cyrillic letters that look Latin folded (a name typed
// on the other keyboard layout, «Aлекс Мери» with a Latin A, is the same partner, never a new one).
import { cellText, isBlank, parsePercent } from '../analytics/cells';
import { foldPromoCode, partnerKey } from '../analytics/promo-code';
import { readActive, type ReferenceRow } from '../reference';
import { isEmail } from '../text';
import { partnerMsg } from './messages';

export { partnerKey };

export interface PartnerEntry {
  /** As written in «Партнёры» (the canonical spelling written into «Аффилейты»). */
  name: string;
  key: string;
  emails: string[];
  /** Number of percent (15 = 15 %), null when empty or bad. */
  defaultPercent: number | null;
  active: boolean;
  sheetUrl: string;
  /** 0-based index into the «Партнёры» rows. */
  index: number;
}

export interface CodeOwners {
  /** The code as first written in «Промокоды». */
  code: string;
  /** Partner keys that claim the code (more than one: ambiguous). */
  keys: string[];
  /** Their names, as written. */
  names: string[];
}

export interface PartnerDirectory {
  /** Partners of «Партнёры» by partnerKey, sheet order; names listed twice (after folding) are left out. */
  partners: Map<string, PartnerEntry>;
  /** Folded names that more than one «Партнёры» row claims: no file is synced for them. */
  ambiguous: Map<string, string[]>;
  /** Partners named only in «Промокоды» (no row in «Партнёры»): their leads still get master rows. */
  codeOnlyNames: Map<string, string>;
  /** Every code (inactive ones too: a lead paid before a code was switched off still counts), by foldPromoCode. */
  codes: Map<string, CodeOwners>;
  problems: string[];
}

const EMAIL_SPLIT = /[\s,;]+/;

export function buildDirectory(partnerRows: ReferenceRow[], promoRows: ReferenceRow[]): PartnerDirectory {
  const problems: string[] = [];
  const byKey = new Map<string, PartnerEntry[]>();
  partnerRows.forEach((r, index) => {
    const name = cellText(r.partner);
    if (name === '') return;
    const emails: string[] = [];
    for (const email of cellText(r.emails).split(EMAIL_SPLIT)) {
      if (email === '') continue;
      if (!isEmail(email)) problems.push(partnerMsg.badPartnerEmail(name, email));
      else if (!emails.some((e) => e.toLowerCase() === email.toLowerCase())) emails.push(email);
    }
    const percent = parsePercent(r.defaultPercent);
    if (Number.isNaN(percent)) problems.push(partnerMsg.badDefaultPercent(name, cellText(r.defaultPercent)));
    const entry: PartnerEntry = {
      name, key: partnerKey(name), emails, index,
      defaultPercent: percent === null || Number.isNaN(percent) ? null : percent,
      active: readActive(r.active),
      sheetUrl: cellText(r.sheetUrl),
    };
    const list = byKey.get(entry.key);
    if (list) list.push(entry); else byKey.set(entry.key, [entry]);
  });
  const partners = new Map<string, PartnerEntry>();
  const ambiguous = new Map<string, string[]>();
  for (const [key, list] of byKey) {
    if (list.length === 1) partners.set(key, list[0]);
    else {
      ambiguous.set(key, list.map((p) => p.name));
      problems.push(partnerMsg.ambiguousPartner(list.map((p) => p.name)));
    }
  }

  const codes = new Map<string, CodeOwners>();
  const codeOnlyNames = new Map<string, string>();
  for (const r of promoRows) {
    const code = cellText(r.code);
    const owner = cellText(r.partner);
    if (code === '' || owner === '') continue;
    const key = partnerKey(owner);
    if (!partners.has(key) && !ambiguous.has(key) && !codeOnlyNames.has(key)) codeOnlyNames.set(key, owner);
    const folded = foldPromoCode(code);
    const entry = codes.get(folded);
    if (!entry) codes.set(folded, { code, keys: [key], names: [displayName(key, owner, partners)] });
    else if (!entry.keys.includes(key)) {
      entry.keys.push(key);
      entry.names.push(displayName(key, owner, partners));
    }
  }
  return { partners, ambiguous, codeOnlyNames, codes, problems };
}

function displayName(key: string, fallback: string, partners: Map<string, PartnerEntry>): string {
  return partners.get(key)?.name ?? fallback;
}

export type ResolvedName =
  | { kind: 'partner'; key: string; name: string }
  | { kind: 'ambiguous'; names: string[] }
  | { kind: 'unknown' };

/** A partner name as typed anywhere (Аналитика, Аффилейты, Промокоды) → the one partner it means. */
export function resolvePartnerName(typed: unknown, dir: PartnerDirectory): ResolvedName {
  if (isBlank(typed as never)) return { kind: 'unknown' };
  const key = partnerKey(cellText(typed as never));
  const p = dir.partners.get(key);
  if (p) return { kind: 'partner', key, name: p.name };
  const names = dir.ambiguous.get(key);
  if (names) return { kind: 'ambiguous', names };
  const codeOnly = dir.codeOnlyNames.get(key);
  if (codeOnly !== undefined) return { kind: 'partner', key, name: codeOnly };
  return { kind: 'unknown' };
}
