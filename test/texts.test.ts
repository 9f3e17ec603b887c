// Issue 15 part 4: Russian numbers agree with their words in every message template; menu captions and
// «Справка» take their times and day counts from «Настройки»; no unexplained counters.
import { describe, expect, it } from 'vitest';
import { countOf, plural, pluralForm, WORDS } from '../src/core/plural';
import { jobText } from '../src/core/messages';
import { partnerMsg } from '../src/core/partners/messages';
import { days, daysOf, rmsg } from '../src/core/reports/messages';
import { wizardText } from '../src/core/wizard';
import { renderHelpHtml } from '../src/core/help';
import { menuEntries, menuHandlers, MENU } from '../src/core/menu';
import { formatSetupReport } from '../src/core/setup-report';
import { DEFAULT_SETTINGS, type Settings } from '../src/core/settings';
import { describeMissed, JOBS, jobTitle } from '../src/core/schedule';

const NUMBERS = [1, 2, 5, 11, 21, 22, 41, 111] as const;
/** Which form follows each number, written out by hand (not computed by the helper under test). */
const FORM: Record<(typeof NUMBERS)[number], 0 | 1 | 2> = { 1: 0, 2: 1, 5: 2, 11: 2, 21: 0, 22: 1, 41: 0, 111: 2 };
const THIN = '\u202f';

interface Template {
  /** What the test renders with n. */
  render: (n: number) => string;
  /** The words right after the number, for 1 / 2 / 5. */
  forms: readonly [string, string, string];
  /** Between the number and the word (emails use a thin space). */
  sep?: string;
}

const names = (n: number) => Array.from({ length: n }, (_, i) => `Имя${i + 1}`);
const recalc = (n: number) => jobText.recalcDone({ rows: 1000, changedCells: 500, changedRows: n, problemRows: 0, skippedStale: 0 });
const help = (patch: Partial<Settings>) => renderHelpHtml('Продажи', { ...DEFAULT_SETTINGS, ...patch });

