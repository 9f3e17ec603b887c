import { describe, expect, it } from 'vitest';
import { createContext, type EmulatorContext } from '../../emulator/context';
import { FAULTS } from '../../emulator/recorder';
import { createSpreadsheetWorld, type EmuSheet, type EmuSpreadsheet, type SpreadsheetWorld } from '../../emulator/spreadsheet/index';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const fakeUi = { alert: () => undefined } as unknown as GoogleAppsScript.Base.Ui;

function setup(ctxOpts: Parameters<typeof createContext>[0] = {}): { ctx: EmulatorContext; world: SpreadsheetWorld; ss: EmuSpreadsheet; app: GoogleAppsScript.Spreadsheet.SpreadsheetApp; sheet: Sheet } {
  const ctx = createContext(ctxOpts);
  const world = createSpreadsheetWorld(ctx, { getUi: () => fakeUi });
  const ss = world.createSpreadsheet('Продажи');
  world.setActive(ss);
  const app = world.SpreadsheetApp;
  const sheet = app.getActiveSpreadsheet().getSheets()[0];
  ctx.recorder.reset();
  return { ctx, world, ss, app, sheet };
}

const moscowMidnight = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - 3 * 3600_000);

describe('SpreadsheetApp', () => {
  it('opens the bound spreadsheet and others by id and url', () => {
    const { world, app, ss } = setup();
    const other = world.createSpreadsheet('Партнёр');
    expect(app.getActiveSpreadsheet().getId()).toBe(ss.id);
    expect(app.openById(other.id).getName()).toBe('Партнёр');
    expect(app.openByUrl(`https://docs.google.com/spreadsheets/d/${other.id}/edit#gid=0`).getId()).toBe(other.id);
    expect(other.getUrl()).toBe(`https://docs.google.com/spreadsheets/d/${other.id}/edit`);
  });

  it('refuses to open a deleted or trashed file like the real service', () => {
    const { world, app } = setup();
    const gone = world.createSpreadsheet('Удалённый');
    world.deleteFile(gone.id);
    expect(() => app.openById(gone.id)).toThrow(`Document ${gone.id} is missing (perhaps it was deleted, or you don't have read access?)`);
    const trashed = world.createSpreadsheet('В корзине');
    world.DriveApp.getFileById(trashed.id).setTrashed(true);
    expect(() => app.openById(trashed.id)).toThrow(/is missing/);
    expect(() => app.openById('nope')).toThrow(/Document nope is missing/);
  });

  it('creates a spreadsheet owned by the running user', () => {
    const { app } = setup({ userEmail: 'lead@example.com' });
    const created = app.create('Аффилейт — Иван');
    expect(created.getOwner()!.getEmail()).toBe('lead@example.com');
    expect(created.getSheets()).toHaveLength(1);
    expect(app.openById(created.getId()).getName()).toBe('Аффилейт — Иван');
  });
});

describe('Spreadsheet', () => {
  it('inserts a 1000 × 26 sheet and refuses a duplicate name', () => {
    const { ss } = setup();
    const sh = ss.insertSheet('Аналитика');
    expect(sh.getMaxRows()).toBe(1000);
    expect(sh.getMaxColumns()).toBe(26);
    expect(sh.getIndex()).toBe(2);
    expect(() => ss.insertSheet('Аналитика')).toThrow('A sheet with the name "Аналитика" already exists. Please enter another name.');
    const first = ss.insertSheet('Первый', 0);
    expect(first.getIndex()).toBe(1);
  });

  it('finds sheets by exact name only', () => {
    const { ss } = setup();
    ss.insertSheet('Аналитика');
    expect(ss.getSheetByName('Аналитика')).not.toBeNull();
    expect(ss.getSheetByName('аналитика')).toBeNull();
    expect(ss.getSheetByName('Нет такого')).toBeNull();
  });

  it('deletes sheets and keeps the active sheet valid', () => {
    const { ss } = setup();
    const a = ss.insertSheet('A');
    ss.setActiveSheet(a);
    ss.deleteSheet(a);
    expect(ss.getSheets().map((s) => s.getName())).toEqual(['Лист1']);
    expect(ss.getActiveSheet().getName()).toBe('Лист1');
    expect(() => ss.deleteSheet(ss.getSheets()[0])).toThrow(/not possible to delete all/);
  });

  it('defaults time zone to the script zone and locale to ru_RU', () => {
    const { ss } = setup({ scriptTimeZone: 'Europe/Moscow' });
    expect(ss.getSpreadsheetTimeZone()).toBe('Europe/Moscow');
    expect(ss.getSpreadsheetLocale()).toBe('ru_RU');
    ss.setSpreadsheetLocale('en_US');
    expect(ss.getSpreadsheetLocale()).toBe('en_US');
  });

  it('reads a sheet-qualified A1 range', () => {
    const { ss } = setup();
    const sh = ss.insertSheet('Мой лист');
    sh.getRange('B2').setValue('x');
    expect(ss.getRange("'Мой лист'!B2").getValue()).toBe('x');
    expect(ss.getRange("'Мой лист'!A1:B2").getNumRows()).toBe(2);
  });

  it('records toasts for the harness', () => {
    const { ss } = setup();
    ss.toast('Готово', 'Продажи');
    expect(ss.toasts).toEqual([{ message: 'Готово', title: 'Продажи', timeoutSeconds: 5 }]);
  });

  it('keeps the wall-clock date of date cells when the time zone changes', () => {
    const { ss, sheet } = setup();
    sheet.getRange('A1').setValue('21.11.2026');
    ss.setSpreadsheetTimeZone('Asia/Yekaterinburg');
    expect(sheet.getRange('A1').getDisplayValue()).toBe('21.11.2026');
    expect((sheet.getRange('A1').getValue() as Date).toISOString()).toBe('2026-11-20T19:00:00.000Z');
  });
});

