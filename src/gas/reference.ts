// Промокоды, Тарифы and Партнёры as typed lookups. onEdit reads them from the script cache (one
// cache call instead of three sheet reads); an edit of any of those sheets drops the cache. The cache is
// only a shortcut: when it is too small or failing, the sheets are read and the edit goes on.
import { templateByKey, type SheetKey } from '../../sheets-templates';
import { buildReference, type Reference, type ReferenceRow, type ReferenceRows } from '../core/reference';
import { CACHE_VALUE_LIMIT_BYTES, utf8Bytes } from '../core/bytes';
import { MOSCOW } from '../core/dates';
import { isDate } from '../core/text';
import { findSheet } from './sheets';
import { readTable, rowObject } from './table';
import { withRetry } from './retry';

const CACHE_KEY = 'reference:v1';
const CACHE_SECONDS = 6 * 60 * 60;
/** Google's 100 KB per value, in UTF-8 bytes, less ~12 % in case Google's count differs from ours. */
const CACHE_MAX_BYTES = CACHE_VALUE_LIMIT_BYTES - 12_400;
export const REFERENCE_SHEETS: SheetKey[] = ['promoCodes', 'planPrices', 'partners'];

function readRows(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, key: SheetKey): ReferenceRow[] {
  const def = templateByKey(key);
  const sheet = findSheet(ss, def);
  if (!sheet) return [];
  const table = readTable(sheet, def);
  return table.rows.map((r) => rowObject(table, r));
}

export function readReferenceRows(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): ReferenceRows {
  return { promoRows: readRows(ss, 'promoCodes'), planRows: readRows(ss, 'planPrices'), partnerRows: readRows(ss, 'partners') };
}

/** Dates do not survive JSON; the rules do not need them from these sheets. */
function cacheable(rows: ReferenceRows): ReferenceRows {
  const strip = (list: ReferenceRow[]) => list.map((r) => Object.fromEntries(Object.entries(r).filter(([, v]) => !isDate(v))));
  return { promoRows: strip(rows.promoRows), planRows: strip(rows.planRows), partnerRows: strip(rows.partnerRows) };
}

export function loadReference(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, useCache: boolean): Reference {
  const cache = useCache ? CacheService.getScriptCache() : null;
  const hit = cache ? cacheGet(cache) : null;
  if (hit) {
    try {
      return buildReference(JSON.parse(hit) as ReferenceRows, MOSCOW);
    } catch {
      // A damaged entry is simply re-read below.
    }
  }
  const rows = readReferenceRows(ss);
  if (cache) cachePut(cache, JSON.stringify(cacheable(rows)));
  return buildReference(rows, MOSCOW);
}

/** The cached copy, or null when there is none or the cache fails: the sheets are read instead. */
function cacheGet(cache: GoogleAppsScript.Cache.Cache): string | null {
  try {
    return withRetry(() => cache.get(CACHE_KEY));
  } catch {
    return null;
  }
}

/**
 * Caches the copy when it fits. A larger one (long Russian comments in «Промокоды») is not cached: every
 * edit then reads the three sheets — slower, never failing. A refused put costs the same.
 */
function cachePut(cache: GoogleAppsScript.Cache.Cache, json: string): void {
  if (utf8Bytes(json) > CACHE_MAX_BYTES) return;
  try {
    withRetry(() => cache.put(CACHE_KEY, json, CACHE_SECONDS));
  } catch {
    // The next edit reads the sheets again.
  }
}

export function invalidateReference(): void {
  withRetry(() => CacheService.getScriptCache().remove(CACHE_KEY));
}
