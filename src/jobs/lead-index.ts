// The 19:45 lead index (issue #16). Reading RESULT_KEYS — 14 columns of «Аналитика» — is 1.4 M cells
// (~43 s modelled) at 100,000 leads. The 19:45 tick instead reads the hidden sheet «_Индекс» (a few
// hundred cells: one line per lead, core/lead-index.ts) and the «Обновлено» column, and reads in full
// only the rows whose stamp is new, missing or ambiguous; then it writes the index afresh for tomorrow.
// Rows are matched by stamp, not by number, so inserted and deleted rows cost nothing; what onEdit
// wrote since is taken from small document-property slots it fills (recordEditedRows), so a day of
// scattered single-cell edits needs no reads either. Rows still read go in a fixed number of blocks.
//
// Writers of «Аналитика» and how each is covered (the rows must equal a full read exactly):
// - onEdit (handleAnalyticsEdit): stamps «Обновлено» on every non-empty row it touches; a row emptied by an
//   edit has its stamp cleared (analytics.ts), so it is read again.
// - an onEdit that failed (deferEdit): the old stamps of its rows are remembered (taintDeferredRows) and
//   rows holding them are read again; while its rows wait in the pending list, the report reads the
//   sheet. The recalculation that takes them stamps the time of the edit — a stamp older than the
//   index invalidates it (gas/lead-index-guard.ts).
// - a sort, row move or column clear (deferBulkEdit): invalidates the index (order among equal stamps).
// - the «Ожидание» sweep: writes «Ожидание» without a stamp; each run is recorded (sweepBegin/sweepEnd)
//   and replayed on the indexed rows, so the daily sweep costs the index nothing. A sweep that stopped
//   midway leaves its record open: the index is not used.
// - «Пересчитать» and the tick's recalculation: a value change without a newer stamp invalidates
//   (gas/lead-index-guard.ts, called by writeChanges for every «Аналитика» write but the sweep's).
// - setup: a moved or renamed header, or another «Аналитика» sheet (id), makes the index unusable.
// Writes by other programs (the Sheets API, imports) fire no onEdit and are not seen until the next
// full read; «Пересчитать» after an import catches up the rules and invalidates the index.
import { templateByKey } from '../../sheets-templates';
import { IDLE_SWEEP_KEYS, idleSweepUpdates, type AnalyticsRow, type CellValue, type IdleOptions } from '../core/analytics';
import { HEADER_SCAN_ROWS } from '../core/header-map';
import {
  digestCells, encodeEntry, fixedBlocks, LEAD_INDEX_KEYS, LEAD_INDEX_VERSION, matchRows, packLines, STAMP_KEY, unpackEntries,
  type LeadEntry, type LeadIndexMeta,
} from '../core/lead-index';
import { RESULT_KEYS } from '../core/reports';
import { isDate } from '../core/text';
import { trimNewSheetColumns } from '../gas/grid';
import { withRetry } from '../gas/retry';
import { columnRuns, readTable, requireHeaders, rowReader, type SheetHeaders, type Table, type TableChanges } from '../gas/table';
import { hasPendingRows } from './pending';
import { PROPERTY_LIMIT_BYTES, utf8Bytes } from '../core/bytes';
import { builtAtOf, digestOf, EPOCH_PROPERTY, invalidateLeadIndex } from '../gas/lead-index-guard';

export { EPOCH_PROPERTY, invalidateLeadIndex };

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const ANALYTICS = templateByKey('analytics');
export const LEAD_INDEX_SHEET = '_Индекс';
/** Sweeps since the index was built: { epoch, runs, open? } (JSON). */
export const SWEEPS_PROPERTY = 'leadIndex:sweeps';
/** Blocks of rows read again (each as its column runs), whatever changed: see fixedBlocks. */
const REREAD_BLOCKS = 5;

export type SweepRun = Pick<IdleOptions, 'today' | 'idleDays' | 'workingDays' | 'tz'>;
interface SweepLog { epoch: string; runs: SweepRun[]; open?: boolean }

const props = () => PropertiesService.getDocumentProperties();

function parseSweeps(raw: string | null | undefined): SweepLog | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as SweepLog;
    return v && typeof v.epoch === 'string' && Array.isArray(v.runs) ? v : null;
  } catch {
    return null;
  }
}