describe('Sharing', () => {
  it('adds and removes viewers and editors, one ACL per file', () => {
    const { ss, world } = setup();
    ss.addEditor('ed@example.com').addViewers(['v1@example.com', 'v2@example.com']);
    expect(ss.getEditors().map((u) => u.getEmail())).toEqual(['owner@example.com', 'ed@example.com']);
    expect(ss.getViewers().map((u) => u.getEmail())).toEqual(['v1@example.com', 'v2@example.com']);
    const file = world.DriveApp.getFileById(ss.id);
    expect(file.getViewers().map((u) => u.getEmail())).toContain('v1@example.com');
    file.removeViewer('v1@example.com');
    expect(ss.getViewers().map((u) => u.getEmail())).toEqual(['v2@example.com']);
  });

  it('keeps an editor an editor when added as a viewer, and promotes a viewer added as editor', () => {
    const { ss } = setup();
    ss.addEditor('p@example.com');
    ss.addViewer('p@example.com');
    expect(ss.getEditors().map((u) => u.getEmail())).toContain('p@example.com');
    expect(ss.getViewers()).toHaveLength(0);
    ss.addViewer('q@example.com');
    ss.addEditor('q@example.com');
    expect(ss.getViewers()).toHaveLength(0);
    // Downgrading means removing the editor first.
    ss.removeEditor('p@example.com').addViewer('p@example.com');
    expect(ss.getViewers().map((u) => u.getEmail())).toEqual(['p@example.com']);
  });

  it('throws on an invalid email', () => {
    const { ss, world } = setup();
    expect(() => ss.addViewer('not an email')).toThrow('Invalid email: not an email');
    expect(() => world.DriveApp.getFileById(ss.id).addEditors(['ok@example.com', 'bad'])).toThrow('Invalid email: bad');
    expect(ss.getEditors()).toHaveLength(1);
  });

  it('exposes Drive sharing settings and trash', () => {
    const { ss, world } = setup();
    const { DriveApp } = world;
    const file = DriveApp.getFileById(ss.id);
    expect(String(file.getSharingAccess())).toBe('PRIVATE');
    file.setSharing(DriveApp.Access.ANYONE_WITH_LINK, DriveApp.Permission.VIEW);
    expect(file.getSharingAccess()).toBe(DriveApp.Access.ANYONE_WITH_LINK);
    expect(file.getSharingPermission()).toBe(DriveApp.Permission.VIEW);
    expect(file.getOwner().getEmail()).toBe('owner@example.com');
    expect(file.getUrl()).toContain(ss.id);
    expect(file.isTrashed()).toBe(false);
    file.setTrashed(true);
    expect(DriveApp.getFileById(ss.id).isTrashed()).toBe(true);
    world.deleteFile(ss.id);
    expect(() => DriveApp.getFileById(ss.id)).toThrow(/No item with the given ID could be found/);
  });

  it('moves getLastUpdated forward on writes', () => {
    const { ctx, ss, world, sheet } = setup();
    const before = world.DriveApp.getFileById(ss.id).getLastUpdated().getTime();
    ctx.clock.advance(60_000);
    sheet.getRange('A1').setValue(1);
    expect(world.DriveApp.getFileById(ss.id).getLastUpdated().getTime()).toBe(before + 60_000);
  });
});

