// Russian (and the Ukrainian/Belarusian extra letters) → Latin, close to the Russian passport scheme
// (ICAO 9303 as used since 2013, with й → y, ю → yu, я → ya, which managers read more easily).
const TABLE: Record<string, string> = {
  а: 'a', б: 'b', в: 'v', г: 'g', д: 'd', е: 'e', ё: 'e', ж: 'zh', з: 'z', и: 'i', й: 'y', к: 'k',
  л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't', у: 'u', ф: 'f', х: 'kh', ц: 'ts',
  ч: 'ch', ш: 'sh', щ: 'shch', ъ: '', ы: 'y', ь: '', э: 'e', ю: 'yu', я: 'ya',
  і: 'i', ї: 'yi', є: 'ye', ґ: 'g', ў: 'u',
};

let done = new Map<string, string>();

/** Transliterates Cyrillic letters; anything else is kept as is. Output is lower-case. Memoised: names repeat. */
export function transliterate(text: string): string {
  let out = done.get(text);
  if (out !== undefined) return out;
  out = '';
  for (const ch of text.toLowerCase()) {
    const latin = TABLE[ch];
    out += latin === undefined ? ch : latin;
  }
  if (done.size > 20_000) done = new Map();
  done.set(text, out);
  return out;
}

function isLatinLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

/** First and last Latin letter of `text` (lower-case), or null when it has none. */
export function firstAndLastLatin(text: string): string | null {
  let first = -1;
  let last = -1;
  for (let i = 0; i < text.length; i++) {
    if (isLatinLetter(text.charCodeAt(i))) {
      if (first < 0) first = i;
      last = i;
    }
  }
  return first < 0 ? null : (text[first] + text[last]).toLowerCase();
}
