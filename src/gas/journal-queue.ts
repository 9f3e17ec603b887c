// Manual edits of «Аналитика» are logged without an extra sheet write per edit: entries wait in a
// document property (durable, unlike the cache) and are appended to «Журнал» in one write by the next
// job, tick, or edit that fills the queue.
import type { JournalEntry } from '../core/journal';
import { appendJournal } from './journal';
import { withRetry } from './retry';

const QUEUE_KEY = 'journal:queue';
/** Properties hold at most 9 KB per value; flush well before. */
const FLUSH_AT_BYTES = 6_000;

interface Stored extends Omit<JournalEntry, 'at'> { at: number }

function store(entries: JournalEntry[]): Stored[] {
  return entries.map((e) => ({ ...e, at: e.at.getTime(), before: plain(e.before), after: plain(e.after) }));
}

function plain(v: unknown): unknown {
  return Object.prototype.toString.call(v) === '[object Date]' ? { date: (v as Date).getTime() } : v;
}

function revive(v: unknown): unknown {
  return v && typeof v === 'object' && 'date' in (v as object) ? new Date((v as { date: number }).date) : v;
}

/** Queues entries; writes the queue to «Журнал» when it would grow past the property limit. */
export function queueJournal(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, entries: JournalEntry[], tz: string): void {
  if (entries.length === 0) return;
  const props = PropertiesService.getDocumentProperties();
  const current = withRetry(() => props.getProperty(QUEUE_KEY));
  const queued: Stored[] = current ? (JSON.parse(current) as Stored[]) : [];
  const next = [...queued, ...store(entries)];
  const json = JSON.stringify(next);
  if (json.length <= FLUSH_AT_BYTES) {
    withRetry(() => props.setProperty(QUEUE_KEY, json));
    return;
  }
  appendJournal(ss, next.map(toEntry), tz);
  if (current) withRetry(() => props.deleteProperty(QUEUE_KEY));
}

function toEntry(s: Stored): JournalEntry {
  return { ...s, at: new Date(s.at), before: revive(s.before), after: revive(s.after) };
}

/** Writes whatever waits in the queue; cheap (one property read) when it is empty. */
export function flushJournalQueue(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, tz: string, extra: JournalEntry[] = []): void {
  const props = PropertiesService.getDocumentProperties();
  const current = withRetry(() => props.getProperty(QUEUE_KEY));
  const queued = current ? (JSON.parse(current) as Stored[]).map(toEntry) : [];
  appendJournal(ss, [...queued, ...extra], tz);
  if (current) withRetry(() => props.deleteProperty(QUEUE_KEY));
}
