// A team's workbook often has a title row (merged across the columns) above its headers. Setup and every
// job must find the real header row, write only below it, and refuse a sheet whose headers cannot be
// placed. Partner sync must refuse a missing or repeated header exactly as the recalculation does.
// The emulator has no merged cells; a merged title reads as Apps Script reads it: the text in its
// top-left cell and empty cells beside it.
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { runRecalc, runSweep } from '../../src/jobs/analytics';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { placeHeaders } from '../../src/core/header-map';
import { isWriteCall, makeWorld, moscow, type TestWorld } from '../support/env';
import { partnerWorld, type PartnerWorld } from '../partners/world';
import { ADMIN, demoWorld, fingerprint, type RWorld, world } from '../reliability/harness';

const A = templateByKey('analytics');
const M = templateByKey('affiliates');
const TITLE = 'Отчёт отдела продаж — ноябрь 2026';
/** The team's own headers (a subset of the template, in their order) plus a column of their own. */
const TEAM_HEADERS = [
  'Дата первого взаимодействия', 'Менеджер', 'Имя', 'Телеграм username', 'Источник трафика', 'Интересующий план',
  'Первичный контакт', 'Переговоры и отправка планов', 'Оплата', 'Отказ', 'Заполнена ли анкета', 'Оплаченная сумма',
  'Причина отказа в случае не оплаты', 'Наша заметка',
];
const col = (header: string) => TEAM_HEADERS.indexOf(header);
const day = (d: string) => moscow(`2026-11-${d}`);

/** 30 leads as the team typed them: real dates, plans, answers, amounts. */
function teamRows(): unknown[][] {
  return Array.from({ length: 30 }, (_, i) => {
    const row: unknown[] = new Array(TEAM_HEADERS.length).fill('');
    const set = (h: string, v: unknown) => { row[col(h)] = v; };
    set('Дата первого взаимодействия', day(String(1 + (i % 9)).padStart(2, '0')));
    set('Менеджер', i % 2 ? 'Светлана' : 'Олег');
    set('Имя', `Клиент ${i}`);
    set('Телеграм username', `@client_${i}_shop`);
    set('Источник трафика', i % 3 ? 'Гугл' : 'Сарафан');
    set('Интересующий план', ['Personal', 'Lite', 'Pro'][i % 3]);
    set('Первичный контакт', day(String(1 + (i % 9)).padStart(2, '0')));
    if (i % 2 === 0) set('Переговоры и отправка планов', day('12'));
    if (i % 5 === 0) {
      set('Оплата', day('14'));
      set('Заполнена ли анкета', 'Да');
      set('Оплаченная сумма', 1200.5 + i);
    } else if (i % 7 === 0) {
      set('Отказ', day('15'));
      set('Причина отказа в случае не оплаты', 'Нет денег');
    }
    set('Наша заметка', `заметка ${i}`);
    return row;
  });
}

function titledWorld(w: TestWorld = makeWorld()) {
  const sheet = w.ss.insertSheet('Аналитика');
  const width = TEAM_HEADERS.length;
  const title = [TITLE, ...new Array(width - 1).fill('')];
  const rows = teamRows();
  sheet.getRange(1, 1, 1, width).setValues([title]);
  sheet.getRange(2, 1, 1, width).setValues([TEAM_HEADERS]);
  sheet.getRange(3, 1, rows.length, width).setValues(rows);
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'manager@example.com' });
  const values = () => w.env.ctx.recorder.quiet(() => sheet.getDataRange().getValues());
  /** A manager types into cells; the simple trigger runs as Apps Script would run it. */
  const type = (a1: string, v: unknown[][]) => {
    const emu = w.env.world.getActive()!.getSheetByName('Аналитика') as never;
    const e = w.env.world.userEdit(emu, a1, v);
    w.env.beginExecution('simpleTrigger');
    try { main.onEdit(e); } finally { w.env.endExecution(); }
  };
  return { ...w, sheet, title, rows, clock, values, type };
}

const writes = (w: TestWorld) => [...w.env.ctx.recorder.counts].filter(([m]) => isWriteCall(m));
const teamPart = (values: unknown[][]) => values.map((r) => r.slice(0, TEAM_HEADERS.length));
const letter = (i: number) => String.fromCharCode(65 + i);