describe('Sheet', () => {
  it('reports 0 as last row and column of an empty sheet', () => {
    const { sheet } = setup();
    expect(sheet.getLastRow()).toBe(0);
    expect(sheet.getLastColumn()).toBe(0);
    expect(sheet.getDataRange().getA1Notation()).toBe('A1');
  });

  it('reports the last row and column with content, ignoring formatting', () => {
    const { sheet } = setup();
    sheet.getRange('C5').setValue('x');
    sheet.getRange('A10').setBackground('#ff0000');
    sheet.getRange('B7').setNote('note only');
    expect(sheet.getLastRow()).toBe(5);
    expect(sheet.getLastColumn()).toBe(3);
    expect(sheet.getDataRange().getA1Notation()).toBe('A1:C5');
    sheet.getRange('C5').clearContent();
    expect(sheet.getLastRow()).toBe(0);
  });

  it('refuses a range outside the sheet', () => {
    const { sheet } = setup();
    expect(() => sheet.getRange(1001, 1)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange(1, 1, 1, 27)).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange('AA1')).toThrow('The coordinates of the range are outside the dimensions of the sheet.');
    expect(() => sheet.getRange(0, 1)).toThrow('The starting row of the range is too small.');
    expect(() => sheet.getRange(1, 1, 0, 1)).toThrow('The number of rows in the range must be at least 1.');
  });

  it('parses A1 forms: cells, blocks, whole columns and open-ended columns', () => {
    const { sheet } = setup();
    expect(sheet.getRange('B2:C3').getA1Notation()).toBe('B2:C3');
    const col = sheet.getRange('A:B');
    expect([col.getRow(), col.getNumRows(), col.getNumColumns()]).toEqual([1, 1000, 2]);
    const open = sheet.getRange('C2:C');
    expect([open.getRow(), open.getColumn(), open.getNumRows()]).toEqual([2, 3, 999]);
    expect(sheet.getRange(2, 3, 4).getA1Notation()).toBe('C2:C5');
  });

  it('appends a row after the last row with content and grows a full sheet', () => {
    const { ss } = setup();
    const sh = ss.insertSheet('Журнал');
    sh.getRange('A1:B1').setValues([['Время', 'Кто']]);
    sh.appendRow(['x', 1]);
    expect(sh.getRange('A2:B2').getValues()).toEqual([['x', 1]]);
    sh.deleteRows(3, 998);
    expect(sh.getMaxRows()).toBe(2);
    sh.appendRow(['y', 2]);
    expect(sh.getMaxRows()).toBe(3);
    expect(sh.getLastRow()).toBe(3);
  });

  it('inserts and deletes rows and columns, moving data with them', () => {
    const { sheet } = setup();
    sheet.getRange('A1:C2').setValues([[1, 2, 3], [4, 5, 6]]);
    sheet.getRange('B2').setNote('n');
    sheet.insertRowBefore(1);
    expect(sheet.getRange('A2:C3').getValues()).toEqual([[1, 2, 3], [4, 5, 6]]);
    sheet.insertColumnAfter(1);
    expect(sheet.getRange('A2:D2').getValues()).toEqual([[1, '', 2, 3]]);
    expect(sheet.getRange('C3').getNote()).toBe('n');
    expect(sheet.getMaxRows()).toBe(1001);
    expect(sheet.getMaxColumns()).toBe(27);
    sheet.deleteColumn(2);
    sheet.deleteRow(1);
    expect(sheet.getRange('A1:C2').getValues()).toEqual([[1, 2, 3], [4, 5, 6]]);
    sheet.insertColumnsAfter(3, 2);
    sheet.insertRowsAfter(2, 3);
    sheet.insertColumns(1);
    expect(sheet.getRange('B1:D1').getValues()).toEqual([[1, 2, 3]]);
    expect(sheet.getMaxColumns()).toBe(29);
  });

  it('keeps frozen panes, widths, visibility and tab color', () => {
    const { ss, sheet } = setup();
    sheet.setFrozenRows(1);
    sheet.setFrozenColumns(2);
    sheet.setColumnWidth(3, 240);
    expect([sheet.getFrozenRows(), sheet.getFrozenColumns(), sheet.getColumnWidth(3), sheet.getColumnWidth(4)]).toEqual([1, 2, 240, 100]);
    const log = ss.insertSheet('Журнал');
    log.hideSheet();
    expect(log.isSheetHidden()).toBe(true);
    log.showSheet();
    expect(log.isSheetHidden()).toBe(false);
    log.setTabColor('#ff0000');
    expect(log.getTabColor()).toBe('#ff0000');
    log.hideSheet();
    expect(() => sheet.hideSheet()).toThrow(/not possible to hide all sheets/);
  });

  it('renames a sheet and refuses a name in use', () => {
    const { ss, sheet } = setup();
    ss.insertSheet('Б');
    sheet.setName('А');
    expect(ss.getSheetByName('А')).not.toBeNull();
    expect(() => sheet.setName('Б')).toThrow('A sheet with the name "Б" already exists. Please enter another name.');
  });

  it('gives sheet ids: 0 for the first sheet, distinct for later ones', () => {
    const { ss, sheet } = setup();
    const b = ss.insertSheet('Б');
    expect(sheet.getSheetId()).toBe(0);
    expect(b.getSheetId()).not.toBe(0);
    expect(ss.getSheetById(b.getSheetId())!.getName()).toBe('Б');
  });

  it('clears contents or everything', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setValue('x').setBackground('#00ff00');
    sheet.clearContents();
    expect(sheet.getRange('A1').getValue()).toBe('');
    expect(sheet.getRange('A1').getBackground()).toBe('#00ff00');
    sheet.getRange('A1').setValue('y');
    sheet.clear();
    expect(sheet.getRange('A1').getValue()).toBe('');
    expect(sheet.getRange('A1').getBackground()).toBe('#ffffff');
  });

  it('builds, inserts, updates and removes a chart', () => {
    const { sheet, ctx } = setup();
    const Charts = { ChartType: { BAR: 'BAR', COLUMN: 'COLUMN' } } as unknown as typeof GoogleAppsScript.Charts;
    const chart = sheet.newChart().setChartType(Charts.ChartType.BAR).addRange(sheet.getRange('A1:B5')).setPosition(2, 4, 0, 0).setOption('title', 'Воронка').build();
    sheet.insertChart(chart);
    const [inserted] = sheet.getCharts();
    expect(inserted.getRanges()[0].getA1Notation()).toBe('A1:B5');
    expect(inserted.getContainerInfo().getAnchorColumn()).toBe(4);
    sheet.updateChart(inserted.modify().setOption('title', 'Новая').build());
    expect(sheet.getCharts()[0].getOptions().get('title')).toBe('Новая');
    sheet.removeChart(sheet.getCharts()[0]);
    expect(sheet.getCharts()).toHaveLength(0);
    expect(ctx.recorder.counts.get('Sheet.insertChart')).toBe(1);
  });
});

