// Promo codes as managers type them: spaces, any case, and Cyrillic letters that look Latin
// (a code dictated in a chat is often typed on a Russian keyboard layout: «рrоstо5»).
const LOOK_ALIKES: Record<string, string> = {
  а: 'a', в: 'b', е: 'e', ё: 'e', к: 'k', м: 'm', н: 'h', о: 'o', р: 'p', с: 'c', т: 't', у: 'y',
  х: 'x', і: 'i',
};

let folded = new Map<string, string>();

/**
 * Lookup key of a code: trimmed, lower-case, Cyrillic look-alikes folded to Latin. Codes may contain '%'.
 * Memoised: a sheet repeats a dozen codes on thousands of rows.
 */
export function foldPromoCode(code: string): string {
  let out = folded.get(code);
  if (out !== undefined) return out;
  const lower = code.trim().toLowerCase();
  out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i];
    const latin = LOOK_ALIKES[ch];
    out += latin === undefined ? ch : latin;
  }
  if (folded.size > 20_000) folded = new Map();
  folded.set(code, out);
  return out;
}

const SPACES = /\s+/g;
const YO = /ё/g;
let nameKeys = new Map<string, string>();

/**
 * Lookup key of a partner, plan or source name: trimmed, case-insensitive, ё = е, inner spaces collapsed
 * (as headerKey in text.ts). Memoised: a sheet repeats a handful of names on every row.
 */
export function nameKey(name: string): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    key = name.trim().toLowerCase().replace(YO, 'е').replace(SPACES, ' ');
    if (nameKeys.size > 20_000) nameKeys = new Map();
    nameKeys.set(name, key);
  }
  return key;
}

/**
 * Matching key of a partner name, for every place that matches partners («Аналитика» rules,
 * «Промокоды», the sync): nameKey plus Cyrillic → Latin look-alike folding, so «Aлекс» typed with a
 * Latin A is the same partner everywhere, never «unknown» in one place and accepted in another.
 */
export function partnerKey(name: string): string {
  return foldPromoCode(nameKey(name));
}
