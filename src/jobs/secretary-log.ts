// «Отчёт секретаря» on edit (seed 004): a new row gets «Дата и время» stamped when the secretary left it
// empty, and «Передано в» / «Перезвонили в» typed as a mark (x, +, ✓) become the current time — so the 11:00
// email can count how fast clients were called back and transferred. What the secretary typed always
// wins: only empty «Дата и время» cells and just-typed marks are written. onEdit runs as the secretary in
// LIMITED mode: writing into the bound spreadsheet is allowed. Range calls: header, rows, one write per column.
import { templateByKey } from '../../sheets-templates';
import { isBlank, isStageMark } from '../core/analytics/cells';
import { columnLetter } from '../core/header-map';
import { MOSCOW } from '../core/dates';
import type { JournalEntry } from '../core/journal';
import { queueJournal } from '../gas/journal-queue';
import { withRetry } from '../gas/retry';
import { readHeaders } from '../gas/table';
import type { JobClock } from './analytics';

const LOG = templateByKey('secretaryLog');
/** Columns whose value is a moment the script may fill: never evidence that the row holds a contact. */
const TIME_KEYS = ['dateTime', 'transferredAt', 'calledBackAt'] as const;
const MARKED_KEYS = ['transferredAt', 'calledBackAt'] as const;

export function handleSecretaryEdit(range: GoogleAppsScript.Spreadsheet.Range, clock: JobClock): number {
  const sheet = range.getSheet();
  const top = range.getRow();
  const height = range.getNumRows();
  const left = range.getColumn();
  const width = range.getNumColumns();
  const found = readHeaders(sheet, LOG, left + width - 1);
  if (!found.ok) return 0;
  const first = Math.max(top, found.row + 1);
  const last = top + height - 1;
  if (last < first) return 0;
  const col = (key: string) => found.map.index.get(key);
  const dateCol = col('dateTime');
  if (dateCol === undefined) return 0;
  const edited = (c: number | undefined) => c !== undefined && c + 1 >= left && c + 1 < left + width;
  const rows = withRetry(() => sheet.getRange(first, 1, last - first + 1, found.lastColumn).getValues());
  const own = new Set(TIME_KEYS.map(col).filter((c): c is number => c !== undefined));
  const now = clock.now;
  /** Column index → the rows (0-based) to write `now` into. */
  const writes = new Map<number, number[]>();
  const stamp = (c: number, r: number) => writes.set(c, [...(writes.get(c) ?? []), r]);
  rows.forEach((row, r) => {
    const holdsContact = row.some((v, c) => !own.has(c) && !isBlank(v as never));
    // A cleared or retyped «Дата и время» is the secretary's own doing: never stamped back.
    if (holdsContact && isBlank(row[dateCol] as never) && !edited(dateCol)) stamp(dateCol, r);
    for (const key of MARKED_KEYS) {
      const c = col(key);
      if (c !== undefined && edited(c) && isStageMark(row[c] as never)) stamp(c, r);
    }
  });
  const entries: JournalEntry[] = [];
  for (const [c, list] of writes) {
    const lo = Math.min(...list);
    const hi = Math.max(...list);
    const at = new Set(list);
    // Rows between two stamped ones are written back as read: one call per column.
    const out = rows.slice(lo, hi + 1).map((row, i) => [at.has(lo + i) ? now : row[c]]);
    withRetry(() => sheet.getRange(first + lo, c + 1, hi - lo + 1, 1).setValues(out));
    for (const r of list) {
      entries.push({ at: now, user: clock.user, sheet: LOG.name, cell: `${columnLetter(c + 1)}${first + r}`, before: rows[r][c], after: now, source: 'edit' });
    }
  }
  // Queued, not appended: the edit stays cheap; the next job or tick writes «Журнал».
  queueJournal(sheet.getParent(), entries, MOSCOW);
  return entries.length;
}