describe('Range values', () => {
  it('reads an empty cell as an empty string', () => {
    const { sheet } = setup();
    expect(sheet.getRange('A1').getValue()).toBe('');
    expect(sheet.getRange('A1:B2').getValues()).toEqual([['', ''], ['', '']]);
    expect(sheet.getRange('A1').getDisplayValue()).toBe('');
    expect(sheet.getRange('A1').getFormula()).toBe('');
    expect(sheet.getRange('A1').getNote()).toBe('');
  });

  it('reads numbers as numbers, booleans as booleans and dates as Date', () => {
    const { sheet } = setup();
    const d = moscowMidnight(2026, 11, 21);
    sheet.getRange('A1:D1').setValues([[42, true, d, 'текст']]);
    const [[n, b, date, s]] = sheet.getRange('A1:D1').getValues();
    expect(n).toBe(42);
    expect(b).toBe(true);
    expect(Object.prototype.toString.call(date)).toBe('[object Date]');
    expect((date as Date).getTime()).toBe(d.getTime());
    expect(s).toBe('текст');
  });

  it('returns fresh arrays and dates: mutating them changes nothing', () => {
    const { sheet } = setup();
    const d = moscowMidnight(2026, 1, 1);
    sheet.getRange('A1:B1').setValues([[1, d]]);
    const got = sheet.getRange('A1:B1').getValues();
    got[0][0] = 99;
    (got[0][1] as Date).setTime(0);
    d.setTime(0);
    expect(sheet.getRange('A1:B1').getValues()).toEqual([[1, moscowMidnight(2026, 1, 1)]]);
  });

  it('refuses setValues with a wrong row count', () => {
    const { sheet } = setup();
    expect(() => sheet.getRange('A1:B3').setValues([[1, 2], [3, 4]])).toThrow(
      'The number of rows in the data does not match the number of rows in the range. The data has 2 but the range has 3.');
  });

  it('refuses setValues with a wrong column count', () => {
    const { sheet } = setup();
    expect(() => sheet.getRange('A1:C2').setValues([[1, 2, 3], [3, 4]])).toThrow(
      'The number of columns in the data does not match the number of columns in the range. The data has 2 but the range has 3.');
  });

  it('stores a string starting with = as a formula that reads back as an error value', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setValue('=SUM(B1:B3)');
    sheet.getRange('A2:A3').setValues([['=B2*2'], ['=HYPERLINK("https://x.test";"ссылка")']]);
    expect(sheet.getRange('A1').getFormula()).toBe('=SUM(B1:B3)');
    expect(sheet.getRange('A1').getValue()).toBe('#ERROR!');
    expect(sheet.getRange('A1:A3').getFormulas()).toEqual([['=SUM(B1:B3)'], ['=B2*2'], ['=HYPERLINK("https://x.test";"ссылка")']]);
    expect(sheet.getRange('A3').getValue()).toBe('ссылка');
    sheet.getRange('A1').setValue(5);
    expect(sheet.getRange('A1').getFormula()).toBe('');
    sheet.getRange('B1').setFormula('=A1+1');
    expect(sheet.getRange('B1').getFormula()).toBe('=A1+1');
    expect(sheet.getLastColumn()).toBe(2);
  });

  it('stores a string with a leading apostrophe as text without the apostrophe', () => {
    const { sheet } = setup();
    sheet.getRange('A1:A3').setValues([["'=not a formula"], ["'0012"], ["'TRUE"]]);
    expect(sheet.getRange('A1:A3').getValues()).toEqual([['=not a formula'], ['0012'], ['TRUE']]);
    expect(sheet.getRange('A1').getFormula()).toBe('');
  });

  it('parses strings that look like numbers, booleans or dates as a user typing them would', () => {
    const { sheet } = setup();
    sheet.getRange('A1:A8').setValues([['42'], ['1 200,50'], ['-3,5'], ['15%'], ['TRUE'], ['21.11.2026'], ['2026-11-21'], ['abc 1']]);
    const v = sheet.getRange('A1:A8').getValues().map((r) => r[0]);
    expect(v.slice(0, 5)).toEqual([42, 1200.5, -3.5, 0.15, true]);
    expect((v[5] as Date).getTime()).toBe(moscowMidnight(2026, 11, 21).getTime());
    expect((v[6] as Date).getTime()).toBe(moscowMidnight(2026, 11, 21).getTime());
    expect(v[7]).toBe('abc 1');
    expect(sheet.getRange('A4').getDisplayValue()).toBe('15%');
    expect(sheet.getRange('A6').getDisplayValue()).toBe('21.11.2026');
  });

  it('keeps text in a cell formatted as plain text', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setNumberFormat('@').setValue('0012');
    expect(sheet.getRange('A1').getValue()).toBe('0012');
  });

  it('keeps booleans as booleans and displays them as TRUE/FALSE', () => {
    const { sheet } = setup();
    sheet.getRange('A1:B1').setValues([[true, false]]);
    expect(sheet.getRange('A1:B1').getValues()).toEqual([[true, false]]);
    expect(sheet.getRange('A1:B1').getDisplayValues()).toEqual([['TRUE', 'FALSE']]);
  });

  it('writes null and undefined as empty cells', () => {
    const { sheet } = setup();
    sheet.getRange('A1:B1').setValues([['x', 'y']]);
    sheet.getRange('A1:B1').setValues([[null, undefined]]);
    expect(sheet.getRange('A1:B1').getValues()).toEqual([['', '']]);
    expect(sheet.getLastRow()).toBe(0);
  });

  it('offsets ranges and reports geometry', () => {
    const { sheet } = setup();
    const r = sheet.getRange('B2:C4');
    expect([r.getRow(), r.getColumn(), r.getNumRows(), r.getNumColumns(), r.getLastRow(), r.getLastColumn()]).toEqual([2, 2, 3, 2, 4, 3]);
    expect(r.offset(1, 1).getA1Notation()).toBe('C3:D5');
    expect(r.offset(0, 0, 1, 1).getA1Notation()).toBe('B2');
    expect(r.getSheet().getName()).toBe('Лист1');
    expect(r.getCell(2, 2).getA1Notation()).toBe('C3');
  });

  it('stores notes, backgrounds, font weights and colors per cell', () => {
    const { sheet } = setup();
    const r = sheet.getRange('A1:B1');
    r.setNotes([['первая', null]]);
    r.setBackgrounds([['#FF0000', null]]);
    r.setFontWeights([['bold', 'normal']]);
    r.setFontColors([['#00ff00', null]]);
    expect(r.getNotes()).toEqual([['первая', '']]);
    expect(r.getBackgrounds()).toEqual([['#ff0000', '#ffffff']]);
    expect(r.getFontWeights()).toEqual([['bold', 'normal']]);
    expect(r.getFontColors()).toEqual([['#00ff00', '#000000']]);
    r.setFontWeight('bold').setFontStyle('italic').setWrap(true).setHorizontalAlignment('center');
    expect(r.getFontWeight()).toBe('bold');
    expect(r.getFontStyle()).toBe('italic');
    expect(r.getWrap()).toBe(true);
  });
});

