// «Ожидание» (idle) rule, SPEC §3.1: a lead with no activity for N days is marked as waiting.
import { addDays, addWorkingDays, daysBetween, workingDaysBetween, type LocalDate } from '../dates';
import { ACTIVITY_STAGE_KEYS, headerOf, newestActivityStage, readStageValues, STAGE_KEYS, type StageDates } from './stages';
import { cellText, localToDateCell, readDateCell, sameCell, type DateCell, type DateReading } from './cells';
import type { AnalyticsKey, AnalyticsRow, CellValue, IdleSettings, RowUpdates } from './types';
import { stuckAfter, type StuckSettings } from './stuck';

const EMPTY_CELL: DateCell = { kind: 'empty' };

/** The only columns idleSweepUpdates reads, so the daily sweep reads just these from the sheet. */
export const IDLE_SWEEP_KEYS: readonly AnalyticsKey[] = [...STAGE_KEYS, 'lastContact', 'currentStage', 'stuckSince'];

export interface IdleOptions extends IdleSettings {
  today: LocalDate;
  tz: string;
  /** When given, the sweep also recomputes «Подвисла с» (time alone makes a lead stuck). */
  stuck?: StuckSettings;
}

/**
 * The new «Ожидание» date from already-read cells, or null when nothing changes.
 * `waiting` is how the «Ожидание» cell reads: typed text that is not a date is the manager's and is never
 * overwritten.
 */
export function idleWaitingDate(
  dates: StageDates,
  lastContact: LocalDate | null,
  waiting: DateCell,
  opts: IdleOptions,
): LocalDate | null {
  if (dates.stagePaid !== undefined || dates.stageRefused !== undefined) return null;
  if (waiting.kind === 'bad') return null;
  let last = newestActivityStage(dates);
  if (lastContact !== null && (last === null || lastContact > last)) last = lastContact;
  if (last === null) return null;
  if (waiting.kind === 'date' && waiting.date >= last) return null;
  return waitingDateAfter(last, opts);
}

// Memo per last-activity date: a sheet has a few hundred distinct dates, and date maths on strings is
// the costliest part of a 100,000-row sweep.
let memoToday = '';
let memoDays = NaN;
let memoWorking = false;
let memo = new Map<LocalDate, LocalDate | null>();

/** last + N (calendar or working) days when at least N such days have passed by today, else null. */
function waitingDateAfter(last: LocalDate, opts: IdleOptions): LocalDate | null {
  if (opts.today !== memoToday || opts.idleDays !== memoDays || opts.workingDays !== memoWorking || memo.size > 10_000) {
    memoToday = opts.today;
    memoDays = opts.idleDays;
    memoWorking = opts.workingDays;
    memo = new Map();
  }
  let result = memo.get(last);
  if (result === undefined) {
    const n = Math.max(1, Math.floor(opts.idleDays));
    const idle = opts.workingDays ? workingDaysBetween(last, opts.today) : daysBetween(last, opts.today);
    result = idle < n ? null : opts.workingDays ? addWorkingDays(last, n) : addDays(last, n);
    memo.set(last, result);
  }
  return result;
}

/** Reused for every cell of a sweep (100,000 rows × 9 cells): no options object per cell. */
const reading: DateReading = { column: '', acceptMarks: true, today: '', tz: '' };
/**
 * The stage dates of the row being swept, by STAGE_KEYS index, reused row after row: indexed stores, not
 * keyed ones (a store per stage name is a megamorphic property write, most of a sweep's own time). Only
 * read before the next row; never returned to a caller.
 */
const rowDates: Array<LocalDate | undefined> = STAGE_KEYS.map(() => undefined);
const stageValues: Array<CellValue | undefined> = STAGE_KEYS.map(() => undefined);
const WAITING_INDEX = STAGE_KEYS.indexOf('stageWaiting');
const PAID_INDEX = STAGE_KEYS.indexOf('stagePaid');
const REFUSED_INDEX = STAGE_KEYS.indexOf('stageRefused');
const ACTIVITY_INDEXES: readonly number[] = ACTIVITY_STAGE_KEYS.map((k) => STAGE_KEYS.indexOf(k));
const STAGE_HEADERS: readonly string[] = STAGE_KEYS.map((k) => headerOf(k));

/** Whether the row idleDateOfRow read last is closed («Оплата» or «Отказ» filled); valid until the next row. */
let rowTerminal = false;