describe('a title row above the headers', () => {
  it('setup adds only the missing columns in the real header row, keeps every value and date, and a second run writes nothing', () => {
    const w = titledWorld();
    const report = runSetup(w.ss);
    const after = w.values();
    const missing = A.columns.filter((c) => !TEAM_HEADERS.includes(c.header)).map((c) => c.header);
    expect(after[0].filter((v) => v !== '')).toEqual([TITLE]); // nothing added to the title row
    expect(after[1]).toEqual([...TEAM_HEADERS, ...missing]);
    expect(report.addedColumns).toEqual([{ sheet: 'Аналитика', headers: missing }]);
    expect(report.skippedSheets).toEqual([]);
    expect(teamPart(after.slice(2))).toEqual(w.rows);
    // Dates stay dates: a date format on date columns, money on money, not one column off.
    const first = w.sheet.getRange(3, col('Дата первого взаимодействия') + 1);
    expect(first.getValue()).toBeInstanceOf(Date);
    expect(first.getNumberFormat()).toBe('dd.MM.yyyy');
    expect(first.getDisplayValue()).toBe('01.11.2026');
    expect(w.sheet.getRange(3, col('Оплата') + 1).getDisplayValue()).toBe('14.11.2026');
    expect(w.sheet.getRange(3, col('Оплаченная сумма') + 1).getNumberFormat()).toBe('#,##0.00');
    // The header row is styled and frozen together with the title; the title keeps its look.
    expect(w.sheet.getRange(2, 1).getFontWeight()).toBe('bold');
    expect(w.sheet.getRange(1, 1).getFontWeight()).toBe('normal');
    expect(w.sheet.getFrozenRows()).toBe(2);

    w.env.ctx.recorder.reset();
    const second = runSetup(w.ss);
    expect(writes(w)).toEqual([]);
    expect(second.addedColumns).toEqual([]);
    expect(second.adjustments).toBe(0);
  });

  it('recalc, sweep and edits work on the data rows and never touch the title or the team’s values', () => {
    const w = titledWorld();
    runSetup(w.ss);
    const header = w.values()[1];
    const at = (h: string) => header.indexOf(h);
    const recalc = runRecalc(w.ss, w.clock());
    expect(recalc.rows).toBe(30);
    let now = w.values();
    expect(now[0].filter((v) => v !== '')).toEqual([TITLE]);
    expect(now[1]).toEqual(header);
    expect(teamPart(now.slice(2))).toEqual(w.rows);
    expect(now[2][at('Текущий этап')]).toBe('Оплата'); // lead 0 is paid
    expect(now[3][at('Текущий этап')]).toBe('Первичный контакт');
    expect(String(now[2][at('Индивидуальный номер')])).toMatch(/^\d{3}[a-z]{2}\d{3}$/);

    runSweep(w.ss, w.clock(), DEFAULT_SETTINGS);
    now = w.values();
    expect(now[0].filter((v) => v !== '')).toEqual([TITLE]);
    expect(now[1]).toEqual(header);
    expect(teamPart(now.slice(2))).toEqual(w.rows);

    // An edit of lead 1 (sheet row 4) stamps today's date and moves its stage.
    const before = w.values();
    w.type(`${letter(col('Переговоры и отправка планов'))}4`, [['x']]);
    now = w.values();
    expect(now[3][at('Переговоры и отправка планов')]).toBeInstanceOf(Date);
    expect(now[3][at('Текущий этап')]).toBe('Переговоры и отправка планов');
    expect(now[0]).toEqual(before[0]);
    expect(now[1]).toEqual(before[1]);
    // Retitling the report changes the title cell only.
    w.type('A1', [['Отчёт отдела продаж — декабрь 2026']]);
    const retitled = w.values();
    expect(retitled[0][0]).toBe('Отчёт отдела продаж — декабрь 2026');
    expect(retitled.slice(1)).toEqual(now.slice(1));
  });
});

