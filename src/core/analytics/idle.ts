// «Ожидание» (idle) rule, SPEC §3.1: a lead with no activity for N days is marked as waiting.
import { addDays, addWorkingDays, daysBetween, workingDaysBetween, type LocalDate } from '../dates';
import { clearStageDates, currentStageHeader, headerOf, newestActivityStage, newStageDates, readStageValues, STAGE_KEYS, type StageDates } from './stages';
import { cellText, localToDateCell, readDateCell, sameCell, type DateCell, type DateReading } from './cells';
import type { AnalyticsKey, AnalyticsRow, CellValue, IdleSettings, RowUpdates } from './types';
import { stuckSince, type StuckSettings } from './stuck';

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
 * The stage dates of the row being swept, reused row after row (all stages present from the start, so
 * filling it changes no shape). Only read before the next row; never returned to a caller.
 */
const scratchDates: StageDates = newStageDates();
const stageValues: Array<CellValue | undefined> = STAGE_KEYS.map(() => undefined);
const WAITING_INDEX = STAGE_KEYS.indexOf('stageWaiting');

/** Whether the row idleDateOfRow read last is closed («Оплата» or «Отказ» filled); valid until the next row. */
let rowTerminal = false;

/** Reads the row's stage dates into scratchDates; the new «Ожидание» date, or null. */
function idleDateOfRow(row: AnalyticsRow, opts: IdleOptions): LocalDate | null {
  const dates = scratchDates;
  clearStageDates(dates);
  let waiting: DateCell = EMPTY_CELL;
  reading.today = opts.today;
  reading.tz = opts.tz;
  readStageValues(row, stageValues);
  for (let i = 0; i < STAGE_KEYS.length; i++) {
    const key = STAGE_KEYS[i];
    reading.column = key;
    const cell = readDateCell(stageValues[i], reading);
    if (i === WAITING_INDEX) waiting = cell;
    if (cell.kind === 'date') dates[key] = cell.date;
  }
  reading.column = 'lastContact';
  const lc = readDateCell(row.lastContact, reading);
  // Terminal means the cell is filled at all: a typed «оплачено» still closes the lead.
  const terminal = cellText(row.stagePaid) !== '' || cellText(row.stageRefused) !== '' ||
    dates.stagePaid !== undefined || dates.stageRefused !== undefined;
  rowTerminal = terminal;
  return terminal ? null : idleWaitingDate(dates, lc.kind === 'date' ? lc.date : null, waiting, opts);
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
  const dates = scratchDates;
  const terminal = rowTerminal;
  const updates: RowUpdates = {};
  if (opts.stuck) {
    // Blank rows stay blank: the mark belongs to leads only.
    const since = stuckSince(dates, terminal, opts.today, opts.stuck);
    const value = since === null ? '' : localToDateCell(since, opts.tz);
    if (!sameCell(row.stuckSince ?? '', value)) updates.stuckSince = value;
  }
  if (date === null) {
    // A sweep stopped between its two columns wrote «Ожидание» but not «Текущий этап»: finish it.
    const stage = dates.stageWaiting === undefined ? '' : currentStageHeader(dates);
    if (stage === WAITING_HEADER && !sameCell(row.currentStage, stage)) updates.currentStage = stage;
    return updates;
  }
  updates.stageWaiting = localToDateCell(date, opts.tz);
  const stage = currentStageHeader({ ...dates, stageWaiting: date });
  if (!sameCell(row.currentStage, stage)) updates.currentStage = stage;
  return updates;
}