/** newestActivityStage over rowDates. */
function newestActivity(): LocalDate | null {
  let newest: LocalDate | null = null;
  for (let k = 0; k < ACTIVITY_INDEXES.length; k++) {
    const d = rowDates[ACTIVITY_INDEXES[k]];
    if (d !== undefined && (newest === null || d > newest)) newest = d;
  }
  return newest;
}

/** currentStageHeader over rowDates, «Ожидание» read as `waiting`: the latest date, ties to the later stage. */
function currentStageOfRow(waiting: LocalDate | undefined): string {
  let best = -1;
  let bestDate = '';
  for (let i = 0; i < rowDates.length; i++) {
    const d = i === WAITING_INDEX ? waiting : rowDates[i];
    if (d !== undefined && d >= bestDate) {
      best = i;
      bestDate = d;
    }
  }
  return best < 0 ? '' : STAGE_HEADERS[best];
}

/** Reads the row's stage dates into rowDates; the new «Ожидание» date, or null. */
function idleDateOfRow(row: AnalyticsRow, opts: IdleOptions): LocalDate | null {
  let waiting: DateCell = EMPTY_CELL;
  reading.today = opts.today;
  reading.tz = opts.tz;
  readStageValues(row, stageValues);
  for (let i = 0; i < STAGE_KEYS.length; i++) {
    reading.column = STAGE_KEYS[i];
    const cell = readDateCell(stageValues[i], reading);
    if (i === WAITING_INDEX) waiting = cell;
    rowDates[i] = cell.kind === 'date' ? cell.date : undefined;
  }
  reading.column = 'lastContact';
  const lc = readDateCell(row.lastContact, reading);
  // Terminal means the cell is filled at all: a typed «оплачено» still closes the lead.
  const terminal = cellText(stageValues[PAID_INDEX]) !== '' || cellText(stageValues[REFUSED_INDEX]) !== '' ||
    rowDates[PAID_INDEX] !== undefined || rowDates[REFUSED_INDEX] !== undefined;
  rowTerminal = terminal;
  if (terminal) return null;
  // idleWaitingDate over rowDates (the lead is open: no «Оплата», no «Отказ»).
  if (waiting.kind === 'bad') return null;
  let last = newestActivity();
  const lastContact = lc.kind === 'date' ? lc.date : null;
  if (lastContact !== null && (last === null || lastContact > last)) last = lastContact;
  if (last === null) return null;
  if (waiting.kind === 'date' && waiting.date >= last) return null;
  return waitingDateAfter(last, opts);
}

/**
 * New «Ожидание» date for a row (a Date at Moscow midnight), or null when the rule does not apply:
 * the lead is paid or refused, has no activity, is active within N days, or «Ожидание» already holds a date
 * on or after the last activity.
 */
export function idleUpdate(row: AnalyticsRow, opts: IdleOptions): Date | null {
  const date = idleDateOfRow(row, opts);
  return date === null ? null : localToDateCell(date, opts.tz);
}

/** The sweep's updates for one row: «Ожидание» and the recomputed «Текущий этап»; {} when nothing changes. */
const WAITING_HEADER = headerOf('stageWaiting');

export function idleSweepUpdates(row: AnalyticsRow, opts: IdleOptions): RowUpdates {
  const date = idleDateOfRow(row, opts);
  const terminal = rowTerminal;
  const updates: RowUpdates = {};
  if (opts.stuck) {
    // Blank rows stay blank: the mark belongs to leads only. stuckSince over rowDates.
    const moved = terminal ? null : newestActivity();
    const since = moved === null || moved > opts.today ? null : stuckAfter(moved, opts.today, opts.stuck);
    const value = since === null ? '' : localToDateCell(since, opts.tz);
    if (!sameCell(row.stuckSince ?? '', value)) updates.stuckSince = value;
  }
  if (date === null) {
    // A sweep stopped between its two columns wrote «Ожидание» but not «Текущий этап»: finish it.
    const waiting = rowDates[WAITING_INDEX];
    const stage = waiting === undefined ? '' : currentStageOfRow(waiting);
    if (stage === WAITING_HEADER && !sameCell(row.currentStage, stage)) updates.currentStage = stage;
    return updates;
  }
  updates.stageWaiting = localToDateCell(date, opts.tz);
  const stage = currentStageOfRow(date);
  if (!sameCell(row.currentStage, stage)) updates.currentStage = stage;
  return updates;
}
