// Small fixtures for the partner sync: «Партнёры» and «Промокоды» rows from the templates, leads as the
// manager fills them, and a seeded random generator for property tests.
import { PARTNER_NAMES, PROMO_CODES } from '../../sheets-templates';
import { seededRandom } from '../../emulator/context';
import type { ReferenceRow } from '../../src/core/reference';
import type { AnalyticsLeadRow } from '../../src/core/partners';
import { localDateToDate, MOSCOW } from '../../src/core/dates';

export const partnerRows = (overrides: Record<string, Partial<ReferenceRow>> = {}): ReferenceRow[] =>
  PARTNER_NAMES.map((partner, i) => ({
    partner, emails: `partner${i + 1}@example.com`, defaultPercent: i % 3 === 0 ? 15 : 10, active: true, sheetUrl: '', lastSync: '',
    ...overrides[partner],
  }));

export const promoRows = (): ReferenceRow[] =>
  PROMO_CODES.map(([code, partner, discountPercent]) => ({ code, partner, discountPercent, active: true, comment: '' }));

export const day = (d: string) => localDateToDate(d, MOSCOW);

let nextRow = 2;
export function lead(values: Partial<AnalyticsLeadRow>): AnalyticsLeadRow {
  return {
    rowNumber: values.rowNumber ?? nextRow++, name: '', username: '', promoCode: '', partner: '', stagePaid: '', paidAmount: '',
    individualNumber: '', projectInfo: '', ...values,
  };
}

/** A seedable PRNG so a failing property names its seed. */
export const rng = seededRandom;

const LATIN_FOR: Record<string, string> = { А: 'A', а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', Е: 'E', О: 'O', Р: 'P', С: 'C', М: 'M', Т: 'T', К: 'K', Н: 'H', х: 'x' };

/** A name as a manager might type it: some Cyrillic letters on the Latin layout, stray spaces, other case. */
export function sloppy(name: string, random: () => number): string {
  let out = '';
  for (const ch of name) out += LATIN_FOR[ch] !== undefined && random() < 0.5 ? LATIN_FOR[ch] : ch;
  if (random() < 0.3) out = out.toLowerCase();
  if (random() < 0.5) out += ' ';
  if (random() < 0.3) out = `  ${out}`;
  return out;
}
