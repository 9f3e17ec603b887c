// The spreadsheet's locale decides how Google reads what people type: under en_US «21.11» in a stage
// column is the number 21.11 and «1 200,50» is text; under ru_RU they are a date and a number.
import { withRetry } from './retry';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

export const RUSSIAN_LOCALE = 'ru_RU';

export function isRussianLocale(locale: string): boolean {
  return /^ru(_|$)/i.test(locale);
}

/** «Проверить данные»: what is wrong with a non-Russian locale, and how to fix it; null when it is Russian. */
export function spreadsheetLocaleProblem(ss: Spreadsheet): string | null {
  const locale = withRetry(() => ss.getSpreadsheetLocale());
  if (isRussianLocale(locale)) return null;
  return `Региональные настройки таблицы — «${locale}», а не «Россия»: введённое «21.11» Google читает как число, а не дату, «1 200,50» — не как число. `
    + 'Запустите «Продажи → Настроить таблицу» (она переключит на «Россия») или выберите «Файл → Настройки → Региональные настройки → Россия».';
}

/** Setup: switches a non-Russian locale to ru_RU; the sentence for the setup message when it did. */
export function ensureRussianLocale(ss: Spreadsheet): string | null {
  const locale = withRetry(() => ss.getSpreadsheetLocale());
  if (isRussianLocale(locale)) return null;
  ss.setSpreadsheetLocale(RUSSIAN_LOCALE);
  return `Региональные настройки таблицы были «${locale}» — установлены «Россия» (${RUSSIAN_LOCALE}): теперь «21.11» в колонке этапа — дата, а «1 200,50» — число. `
    + 'Введённое раньше не изменилось — проверьте даты и суммы через «Продажи → Проверить данные».';
}
