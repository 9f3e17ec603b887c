// Small helpers the emulator needs everywhere. The emulator stands alone: it imports nothing from the
// product (src/) or its templates, so a product bug can never leak into the stand-in for Google.
import { zonedParts } from './services/timezone';

/** A valid Date from any realm: a bundle in node:vm has its own Date, so `instanceof` would miss it. */
export function isDate(value: unknown): value is Date {
  return typeof value === 'object' && value !== null
    && Object.prototype.toString.call(value) === '[object Date]' && !Number.isNaN((value as Date).getTime());
}

const QUARTER_HOUR_MS = 15 * 60_000;
const offsetCache = new Map<string, Map<number, number>>();

/**
 * Offset (ms, east positive) of the zone's wall clock from UTC at an instant. Zone changes fall on
 * quarter hours of UTC, so one lookup per quarter hour is exact; cell reads of dates call this a lot.
 */
export function zoneOffsetMs(ms: number, tz: string): number {
  let cache = offsetCache.get(tz);
  if (cache === undefined) offsetCache.set(tz, (cache = new Map()));
  const key = Math.floor(ms / QUARTER_HOUR_MS);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const offset = zonedParts(key * QUARTER_HOUR_MS, tz).offsetMinutes * 60_000;
  if (cache.size > 50_000) cache.clear();
  cache.set(key, offset);
  return offset;
}

/** Calendar year of an instant in the zone. */
export function yearInZone(ms: number, tz: string): number {
  return zonedParts(ms, tz).year;
}

/** Size of a string as Google's storage services count it: UTF-8 bytes (Cyrillic takes 2 a letter). */
export function utf8Bytes(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}