// ---- the sweep ---------------------------------------------------------------------------------

/**
 * Before the sweep writes «Ожидание»: marks its run open, so a sweep that stops midway leaves the index
 * unusable. Null (nothing to record) when there is no valid index. Only when the sweep changes a
 * column of the index: the caller knows its changes before writing.
 */
export function sweepBegin(): SweepLog | null {
  const all = withRetry(() => props().getProperties());
  const epoch = all[EPOCH_PROPERTY];
  const log = parseSweeps(all[SWEEPS_PROPERTY]);
  if (!epoch || Number.isNaN(builtAtOf(epoch)) || !log || log.epoch !== epoch || log.open) return null;
  const open: SweepLog = { ...log, open: true };
  withRetry(() => props().setProperty(SWEEPS_PROPERTY, JSON.stringify(open)));
  return open;
}

/** After the sweep's writes: the run joins the ones the 19:45 replays on the indexed rows. */
export function sweepEnd(log: SweepLog | null, run: SweepRun): void {
  if (!log) return;
  const done: SweepLog = { epoch: log.epoch, runs: [...log.runs, { today: run.today, idleDays: run.idleDays, workingDays: run.workingDays, tz: run.tz }] };
  withRetry(() => props().setProperty(SWEEPS_PROPERTY, JSON.stringify(done)));
}

/** Whether the sweep's changes touch a column the index keeps (only «Ожидание» of the sweep's three). */
export function touchesLeadIndex(changes: TableChanges): boolean {
  for (const update of changes.values()) for (const k of Object.keys(update)) if (k === STAMP_KEY || LEAD_INDEX_KEYS.includes(k)) return true;
  return false;
}

// ---- what onEdit wrote --------------------------------------------------------------------------

/**
 * Rows an onEdit stamped, with the values it left in them, so the 19:45 need not read them again
 * (200 scattered single-row edits would be 200 reads, ~3 s at 100,000 leads). A few fixed property
 * slots, read-modify-written under the script lock the edit holds; the index refresh empties them.
 */
export const DELTA_PREFIX = 'leadIndex:delta:';
export const DELTA_SLOTS = 16;
/**
 * A slot: the index epoch, then one item per edit: sweeps recorded before it, row numbers, the rows'
 * stamps before the edit (ms, or null), entries.
 */
interface DeltaSlot { e: string; d: Array<{ n: number; r: number[]; o?: Array<number | null>; v: unknown[][] }> }
interface DeltaRow { values: CellValue[]; sweepsBefore: number; old: number | null }

/** The slot a stamp tries first (then the next ones, when it is full). */
function homeSlot(stamp: number): number {
  let h = 0;
  for (const ch of String(stamp)) h = (h * 131 + ch.charCodeAt(0)) % 1_000_003;
  return h % DELTA_SLOTS;
}

/**
 * Records `rows` (full sheet rows as onEdit wrote them, all stamped `stamp`, with their row numbers).
 * Best effort: anything failing only means those rows are read again at 19:45. Two property calls.
 */
export function recordEditedRows(headers: Table['headers'], stamp: Date, rows: ReadonlyArray<{ row: number; values: ReadonlyArray<CellValue>; old?: CellValue }>): void {
  if (rows.length === 0) return;
  try {
    const p = props();
    const all = withRetry(() => p.getProperties());
    const epoch = all[EPOCH_PROPERTY];
    const log = parseSweeps(all[SWEEPS_PROPERTY]);
    if (!epoch || Number.isNaN(builtAtOf(epoch)) || !log || log.epoch !== epoch) return; // nothing to add to
    const cols = LEAD_INDEX_KEYS.map((k) => headers.index.get(k) ?? -1);
    const item = {
      n: log.runs.length, r: rows.map((x) => x.row), o: rows.map((x) => (typeof x.old === 'object' && isDate(x.old) ? x.old.getTime() : null)),
      v: rows.map((x) => JSON.parse(encodeEntry({ stamp: stamp.getTime(), values: cols.map((c) => (c >= 0 ? x.values[c] ?? '' : '')) })) as unknown[]),
    };
    // The first slot from the stamp's own with room for it; a big paste fits none and is read again.
    const home = homeSlot(stamp.getTime());
    for (let j = 0; j < DELTA_SLOTS; j++) {
      const key = `${DELTA_PREFIX}${(home + j) % DELTA_SLOTS}`;
      let slot: DeltaSlot = { e: epoch, d: [] };
      try {
        const old = JSON.parse(all[key] || 'null') as DeltaSlot | null;
        if (old && old.e === epoch && Array.isArray(old.d)) slot = old;
      } catch { /* a damaged slot starts again */ }
      slot.d.push(item);
      const value = JSON.stringify(slot);
      if (utf8Bytes(key) + utf8Bytes(value) > PROPERTY_LIMIT_BYTES) continue;
      withRetry(() => p.setProperty(key, value));
      return;
    }
  } catch (error) {
    console.error(error);
  }
}

