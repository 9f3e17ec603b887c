// Google counts CacheService and PropertiesService limits in UTF-8 bytes, not characters: a Cyrillic
// letter is 2 bytes, «€» 3, an emoji 4. Every size check against those limits goes through here.

/** CacheService: at most 100 KB per value (102,400 bytes). */
export const CACHE_VALUE_LIMIT_BYTES = 102_400;
/** PropertiesService: at most 9 KB per property, key and value together. */
export const PROPERTY_LIMIT_BYTES = 9_216;

/** UTF-8 size of a string, without TextEncoder (absent in Apps Script). */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1))) { n += 4; i++; } // a pair
    else n += 3; // the rest of the BMP; a lone surrogate is written as U+FFFD, also 3
  }
  return n;
}

function isLowSurrogate(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
