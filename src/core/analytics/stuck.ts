// «Подвисла» (seed 002: «сделка в одном статусе больше 2 дней»): a lead whose stage has not moved for
// more than N days. Distinct from «Ожидание» (no contact for N days): a contact that changes no stage
// keeps the lead stuck, and «Ожидание» itself is not a move (the script writes it) — so an idle lead is
// usually both. The mark lives in the script's «Подвисла с» column; typed cells are never touched.
import { addDays, addWorkingDays, daysBetween, workingDaysBetween, type LocalDate } from '../dates';
import { newestActivityStage, type StageDates } from './stages';

export interface StuckSettings {
  /** N from «Настройки» («Дней до «Подвисла»», default 2). */
  days: number;
  /** Count Mon–Fri only (the «Ожидание» switch). */
  workingDays: boolean;
}

/**
 * The day the lead became stuck — the first day more than N days after its newest stage date (not
 * «Ожидание») — or null: not stuck yet, no stage date, a stage date in the future, or a closed lead
 * (`terminal`: «Оплата» or «Отказ» filled).
 */
export function stuckSince(dates: StageDates, terminal: boolean, today: LocalDate, opts: StuckSettings): LocalDate | null {
  if (terminal) return null;
  const moved = newestActivityStage(dates);
  if (moved === null || moved > today) return null;
  return stuckAfter(moved, today, opts);
}

// Memo per stage date, as for «Ожидание»: a 100,000-row sweep meets a few hundred distinct dates.
// Its inputs compared one by one (a key string built per call would be a new string per row).
let memoToday = '';
let memoDays = NaN;
let memoWorking = false;
let memo = new Map<LocalDate, LocalDate | null>();

/** The «Подвисла с» day of a lead whose newest stage date is `moved` (≤ today), or null: not stuck yet. */
export function stuckAfter(moved: LocalDate, today: LocalDate, opts: StuckSettings): LocalDate | null {
  if (today !== memoToday || opts.days !== memoDays || opts.workingDays !== memoWorking || memo.size > 10_000) {
    memoToday = today;
    memoDays = opts.days;
    memoWorking = opts.workingDays;
    memo = new Map();
  }
  let result = memo.get(moved);
  if (result === undefined) {
    const n = Math.max(1, Math.floor(opts.days));
    const elapsed = opts.workingDays ? workingDaysBetween(moved, today) : daysBetween(moved, today);
    result = elapsed <= n ? null : opts.workingDays ? addWorkingDays(moved, n + 1) : addDays(moved, n + 1);
    memo.set(moved, result);
  }
  return result;
}
