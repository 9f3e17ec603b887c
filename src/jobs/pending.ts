// Rows an edit could not process (the lock was busy) wait here; the next recalculation covers them
// because it evaluates every row, and the list tells «Статус» that a recalculation is due.
import { withRetry } from '../gas/retry';

const KEY = 'analytics:pending';

/** Sheet, first row, number of rows, and when the edit happened (ms; older entries lack it). */
export type PendingRows = [string, number, number, number?];

export function queuePendingRows(sheet: string, row: number, count: number): void {
  const props = PropertiesService.getDocumentProperties();
  const list = JSON.parse(withRetry(() => props.getProperty(KEY)) ?? '[]') as PendingRows[];
  list.push([sheet, row, count, Date.now()]);
  withRetry(() => props.setProperty(KEY, JSON.stringify(list.slice(-200))));
}

export function takePendingRows(): PendingRows[] {
  const props = PropertiesService.getDocumentProperties();
  const raw = withRetry(() => props.getProperty(KEY));
  if (!raw) return [];
  withRetry(() => props.deleteProperty(KEY));
  return JSON.parse(raw) as PendingRows[];
}

/** `documentProperties`: all document properties when the caller has already read them (no extra call). */
export function hasPendingRows(documentProperties?: Record<string, string>): boolean {
  if (documentProperties) return KEY in documentProperties;
  return withRetry(() => PropertiesService.getDocumentProperties().getProperty(KEY)) !== null;
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
    if (taken.length > 0) {
      try {
        const props = PropertiesService.getDocumentProperties();
        const queued = JSON.parse(withRetry(() => props.getProperty(KEY)) ?? '[]') as PendingRows[];
        withRetry(() => props.setProperty(KEY, JSON.stringify([...taken, ...queued].slice(-200))));
      } catch {
        // The original failure is what the caller reports; a lost list only delays the rows to the next recalc.
      }
    }
    throw error;
  }
}
