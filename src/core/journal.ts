// Audit log entries: every change the script makes to user-visible cells and every manual edit of
// «Аналитика». Pure shaping; src/gas/journal.ts appends them in one write.
import { isDate } from './text';
import { formatRuDate, formatRuDateTime, toLocalDate } from './dates';
import { JOURNAL_SOURCES, type JournalSource } from '../../sheets-templates/journal';

// The «Источник» words live with the «Журнал» template, whose column note lists them.
export type { JournalSource };

export interface JournalEntry {
  at: Date;
  user: string;
  sheet: string;
  cell: string;
  before: unknown;
  after: unknown;
  source: JournalSource;
}

/** Cell values as the log shows them: dates in Moscow, long text cut so the log stays light. */
export function journalText(value: unknown, tz: string): string {
  if (value === '' || value === null || value === undefined) return '';
  if (isDate(value)) {
    const local = toLocalDate(value, tz);
    const midnight = formatRuDateTime(value, tz).endsWith('00:00');
    return midnight ? formatRuDate(local) : formatRuDateTime(value, tz);
  }
  const text = String(value);
  return text.length > 500 ? `${text.slice(0, 500)}… (${text.length} симв.)` : text;
}

export function journalRow(e: JournalEntry, tz: string): Array<string | Date> {
  return [e.at, e.user, e.sheet, e.cell, journalText(e.before, tz), journalText(e.after, tz), JOURNAL_SOURCES[e.source]];
}
