// Rows an edit could not process (the lock was busy) wait here until a recalculation evaluates them
// (jobs/recalc.ts: the next tick, over their own rows; a sort's rows chunk by chunk).
// One document property per deferral: an edit queues its rows without the lock (that is why it
// defers), so a shared list read-modified-written by two edits at once would lose one of them.
import { withRetry } from '../gas/retry';

/** Prefix of one deferral's key: `analytics:pending:<ms>-<random>`. */
export const PENDING_PREFIX = 'analytics:pending:';
/** The single-list key older versions wrote; still read so an upgrade forgets no deferral. */
const LEGACY_KEY = 'analytics:pending';

/**
 * Sheet, first row, number of rows, when the edit happened (ms; older entries lack it), and 'bulk' for a
 * sort, row move or column clear (see isBulkEdit): only its rows whose values the rules change are
 * restamped «Обновлено», the rest were moved, not worked on.
 */
export type PendingRows = [string, number, number, number?, (PendingKind | null)?, (number | null)?, (string | null)?];
export type PendingKind = 'bulk';

const isPendingKey = (k: string) => k === LEGACY_KEY || k.startsWith(PENDING_PREFIX);

/**
 * `stamp`: the first row's «Обновлено» (ms) when the edit was deferred, so a recalculation can tell
 * whether rows were inserted or deleted above it meanwhile (recalc.ts relocateMoved); a row never
 * stamped (a new or imported lead) gives `fingerprint` instead, a digest of its cells as they were after the edit.
 */
export function queuePendingRows(sheet: string, row: number, count: number, kind?: PendingKind, stamp?: number | null, fingerprint?: string | null): void {
  const at = Date.now();
  const key = `${PENDING_PREFIX}${at}-${Math.random().toString(36).slice(2, 10)}`;
  const entry: PendingRows = kind ? [sheet, row, count, at, kind]
    : stamp != null ? [sheet, row, count, at, null, stamp]
    : fingerprint != null ? [sheet, row, count, at, null, null, fingerprint]
    : [sheet, row, count, at];
  withRetry(() => PropertiesService.getDocumentProperties().setProperty(key, JSON.stringify(entry)));
}

function parseEntries(key: string, raw: string): PendingRows[] {
  try {
    const value = JSON.parse(raw) as unknown;
    if (key === LEGACY_KEY) return Array.isArray(value) ? (value as PendingRows[]) : [];
    return Array.isArray(value) ? [value as PendingRows] : [];
  } catch {
    return []; // a damaged entry only delays nothing: the recalculation covers every row anyway
  }
}

/** The queued rows in `documentProperties` (all document properties), oldest first, with their keys. */
function collect(all: Record<string, string>): { keys: string[]; rows: PendingRows[] } {
  const keys = Object.keys(all).filter(isPendingKey).sort();
  return { keys, rows: keys.flatMap((k) => parseEntries(k, all[k])) };
}

/** The queued rows without taking them (for «Статус» and tests): one properties call. */
export function peekPendingRows(documentProperties?: Record<string, string>): PendingRows[] {
  const all = documentProperties ?? withRetry(() => PropertiesService.getDocumentProperties().getProperties());
  return collect(all).rows;
}

export function takePendingRows(): PendingRows[] {
  const props = PropertiesService.getDocumentProperties();
  const { keys, rows } = collect(withRetry(() => props.getProperties()));
  // Only the keys read: a deferral queued meanwhile stays for the next recalculation.
  for (const k of keys) withRetry(() => props.deleteProperty(k));
  return rows;
}

/** `documentProperties`: all document properties when the caller has already read them (no extra call). */
export function hasPendingRows(documentProperties?: Record<string, string>): boolean {
  const keys = documentProperties ? Object.keys(documentProperties) : withRetry(() => PropertiesService.getDocumentProperties().getKeys());
  return keys.some(isPendingKey);
}

/**
 * Takes the pending rows for `recalc` (which covers every row); when it fails they are put back, so
 * the next tick tries again instead of forgetting an edit nobody processed.
 */
export function withPendingRows<T>(recalc: (taken: PendingRows[]) => T): T {
  const taken = takePendingRows();
  try {
    return recalc(taken);
  } catch (error) {
    try {
      requeuePendingRows(taken);
    } catch {
      // The original failure is what the caller reports; a lost list only delays the rows to the next recalc.
    }
    throw error;
  }
}

/**
 * Puts taken rows back in one properties call: after a failure, or the part a chunked recalculation has
 * not reached yet (they stay pending until evaluated: the 19:45 lead index trusts no stamp meanwhile).
 * Fresh keys (not the old ones): a put-back never overwrites a deferral queued meanwhile.
 */
export function requeuePendingRows(entries: readonly PendingRows[]): void {
  if (entries.length === 0) return;
  const out: Record<string, string> = {};
  entries.forEach((entry, i) => {
    out[`${PENDING_PREFIX}${entry[3] ?? 0}-r${i}-${Math.random().toString(36).slice(2, 8)}`] = JSON.stringify(entry);
  });
  withRetry(() => PropertiesService.getDocumentProperties().setProperties(out));
}
