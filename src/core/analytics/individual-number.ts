// «Индивидуальный номер» (seed 001, step 6): 3 random digits + first and last Latin letter of the Telegram
// nick (no nick: of the Telegram name, transliterated) + 3 random digits, e.g. `417sa902`.
import { firstAndLastLatin, transliterate } from './transliteration';

export const INDIVIDUAL_NUMBER = /^\d{3}[a-z]{2}\d{3}$/i;
const MAX_ATTEMPTS = 200;

export interface NumberLetters {
  /** Letters the seed asks for: of the nick, else of the transliterated name. */
  expected: string | null;
  /** Every pair a typed number may carry (nick or name: the nick is often added after payment). */
  accepted: string[];
}

export function numberLetters(nick: string | null, name: string): NumberLetters {
  const fromNick = nick === null ? null : firstAndLastLatin(nick);
  const fromName = name === '' ? null : firstAndLastLatin(transliterate(name));
  const accepted = [fromNick, fromName].filter((l): l is string => l !== null);
  return { expected: fromNick ?? fromName, accepted };
}

/**
 * firstAndLastLatin of `text` (of its transliteration for a name) as one number, first letter's code × 256
 * + last's, lower-case; -1 when it has none. Compared with a typed number's letters without building strings.
 */
export function latinPairCode(text: string, isName = false): number {
  const s = isName ? transliterate(text) : text;
  let first = -1;
  let last = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90)) {
      if (first < 0) first = c;
      last = c;
    }
  }
  return first < 0 ? -1 : ((first | 32) << 8) | (last | 32);
}

function threeDigits(random: () => number): string {
  const n = Math.min(999, Math.max(0, Math.floor(random() * 1000)));
  return String(n).padStart(3, '0');
}

/**
 * A new number with `letters`, not in `taken` (lower-case keys); adds it to `taken`.
 * Null when no free number was found (practically never: a million combinations per letter pair).
 */
export function generateIndividualNumber(letters: string, random: () => number, taken: Set<string>): string | null {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const candidate = `${threeDigits(random)}${letters}${threeDigits(random)}`;
    if (!taken.has(candidate)) {
      taken.add(candidate);
      return candidate;
    }
  }
  return null;
}

/** Key for uniqueness checks: numbers compare case-insensitively. */
export function numberKey(value: string): string {
  return value.trim().toLowerCase();
}
