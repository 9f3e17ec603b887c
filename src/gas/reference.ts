// Промокоды, Тарифы and Партнёры as typed lookups. onEdit reads them from the script cache (one
// cache call instead of three sheet reads); an edit of any of those sheets drops the cache.
import { templateByKey, type SheetKey } from '../../sheets-templates';
import { buildReference, type Reference, type ReferenceRow, type ReferenceRows } from '../core/reference';
import { MOSCOW } from '../core/dates';
import { isDate } from '../core/text';
import { findSheet } from './sheets';
import { readTable, rowObject } from './table';
import { withRetry } from './retry';

const CACHE_KEY = 'reference:v1';
const CACHE_SECONDS = 6 * 60 * 60;
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
  const hit = cache ? withRetry(() => cache.get(CACHE_KEY)) : null;
  if (hit) {
    try {
      return buildReference(JSON.parse(hit) as ReferenceRows, MOSCOW);
    } catch {
      // A damaged entry is simply re-read below.
    }
  }
  const rows = readReferenceRows(ss);
  const json = JSON.stringify(cacheable(rows));
  // Values over the 100 KB cache limit are not cached; the next edit reads the sheets again.
  if (cache && json.length < 90_000) withRetry(() => cache.put(CACHE_KEY, json, CACHE_SECONDS));
  return buildReference(rows, MOSCOW);
}

export function invalidateReference(): void {
  withRetry(() => CacheService.getScriptCache().remove(CACHE_KEY));
}