/**
 * The recorded rows of `epoch` by stamp, in sheet order, each with the sweeps recorded before it. Rows
 * keep their order when others are inserted or deleted (sorts invalidate the index), so the rows of
 * one stamp sort by the numbers they had — within one millisecond nothing moved them.
 */
function deltasOf(all: Record<string, string>, epoch: string): Map<number, DeltaRow[]> {
  const byStamp = new Map<number, Map<number, DeltaRow>>();
  // A row of one stamp recorded in two slots: which edit came last is unknown, so the stamp is not used.
  const slotOfRow = new Map<string, number>();
  const ambiguous = new Set<number>();
  for (let i = 0; i < DELTA_SLOTS; i++) {
    const raw = all[`${DELTA_PREFIX}${i}`];
    if (!raw) continue;
    let slot: DeltaSlot;
    try { slot = JSON.parse(raw) as DeltaSlot; } catch { continue; } // unreadable: its rows are read again
    if (!slot || slot.e !== epoch || !Array.isArray(slot.d)) continue;
    for (const d of slot.d) {
      if (!Array.isArray(d.r) || !Array.isArray(d.v) || d.r.length !== d.v.length) continue;
      let entries: LeadEntry[];
      try { entries = unpackEntries([d.v.map((x) => JSON.stringify(x)).join('\n')], LEAD_INDEX_KEYS.length); } catch { continue; }
      entries.forEach((x, k) => {
        const id = `${x.stamp}:${d.r[k]}`;
        if ((slotOfRow.get(id) ?? i) !== i) ambiguous.add(x.stamp);
        slotOfRow.set(id, i);
        let rows = byStamp.get(x.stamp);
        if (!rows) byStamp.set(x.stamp, (rows = new Map()));
        rows.set(d.r[k], { values: x.values, sweepsBefore: d.n, old: d.o?.[k] ?? null }); // a later edit of the row wins
      });
    }
  }
  const out = new Map<number, DeltaRow[]>();
  for (const [stamp, rows] of byStamp) if (!ambiguous.has(stamp)) out.set(stamp, [...rows].sort((a, b) => a[0] - b[0]).map(([, v]) => v));
  return out;
}

// ---- edits the rules could not process -----------------------------------------------------------

/** One document property per deferred edit: the «Обновлено» stamps its rows had (JSON array of ms). */
export const TAINT_PREFIX = 'leadIndex:taint:';
/** Under the 9 KB a property value may hold. */
const MAX_TAINT_CHARS = 8_000;

/**
 * An onEdit that could not apply the rules (deferEdit): what was typed stays under the rows' old
 * stamps until the recalculation, which finds the rows by number — wrong once rows were inserted or
 * deleted meanwhile. The old stamps are remembered, and the 19:45 reads every row still holding one.
 * Two Range reads (headers, the stamp cells) and one property write; when anything fails, the whole
 * index is invalidated instead.
 */