/** Every template where a count meets a word; jobText is checked to be covered whole below. */
const TEMPLATES: Record<string, Template> = {
  'jobText.recalcDone': { render: recalc, forms: ['строке', 'строках', 'строках'] },
  'jobText.sweepDone': { render: (n) => jobText.sweepDone(1000, n), forms: ['строке', 'строках', 'строках'] },
  'jobText.bulkEditLead': { render: jobText.bulkEditLead, forms: ['строка изменена', 'строки изменены', 'строк изменено'] },
  'jobText.scheduleOn': { render: jobText.scheduleOn, forms: ['минуту', 'минуты', 'минут'] },
  'jobText.scheduleState (triggers)': { render: (n) => jobText.scheduleState(n, 5), forms: ['триггер', 'триггера', 'триггеров'] },
  'jobText.scheduleState (minutes)': { render: (n) => jobText.scheduleState(1, n), forms: ['минуту', 'минуты', 'минут'] },
  'jobText.repeatedTimes': { render: jobText.repeatedTimes, forms: ['раз', 'раза', 'раз'] },
  'jobText.atLeastHeaders': { render: jobText.atLeastHeaders, forms: ['заголовок шаблона', 'заголовка шаблона', 'заголовков шаблона'] },
  'jobText.firstRows': { render: jobText.firstRows, forms: ['строки', 'строк', 'строк'] },
  'partnerMsg.noDefaultPercent': { render: (n) => partnerMsg.noDefaultPercent('Татьяна', n), forms: ['строке', 'строках', 'строках'] },
  'partnerMsg.ambiguousCode': { render: (n) => partnerMsg.ambiguousCode('prosto5', ['А', 'Б'], n), forms: ['оплаченный лид с этим кодом не распределён', 'оплаченных лида с этим кодом не распределены', 'оплаченных лидов с этим кодом не распределены'] },
  'reports days': { render: days, forms: ['день', 'дня', 'дней'], sep: THIN },
  'reports daysOf': { render: daysOf, forms: ['дня', 'дней', 'дней'], sep: THIN },
  'rmsg.unparsedLead': { render: rmsg.unparsedLead, forms: ['строка не учтена', 'строки не учтены', 'строк не учтены'] },
  'rmsg.overdueTitle': { render: rmsg.overdueTitle, forms: ['дня', 'дней', 'дней'], sep: THIN },
  'rmsg.overdueAge': { render: rmsg.overdueAge, forms: ['день назад', 'дня назад', 'дней назад'], sep: THIN },
  'rmsg.waitingDays': { render: rmsg.waitingDays, forms: ['день', 'дня', 'дней'], sep: THIN },
  'rmsg.funnelStale': { render: rmsg.funnelStale, forms: ['день и дольше', 'дня и дольше', 'дней и дольше'], sep: THIN },
  'rmsg.staleEntry': { render: (n) => rmsg.staleEntry('Олег', n), forms: ['день', 'дня', 'дней'], sep: THIN },
  'wizardText.settingsChanged': { render: (n) => wizardText.settingsChanged(names(n)), forms: ['параметр изменён', 'параметра изменены', 'параметров изменено'] },
  'wizardText.managersAdded': { render: (n) => wizardText.managersAdded('Менеджеры', names(n)), forms: ['менеджер добавлен', 'менеджера добавлены', 'менеджеров добавлено'] },
  'wizardText.managersUpdated': { render: (n) => wizardText.managersUpdated('Менеджеры', names(n)), forms: ['менеджер обновлён', 'менеджера обновлены', 'менеджеров обновлено'] },
  'local runner: service calls': { render: (n) => countOf(n, WORDS.serviceCalls), forms: ['обращение к сервисам', 'обращения к сервисам', 'обращений к сервисам'] },
  'local runner: demo rows': { render: (n) => `демо-данные: ${countOf(n, WORDS.row)}`, forms: ['строка', 'строки', 'строк'] },
  'Справка: «Ожидание»': { render: (n) => help({ idleDays: n }), forms: ['день и больше', 'дня и больше', 'дней и больше'] },
  'Справка: «Ожидание» в рабочих днях': { render: (n) => help({ idleDays: n, idleWorkingDays: true }), forms: ['рабочий день и больше', 'рабочих дня и больше', 'рабочих дней и больше'] },
  'Справка: просрочка счёта': { render: (n) => help({ invoiceOverdueDays: n }), forms: ['дня — «Просрочен»', 'дней — «Просрочен»', 'дней — «Просрочен»'] },
  'Справка: «Подвисла»': { render: (n) => help({ stuckDays: n }), forms: ['дня, и снимается', 'дней, и снимается', 'дней, и снимается'] },
  'Справка: не обновлял «Аналитику»': { render: (n) => help({ staleAnalyticsDays: n }), forms: ['день и дольше', 'дня и дольше', 'дней и дольше'] },
};

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('plural (core/plural.ts)', () => {
  it('picks the form Russian grammar wants', () => {
    const forms = ['строка', 'строки', 'строк'] as const;
    const cases: Array<[number, string]> = [[0, 'строк'], [1, 'строка'], [2, 'строки'], [4, 'строки'], [5, 'строк'], [11, 'строк'], [12, 'строк'], [14, 'строк'],
      [20, 'строк'], [21, 'строка'], [22, 'строки'], [25, 'строк'], [100, 'строк'], [101, 'строка'], [111, 'строк'], [112, 'строк'], [122, 'строки'], [1.5, 'строки'], [-1, 'строка']];
    for (const [n, want] of cases) expect(pluralForm(n, forms), String(n)).toBe(want);
    expect(plural(41, ...WORDS.rowIn)).toBe('строке');
  });
});

describe('every message template where a number meets a word', () => {
  it('covers each template of core/messages.ts', () => {
    const covered = new Set(Object.keys(TEMPLATES).map((k) => k.split(' ')[0]));
    for (const key of Object.keys(jobText)) expect(covered, `jobText.${key} needs a case here`).toContain(`jobText.${key}`);
  });

  for (const [name, t] of Object.entries(TEMPLATES)) {
    it(`${name}: 1, 2, 5, 11, 21, 22, 41, 111`, () => {
      for (const n of NUMBERS) {
        const text = t.render(n);
        const right = t.forms[FORM[n]];
        const sep = t.sep ?? ' ';
        expect(text, `${n}: ${text}`).toMatch(new RegExp(`(^|[^\\d])${n}${escape(sep)}${escape(right)}(?![а-яё])`));
        for (const wrong of new Set(t.forms)) {
          if (wrong !== right) expect(text, `${n} ${wrong}`).not.toMatch(new RegExp(`(^|[^\\d])${n}${escape(sep)}${escape(wrong)}(?![а-яё])`));
        }
      }
    });
  }

  it('«Изменено ячеек: 209 в 41 строке», never «в 41 строках»', () => {
    expect(jobText.recalcDone({ rows: 500, changedCells: 209, changedRows: 41, problemRows: 3, skippedStale: 0 })).toBe('Проверено строк: 500. Изменено ячеек: 209 в 41 строке. Строк с проблемами: 3.');
  });
});

