// «Пересчитать» in chunks, and the rows edits had to defer. At 260,000 leads a whole-sheet recalculation
// reads 8 M cells (≈ 260 s of the 6-minute limit), so one run evaluates at most CHUNK_CELLS and leaves a
// cursor in the document properties; the 5-minute tick (tick-entry.ts EXTRA_WORK) goes on from it until
// the last row, and another click on «Пересчитать» does the same (never the same rows twice). Deferred
// edits are recalculated over their own rows only, unless they cover most of the sheet (a sort): then
// they join the cursor.
import { templateByKey } from '../../sheets-templates';
import { isDate } from '../core/text';
import { digestCells } from '../core/lead-index';
import { withRetry } from '../gas/retry';
import { findSheet } from '../gas/sheets';
import { readHeaders, type SheetHeaders } from '../gas/table';
import { runRecalc, type JobClock, type RecalcAnchor, type RecalcReport } from './analytics';
import { requeuePendingRows, withPendingRows, type PendingRows } from './pending';

/** Document property holding the cursor of an unfinished recalculation. */
export const RECALC_CURSOR_KEY = 'analytics:recalc:cursor';

/**
 * Cells one run evaluates at most: ~109,000 rows of the template's 32 columns, ≈ 110 s at 31 µs a cell,
 * plus the number and nick columns of every row (≈ 16 s at 260,000 rows) — about a third of the 6 minutes
 * at the largest sheet that fits Google's 10 M cells, whatever the tick already did before (see the wall
 * budget). A 100,000-lead sheet is still done in one click.
 */
export const CHUNK_CELLS = 3_500_000;
/**
 * Wall time of an execution after which a recalculation starts no further block: on Google a run that
 * is slower than modelled, or a tick that already ran its 06:00 jobs, stops well inside 6 minutes.
 * (The emulator's clock does not move with modelled time: there CHUNK_CELLS is the bound.)
 */
export const WALL_BUDGET_MS = 150_000;

/** Tests make the chunks small (a few rows) to see the continuation at a size a test can afford. */
export const recalcLimits = { cells: CHUNK_CELLS, rows: Infinity };

export interface RecalcCursor {
  /** Next row to evaluate, and the sheet's last row when it was stored. */
  next: number;
  lastRow: number;
  /** When the whole run started (ms). */
  started: number;
  anchor: RecalcAnchor | null;
}

export interface RecalcStep {
  /** null: nothing was due, or the execution had no time left (`late`). */
  report: RecalcReport | null;
  /** A cursor existed before this run (it went on from an earlier one). */
  continued: boolean;
  /** The cursor left for later, or null when the sheet is done. */
  cursor: RecalcCursor | null;
  late?: boolean;
}

export function readRecalcCursor(raw: string | null | undefined): RecalcCursor | null {
  if (!raw) return null;
  try {
    const c = JSON.parse(raw) as Partial<RecalcCursor>;
    if (typeof c.next !== 'number' || typeof c.lastRow !== 'number') return null;
    return { next: c.next, lastRow: c.lastRow, started: c.started ?? 0, anchor: c.anchor ?? null };
  } catch {
    return null; // a damaged cursor: the next click starts over, which only repeats work
  }
}

/** `documentProperties`: all document properties when the caller has already read them. */
export function hasRecalcCursor(documentProperties: Record<string, string>): boolean {
  return RECALC_CURSOR_KEY in documentProperties;
}

/**
 * One run: the rows of deferred edits, then (`menu`, or a cursor left by an earlier run) the next chunk of
 * the whole sheet, up to the chunk bound or `startedAt` + WALL_BUDGET_MS. The caller holds the script lock.
 */