export function taintDeferredRows(range: GoogleAppsScript.Spreadsheet.Range, headers?: SheetHeaders): number | null {
  let firstStamp: number | null = null;
  try {
    const sheet = range.getSheet();
    // The caller's read of the headers when it has one (deferEdit also fingerprints the row).
    if (headers && !headers.ok) throw new Error(headers.problem);
    const found = headers ?? requireHeaders(sheet, ANALYTICS);
    const stampCol = found.map.index.get(STAMP_KEY);
    const first = Math.max(range.getRow(), found.row + 1);
    const last = Math.min(range.getLastRow(), found.lastRow);
    const stamps: number[] = [];
    if (stampCol !== undefined && last >= first) {
      withRetry(() => sheet.getRange(first, stampCol + 1, last - first + 1, 1).getValues()).forEach(([v], i) => {
        if (!(typeof v === 'object' && isDate(v))) return; // rows without a date stamp are read anyway
        stamps.push(v.getTime());
        if (i === 0) firstStamp = v.getTime();
      });
    }
    if (stamps.length === 0) return firstStamp;
    const value = JSON.stringify(stamps);
    if (value.length > MAX_TAINT_CHARS) throw new Error('too many rows');
    withRetry(() => props().setProperty(`${TAINT_PREFIX}${Date.now()}-${Math.random().toString(36).slice(2, 8)}`, value));
  } catch {
    invalidateLeadIndex();
  }
  return firstStamp;
}

function taintedStamps(all: Record<string, string>): { keys: string[]; stamps: Set<number> } {
  const keys = Object.keys(all).filter((k) => k.startsWith(TAINT_PREFIX));
  const stamps = new Set<number>();
  for (const k of keys) {
    try {
      for (const t of JSON.parse(all[k]) as number[]) stamps.add(t);
    } catch {
      stamps.add(NaN); // unreadable: see tryIndex
    }
  }
  return { keys, stamps };
}

// ---- the 19:45 read ----------------------------------------------------------------------------

export interface LeadRead {
  /** RESULT_KEYS of every data row, as a full read gives them (other keys ''). */
  rows: AnalyticsRow[];
  via: 'index' | 'full';
  /** Why the sheet was read in full (no index, invalidated, …). */
  reason?: string;
  /** Rows read again on the index path. */
  reread: number;
  /** Rows taken from what onEdit recorded (recordEditedRows). */
  fromEdits: number;
  /** Whether a fresh index was written. */
  refreshed: boolean;
}

export interface LeadReadOptions {
  /** Write the index afresh from the rows read (the 19:45 tick, under the script lock). */
  refresh?: boolean;
  /** Ignore the index (tests compare both paths). */
  full?: boolean;
}

interface Grid { headers: Table['headers']; firstRow: number; rows: CellValue[][] }

/** The sheet's id, asked once per sheet object (the check and the refresh both need it). */
const sheetIds = new WeakMap<object, number>();
function sheetIdOf(sheet: Sheet): number {
  let id = sheetIds.get(sheet);
  if (id === undefined) sheetIds.set(sheet, (id = withRetry(() => sheet.getSheetId())));
  return id;
}

/**
 * «Аналитика» rows for the head-of-sales email: through the index when it is valid, otherwise one read
 * of RESULT_KEYS. The caller has checked that the sheet exists.
 */
export function readLeadsForReport(ss: Spreadsheet, sheet: Sheet, opts: LeadReadOptions = {}): LeadRead {
  let grid: Grid | null = null;
  let reason: string | undefined;
  let reread = 0;
  let fromEdits = 0;
  const all = withRetry(() => props().getProperties());
  // Deferred edits known before the sheet is read: the index written from this read covers them.
  const taintKeys = taintedStamps(all).keys;
  if (opts.full) reason = 'full read asked';
  else {
    const tried = tryIndex(ss, sheet, all);
    if ('reason' in tried) reason = tried.reason;
    else ({ grid, reread, fromEdits } = tried);
  }
  const via: LeadRead['via'] = grid ? 'index' : 'full';
  if (!grid) {
    const t = readTable(sheet, ANALYTICS, RESULT_KEYS);
    grid = { headers: t.headers, firstRow: t.firstRow, rows: t.rows };
  }
  let refreshed = false;
  if (opts.refresh) {
    try {
      refreshed = writeIndex(ss, sheet, grid, taintKeys);
    } catch (error) {
      // The email does not wait for its cache (a full spreadsheet refuses new rows, a service fails):
      // tomorrow's 19:45 reads the sheet in full and tries again. A half-written index is never used.
      console.error(error);
      try { invalidateLeadIndex(); } catch { /* its meta row then names another build, or it is unreadable */ }
    }
  }
  const toRow = rowReader(ANALYTICS, grid.headers);
  return { rows: grid.rows.map((r) => toRow(r) as unknown as AnalyticsRow), via, reason, reread, fromEdits, refreshed };
}