describe('Display values', () => {
  const cases: Array<[unknown, string, string]> = [
    [moscowMidnight(2026, 11, 21), 'dd.MM.yyyy', '21.11.2026'],
    [new Date(Date.UTC(2026, 10, 21, 6, 5)), 'dd.MM.yyyy HH:mm', '21.11.2026 09:05'],
    [moscowMidnight(2026, 11, 21), 'yyyy-MM-dd', '2026-11-21'],
    [3.6, '0', '4'],
    [3.14159, '0.00', '3,14'],
    [1234567.891, '#,##0', '1\u00a0234\u00a0568'],
    [1234.5, '#,##0.00', '1\u00a0234,50'],
    [0.153, '0%', '15%'],
    [0.1534, '0.0%', '15,3%'],
    [42, '@', '42'],
    [1234.5, '', '1234,5'],
    [-2.5, '0.00', '-2,50'],
    [1500, '#,##0.00 [$€-x]', '1\u00a0500,00 €'],
  ];
  for (const [value, fmt, shown] of cases) {
    it(`shows ${String(value)} under '${fmt || 'default'}' as ${JSON.stringify(shown)}`, () => {
      const { sheet } = setup();
      const r = sheet.getRange('A1');
      if (fmt) r.setNumberFormat(fmt);
      r.setValue(value);
      expect(r.getDisplayValue()).toBe(shown);
    });
  }

  it('formats in the spreadsheet time zone whatever the machine zone is', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setValue(new Date(Date.UTC(2026, 10, 20, 22, 30))).setNumberFormat('dd.MM.yyyy HH:mm');
    expect(sheet.getRange('A1').getDisplayValue()).toBe('21.11.2026 01:30');
  });

  it('shows dates without a format as the locale default', () => {
    const { sheet } = setup();
    sheet.getRange('A1:A2').setValues([[moscowMidnight(2026, 3, 5)], [new Date(Date.UTC(2026, 2, 5, 10, 7, 9))]]);
    expect(sheet.getRange('A1:A2').getDisplayValues()).toEqual([['05.03.2026'], ['05.03.2026 13:07:09']]);
  });

  it('uses a dot decimal separator in en_US', () => {
    const { ss, sheet } = setup();
    ss.setSpreadsheetLocale('en_US');
    sheet.getRange('A1').setNumberFormat('#,##0.00').setValue(1234.5);
    expect(sheet.getRange('A1').getDisplayValue()).toBe('1,234.50');
  });

  it('reads a number in a date-formatted cell as a Date', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setValue(46347).setNumberFormat('dd.MM.yyyy');
    const v = sheet.getRange('A1').getValue() as Date;
    expect(v.getTime()).toBe(moscowMidnight(2026, 11, 21).getTime());
    expect(sheet.getRange('A1').getDisplayValue()).toBe('21.11.2026');
  });

  it('reports number formats', () => {
    const { sheet } = setup();
    sheet.getRange('A1').setNumberFormat('dd.MM.yyyy');
    expect(sheet.getRange('A1:B1').getNumberFormats()).toEqual([['dd.MM.yyyy', '0.###############']]);
  });
});

describe('Data validation', () => {
  it('builds a list rule and reads its criteria back', () => {
    const { app, sheet } = setup();
    const rule = app.newDataValidation().requireValueInList(['Да', 'Нет'], true).setAllowInvalid(false).setHelpText('Да или Нет').build();
    sheet.getRange('A2:A10').setDataValidation(rule);
    const got = sheet.getRange('A5').getDataValidation()!;
    expect(got.getCriteriaType()).toBe(app.DataValidationCriteria.VALUE_IN_LIST);
    expect(got.getCriteriaValues()).toEqual([['Да', 'Нет'], true]);
    expect(got.getAllowInvalid()).toBe(false);
    expect(got.getHelpText()).toBe('Да или Нет');
    expect(sheet.getRange('A1').getDataValidation()).toBeNull();
    expect(sheet.getRange('A1:A2').getDataValidations().map((r) => r[0] === null)).toEqual([true, false]);
  });

  it('allows invalid data by default', () => {
    const { app } = setup();
    expect(app.newDataValidation().requireDate().build().getAllowInvalid()).toBe(true);
  });

  it('builds range, date, number, checkbox and formula rules', () => {
    const { app, ss } = setup();
    const refs = ss.insertSheet('Справочники');
    const C = app.DataValidationCriteria;
    const d = moscowMidnight(2026, 1, 1);
    const checks: Array<[GoogleAppsScript.Spreadsheet.DataValidation, GoogleAppsScript.Spreadsheet.DataValidationCriteria, number]> = [
      [app.newDataValidation().requireValueInRange(refs.getRange('A2:A'), false).build(), C.VALUE_IN_RANGE, 2],
      [app.newDataValidation().requireDate().build(), C.DATE_IS_VALID_DATE, 0],
      [app.newDataValidation().requireDateAfter(d).build(), C.DATE_AFTER, 1],
      [app.newDataValidation().requireNumberGreaterThan(0).build(), C.NUMBER_GREATER_THAN, 1],
      [app.newDataValidation().requireNumberGreaterThanOrEqualTo(0).build(), C.NUMBER_GREATER_THAN_OR_EQUAL_TO, 1],
      [app.newDataValidation().requireNumberBetween(0, 100).build(), C.NUMBER_BETWEEN, 2],
      [app.newDataValidation().requireCheckbox().build(), C.CHECKBOX, 0],
      [app.newDataValidation().requireFormulaSatisfied('=LEN(A1)=8').build(), C.CUSTOM_FORMULA, 1],
    ];
    for (const [rule, type, nArgs] of checks) {
      expect(rule.getCriteriaType()).toBe(type);
      expect(rule.getCriteriaValues()).toHaveLength(nArgs);
    }
    expect((checks[0][0].getCriteriaValues()[0] as GoogleAppsScript.Spreadsheet.Range).getA1Notation()).toBe('A2:A1000');
    expect((checks[2][0].getCriteriaValues()[0] as Date).getTime()).toBe(d.getTime());
  });

  it('copies a rule into an independent builder', () => {
    const { app } = setup();
    const rule = app.newDataValidation().requireValueInList(['a']).build();
    const changed = rule.copy().requireValueInList(['a', 'b']).build();
    expect(rule.getCriteriaValues()[0]).toEqual(['a']);
    expect(changed.getCriteriaValues()[0]).toEqual(['a', 'b']);
  });

  it('lets a script write a value that breaks a strict rule', () => {
    const { app, sheet } = setup();
    sheet.getRange('A1').setDataValidation(app.newDataValidation().requireValueInList(['Да', 'Нет']).setAllowInvalid(false).build());
    sheet.getRange('A1').setValue('Может быть');
    expect(sheet.getRange('A1').getValue()).toBe('Может быть');
  });

  it('refuses a user edit that breaks a strict rule and leaves the cell unchanged', () => {
    const { app, world, ss, sheet } = setup();
    sheet.getRange('A1').setValue('Да');
    sheet.getRange('A1').setDataValidation(app.newDataValidation().requireValueInList(['Да', 'Нет']).setAllowInvalid(false).build());
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['Может быть']])).toThrow(/violates the data validation rules/);
    expect(sheet.getRange('A1').getValue()).toBe('Да');
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['Нет']])).not.toThrow();
    // A lenient rule only warns.
    sheet.getRange('B1').setDataValidation(app.newDataValidation().requireNumberGreaterThan(0).build());
    world.userEdit(ss.sheets[0], 'B1', [['-5']]);
    expect(sheet.getRange('B1').getValue()).toBe(-5);
  });

  it('checks dates, numbers and ranges in user edits', () => {
    const { app, world, ss, sheet } = setup();
    const refs = ss.insertSheet('Справочники');
    refs.getRange('A1:A2').setValues([['Гугл'], ['Яндекс']]);
    const strict = (b: GoogleAppsScript.Spreadsheet.DataValidationBuilder) => b.setAllowInvalid(false).build();
    sheet.getRange('A1').setDataValidation(strict(app.newDataValidation().requireDate()));
    sheet.getRange('B1').setDataValidation(strict(app.newDataValidation().requireNumberGreaterThan(0)));
    sheet.getRange('C1').setDataValidation(strict(app.newDataValidation().requireValueInRange(refs.getRange('A1:A2'))));
    const sh = ss.sheets[0];
    expect(() => world.userEdit(sh, 'A1', [['вчера']])).toThrow();
    world.userEdit(sh, 'A1', [['21.11.2026']]);
    expect(() => world.userEdit(sh, 'B1', [['0']])).toThrow();
    world.userEdit(sh, 'B1', [['1 200,50']]);
    expect(sheet.getRange('B1').getValue()).toBe(1200.5);
    expect(() => world.userEdit(sh, 'C1', [['Bing']])).toThrow();
    world.userEdit(sh, 'C1', [['Яндекс']]);
    world.userEdit(sh, 'C1', [['']]);
    expect(sheet.getRange('C1').getValue()).toBe('');
  });

  it('clears validation', () => {
    const { app, sheet } = setup();
    sheet.getRange('A1:A3').setDataValidation(app.newDataValidation().requireCheckbox().build());
    sheet.getRange('A2').clearDataValidations();
    expect(sheet.getRange('A1:A3').getDataValidations().map((r) => r[0] === null)).toEqual([false, true, false]);
  });
});

