// Russian messages of the menu jobs where counts meet words (recalculation, «Ожидание», the schedule,
// header checks). Each goes through core/plural.ts, and test/plural.test.ts renders every one of them
// with 1, 2, 5, 11, 21, 22, 41 and 111.
import { countOf, pluralForm, WORDS } from './plural';

export interface RecalcCounts {
  rows: number;
  changedCells: number;
  changedRows: number;
  problemRows: number;
  skippedStale: number;
}

export const jobText = {
  /** «Пересчитать «Аналитику»». */
  recalcDone: (r: RecalcCounts): string =>
    `Проверено строк: ${r.rows}. `
    + (r.changedCells > 0 ? `Изменено ячеек: ${r.changedCells} в ${countOf(r.changedRows, WORDS.rowIn)}. ` : 'Изменено ячеек: 0. ')
    + `Строк с проблемами: ${r.problemRows}.`
    + (r.skippedStale ? `\nНе тронуто ячеек, изменённых во время пересчёта: ${r.skippedStale}.` : ''),

  /** «Отметить «Ожидание» сейчас». */
  sweepDone: (rows: number, changedRows: number): string =>
    `Проверено лидов: ${rows}. `
    + (changedRows > 0 ? `«Ожидание» и текущий этап обновлены в ${countOf(changedRows, WORDS.rowIn)}.` : '«Ожидание» и текущий этап менять не пришлось.'),

  /** A sort, move or cleared column over many rows of «Аналитика» (the toast's first words). */
  bulkEditLead: (rows: number): string =>
    `Сразу ${countOf(rows, ['строка изменена', 'строки изменены', 'строк изменено'])}`,

  /** «Включить расписание», the first time. */
  scheduleOn: (minutes: number): string => `Расписание включено: проверка раз в ${countOf(minutes, WORDS.minuteAcc)}.`,

  /** «Статус»: the schedule's state line. */
  scheduleState: (triggers: number, minutes: number): string =>
    `Включено (${countOf(triggers, WORDS.trigger)}, проверка раз в ${countOf(minutes, WORDS.minuteAcc)})`,

  /** A header found in several columns: «встречается 2 раза», «5 раз». */
  repeatedTimes: (n: number): string => `встречается ${countOf(n, WORDS.times)}`,

  /** Header placement: «хотя бы 3 заголовка шаблона». */
  atLeastHeaders: (n: number): string => `хотя бы ${countOf(n, WORDS.header)} шаблона`,

  /** Header placement: «ни в одной из первых 10 строк». */
  firstRows: (n: number): string => `ни в одной из ${pluralForm(n, ['первой', 'первых', 'первых'])} ${countOf(n, WORDS.rowOf)}`,
} as const;