function tryIndex(ss: Spreadsheet, sheet: Sheet, all: Record<string, string>): { grid: Grid; reread: number; fromEdits: number } | { reason: string } {
  const epoch = all[EPOCH_PROPERTY];
  if (!epoch) return { reason: 'no index yet' };
  if (Number.isNaN(builtAtOf(epoch))) return { reason: 'index invalidated' };
  const log = parseSweeps(all[SWEEPS_PROPERTY]);
  if (!log || log.epoch !== epoch || log.open) return { reason: 'a sweep not recorded' };
  // An edit the rules have not processed yet holds typed values under an old stamp.
  if (hasPendingRows(all)) return { reason: 'edits wait for the recalculation' };
  const tainted = taintedStamps(all).stamps;
  if (tainted.has(NaN)) return { reason: 'a deferred edit not readable' };
  const indexSheet = withRetry(() => ss.getSheetByName(LEAD_INDEX_SHEET));
  if (!indexSheet) return { reason: 'no index sheet' };
  const found = requireHeaders(sheet, ANALYTICS);
  const height = found.lastRow - found.row;
  // A sheet this short is read whole with its headers anyway (readTable): nothing to save.
  if (found.lastRow <= HEADER_SCAN_ROWS) return { reason: 'short sheet' };
  const headers = found.map;
  const stampCol = headers.index.get(STAMP_KEY);
  if (stampCol === undefined) return { reason: 'no «Обновлено» column' };
  const columns = RESULT_KEYS.map((k) => headers.index.get(k) ?? -1);
  const last = withRetry(() => indexSheet.getLastRow());
  if (last < 1) return { reason: 'empty index' };
  const cells = withRetry(() => indexSheet.getSheetValues(1, 1, last, 1)).map((r) => r[0]);
  let meta: LeadIndexMeta;
  let entries: LeadEntry[];
  try {
    meta = JSON.parse(String(cells[0])) as LeadIndexMeta;
    if (meta.v !== LEAD_INDEX_VERSION || meta.epoch !== epoch) return { reason: 'index of another build' };
    if (meta.keys.join() !== LEAD_INDEX_KEYS.join() || meta.columns.join() !== columns.join()) return { reason: 'columns moved' };
    if (meta.sheetId !== sheetIdOf(sheet)) return { reason: 'another «Аналитика» sheet' };
    // A line a person changed, even into a valid-looking entry: the digest kept in the properties differs.
    if (digestCells(cells.slice(1)) !== digestOf(epoch)) return { reason: 'index edited' };
    entries = unpackEntries(cells.slice(1), LEAD_INDEX_KEYS.length);
    if (entries.length !== meta.entries) return { reason: 'index damaged' };
  } catch {
    return { reason: 'index damaged' };
  }
  const firstRow = found.row + 1;
  const width = found.lastColumn;
  // getSheetValues: one call where getRange + getValues are two.
  const stamps = height > 0 ? withRetry(() => sheet.getSheetValues(firstRow, stampCol + 1, height, 1)).map((r) => r[0] as CellValue) : [];
  const matched = matchRows(entries, stamps);
  // Rows a deferred edit typed into keep their old stamp: read them.
  if (tainted.size > 0) stamps.forEach((v, i) => { if (typeof v === 'object' && isDate(v) && tainted.has(v.getTime())) matched[i] = -1; });
  // Rows onEdit stamped since: their values as it wrote them, when the sheet holds that stamp on as
  // many rows as the edit did (the k-th of them is its k-th row).
  const deltas = deltasOf(all, epoch);
  const fromDelta = new Map<number, CellValue[]>();
  if (deltas.size > 0) {
    const count = new Map<number, number>();
    const times = stamps.map((v) => (typeof v === 'object' && isDate(v) ? v.getTime() : NaN));
    for (const t of times) if (!Number.isNaN(t)) count.set(t, (count.get(t) ?? 0) + 1);
    const rank = new Map<number, number>();
    /** Stamp each edited row had when the index was written (following edits of edits), by position. */
    const rootOf = new Map<number, number>();
    const indexed = new Set(entries.map((e) => e.stamp));
    const present = new Set(times);
    times.forEach((t, i) => {
      if (matched[i] >= 0 || Number.isNaN(t) || tainted.has(t)) return;
      const d = deltas.get(t);
      if (!d || d.length !== count.get(t)) return;
      const k = rank.get(t) ?? 0;
      rank.set(t, k + 1);
      fromDelta.set(i, replaySweeps(d[k].values, log.runs.slice(d[k].sweepsBefore)));
      // A single-row edit of a single-row edit … back to an indexed stamp (a paste's rows cannot be told apart).
      let old = d[k].old;
      for (let hops = 0; old !== null && !indexed.has(old) && hops < 20; hops++) {
        const prev = deltas.get(old);
        old = prev && prev.length === 1 && !present.has(old) ? prev[0].old : null;
      }
      if (old !== null && indexed.has(old)) rootOf.set(i, old);
    });
    // A shared stamp some of whose rows were edited since: the rows still holding it and the edited
    // ones descending from it, in sheet order, are the index's rows of that stamp in order (inserting
    // and deleting rows keep the order; sorts invalidate the index) — when none is missing.
    const groups = new Map<number, number[]>();
    entries.forEach((e, n) => { const g = groups.get(e.stamp); if (g) g.push(n); else groups.set(e.stamp, [n]); });
    const members = new Map<number, number[]>();
    const add = (stamp: number, i: number) => { const m = members.get(stamp); if (m) m.push(i); else members.set(stamp, [i]); };
    times.forEach((t, i) => { if (matched[i] < 0 && !fromDelta.has(i) && groups.has(t) && !tainted.has(t)) add(t, i); });
    for (const [i, root] of rootOf) add(root, i);
    for (const [stamp, rows] of members) {
      const group = groups.get(stamp)!;
      if (!rows.some((i) => !fromDelta.has(i)) || rows.length !== group.length) continue;
      rows.sort((a, b) => a - b).forEach((i, k) => { if (!fromDelta.has(i)) matched[i] = group[k]; });
    }
  }
  const missing: number[] = [];
  matched.forEach((m, i) => { if (m < 0 && !fromDelta.has(i)) missing.push(i); });
  const valueCols = LEAD_INDEX_KEYS.map((k) => headers.index.get(k) ?? -1);
  const runs = columnRuns(valueCols.filter((c) => c >= 0));
  // Always REREAD_BLOCKS blocks, each read by column runs: the same calls whatever was edited.
  const blocks = missing.length === 0 && height > 0 ? fixedBlocks([0], REREAD_BLOCKS) : fixedBlocks(missing, REREAD_BLOCKS);
  const runCells = runs.reduce((n, [, w]) => n + w, 0);
  const blockCells = blocks.reduce((n, [a, b]) => n + (b - a + 1) * runCells, 0);
  // Scattered changes the edits did not record can make the blocks dearer than reading the sheet.
  if (height + blockCells >= height * RESULT_KEYS.length) return { reason: `${missing.length} of ${height} rows changed` };
  const rows: CellValue[][] = new Array(height);
  for (let i = 0; i < height; i++) {
    const row = new Array<CellValue>(width).fill('');
    row[stampCol] = stamps[i];
    const m = matched[i];
    const values = m >= 0 ? replaySweeps(entries[m].values, log.runs) : fromDelta.get(i);
    if (values) valueCols.forEach((c, k) => { if (c >= 0) row[c] = values[k]; });
    rows[i] = row;
  }
  for (const [a, b] of blocks) {
    const h = b - a + 1;
    for (const [start, w] of runs) {
      const block = withRetry(() => sheet.getSheetValues(firstRow + a, start + 1, h, w)) as CellValue[][];
      for (let r = 0; r < h; r++) {
        if (matched[a + r] >= 0 || fromDelta.has(a + r)) continue; // a known row inside the block keeps its entry (they agree)
        for (let c = 0; c < w; c++) rows[a + r][start + c] = block[r][c];
      }
    }
  }
  return { grid: { headers, firstRow, rows }, reread: missing.length, fromEdits: fromDelta.size };
}

