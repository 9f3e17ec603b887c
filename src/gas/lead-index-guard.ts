// Keeps the 19:45 lead index (jobs/lead-index.ts) honest against script writes to «Аналитика»: a row
// whose indexed values change without a stamp newer than the index would be read from a stale entry,
// so such a write invalidates the index (the next 19:45 reads the sheet in full and rebuilds it).
// Called by writeChanges for every «Аналитика» table write except the sweep's, which is replayed.
import { LEAD_INDEX_KEYS, STAMP_KEY } from '../core/lead-index';
import { sameCell } from '../core/analytics/cells';
import { isDate } from '../core/text';
import type { HeaderMap } from '../core/header-map';
import { withRetry } from './retry';

/** `<builtAt ms>:<random>:<digest of the index cells>` of the current index, or `void:…` once a writer invalidated it. */
export const EPOCH_PROPERTY = 'leadIndex:epoch';

export const builtAtOf = (epoch: string | null | undefined): number => (epoch && !epoch.startsWith('void') ? Number(epoch.split(':')[0]) : NaN);

/** The digest of the index cells an epoch was built with (core/lead-index.ts digestCells), or null. */
export const digestOf = (epoch: string): string | null => epoch.split(':')[2] ?? null;

/** The index no longer matches the sheet: the next 19:45 reads it in full (and rebuilds the index). */
export function invalidateLeadIndex(): void {
  withRetry(() => PropertiesService.getDocumentProperties().setProperty(EPOCH_PROPERTY, `void:${Date.now()}:${Math.random().toString(36).slice(2, 8)}`));
}

/** One properties read, only when a row's indexed values change; a write when the index must go. */
export function guardLeadIndex(table: { headers: HeaderMap; rows: ReadonlyArray<ReadonlyArray<unknown>> }, changes: ReadonlyMap<number, Record<string, unknown>>): void {
  let oldest = Infinity;
  for (const [i, update] of changes) {
    const row = table.rows[i];
    const changed = [STAMP_KEY, ...LEAD_INDEX_KEYS].some((k) => k in update && !sameCell(update[k] as never, (row?.[table.headers.index.get(k) ?? -1] ?? '') as never));
    if (!changed) continue;
    const stamp = update[STAMP_KEY];
    if (!(typeof stamp === 'object' && isDate(stamp))) { oldest = -Infinity; break; }
    oldest = Math.min(oldest, stamp.getTime());
  }
  if (oldest === Infinity) return;
  const builtAt = builtAtOf(withRetry(() => PropertiesService.getDocumentProperties().getProperty(EPOCH_PROPERTY)));
  if (Number.isNaN(builtAt)) return; // no valid index to protect
  if (oldest <= builtAt) invalidateLeadIndex();
}
