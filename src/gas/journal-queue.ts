// Manual edits of «Аналитика» and «Счета» are logged without writing «Журнал» from the edit: the simple
// onEdit runs as the person editing, and «Журнал» is protected for everyone but the owner and leadership.
// Entries wait in document properties (durable, unlike the cache), split over several properties of at
// most 8 KB each, and are appended to «Журнал» in one write by the next run that may write it: the tick
// (it runs as whoever switched the schedule on — the owner or leadership), a job of theirs, or an edit
// of theirs that fills a part.
import { PROPERTY_LIMIT_BYTES, utf8Bytes } from '../core/bytes';
import { SCRIPT_USER, type JournalEntry } from '../core/journal';
import { appendJournal } from './journal';
import { withRetry } from './retry';

/** First part of the queue (the only one older versions wrote); later parts are `journal:queue:N`. */
const QUEUE_KEY = 'journal:queue';
const PART = /^journal:queue(?::(\d+))?$/;
/** Google allows 9 KB per property, key and value in UTF-8 bytes: a part keeps ~1 KB of margin. */
const PART_BYTES = PROPERTY_LIMIT_BYTES - 1_216;
/** Of the 500 KB a document's properties may hold: the rest stays free for the pending rows and flags. */
const QUEUE_BYTES = 200_000;
/** How many entries did not fit (no run of the owner or leadership for a long time): logged as one line. */
const DROPPED_KEY = 'journal:dropped';
/** Cell texts longer than this are cut before they are queued, as «Журнал» would show them anyway. */
const TEXT_MAX = 480;

interface Stored extends Omit<JournalEntry, 'at'> { at: number }

function store(entries: JournalEntry[]): Stored[] {
  return entries.map((e) => ({ ...e, at: e.at.getTime(), before: plain(e.before), after: plain(e.after) }));
}

function plain(v: unknown): unknown {
  if (Object.prototype.toString.call(v) === '[object Date]') return { date: (v as Date).getTime() };
  // Same cut as journalText, short enough that it is not cut twice.
  if (typeof v === 'string' && v.length > 500) return `${v.slice(0, TEXT_MAX)}… (${v.length} симв.)`;
  return v;
}

function revive(v: unknown): unknown {
  return v && typeof v === 'object' && 'date' in (v as object) ? new Date((v as { date: number }).date) : v;
}

function toEntry(s: Stored): JournalEntry {
  return { ...s, at: new Date(s.at), before: revive(s.before), after: revive(s.after) };
}

/** The queue's parts in order. */
function parts(all: Record<string, string>): Array<{ key: string; index: number }> {
  return Object.keys(all)
    .map((key) => ({ key, m: PART.exec(key) }))
    .filter((p): p is { key: string; m: RegExpExecArray } => p.m !== null)
    .map(({ key, m }) => ({ key, index: m[1] ? Number(m[1]) : 0 }))
    .sort((a, b) => a.index - b.index);
}

function partKey(index: number): string {
  return index === 0 ? QUEUE_KEY : `${QUEUE_KEY}:${index}`;
}

function parse(json: string | undefined): Stored[] {
  if (!json) return [];
  try { return JSON.parse(json) as Stored[]; } catch { return []; }
}

/** Whether anything waits in the queue; `all`: the document properties already read. */
export function hasQueuedJournal(all: Record<string, string>): boolean {
  return parts(all).length > 0 || DROPPED_KEY in all;
}

/**
 * Queues entries; never writes «Журнал» for a user who may not. When the last part is full, a run that
 * may write «Журнал» (the owner or leadership editing) appends the whole queue instead of starting a part.
 */
export function queueJournal(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, entries: JournalEntry[], tz: string): void {
  if (entries.length === 0) return;
  const props = PropertiesService.getDocumentProperties();
  const all = withRetry(() => props.getProperties());
  const list = parts(all);
  const last = list[list.length - 1];
  const lastItems = last ? parse(all[last.key]) : [];
  const incoming = store(entries);
  if (last && utf8Bytes(last.key) + utf8Bytes(JSON.stringify([...lastItems, ...incoming])) <= PART_BYTES) {
    withRetry(() => props.setProperty(last.key, JSON.stringify([...lastItems, ...incoming])));
    return;
  }
  if (last && flushAll(ss, tz, all, entries)) return;
  let total = list.reduce((n, p) => n + utf8Bytes(p.key) + utf8Bytes(all[p.key] ?? ''), 0);
  const updates: Record<string, string> = {};
  let index = last ? last.index + 1 : 0;
  let current: Stored[] = [];
  let dropped = 0;
  const close = () => { if (current.length) { updates[partKey(index)] = JSON.stringify(current); index++; current = []; } };
  for (const s of incoming) {
    const size = utf8Bytes(JSON.stringify(s)) + 1;
    if (total + size > QUEUE_BYTES) { dropped++; continue; }
    if (current.length && utf8Bytes(partKey(index)) + utf8Bytes(JSON.stringify(current)) + size > PART_BYTES) close();
    current.push(s);
    total += size;
  }
  close();
  if (dropped) updates[DROPPED_KEY] = String((Number(all[DROPPED_KEY]) || 0) + dropped);
  if (Object.keys(updates).length) withRetry(() => props.setProperties(updates));
}

/** Writes the queue plus `extra` when this user may; true when it did. */
function flushAll(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, tz: string, all: Record<string, string>, extra: JournalEntry[]): boolean {
  const list = parts(all);
  const dropped = Number(all[DROPPED_KEY]) || 0;
  const queued = list.flatMap((p) => parse(all[p.key])).map(toEntry);
  const note: JournalEntry[] = dropped
    ? [{ at: new Date(), user: SCRIPT_USER, sheet: '', cell: '', before: '', after: `Не записано правок: ${dropped} — очередь журнала была переполнена (расписание долго не запускалось)`, source: 'edit' }]
    : [];
  if (!appendJournal(ss, [...queued, ...note, ...extra], tz)) return false;
  const props = PropertiesService.getDocumentProperties();
  for (const p of list) withRetry(() => props.deleteProperty(p.key));
  if (dropped) withRetry(() => props.deleteProperty(DROPPED_KEY));
  return true;
}

/**
 * Writes whatever waits in the queue, and `extra`; cheap (one property read) when both are empty. A user
 * who may not write «Журнал» (a manager's menu run) queues `extra` instead — the tick writes it — and
 * gets false.
 */
export function flushJournalQueue(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, tz: string, extra: JournalEntry[] = []): boolean {
  const all = withRetry(() => PropertiesService.getDocumentProperties().getProperties());
  if (!hasQueuedJournal(all) && extra.length === 0) return true;
  if (flushAll(ss, tz, all, extra)) return true;
  queueJournal(ss, extra, tz);
  return false;
}