describe('headers that cannot be placed', () => {
  /** «Аналитика» of a team that named every column its own way, under a title. */
  function unknownHeaders(w: RWorld) {
    w.quiet(() => {
      const sheet = w.ss.insertSheet('Аналитика');
      sheet.getRange(1, 1, 1, 5).setValues([[TITLE, '', '', '', '']]);
      sheet.getRange(2, 1, 1, 5).setValues([['Когда', 'Клиент', 'Ник', 'Сколько', 'Итог']]);
      sheet.getRange(3, 1, 20, 5).setValues(Array.from({ length: 20 }, (_, i) => [day('03'), `Клиент ${i}`, `@c_${i}_shop`, 100 + i, i % 2 ? 'Оплата' : 'Отказ']));
    });
  }
  /** The damage the old setup did: the template's headers appended into the title row, one column off. */
  function secondHeaderSet(w: RWorld) {
    const t = titledWorld(w);
    w.quiet(() => {
      t.sheet.insertColumnsAfter(t.sheet.getMaxColumns(), A.columns.length + 1 - t.sheet.getMaxColumns());
      t.sheet.getRange(1, 2, 1, A.columns.length).setValues([A.columns.map((c) => c.header)]);
    });
  }
  const analyticsPrint = (w: RWorld) => {
    const fp = fingerprint(w)['(основная таблица)'] as { sheets: Array<{ name: string }>; protections: string[] };
    return { sheet: fp.sheets.find((s) => s.name === 'Аналитика'), protections: fp.protections.filter((p) => p.startsWith('Аналитика|')) };
  };

  it.each([
    ['columns named the team’s own way', unknownHeaders, /^Лист «Аналитика»: не найдена строка заголовков — ни в одной из первых 10 строк не узнаются хотя бы 3 заголовка шаблона[^]*Ожидаются «Дата первого взаимодействия», «Менеджер», «Имя»[^]*В листе ничего не изменено\.$/],
    ['a second header set in the title row', secondHeaderSet, new RegExp(`^Лист «Аналитика»: непонятно, какая строка — заголовки: строка 1 \\(узнано заголовков: ${A.columns.length}\\) или строка 2 \\(узнано: 13\\)[^]*В листе ничего не изменено\\.$`)],
  ] as const)('%s: setup names the sheet and changes nothing in it; recalc, sweep, edits and partner sync write nothing', (_, build, message) => {
    const w = world();
    build(w);
    const before = analyticsPrint(w);
    const report = runSetup(w.ss);
    expect(analyticsPrint(w)).toEqual(before);
    expect(report.skippedSheets).toHaveLength(1);
    expect(report.skippedSheets[0]).toMatch(message);
    expect(report.createdSheets).toContain('Промокоды'); // the other sheets are set up
    w.env.ctx.recorder.reset();
    expect(runSetup(w.ss).skippedSheets[0]).toMatch(message);
    expect(writes(w)).toEqual([]);
    w.exec('menu', () => main.menuSetup());
    expect(w.env.ui.alerts.at(-1)?.prompt).toMatch(/Не настроены \(в этих листах ничего не изменено\):\n• Лист «Аналитика»: /);

    const clock = w.clock();
    for (const job of [() => runRecalc(w.ss, clock), () => runSweep(w.ss, clock, DEFAULT_SETTINGS), () => main.menuPartners()]) {
      w.env.ctx.recorder.reset();
      const error = w.exec('menu', job);
      expect(writes(w)).toEqual([]);
      if (error) expect((error as Error).message).toMatch(message);
    }
    // The menus say the same to the person.
    const from = w.env.ui.alerts.length;
    w.exec('menu', () => main.menuRecalc());
    w.exec('menu', () => main.menuSweep());
    const alerts = w.env.ui.alerts.slice(from).map((a) => a.prompt);
    expect(alerts).toHaveLength(2);
    for (const a of alerts) expect(a).toMatch(message.source.replace(/^\^/, '').replace(/\$$/, '').slice(0, 60));
    // A manager's edit keeps what was typed and nothing else changes.
    const typed = w.quiet(() => w.sheet('Аналитика').getDataRange().getValues());
    const e = w.env.world.userEdit(w.emu.getSheetByName('Аналитика') as never, 'C5', [['@typed_nick']]);
    w.exec('simpleTrigger', () => main.onEdit(e));
    typed[4][2] = '@typed_nick';
    expect(w.quiet(() => w.sheet('Аналитика').getDataRange().getValues())).toEqual(typed);
    expect(w.emu.toasts.at(-1)?.message).toMatch(message);
  });

  it('takes the one row naming at least 3 template headers (2 of a small template); a stray header word in a data row does not count', () => {
    const plans = { name: 'Тарифы', headerRow: 1, columns: templateByKey('planPrices').columns };
    const place = (rows: unknown[][]) => placeHeaders(rows, plans, rows.length, 4);
    expect(place([['Тарифы на 2026'], ['План', 'Цена'], ['Pro', 100]])).toMatchObject({ ok: true, row: 2 });
    expect(place([['План'], ['Pro', 100]])).toMatchObject({ ok: false }); // one header of four is not enough
    expect(place([['План', 'Цена', 'Валюта'], ['План', 'Цена', 'Валюта']])).toMatchObject({ ok: false }); // two header rows
    expect(placeHeaders([], plans, 0, 1)).toMatchObject({ ok: true, row: 1 }); // an empty sheet: the template's row
    // A lead whose source is «Партнёр» and whose stage is «Оплата» names two headers: still a data row.
    const lead = ['', 'Олег', 'Клиент', '@client_shop', 'Партнёр', 'Оплата'];
    const analytics = { name: A.name, headerRow: 1, columns: A.columns };
    expect(placeHeaders([[TITLE], TEAM_HEADERS, lead, lead], analytics, 4, TEAM_HEADERS.length)).toMatchObject({ ok: true, row: 2 });
  });
});

