import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../emulator/context';
import { createSpreadsheetWorld, type SpreadsheetWorld } from '../../emulator/spreadsheet/index';
import { excelToSheetsFormat, loadWorkbook, saveWorkbook, sheetsToExcelFormat } from '../../emulator/xlsx';

const fakeUi = {} as GoogleAppsScript.Base.Ui;
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

function tmpFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-xlsx-'));
  dirs.push(dir);
  return path.join(dir, 'book.xlsx');
}

function freshWorld(): SpreadsheetWorld {
  return createSpreadsheetWorld(createContext(), { getUi: () => fakeUi });
}

const moscowMidnight = (y: number, m: number, d: number) => new Date(Date.UTC(y, m - 1, d) - 3 * 3600_000);

async function roundTrip(build: (world: SpreadsheetWorld) => GoogleAppsScript.Spreadsheet.Spreadsheet) {
  const world = freshWorld();
  const ss = build(world);
  const file = tmpFile();
  await saveWorkbook(world.byId(ss.getId())!, file);
  const world2 = freshWorld();
  const loaded = await loadWorkbook(file, world2);
  return { world2, loaded, app: world2.SpreadsheetApp, file, id: ss.getId() };
}

describe('number format translation', () => {
  it('turns Sheets date patterns into Excel ones and back', () => {
    expect(sheetsToExcelFormat('dd.MM.yyyy')).toBe('dd.mm.yyyy');
    expect(sheetsToExcelFormat('dd.MM.yyyy HH:mm')).toBe('dd.mm.yyyy hh:mm');
    expect(sheetsToExcelFormat('#,##0.00')).toBe('#,##0.00');
    expect(excelToSheetsFormat('dd.mm.yyyy')).toBe('dd.MM.yyyy');
    expect(excelToSheetsFormat('dd.mm.yyyy hh:mm')).toBe('dd.MM.yyyy HH:mm');
    expect(excelToSheetsFormat('[$-419]dd.mm.yyyy')).toBe('dd.MM.yyyy');
    expect(excelToSheetsFormat('General')).toBeUndefined();
  });
});