const STAGE_INDEX = new Map<string, number>(LEAD_INDEX_KEYS.map((k, i) => [k, i]));
const SWEEP_INPUTS = IDLE_SWEEP_KEYS.filter((k) => STAGE_INDEX.has(k));

/** The «Ожидание» each recorded sweep wrote into this (unchanged since the index) row, in order. */
function replaySweeps(values: CellValue[], runs: readonly SweepRun[]): CellValue[] {
  if (runs.length === 0) return values;
  const out = values.slice();
  const waiting = STAGE_INDEX.get('stageWaiting')!;
  for (const run of runs) {
    const row: Record<string, CellValue> = {};
    for (const k of SWEEP_INPUTS) row[k] = out[STAGE_INDEX.get(k)!];
    const u = idleSweepUpdates(row as unknown as AnalyticsRow, { today: run.today, idleDays: run.idleDays, workingDays: run.workingDays, tz: run.tz });
    if (u.stageWaiting !== undefined) out[waiting] = u.stageWaiting as CellValue;
  }
  return out;
}

// ---- writing the index -------------------------------------------------------------------------

/** Writes «_Индекс» from `grid` (rows as the sheet holds them now) and makes it the valid index. */
function writeIndex(ss: Spreadsheet, sheet: Sheet, grid: Grid, taintKeys: readonly string[]): boolean {
  const stampCol = grid.headers.index.get(STAMP_KEY);
  if (stampCol === undefined) return false;
  const valueCols = LEAD_INDEX_KEYS.map((k) => grid.headers.index.get(k) ?? -1);
  const lines: string[] = [];
  for (const row of grid.rows) {
    const stamp = row[stampCol];
    if (!(typeof stamp === 'object' && isDate(stamp))) continue; // read again every time: no identity
    lines.push(encodeEntry({ stamp: stamp.getTime(), values: valueCols.map((c) => (c >= 0 ? row[c] ?? '' : '')) }));
  }
  const { cells, kept } = packLines(lines);
  const builtAt = Date.now();
  const epoch = `${builtAt}:${Math.random().toString(36).slice(2, 10)}:${digestCells(cells)}`;
  const meta: LeadIndexMeta = {
    v: LEAD_INDEX_VERSION, epoch, builtAt, sheetId: sheetIdOf(sheet), keys: [...LEAD_INDEX_KEYS],
    columns: RESULT_KEYS.map((k) => grid.headers.index.get(k) ?? -1), entries: kept,
  };
  const out = [JSON.stringify(meta), ...cells].map((c) => [c]);
  let target = withRetry(() => ss.getSheetByName(LEAD_INDEX_SHEET));
  if (!target) {
    target = ss.insertSheet(LEAD_INDEX_SHEET, withRetry(() => ss.getNumSheets()));
    // One column, text: ~1 cell per few hundred leads against the 10 M-cell cap.
    trimNewSheetColumns(target, 1);
    // Hidden, not protected: written only by the schedule, and a line a person changed no longer
    // matches the digest in the properties (the report then reads «Аналитика» in full). A protection
    // would be one more thing a stopped run could leave half-made.
    target.hideSheet();
  }
  const sheetRef = target;
  // A creation stopped halfway (or a person) left it visible: hidden again.
  if (!withRetry(() => sheetRef.isSheetHidden())) sheetRef.hideSheet();
  // Exactly the index and one blank row below it, so getLastRow ends it and no old line survives.
  const rows = out.length + 1;
  const max = withRetry(() => sheetRef.getMaxRows());
  if (max < rows) sheetRef.insertRowsAfter(max, rows - max);
  else if (max > rows) sheetRef.deleteRows(rows + 1, max - rows);
  withRetry(() => sheetRef.getRange(1, 1, rows, 1).setValues([...out, ['']]));
  // The deltas belong to the old epoch: emptied in the same call (slots, not keys: no deletes to pay).
  const fresh: Record<string, string> = { [EPOCH_PROPERTY]: epoch, [SWEEPS_PROPERTY]: JSON.stringify({ epoch, runs: [] } satisfies SweepLog) };
  for (let i = 0; i < DELTA_SLOTS; i++) fresh[`${DELTA_PREFIX}${i}`] = '';
  withRetry(() => props().setProperties(fresh));
  // The deferred edits the rows above already show; one queued meanwhile stays (read again, harmless).
  for (const k of taintKeys) withRetry(() => props().deleteProperty(k));
  return true;
}