export function recalcStep(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, clock: JobClock, options: { menu: boolean; startedAt?: number }): RecalcStep {
  const deadline = (options.startedAt ?? Date.now()) + WALL_BUDGET_MS;
  const props = PropertiesService.getDocumentProperties();
  const cursor = readRecalcCursor(withRetry(() => props.getProperty(RECALC_CURSOR_KEY)));
  // This execution has used its time (a tick after the 06:00 jobs): the cursor and the rows wait.
  if (Date.now() >= deadline) return { report: null, continued: cursor !== null, cursor, late: true };
  return withPendingRows((queued) => {
    const taken = relocateMoved(ss, queued);
    // An edit whose position was not known (the range could not be read) may be anywhere.
    const spans: Array<[number, number]> = taken.map(spanOf);
    if (!cursor && options.menu) spans.push([1, Infinity]);
    if (!cursor && spans.length === 0) return { report: null, continued: false, cursor: null };
    const report = runRecalc(ss, clock, {
      spans, resume: cursor ?? undefined, edited: taken, deadline, maxRows: recalcLimits.rows, maxCells: recalcLimits.cells,
    });
    if (report.missingSheet || report.next === null) {
      if (cursor) withRetry(() => props.deleteProperty(RECALC_CURSOR_KEY));
      return { report, continued: cursor !== null, cursor: null };
    }
    // Every asked row before `next` is done; deferred rows from `next` on wait as they were (same time,
    // same kind: their «Обновлено» stamps), and the cursor goes on from `next`.
    requeuePendingRows(taken.flatMap((entry) => rest(entry, report.next!, report.lastRow)));
    const next: RecalcCursor = { next: report.next, lastRow: report.lastRow, started: cursor?.started || clock.now.getTime(), anchor: report.anchor };
    withRetry(() => props.setProperty(RECALC_CURSOR_KEY, JSON.stringify(next)));
    return { report, continued: cursor !== null, cursor: next };
  });
}

/** A deferral's rows; one whose position is unknown (the range could not be read) may be anywhere. */
function spanOf([, row, count]: PendingRows): [number, number] {
  return row >= 1 && count >= 1 ? [row, row + count - 1] : [1, Infinity];
}

/** The part of a deferral at or after row `next` (none when it ends before). */
function rest(entry: PendingRows, next: number, lastRow: number): PendingRows[] {
  const [from, to] = spanOf(entry);
  const first = Math.max(from, next);
  const last = Math.min(to, lastRow);
  if (last < first) return [];
  const [sheet, , , at, kind] = entry;
  return [kind ? [sheet, first, last - first + 1, at, kind] : [sheet, first, last - first + 1, at]];
}

/**
 * Deferred edits whose rows moved before this run (rows inserted or deleted above them fire no edit):
 * a row no longer holding the «Обновлено» it had when its edit was deferred (nor a newer one: an edit
 * since then processed it) is looked up by that stamp in one read of the column, or — not found, or
 * found twice — the whole sheet is recalculated (in chunks), without restamping anything. A row never
 * stamped (a new or imported lead) is checked by its fingerprint instead (name and manager), and when
 * that differs (and no edit since stamped it) the whole sheet is recalculated: it cannot be looked up.
 */
function relocateMoved(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, entries: PendingRows[]): PendingRows[] {
  const checked = entries.filter((e) => typeof e[5] === 'number' && e[1] >= 1 && e[2] >= 1);
  const printed = entries.filter((e) => typeof e[6] === 'string' && e[1] >= 1 && e[2] >= 1);
  if (checked.length === 0 && printed.length === 0) return entries;
  const def = templateByKey('analytics');
  const sheet = findSheet(ss, def);
  if (!sheet) return entries;
  const found = readHeaders(sheet, def);
  const col = found.ok ? found.map.index.get('updatedAt') : undefined;
  if (!found.ok || col === undefined) return entries;
  const dateMs = (v: unknown): number | null => (typeof v === 'object' && v !== null && isDate(v) ? v.getTime() : null);
  const stampAt = (row: number): number | null => {
    if (row > found.lastRow) return null;
    return dateMs(withRetry(() => sheet.getRange(row, col + 1).getValue()));
  };
  const moved = new Set(checked.filter(([, row, , at, , stamp]) => {
    const now = stampAt(row);
    return now === null || (now !== stamp && now < (at ?? 0));
  }));
  const lost = new Set(printed.filter(([, row, , at, , , fingerprint]) => {
    const cells = rowCells(sheet, found, row);
    if (cells === null) return true;
    const now = dateMs(cells[col]);
    return fingerprintOf(found, cells) !== fingerprint && !(now !== null && now >= (at ?? 0));
  }));
  if (moved.size === 0 && lost.size === 0) return entries;
  const rowsByStamp = new Map<number, number[]>();
  const total = found.lastRow - found.row;
  if (moved.size > 0 && total > 0) {
    withRetry(() => sheet.getRange(found.row + 1, col + 1, total, 1).getValues()).forEach(([v], i) => {
      if (typeof v === 'object' && isDate(v)) rowsByStamp.set(v.getTime(), [...(rowsByStamp.get(v.getTime()) ?? []), found.row + 1 + i]);
    });
  }
  return entries.map((e): PendingRows => {
    if (lost.has(e)) return [e[0], 0, 0, e[3]];
    if (!moved.has(e)) return e;
    const [sheetName, , count, at, , stamp] = e;
    const rows = rowsByStamp.get(stamp as number) ?? [];
    return rows.length === 1 ? [sheetName, rows[0], count, at, null, stamp] : [sheetName, 0, 0, at];
  });
}