describe('Checkboxes', () => {
  it('inserts unchecked checkboxes and checks them', () => {
    const { app, sheet } = setup();
    const r = sheet.getRange('A1:A2');
    r.insertCheckboxes();
    expect(r.getValues()).toEqual([[false], [false]]);
    expect(r.getDataValidation()!.getCriteriaType()).toBe(app.DataValidationCriteria.CHECKBOX);
    expect(r.isChecked()).toBe(false);
    sheet.getRange('A1').check();
    expect(r.isChecked()).toBeNull();
    r.check();
    expect(r.isChecked()).toBe(true);
    expect(r.getValues()).toEqual([[true], [true]]);
    r.uncheck();
    expect(sheet.getRange('A1').isChecked()).toBe(false);
    expect(sheet.getRange('B1').isChecked()).toBeNull();
  });

  it('reports a checkbox click as the string TRUE in the edit event', () => {
    const { world, ss, sheet } = setup();
    sheet.getRange('A1').insertCheckboxes();
    const e = world.userEdit(ss.sheets[0], 'A1', [[true]]);
    expect(e.value).toBe('TRUE');
    expect(e.oldValue).toBe('FALSE');
  });
});

describe('userEdit events', () => {
  it('gives value and oldValue for a single-cell edit', () => {
    const { world, ss, sheet } = setup();
    sheet.getRange('B2').setValue('старое');
    const e = world.userEdit(ss.sheets[0], 'B2', [['новое']]);
    expect(e.range.getA1Notation()).toBe('B2');
    expect(e.value).toBe('новое');
    expect(e.oldValue).toBe('старое');
    expect(e.source.getId()).toBe(ss.id);
    expect(e.user.getEmail()).toBe('owner@example.com');
    expect(String(e.authMode)).toBe('LIMITED');
  });

  it('leaves value and oldValue undefined on a multi-cell edit', () => {
    const { world, ss } = setup();
    const e = world.userEdit(ss.sheets[0], 'A1:B1', [['x', 'y']]);
    expect(e.value).toBeUndefined();
    expect(e.oldValue).toBeUndefined();
    expect(e.range.getA1Notation()).toBe('A1:B1');
  });

  it('omits oldValue when the cell was empty and value when it is cleared', () => {
    const { world, ss } = setup();
    const first = world.userEdit(ss.sheets[0], 'A1', [['x']]);
    expect('oldValue' in first).toBe(false);
    const cleared = world.userEdit(ss.sheets[0], 'A1', [['']]);
    expect('value' in cleared).toBe(false);
    expect(cleared.oldValue).toBe('x');
  });

  it('turns typed text into numbers and dates like the UI', () => {
    const { world, ss, sheet } = setup();
    const e = world.userEdit(ss.sheets[0], 'A1', [['21.11']]);
    expect((sheet.getRange('A1').getValue() as Date).getTime()).toBe(moscowMidnight(2026, 11, 21).getTime());
    expect(e.value).toBe('46347');
    world.userEdit(ss.sheets[0], 'A2', [['7']]);
    expect(sheet.getRange('A2').getValue()).toBe(7);
  });

  it('does not count harness calls', () => {
    const { ctx, world, ss } = setup();
    world.userEdit(ss.sheets[0], 'A1', [['x']]);
    expect(ctx.recorder.total()).toBe(0);
  });

  it('refuses an edit by a viewer', () => {
    const { world, ss } = setup();
    ss.addViewer('viewer@example.com');
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['x']], { user: 'viewer@example.com' })).toThrow(/permission to edit/);
  });
});