describe('no unexplained counters', () => {
  it('«Настроить таблицу» says what it adjusted in words, not «…: 186»', () => {
    const text = formatSetupReport({ createdSheets: [], addedColumns: [], addedRows: [], skippedSheets: [], warnings: [], adjustments: 186 });
    expect(text).not.toMatch(/\d/);
    expect(text).toContain('защита листов приведены к шаблону');
  });
});

describe('times and day counts come from «Настройки»', () => {
  const moved: Settings = {
    ...DEFAULT_SETTINGS,
    secretaryReportTime: { hour: 9, minute: 40 }, headOfSalesReportTime: { hour: 20, minute: 10 }, callsDeadline: { hour: 18, minute: 55 },
    managersReportTime: { hour: 8, minute: 15 }, idleDays: 5, stuckDays: 4, invoiceOverdueDays: 9, staleAnalyticsDays: 6, currency: 'USD',
    leadershipEmails: ['boss@example.com'],
  };

  it('menu captions carry the report times; the handlers stay the same', () => {
    const reports = menuEntries(moved).find((e) => e !== 'separator' && 'items' in e && e.caption === 'Отчёты') as { items: Array<{ caption: string }> };
    expect(reports.items.map((i) => i.caption)).toEqual(expect.arrayContaining(['Предпросмотр: отчёт секретаря (09:40)', 'Предпросмотр: отчёт РОП (20:10)']));
    expect(JSON.stringify(menuEntries(moved))).not.toMatch(/11:00|19:45/);
    expect(menuHandlers(menuEntries(moved))).toEqual(menuHandlers(MENU));
    expect(menuHandlers(MENU)).toContain('menuWizard');
  });

  it('the schedule names its emails with their times', () => {
    const titles = JOBS.filter((j) => j.email).map((j) => jobTitle(j, moved));
    expect(titles).toEqual(expect.arrayContaining(['Отчёт секретаря (09:40)', 'Отчёт РОП (20:10)']));
    const missed = describeMissed({ spec: JOBS.find((j) => j.id === 'headOfSalesReport')!, day: '2026-11-23', marker: undefined, reason: 'noTick' }, moved, 'Europe/Moscow');
    expect(missed).toContain('должен был уйти 23.11.2026 20:10');
  });

  it('«Справка» says every deadline and email with the times of «Настройки», and no default time is left behind', () => {
    const html = help(moved);
    for (const line of ['09:40</b> — письмо «Отчёт секретаря» за вчера', 'до 18:55</b> — РОП заполняет', '20:10</b> — письмо «Отчёт РОП» за сегодня', '08:15</b> — каждому менеджеру',
      'до 10:00</b> — менеджеры вносят', 'нет движения 5 дней и больше', 'дольше 4 дней', 'старше 9 дней', '6 дней и дольше', 'суммы — в USD', '«Оплата USD»', '«Комиссия USD»', 'boss@example.com']) {
      expect(html, line).toContain(line);
    }
    expect(html).not.toMatch(/11:00|19:45|19:30|EU»|\bEU\b/);
  });

  it('«Справка» covers every sheet, the «Воронка» labels, partner files and what to do about «Проблемы»', () => {
    const html = help(DEFAULT_SETTINGS);
    for (const sheet of ['Аналитика', 'Воронка', 'Отчёт секретаря', 'Звонки', 'Счета', 'Аффилейты', 'Менеджеры', 'Промокоды', 'Партнёры', 'Тарифы', 'Справочники', 'Настройки', 'Журнал']) {
      expect(html, sheet).toContain(`<b>«${sheet}»</b>`);
    }
    for (const part of ['<b>Дошли</b>', '<b>Дошли (накопительно)</b>', '<b>Боковой этап</b>', 'Таблицы партнёров', 'Аффилейт — ', 'со знаком %', 'Если в колонке «Проблемы» что-то написано', 'Проверить данные', 'Мастер настройки']) {
      expect(html, part).toContain(part);
    }
  });

  it('escapes the spreadsheet name and addresses', () => {
    const html = renderHelpHtml('<img src=x onerror=alert(1)>', { ...DEFAULT_SETTINGS, leadershipEmails: ['<b>@x.ru'] });
    expect(html).not.toMatch(/<img|<b>@/);
  });
});
