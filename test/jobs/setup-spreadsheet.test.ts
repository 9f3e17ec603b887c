// Issue 13 items 14, 18, 19: what setup does to the spreadsheet itself — the grids of the sheets it
// creates (10 M cells per spreadsheet), the locale that decides how typed text is read, and the blank
// first tab of a new spreadsheet.
import { describe, expect, it } from 'vitest';
import { SHEET_TEMPLATES, templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { formatSetupReport } from '../../src/core/setup-report';
import { removeBlankDefaultSheet } from '../../src/gas/grid';
import { columnLetter } from '../../src/core/header-map';
import { MOSCOW, toLocalDate } from '../../src/core/dates';
import type { EmuSheet } from '../../emulator/spreadsheet/sheet';
import { isWriteCall, makeWorld } from '../support/env';

const A = templateByKey('analytics');
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;
const cellOf = (key: string, row: number) => `${columnLetter(colOf(key))}${row}`;

describe('sheets setup creates keep only their own columns (issue 13 item 14)', () => {
  it('on an empty spreadsheet every created table has exactly its template’s columns, so the spreadsheet spends far fewer of its 10 M cells', () => {
    const { env, ss } = makeWorld();
    runSetup(ss);
    for (const def of SHEET_TEMPLATES.filter((d) => d.kind === 'table')) {
      expect(ss.getSheetByName(def.name)!.getMaxColumns(), def.name).toBe(def.columns.length);
    }
    expect(ss.getSheetByName('Журнал')!.getMaxColumns()).toBe(7);
    // Every created sheet is 1000 rows high: at 26 columns each, the tables alone would take 1000 × 26 per sheet.
    const tables = SHEET_TEMPLATES.filter((d) => d.kind === 'table');
    const dashboards = ss.getSheets().length - tables.length;
    expect(env.world.getActive()!.cellCount()).toBeLessThanOrEqual(tables.reduce((n, d) => n + 1000 * d.columns.length, 0) + dashboards * 1000 * 26);
  });

  it('never deletes a column of a sheet the team already had', () => {
    const { ss } = makeWorld();
    const promo = ss.insertSheet('Промокоды');
    promo.getRange(1, 1, 1, 5).setValues([['Промокод', 'Партнёр', 'Скидка, %', 'Активен', 'Комментарий']]);
    promo.getRange('Z1').setValue('Наша колонка');
    const lists = ss.insertSheet('Справочники'); // the team's own, empty beyond column A
    lists.getRange('A1').setValue('Менеджеры');
    runSetup(ss);
    expect(promo.getMaxColumns()).toBe(26);
    expect(promo.getRange('Z1').getValue()).toBe('Наша колонка');
    expect(lists.getMaxColumns()).toBeGreaterThanOrEqual(26);
  });
});

describe('the spreadsheet locale (issue 13 item 18)', () => {
  function enWorld() {
    const w = makeWorld();
    w.env.world.getActive()!.locale = 'en_US';
    return w;
  }

  it('setup switches an en_US spreadsheet to ru_RU and says so; then «21.11» typed into a stage column is 21 November, not the number 21.11', () => {
    const w = enWorld();
    const text = formatSetupReport(runSetup(w.ss));
    expect(w.ss.getSpreadsheetLocale()).toBe('ru_RU');
    expect(text).toContain('Региональные настройки таблицы были «en_US» — установлены «Россия» (ru_RU)');
    const emu = w.env.world.getActive()!.getSheetByName('Аналитика') as unknown as EmuSheet;
    const e = w.env.world.userEdit(emu as never, cellOf('stageNegotiation', 2), [['21.11']]);
    w.env.beginExecution('simpleTrigger');
    try { main.onEdit(e); } finally { w.env.endExecution(); }
    const value = w.ss.getSheetByName('Аналитика')!.getRange(cellOf('stageNegotiation', 2)).getValue();
    expect(value).toBeInstanceOf(Date);
    expect(toLocalDate(value as Date, MOSCOW)).toBe('2026-11-21');
    // A second run finds nothing to change.
    w.env.ctx.recorder.reset();
    expect(formatSetupReport(runSetup(w.ss))).not.toContain('Региональные настройки');
    expect([...w.env.ctx.recorder.counts].filter(([m]) => isWriteCall(m))).toEqual([]);
  });

  it('«Проверить данные» warns, in Russian, when the spreadsheet is not Russian', () => {
    const w = makeWorld();
    runSetup(w.ss);
    const check = () => {
      w.env.beginExecution('menu');
      try { main.menuCheck(); } finally { w.env.endExecution(); }
      return w.env.ui.dialogs.at(-1)!.html;
    };
    expect(check()).not.toContain('Региональные настройки');
    w.ss.setSpreadsheetLocale('en_US');
    expect(check()).toContain('Региональные настройки таблицы — «en_US», а не «Россия»');
  });
});

describe('the blank first tab of a new spreadsheet (issue 13 item 19)', () => {
  it('is removed by setup, and the setup message says so', () => {
    const { ss } = makeWorld();
    expect(ss.getSheets().map((s) => s.getName())).toEqual(['Лист1']);
    const text = formatSetupReport(runSetup(ss));
    expect(ss.getSheetByName('Лист1')).toBeNull();
    expect(text).toContain('Удалён пустой лист «Лист1»');
    expect(ss.getSheets().map((s) => s.getName())).toEqual(expect.arrayContaining(SHEET_TEMPLATES.map((d) => d.name)));
  });

  it('an English «Sheet1» too', () => {
    const { ss } = makeWorld();
    ss.getSheetByName('Лист1')!.setName('Sheet1');
    runSetup(ss);
    expect(ss.getSheetByName('Sheet1')).toBeNull();
  });

  it('is kept when it holds a value, a formula, or was renamed', () => {
    for (const prepare of [
      (s: GoogleAppsScript.Spreadsheet.Sheet) => s.getRange('C7').setValue('план на декабрь'),
      (s: GoogleAppsScript.Spreadsheet.Sheet) => s.getRange('B2').setFormula('=""'),
      (s: GoogleAppsScript.Spreadsheet.Sheet) => s.setName('Черновик'),
    ]) {
      const { ss } = makeWorld();
      const first = ss.getSheets()[0];
      prepare(first);
      const name = first.getName();
      const text = formatSetupReport(runSetup(ss));
      expect(ss.getSheetByName(name), name).not.toBeNull();
      expect(text).not.toContain('Удалён пустой лист');
    }
  });

  it('is kept when it is the only visible sheet', () => {
    const { ss } = makeWorld();
    const other = ss.insertSheet('Скрытый');
    other.hideSheet();
    expect(removeBlankDefaultSheet(ss, ss.getSheets())).toBeNull();
    expect(ss.getSheetByName('Лист1')).not.toBeNull();
  });
});