describe('xlsx round trip', () => {
  it('keeps values, dates, formulas and notes', async () => {
    const { loaded, app, id } = await roundTrip((world) => {
      const ss = world.createSpreadsheet('Продажи');
      const sh = world.SpreadsheetApp.openById(ss.id).getSheets()[0];
      sh.setName('Аналитика');
      sh.getRange('A1:E2').setValues([
        ['Дата', 'Сумма', 'Имя', 'Оплачено', 'Итого'],
        [moscowMidnight(2026, 11, 21), 1200.5, 'Иван', true, '=B2*2'],
      ]);
      sh.getRange('C2').setNote('VIP');
      sh.getRange('A3').setValue(new Date(Date.UTC(2026, 10, 21, 6, 30)));
      return world.SpreadsheetApp.openById(ss.id);
    });
    expect(loaded.id).toBe(id);
    const sh = app.openById(id).getSheetByName('Аналитика')!;
    const [[d, n, s, b, total]] = sh.getRange('A2:E2').getValues();
    expect((d as Date).getTime()).toBe(moscowMidnight(2026, 11, 21).getTime());
    expect([n, s, b]).toEqual([1200.5, 'Иван', true]);
    expect(total).toBe('#ERROR!');
    expect(sh.getRange('E2').getFormula()).toBe('=B2*2');
    expect(sh.getRange('C2').getNote()).toBe('VIP');
    expect((sh.getRange('A3').getValue() as Date).toISOString()).toBe('2026-11-21T06:30:00.000Z');
    expect(sh.getRange('A2').getDisplayValue()).toBe('21.11.2026');
  });

  it('writes a Moscow-midnight date as that calendar date in the file', async () => {
    const world = freshWorld();
    const ss = world.createSpreadsheet('x');
    ss.sheets[0].getRange('A1').setValue(moscowMidnight(2026, 11, 21));
    const file = tmpFile();
    await saveWorkbook(ss, file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const v = wb.worksheets[0].getCell('A1').value as Date;
    expect(v.toISOString()).toBe('2026-11-21T00:00:00.000Z');
  });

  it('keeps number formats, backgrounds, bold, frozen panes, widths and hidden sheets', async () => {
    const { app, id } = await roundTrip((world) => {
      const ss = world.createSpreadsheet('Продажи');
      const s = world.SpreadsheetApp.openById(ss.id);
      const sh = s.getSheets()[0];
      sh.getRange('A1').setValue(moscowMidnight(2026, 1, 2)).setNumberFormat('dd.MM.yyyy');
      sh.getRange('B1').setValue(1234.5).setNumberFormat('#,##0.00');
      sh.getRange('C1').setValue(0.15).setNumberFormat('0%');
      sh.getRange('A2').setValue('x').setBackground('#ff0000').setFontWeight('bold');
      sh.setFrozenRows(1);
      sh.setFrozenColumns(2);
      sh.setColumnWidth(3, 210);
      const log = s.insertSheet('Журнал');
      log.hideSheet();
      return s;
    });
    const s = app.openById(id);
    const sh = s.getSheets()[0];
    expect(sh.getRange('A1:C1').getNumberFormats()).toEqual([['dd.MM.yyyy', '#,##0.00', '0%']]);
    expect(sh.getRange('A1:C1').getDisplayValues()).toEqual([['02.01.2026', '1\u00a0234,50', '15%']]);
    expect(sh.getRange('A2').getBackground()).toBe('#ff0000');
    expect(sh.getRange('A2').getFontWeight()).toBe('bold');
    expect([sh.getFrozenRows(), sh.getFrozenColumns(), sh.getColumnWidth(3)]).toEqual([1, 2, 210]);
    expect(s.getSheetByName('Журнал')!.isSheetHidden()).toBe(true);
    expect(s.getSheets().map((x) => x.getName())).toEqual(['Лист1', 'Журнал']);
  });

  it('keeps data validation: list, range, date, number, checkbox', async () => {
    const { app, id } = await roundTrip((world) => {
      const ss = world.createSpreadsheet('Продажи');
      const s = world.SpreadsheetApp.openById(ss.id);
      const A = world.SpreadsheetApp;
      const sh = s.getSheets()[0];
      const refs = s.insertSheet('Справочники');
      refs.getRange('A1:A2').setValues([['Гугл'], ['Яндекс']]);
      sh.getRange('A2:A100').setDataValidation(A.newDataValidation().requireValueInList(['Personal', 'Lite', 'Pro']).setAllowInvalid(false).build());
      sh.getRange('B2:B100').setDataValidation(A.newDataValidation().requireValueInRange(refs.getRange('A1:A2')).build());
      sh.getRange('C2').setDataValidation(A.newDataValidation().requireDateAfter(moscowMidnight(2020, 1, 1)).setHelpText('Дата после 2020').build());
      sh.getRange('D2').setDataValidation(A.newDataValidation().requireNumberGreaterThan(0).build());
      sh.getRange('E2:E3').insertCheckboxes();
      return s;
    });
    const sh = app.openById(id).getSheets()[0];
    const C = app.DataValidationCriteria;
    const list = sh.getRange('A50').getDataValidation()!;
    expect(list.getCriteriaType()).toBe(C.VALUE_IN_LIST);
    expect(list.getCriteriaValues()[0]).toEqual(['Personal', 'Lite', 'Pro']);
    expect(list.getAllowInvalid()).toBe(false);
    const range = sh.getRange('B2').getDataValidation()!;
    expect(range.getCriteriaType()).toBe(C.VALUE_IN_RANGE);
    expect((range.getCriteriaValues()[0] as GoogleAppsScript.Spreadsheet.Range).getA1Notation()).toBe('A1:A2');
    const date = sh.getRange('C2').getDataValidation()!;
    expect(date.getCriteriaType()).toBe(C.DATE_AFTER);
    expect((date.getCriteriaValues()[0] as Date).getTime()).toBe(moscowMidnight(2020, 1, 1).getTime());
    expect(date.getHelpText()).toBe('Дата после 2020');
    expect(sh.getRange('D2').getDataValidation()!.getCriteriaType()).toBe(C.NUMBER_GREATER_THAN);
    expect(sh.getRange('E2').getDataValidation()!.getCriteriaType()).toBe(C.CHECKBOX);
    expect(sh.getRange('E2:E3').getValues()).toEqual([[false], [false]]);
    expect(sh.getRange('A1').getDataValidation()).toBeNull();
  });

  it('reads validation written by another tool from the xlsx itself', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Лист');
    ws.getCell('A1').dataValidation = { type: 'list', formulae: ['"Да,Нет"'], showErrorMessage: true, errorStyle: 'stop' };
    ws.getCell('B1').dataValidation = { type: 'list', formulae: ['"TRUE,FALSE"'] };
    ws.getCell('C1').dataValidation = { type: 'decimal', operator: 'between', formulae: [1, 10] };
    ws.getCell('D1').value = 'текст';
    const file = tmpFile();
    await wb.xlsx.writeFile(file);
    const world = freshWorld();
    const ss = await loadWorkbook(file, world, { name: 'Внешняя' });
    const sh = world.SpreadsheetApp.openById(ss.id).getSheets()[0];
    const C = world.SpreadsheetApp.DataValidationCriteria;
    expect(sh.getRange('A1').getDataValidation()!.getCriteriaValues()[0]).toEqual(['Да', 'Нет']);
    expect(sh.getRange('A1').getDataValidation()!.getAllowInvalid()).toBe(false);
    expect(sh.getRange('B1').getDataValidation()!.getCriteriaType()).toBe(C.CHECKBOX);
    expect(sh.getRange('C1').getDataValidation()!.getCriteriaValues()).toEqual([1, 10]);
    expect(sh.getRange('D1').getValue()).toBe('текст');
    expect(ss.getName()).toBe('Внешняя');
    expect(sh.getMaxRows()).toBe(1000);
  });

  it('restores what xlsx cannot hold from the _emulator sheet', async () => {
    const { app, id, world2 } = await roundTrip((world) => {
      const ss = world.createSpreadsheet('Продажи', { timeZone: 'Europe/Moscow' });
      const s = world.SpreadsheetApp.openById(ss.id);
      const A = world.SpreadsheetApp;
      s.setSpreadsheetLocale('en_US');
      s.addEditor('lead@example.com').addViewer('partner@example.com');
      const sh = s.getSheets()[0];
      const p = sh.getRange('A1:B2').protect().setDescription('Руководство');
      p.removeEditors(['lead@example.com']);
      sh.protect().setWarningOnly(true);
      sh.setConditionalFormatRules([A.newConditionalFormatRule().whenTextEqualTo('Оплата').setBackground('#00ff00').setRanges([sh.getRange('C2:C')]).build()]);
      sh.insertChart(sh.newChart().setChartType('BAR' as unknown as GoogleAppsScript.Charts.ChartType).addRange(sh.getRange('A1:B3')).setPosition(1, 5, 0, 0).build());
      sh.insertRowsAfter(1000, 500);
      return s;
    });
    const s = app.openById(id);
    expect(s.getSpreadsheetLocale()).toBe('en_US');
    expect(s.getSpreadsheetTimeZone()).toBe('Europe/Moscow');
    expect(s.getEditors().map((u) => u.getEmail())).toEqual(['owner@example.com', 'lead@example.com']);
    expect(s.getViewers().map((u) => u.getEmail())).toEqual(['partner@example.com']);
    const [rp] = s.getProtections(app.ProtectionType.RANGE);
    expect(rp.getDescription()).toBe('Руководство');
    expect(rp.getEditors().map((u) => u.getEmail())).toEqual(['owner@example.com']);
    expect(rp.getRange().getA1Notation()).toBe('A1:B2');
    expect(s.getProtections(app.ProtectionType.SHEET)[0].isWarningOnly()).toBe(true);
    const sh = s.getSheets()[0];
    expect(sh.getMaxRows()).toBe(1500);
    expect(sh.getSheetId()).toBe(0);
    expect(sh.getConditionalFormatRules()[0].getBooleanCondition()!.getCriteriaValues()).toEqual(['Оплата']);
    expect(sh.getCharts()).toHaveLength(1);
    expect(world2.DriveApp.getFileById(id).getOwner().getEmail()).toBe('owner@example.com');
  });

  it('replaces a file with the same id already in the world', async () => {
    const world = freshWorld();
    const ss = world.createSpreadsheet('Продажи');
    ss.sheets[0].getRange('A1').setValue('из файла');
    const file = tmpFile();
    await saveWorkbook(ss, file);
    ss.sheets[0].getRange('A1').setValue('изменено');
    const loaded = await loadWorkbook(file, world);
    expect(world.all()).toHaveLength(1);
    expect(world.SpreadsheetApp.openById(ss.id).getSheets()[0].getRange('A1').getValue()).toBe('из файла');
    expect(loaded.id).toBe(ss.id);
  });
});
