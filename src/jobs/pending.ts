// Rows an edit could not process (the lock was busy) wait here; the next recalculation covers them
// because it evaluates every row, and the list tells «Статус» that a recalculation is due.
import { withRetry } from '../gas/retry';

const KEY = 'analytics:pending';

export function queuePendingRows(sheet: string, row: number, count: number): void {
  const props = PropertiesService.getDocumentProperties();
  const list = JSON.parse(withRetry(() => props.getProperty(KEY)) ?? '[]') as Array<[string, number, number]>;
  list.push([sheet, row, count]);
  withRetry(() => props.setProperty(KEY, JSON.stringify(list.slice(-200))));
}

export function takePendingRows(): Array<[string, number, number]> {
  const props = PropertiesService.getDocumentProperties();
  const raw = withRetry(() => props.getProperty(KEY));
  if (!raw) return [];
  withRetry(() => props.deleteProperty(KEY));
  return JSON.parse(raw) as Array<[string, number, number]>;
}

export function hasPendingRows(): boolean {
  return withRetry(() => PropertiesService.getDocumentProperties().getProperty(KEY)) !== null;
}