describe('Protections', () => {
  it('mirrors the spreadsheet editors until the script changes the list', () => {
    const { ss, sheet, world } = setup();
    ss.addEditor('manager@example.com');
    const p = sheet.getRange('A1:B2').protect().setDescription('Только руководство');
    expect(p.getDescription()).toBe('Только руководство');
    expect(p.getEditors().map((u) => u.getEmail())).toEqual(['owner@example.com', 'manager@example.com']);
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['x']], { user: 'manager@example.com' })).not.toThrow();
    p.removeEditors(p.getEditors());
    expect(p.getEditors().map((u) => u.getEmail())).toEqual(['owner@example.com']);
    p.addEditor('lead@example.com');
    expect(p.getEditors().map((u) => u.getEmail())).toEqual(['owner@example.com', 'lead@example.com']);
  });

  it('refuses a user edit on a protected range by a non-editor and keeps the cell', () => {
    const { ss, sheet, world } = setup();
    ss.addEditor('manager@example.com');
    sheet.getRange('A1').setValue('исходное');
    const p = sheet.getRange('A1:A5').protect();
    p.removeEditors(['manager@example.com']);
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['x']], { user: 'manager@example.com' })).toThrow(/protected cell/);
    expect(sheet.getRange('A1').getValue()).toBe('исходное');
    expect(() => world.userEdit(ss.sheets[0], 'B1', [['x']], { user: 'manager@example.com' })).not.toThrow();
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['x']])).not.toThrow();
  });

  it('never removes the owner or the current user', () => {
    const { ss, sheet } = setup({ userEmail: 'lead@example.com', ownerEmail: 'owner@example.com' });
    ss.acl.addEditor('lead@example.com'); // the owner shared the file with the lead (harness)
    const p = sheet.protect();
    p.removeEditors(['owner@example.com', 'lead@example.com']);
    expect(p.getEditors().map((u) => u.getEmail())).toEqual(['owner@example.com', 'lead@example.com']);
    expect(p.canEdit()).toBe(true);
  });

  it('protects a sheet except unprotected ranges, and lists protections by type', () => {
    const { app, ss, sheet, world } = setup();
    ss.addEditor('m@example.com');
    const p = sheet.protect().setDescription('Лист');
    p.setUnprotectedRanges([sheet.getRange('C:C')]);
    p.removeEditor('m@example.com');
    expect(String(p.getProtectionType())).toBe('SHEET');
    expect(p.getUnprotectedRanges()[0].getA1Notation()).toBe('C1:C1000');
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['x']], { user: 'm@example.com' })).toThrow(/protected/);
    expect(() => world.userEdit(ss.sheets[0], 'C7', [['x']], { user: 'm@example.com' })).not.toThrow();
    expect(sheet.protect()).toBe(p);
    sheet.getRange('A1').protect();
    expect(ss.getProtections(app.ProtectionType.SHEET)).toHaveLength(1);
    expect(ss.getProtections(app.ProtectionType.RANGE)).toHaveLength(1);
    expect(sheet.getProtections(app.ProtectionType.RANGE)[0].getRange().getA1Notation()).toBe('A1');
  });

  it('lets anyone through a warning-only protection and removes protections', () => {
    const { app, ss, sheet, world } = setup();
    ss.addEditor('m@example.com');
    const p = sheet.getRange('A1').protect();
    p.removeEditor('m@example.com');
    p.setWarningOnly(true);
    expect(p.isWarningOnly()).toBe(true);
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['x']], { user: 'm@example.com' })).not.toThrow();
    p.setWarningOnly(false);
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['y']], { user: 'm@example.com' })).toThrow();
    p.remove();
    expect(sheet.getProtections(app.ProtectionType.RANGE)).toHaveLength(0);
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['y']], { user: 'm@example.com' })).not.toThrow();
  });

  it('follows the domain setting', () => {
    const { ss, sheet, world } = setup();
    const p = sheet.getRange('A1').protect();
    expect(p.canDomainEdit()).toBe(false);
    world.DriveApp.getFileById(ss.id).setSharing(world.DriveApp.Access.DOMAIN, world.DriveApp.Permission.EDIT);
    expect(p.canDomainEdit()).toBe(true);
    p.setDomainEdit(false);
    expect(p.canDomainEdit()).toBe(false);
    expect(() => world.userEdit(ss.sheets[0], 'A1', [['x']], { user: 'colleague@example.com' })).toThrow(/protected/);
  });

  it('moves a protected range when rows are inserted above it', () => {
    const { app, sheet } = setup();
    sheet.getRange('A2:B3').protect();
    sheet.insertRowsBefore(1, 2);
    expect(sheet.getProtections(app.ProtectionType.RANGE)[0].getRange().getA1Notation()).toBe('A4:B5');
  });
});

describe('Conditional format rules', () => {
  it('stores rules with their condition, format and ranges', () => {
    const { app, sheet } = setup();
    const rule = app.newConditionalFormatRule().whenFormulaSatisfied('=$Z2<>""').setBackground('#F4CCCC').setFontColor('#990000').setBold(true)
      .setRanges([sheet.getRange('A2:Z1000')]).build();
    const other = app.newConditionalFormatRule().whenTextEqualTo('Оплата').setBackground('#d9ead3').setRanges([sheet.getRange('P2:P')]).build();
    const third = app.newConditionalFormatRule().whenCellNotEmpty().setBackground('#eeeeee').setRanges([sheet.getRange('A1')]).build();
    sheet.setConditionalFormatRules([rule, other, third]);
    const got = sheet.getConditionalFormatRules();
    expect(got).toHaveLength(3);
    const cond = got[0].getBooleanCondition()!;
    expect(cond.getCriteriaType()).toBe(app.BooleanCriteria.CUSTOM_FORMULA);
    expect(cond.getCriteriaValues()).toEqual(['=$Z2<>""']);
    expect(cond.getBackground()).toBe('#F4CCCC');
    expect(cond.getFontColor()).toBe('#990000');
    expect(cond.getBold()).toBe(true);
    expect(got[0].getRanges()[0].getA1Notation()).toBe('A2:Z1000');
    expect(got[1].getBooleanCondition()!.getCriteriaValues()).toEqual(['Оплата']);
    expect(got[2].getBooleanCondition()!.getCriteriaType()).toBe(app.BooleanCriteria.CELL_NOT_EMPTY);
  });
});