/**
 * A data row's cells up to the last template column (one read; text typed further right does not
 * matter), or null when `row` is no data row.
 */
function rowCells(sheet: GoogleAppsScript.Spreadsheet.Sheet, found: SheetHeaders & { ok: true }, row: number): unknown[] | null {
  if (row <= found.row || row > found.lastRow) return null;
  const width = Math.max(...found.map.index.values()) + 1;
  return withRetry(() => sheet.getRange(row, 1, 1, width).getValues())[0];
}

/**
 * What tells a lead's row from its neighbours and no job ever writes: its name and manager (the rules
 * normalise dates, nicks and codes, and the job that held the lock may have just written them). Null
 * when both are empty: such a row cannot be told apart and is taken where it was.
 */
const FINGERPRINT_KEYS = ['name', 'manager'] as const;
function fingerprintOf(found: SheetHeaders & { ok: true }, cells: readonly unknown[]): string | null {
  const values = FINGERPRINT_KEYS.map((k) => cells[found.map.index.get(k) ?? -1] ?? '');
  if (values.every((v) => v === '')) return null;
  return digestCells(values.map((v) => (typeof v === 'object' && v !== null && isDate(v) ? `d${v.getTime()}` : `${typeof v}:${String(v)}`)));
}

/**
 * The fingerprint of a row whose edit is deferred and that has no «Обновлено» (a new or imported lead),
 * so the recalculation can tell whether it is still where it was (relocateMoved); null when unknown.
 */
export function deferredRowFingerprint(sheet: GoogleAppsScript.Spreadsheet.Sheet, found: SheetHeaders, row: number): string | null {
  if (!found.ok) return null;
  const cells = rowCells(sheet, found, row);
  return cells === null ? null : fingerprintOf(found, cells);
}

/** The rows of a report as «2–100 001» (spans joined by commas). */
export function recalcSpansText(report: RecalcReport): string {
  return report.done.map(([a, b]) => (a === b ? groupDigits(a) : `${groupDigits(a)}–${groupDigits(b)}`)).join(', ');
}

/** 100001 → «100 001» (a no-break space, as Russian groups digits). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, '\u00a0');
}

/** What a tick's recalculation did, for «Статус» and the execution log. */
export function tickRecalcText(step: RecalcStep): string {
  if (step.late) return 'пересчёт «Аналитики» отложен до следующей проверки: время выполнения на исходе';
  const r = step.report;
  if (!r) return 'пересчитывать нечего';
  if (r.missingSheet) return `нет листа «${r.missingSheet}»`;
  const rows = r.done.length ? `строки ${recalcSpansText(r)} из ${groupDigits(r.lastRow)}` : 'строк не осталось';
  const rest = step.cursor ? `, дальше со строки ${groupDigits(step.cursor.next)}` : step.continued ? ', пересчёт завершён' : '';
  return `пересчёт «Аналитики»: ${rows}, изменено ячеек ${r.changedCells}${rest}`;
}
