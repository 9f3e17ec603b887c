// Russian number agreement, the one helper for every message where a number meets a word: «в 1 строке»,
// «в 2 строках», «в 41 строке», «5 строк», «11 дней», «21 день». Every form a message needs is listed in
// WORDS (or passed in place), so wording is reviewed in one place and tested over 1…111.

/** A word or phrase after 1 (21, 101…), after 2–4 (22…), and after 0, 5–20, 25… (11–14 included). */
export type PluralForms = readonly [one: string, few: string, many: string];

/** Which of the three forms follows `n`. A fraction takes the «few» form: «1,5 дня», «2,5 строки». */
export function pluralForm(n: number, forms: PluralForms): string {
  if (!Number.isInteger(n)) return forms[1];
  const a = Math.abs(n) % 100;
  const b = a % 10;
  if (a > 10 && a < 20) return forms[2];
  if (b === 1) return forms[0];
  if (b >= 2 && b <= 4) return forms[1];
  return forms[2];
}

/** Russian plural form: plural(5, 'день', 'дня', 'дней') → 'дней'. */
export function plural(n: number, one: string, few: string, many: string): string {
  return pluralForm(n, [one, few, many]);
}

/** The number and its word: countOf(41, WORDS.rowIn) → '41 строке'. `shown`: the number as printed (thin spaces). */
export function countOf(n: number, forms: PluralForms, shown: string = String(n)): string {
  return `${shown} ${pluralForm(n, forms)}`;
}

/** Forms by case and use; the comment shows the phrase each is made for. */
export const WORDS = {
  /** «в 41 строке», «в 2 строках» */
  rowIn: ['строке', 'строках', 'строках'],
  /** «41 строка», «2 строки», «5 строк» */
  row: ['строка', 'строки', 'строк'],
  /** «из 21 строки», «из 5 строк» */
  rowOf: ['строки', 'строк', 'строк'],
  /** «21 день», «3 дня», «5 дней» */
  day: ['день', 'дня', 'дней'],
  /** «старше 21 дня», «старше 3 дней» */
  dayOf: ['дня', 'дней', 'дней'],
  /** «раз в 1 минуту», «раз в 2 минуты», «раз в 5 минут» */
  minuteAcc: ['минуту', 'минуты', 'минут'],
  /** «в пределах 1 минуты», «в пределах 10 минут» */
  minuteOf: ['минуты', 'минут', 'минут'],
  /** «1 триггер», «2 триггера» */
  trigger: ['триггер', 'триггера', 'триггеров'],
  /** «встречается 2 раза», «5 раз» */
  times: ['раз', 'раза', 'раз'],
  /** The local runner: «31 обращение к сервисам», «5 обращений к сервисам» */
  serviceCalls: ['обращение к сервисам', 'обращения к сервисам', 'обращений к сервисам'],
  /** «хотя бы 3 заголовка», «хотя бы 1 заголовок» */
  header: ['заголовок', 'заголовка', 'заголовков'],
} as const satisfies Record<string, PluralForms>;