describe('Call counting', () => {
  it('counts every service call by class and method', () => {
    const { ctx, app } = setup();
    const ss = app.getActiveSpreadsheet();
    const sh = ss.getSheetByName('Лист1')!;
    sh.getRange(1, 1, 2, 3).setValues([[1, 2, 3], [4, 5, 6]]);
    sh.getRange('A1:C2').getValues();
    const calls = ctx.recorder.snapshot().calls;
    expect(calls).toEqual({
      'SpreadsheetApp.getActiveSpreadsheet': 1,
      'Spreadsheet.getSheetByName': 1,
      'Sheet.getRange': 2,
      'Range.setValues': 1,
      'Range.getValues': 1,
    });
    expect(ctx.recorder.cellsWritten).toBe(6);
    expect(ctx.recorder.cellsRead).toBe(6);
    expect(ctx.recorder.rangeIo()).toBe(2);
  });

  it('counts builders, protections and Drive calls', () => {
    const { ctx, app, world, ss, sheet } = setup();
    app.newDataValidation().requireCheckbox().build();
    sheet.protect().setDescription('x');
    world.DriveApp.getFileById(ss.id).getName();
    const calls = ctx.recorder.snapshot().calls;
    expect(calls['SpreadsheetApp.newDataValidation']).toBe(1);
    expect(calls['DataValidationBuilder.requireCheckbox']).toBe(1);
    expect(calls['DataValidationBuilder.build']).toBe(1);
    expect(calls['Sheet.protect']).toBe(1);
    expect(calls['Protection.setDescription']).toBe(1);
    expect(calls['DriveApp.getFileById']).toBe(1);
    expect(calls['File.getName']).toBe(1);
  });

  it('does not count harness calls made through the world', () => {
    const { ctx, world } = setup();
    const ss = world.createSpreadsheet('x');
    world.byId(ss.id);
    world.serialize();
    expect(ctx.recorder.total()).toBe(0);
  });
});

describe('Fault injection', () => {
  it('fails the second Range.setValues with the service time-out message', () => {
    const { ctx, sheet } = setup();
    ctx.recorder.injectFault({ method: 'Range.setValues', nth: 2, error: FAULTS.timeout + 'abc' });
    sheet.getRange('A1').setValues([[1]]);
    expect(() => sheet.getRange('A2').setValues([[2]])).toThrow('Service Spreadsheets timed out while accessing document with id abc');
    expect(sheet.getRange('A2').getValue()).toBe('');
    sheet.getRange('A3').setValues([[3]]);
    expect(sheet.getRange('A3').getValue()).toBe(3);
  });

  it('fails openById when asked', () => {
    const { ctx, app, ss } = setup();
    ctx.recorder.injectFault({ method: 'SpreadsheetApp.openById', error: FAULTS.tooManyCalls + 'spreadsheets' });
    expect(() => app.openById(ss.id)).toThrow(/too many times/);
  });
});

describe('Snapshots', () => {
  it('restores values, formats, validation, protections, sharing and rules', () => {
    const { app, world, ss, sheet, ctx } = setup();
    const refs = ss.insertSheet('Справочники');
    refs.getRange('A1:A2').setValues([['a'], ['b']]);
    sheet.getRange('A1:C1').setValues([[moscowMidnight(2026, 11, 21), 5, '=B1*2']]);
    sheet.getRange('A1').setNumberFormat('dd.MM.yyyy').setNote('дата');
    sheet.getRange('D1').setDataValidation(app.newDataValidation().requireValueInRange(refs.getRange('A1:A2')).setAllowInvalid(false).build());
    sheet.setFrozenRows(1);
    ss.addViewer('v@example.com');
    const p = sheet.getRange('B1').protect().setDescription('p');
    p.removeEditors(['x@example.com']);
    sheet.setConditionalFormatRules([app.newConditionalFormatRule().whenCellEmpty().setBackground('#ff0000').setRanges([sheet.getRange('A1:A5')]).build()]);

    const json = JSON.parse(JSON.stringify(world.serialize()));
    const world2 = createSpreadsheetWorld(ctx, { getUi: () => fakeUi });
    world2.restore(json);
    const ss2 = world2.SpreadsheetApp.openById(ss.id);
    const sh2 = ss2.getSheetByName('Лист1')!;
    expect(sh2.getRange('A1').getDisplayValue()).toBe('21.11.2026');
    expect(sh2.getRange('C1').getFormula()).toBe('=B1*2');
    expect(sh2.getRange('A1').getNote()).toBe('дата');
    expect(sh2.getFrozenRows()).toBe(1);
    const dv = sh2.getRange('D1').getDataValidation()!;
    expect((dv.getCriteriaValues()[0] as GoogleAppsScript.Spreadsheet.Range).getSheet().getName()).toBe('Справочники');
    expect(ss2.getViewers().map((u) => u.getEmail())).toEqual(['v@example.com']);
    expect(ss2.getProtections(app.ProtectionType.RANGE)[0].getDescription()).toBe('p');
    expect(sh2.getConditionalFormatRules()[0].getRanges()[0].getA1Notation()).toBe('A1:A5');
  });
});

describe('Volume', () => {
  it('writes and reads 100,000 × 26 cells in one call each', () => {
    const { ctx, ss } = setup();
    const sh = ss.insertSheet('Большой') as unknown as EmuSheet & Sheet;
    sh.insertRowsAfter(1000, 99_000);
    const data = Array.from({ length: 100_000 }, (_, i) => Array.from({ length: 26 }, (_, j) => (j % 3 === 0 ? i * 26 + j : j % 3 === 1 ? `t${j}` : i % 2 === 0)));
    sh.getRange(1, 1, 100_000, 26).setValues(data);
    const back = sh.getRange(1, 1, 100_000, 26).getValues();
    expect(back[99_999][0]).toBe(99_999 * 26);
    expect(sh.getLastRow()).toBe(100_000);
    expect(ctx.recorder.cellsRead).toBe(2_600_000);
  });
});

export type { Spreadsheet };