describe('partner sync on a damaged «Имя» header', () => {
  function syncedWorld(): PartnerWorld {
    const w = partnerWorld();
    w.addLeads([
      { name: 'Ирина', username: '@irina_shop', promoCode: 'prosto5', stagePaid: day('20'), paidAmount: 400, individualNumber: '417ia902' },
      { name: 'Вера', username: '@vera_flowers', promoCode: 'goynova5', stagePaid: day('21'), paidAmount: 350, individualNumber: '101va202' },
      { name: 'Гоша', username: '@gosha_shop', partner: 'Муар', stagePaid: day('21'), paidAmount: 100, individualNumber: '102gp203' },
    ]);
    w.sync();
    return w;
  }
  const partnersOf = ['Александр Сидоренко', 'Татьяна', 'Муар'];
  const state = (w: PartnerWorld) => ({
    master: w.env.ctx.recorder.quiet(() => w.ss.getSheetByName(M.name)!.getDataRange().getValues()),
    files: partnersOf.map((p) => w.fileTable(p)),
  });
  /** A column of the team's own, left of everything, also headed «Имя» (so it is the first «Имя»). */
  const extraNameColumn = (w: PartnerWorld, sheet: string) => {
    const s = w.ss.getSheetByName(sheet)!;
    s.insertColumnBefore(1);
    s.getRange(1, 1).setValue('Имя');
  };
  const header = (w: PartnerWorld, sheet: string, text: string) => w.env.ctx.recorder.quiet(() => {
    const s = w.ss.getSheetByName(sheet)!;
    return s.getRange(1, s.getRange(1, 1, 1, s.getLastColumn()).getValues()[0].indexOf(text) + 1);
  });

  it.each([
    ['«Имя» blanked in «Аналитика»', 'Аналитика', (w: PartnerWorld) => header(w, A.name, 'Имя').setValue('')],
    ['«Имя» repeated in «Аналитика»', 'Аналитика', (w: PartnerWorld) => extraNameColumn(w, A.name)],
    ['«Имя» blanked in «Аффилейты»', 'Аффилейты', (w: PartnerWorld) => header(w, M.name, 'Имя').setValue('')],
    ['«Имя» repeated in «Аффилейты»', 'Аффилейты', (w: PartnerWorld) => extraNameColumn(w, M.name)],
  ] as const)('%s: refused with the recalculation’s message, «Аффилейты» and partner files unchanged', (_, sheet, damage) => {
    const w = syncedWorld();
    expect(w.masterRows().map((r) => r.name).sort()).toEqual(['Вера', 'Гоша', 'Ирина']);
    w.env.ctx.recorder.quiet(() => damage(w));
    const before = state(w);
    w.env.ctx.recorder.reset();
    let error: unknown;
    try { w.sync(); } catch (e) { error = e; }
    expect(writes(w)).toEqual([]);
    expect(state(w)).toEqual(before);
    const message = (error as Error | undefined)?.message ?? '(no refusal)';
    expect(message).toMatch(new RegExp(`^В листе «${sheet}» (нет колонки «Имя»|колонка «Имя» встречается 2 раза \\([A-Z], [A-Z]\\)) .*Ничего не изменено\\.$`));
    if (sheet === 'Аналитика') {
      // Word for word what the recalculation says about the same sheet.
      let recalc: unknown;
      w.env.beginExecution('menu');
      try { runRecalc(w.ss, { now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'owner@example.com' }); } catch (e) { recalc = e; } finally { w.env.endExecution(); }
      expect(message).toBe((recalc as Error).message);
    }
  });

  it('the menu and the schedule give the same message, and the admin is told', () => {
    const w = demoWorld();
    w.exec('menu', () => main.menuPartners());
    const names = () => w.quiet(() => w.sheet(M.name).getDataRange().getValues());
    const before = names();
    expect(before.length).toBeGreaterThan(1);
    w.quiet(() => {
      const s = w.sheet(A.name);
      s.getRange(1, s.getRange(1, 1, 1, s.getLastColumn()).getValues()[0].indexOf('Имя') + 1).setValue('');
    });
    const from = w.env.ui.alerts.length;
    w.exec('menu', () => main.menuRecalc());
    w.exec('menu', () => main.menuPartners());
    const [recalc, partners] = w.env.ui.alerts.slice(from).map((a) => a.prompt);
    const expected = 'В листе «Аналитика» нет колонки «Имя» — запустите «Настроить таблицу» (она добавит колонку). Ничего не изменено.';
    expect(recalc).toContain(expected);
    expect(partners).toContain(expected);
    w.exec('installableTrigger', () => main.onTick());
    const alert = w.env.mail.outbox.find((m) => m.to === ADMIN && m.subject.includes('партн'));
    expect(alert?.body).toContain(expected);
    expect(names()).toEqual(before);
  });
});
