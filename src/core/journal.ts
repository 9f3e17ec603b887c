// Audit log entries: every change the script makes to user-visible cells and every manual edit of
// «Аналитика». Pure shaping; src/gas/journal.ts appends them in one write.
import { isDate } from './text';
import { addDays, formatRuDate, formatRuDateTime, localDateTimeToDate, toLocalDate } from './dates';
import { JOURNAL_SOURCES, JOURNAL_UNKNOWN_USER, type JournalSource } from '../../sheets-templates/journal';
import type { ColumnType } from '../../sheets-templates/schema';

// The «Источник» words live with the «Журнал» template, whose column note lists them.
export type { JournalSource };

/** «Пользователь» of a line no person caused (the note about entries that did not fit). */
export const SCRIPT_USER = 'скрипт';

export interface JournalEntry {
  at: Date;
  /** Email of the person; '' when Google did not give it (a colleague's edit in the simple onEdit). */
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

/**
 * A value of onEdit's e.oldValue / e.value as the cell held it: Google passes a date cell's value as its
 * serial number ('46361', '46361.5'), which the log must show as the date it stands for.
 */
export function eventCellValue(raw: string | undefined, type: ColumnType | undefined, tz: string): unknown {
  if (raw === undefined) return '';
  if ((type !== 'date' && type !== 'datetime') || !/^\d+(\.\d+)?$/.test(raw)) return raw;
  return fromSerial(Number(raw), tz);
}

/** Sheets' serial day number (days since 1899-12-30, wall clock of the spreadsheet's zone) as an instant. */
function fromSerial(serial: number, tz: string): Date {
  const days = Math.floor(serial);
  const minutes = Math.round((serial - days) * 1440);
  return localDateTimeToDate(addDays('1899-12-30', days), tz, Math.floor(minutes / 60), minutes % 60);
}

export function journalRow(e: JournalEntry, tz: string): Array<string | Date> {
  return [e.at, e.user || JOURNAL_UNKNOWN_USER, e.sheet, e.cell, journalText(e.before, tz), journalText(e.after, tz), JOURNAL_SOURCES[e.source]];
}
