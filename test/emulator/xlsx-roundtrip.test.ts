// A workbook made the way Excel and LibreOffice make them goes through load → jobs → save and comes
// back with zero differences outside the cells a job wrote: merged cells, hyperlinks, an image, an
// autofilter, conditional formats, defined names, rich text, borders, text-formatted numbers and
// text-formatted empty columns and rows, another program's validation, formulas without a cached result.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../emulator/context';
import { createSpreadsheetWorld, type SpreadsheetWorld } from '../../emulator/spreadsheet/index';
import { loadReport, loadWorkbook, META_SHEET, prepareSave, saveWorkbook, xlsxProblemOf } from '../../emulator/xlsx';

const fakeUi = {} as GoogleAppsScript.Base.Ui;
const dirs: string[] = [];
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
const tmpDir = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'emu-roundtrip-')); dirs.push(d); return d; };
const world = (): SpreadsheetWorld => createSpreadsheetWorld(createContext(), { getUi: () => fakeUi });

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

/** A partners' workbook as a person keeps it in Excel or LibreOffice. */
async function personWorkbook(file: string): Promise<void> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Microsoft Excel';
  const ws = wb.addWorksheet('Клиенты', { views: [{ state: 'frozen', ySplit: 1, xSplit: 0, zoomScale: 120 }], properties: { tabColor: { argb: 'FF00AA00' } } });
  ws.columns = [{ width: 14 }, { width: 22 }, { width: 18 }, { width: 12, style: { numFmt: '@' } }, { width: 30 }];
  ws.getRow(1).values = ['Промокод', 'Партнёр', 'Сайт', 'Телефон', 'Комментарий'];
  ws.getRow(1).font = { bold: true, name: 'Arial', size: 10 };
  ws.getCell('A2').value = 'ALEX10';
  ws.getCell('B2').value = 'Алекс Мери';
  ws.mergeCells('B2:B3'); // one partner for two promo codes
  ws.getCell('A3').value = 'ALEX20';
  ws.getCell('C2').value = { text: 'alex.example', hyperlink: 'https://alex.example/ref?id=7' };
  ws.getCell('D2').value = '0012345';
  ws.getCell('D2').numFmt = '@';
  ws.getCell('E2').value = { richText: [{ text: 'Важно: ', font: { bold: true, color: { argb: 'FFFF0000' } } }, { text: 'платит в конце месяца' }] };
  ws.getCell('E2').border = { top: { style: 'thin' }, bottom: { style: 'double', color: { argb: 'FF0000FF' } } };
  ws.getCell('E3').value = 'TRUE';
  ws.getCell('E3').numFmt = '@';
  ws.getCell('E4').value = '12.11';
  ws.getCell('E4').numFmt = '@';
  ws.getCell('E5').value = '=HYPERLINK("https://x.example";"x")';
  ws.getCell('E5').numFmt = '@';
  ws.getCell('A6').value = { formula: 'COUNTA(A2:A5)' } as ExcelJS.CellFormulaValue; // no cached result (written by a library)
  ws.getCell('A7').value = { formula: 'A6*2', result: 4 } as ExcelJS.CellFormulaValue;
  ws.getCell('C7').value = new Date(Date.UTC(2026, 10, 21));
  ws.getCell('C7').numFmt = 'dd.mm.yyyy';
  ws.getCell('C8').dataValidation = { type: 'date', operator: 'greaterThan', formulae: [new Date(Date.UTC(2020, 0, 1))], showErrorMessage: true, errorStyle: 'stop' };
  ws.getCell('C9').dataValidation = { type: 'textLength', operator: 'lessThan', formulae: [20], showErrorMessage: true };
  ws.getCell('A10').note = 'Заметка руководителя';
  const text = ws.getRow(12);
  text.numFmt = '@'; // a text-formatted row, empty
  text.getCell(1).value = 'строка в тексте';
  ws.autoFilter = 'A1:E9';
  ws.addConditionalFormatting({ ref: 'A2:A9', rules: [{ type: 'containsText', operator: 'containsText', text: '20', priority: 1, style: { fill: { type: 'pattern', pattern: 'solid', bgColor: { argb: 'FFFFFF00' } } } }] });
  wb.definedNames.add("'Клиенты'!$A$2:$A$9", 'Промокоды');
  ws.addImage(wb.addImage({ buffer: PNG as unknown as ExcelJS.Buffer, extension: 'png' }), 'G2:H5');
  const other = wb.addWorksheet('Бюджет');
  other.getCell('A1').value = 1200.5;
  other.getCell('A1').numFmt = '#,##0.00 [$€-407]';
  other.getCell('A2').value = { formula: 'A1*2', result: 2401 } as ExcelJS.CellFormulaValue;
  await wb.xlsx.writeFile(file);
}

const anchor = (a: unknown) => {
  const { nativeCol, nativeColOff, nativeRow, nativeRowOff } = (a ?? {}) as Record<string, number>;
  return { nativeCol, nativeColOff, nativeRow, nativeRowOff };
};

/** Everything a reader of the file sees, sheet by sheet (the emulator's hidden sheet apart). */
async function contentOf(file: string): Promise<Record<string, unknown>> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const out: Record<string, unknown> = { definedNames: wb.definedNames.model, media: wb.model.media.map((m) => (m as unknown as { buffer?: Buffer }).buffer?.toString('base64')) };
  for (const ws of wb.worksheets) {
    if (ws.name === META_SHEET) continue;
    const cells: Record<string, unknown> = {};
    ws.eachRow({ includeEmpty: true }, (row) => row.eachCell({ includeEmpty: true }, (c) => {
      cells[c.address] = { type: c.type, value: c.value, style: c.style, note: c.note ?? null, master: c.isMerged ? c.master.address : null };
    }));
    const m = ws.model as unknown as Record<string, unknown>;
    out[ws.name] = {
      cells, merges: m.merges, dv: m.dataValidations, cf: m.conditionalFormattings, autoFilter: ws.autoFilter, views: ws.views,
      columns: (ws.columns ?? []).map((c) => ({ width: c.width, hidden: c.hidden, style: c.style })), tab: ws.properties.tabColor, state: ws.state,
      images: ws.getImages().map((i) => ({ id: i.imageId, tl: anchor(i.range.tl), br: anchor(i.range.br), editAs: (i.range as { editAs?: string }).editAs })),
      rowStyles: (ws.getRows(1, ws.rowCount) ?? []).map((r) => (r as unknown as { style: unknown }).style),
    };
  }
  return JSON.parse(JSON.stringify(out));
}

/** The differences between two contents, as paths. */
function diff(a: unknown, b: unknown, at = ''): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) === !Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].flatMap((k) => diff((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`));
  }
  return [at];
}

describe('a workbook from Excel or LibreOffice survives the emulator', () => {
  it('loaded and saved with no job: nothing differs but the hidden _emulator sheet', async () => {
    const dir = tmpDir();
    const src = path.join(dir, 'person.xlsx');
    await personWorkbook(src);
    const w = world();
    const ss = await loadWorkbook(src, w, { name: 'Клиенты' });
    expect(prepareSave(ss).changed).toBe(true); // the _emulator sheet is new
    const out = path.join(dir, 'saved.xlsx');
    await saveWorkbook(ss, out);
    expect(diff(await contentOf(src), await contentOf(out))).toEqual([]);
    // Loaded again, the emulator's own file: a save with no job changes nothing at all.
    const again = await loadWorkbook(out, world());
    expect(prepareSave(again).changed).toBe(false);
  });

  it('a job that writes two cells changes those two cells and nothing else', async () => {
    const dir = tmpDir();
    const src = path.join(dir, 'person.xlsx');
    await personWorkbook(src);
    const w = world();
    const ss = await loadWorkbook(src, w);
    const sh = w.SpreadsheetApp.openById(ss.id).getSheetByName('Клиенты')!;
    sh.getRange('E2').setValue('оплатил');
    sh.getRange('B5').setValue('Муар').setFontWeight('bold');
    const out = path.join(dir, 'saved.xlsx');
    await saveWorkbook(ss, out);
    const before = await contentOf(src);
    const after = await contentOf(out);
    expect(diff(before, after).filter((p) => !/^\/Клиенты\/cells\/(E2|B5)(\/|$)/.test(p))).toEqual([]);
    const cells = (after['Клиенты'] as { cells: Record<string, { value: unknown; style: { border?: unknown; font?: { bold?: boolean } } }> }).cells;
    expect(cells.E2.value).toBe('оплатил');
    expect(cells.E2.style.border).toEqual((before['Клиенты'] as typeof after['Клиенты'] & { cells: typeof cells }).cells.E2.style.border); // the border stays
    expect(cells.B5).toMatchObject({ value: 'Муар', style: { font: { bold: true } } });
  });

  it('reads the file as a person sees it: merged, text-formatted, uncached and foreign cells', async () => {
    const dir = tmpDir();
    const src = path.join(dir, 'person.xlsx');
    await personWorkbook(src);
    const w = world();
    const ss = await loadWorkbook(src, w);
    const app = w.SpreadsheetApp.openById(ss.id);
    const sh = app.getSheetByName('Клиенты')!;
    // The covered cell of a merge is empty: the second promo code is not given a partner it does not have.
    expect(sh.getRange('B2:B3').getValues()).toEqual([['Алекс Мери'], ['']]);
    expect(sh.getRange('C2').getValue()).toBe('alex.example');
    expect(sh.getRange('E2').getValue()).toBe('Важно: платит в конце месяца');
    expect(sh.getRange('D2:E5').getValues()).toEqual([['0012345', 'Важно: платит в конце месяца'], ['', 'TRUE'], ['', '12.11'], ['', '=HYPERLINK("https://x.example";"x")']]);
    // A formula saved without its result reads empty (and is reported), never '#ERROR!'.
    expect(sh.getRange('A6').getValue()).toBe('');
    expect(sh.getRange('A6').getFormula()).toBe('=COUNTA(A2:A5)');
    expect(sh.getRange('A7').getValue()).toBe(4);
    expect(loadReport(ss).uncachedFormulas).toEqual(['Клиенты!A6']);
    // Another program's date rule is read as a date rule; a rule the emulator has no model of is skipped.
    const C = w.SpreadsheetApp.DataValidationCriteria;
    const rule = sh.getRange('C8').getDataValidation()!;
    expect(rule.getCriteriaType()).toBe(C.DATE_AFTER);
    expect((rule.getCriteriaValues()[0] as Date).toISOString()).toBe('2019-12-31T21:00:00.000Z');
    expect(sh.getRange('C9').getDataValidation()).toBeNull();
    expect(sh.getRange('C7').getDisplayValue()).toBe('21.11.2026');
  });

  it('typed into the text-formatted column and row, 0012345, TRUE, 12.11 and =HYPERLINK(…) stay text', async () => {
    const dir = tmpDir();
    const src = path.join(dir, 'person.xlsx');
    await personWorkbook(src);
    const w = world();
    const ss = await loadWorkbook(src, w);
    const sh = ss.sheet('Клиенты')!;
    const typed = ['0012345', 'TRUE', '12.11', '=HYPERLINK("https://x.example";"x")'];
    typed.forEach((t, i) => w.userEdit(sh, `D${20 + i}`, [[t]])); // the «Телефон» column is Text in Excel
    w.userEdit(sh, 'C12', [['0012345']]); // row 12 is Text
    w.userEdit(sh, 'C20', [['0012345']]); // an ordinary cell: a number, as Sheets would read it
    const range = w.SpreadsheetApp.openById(ss.id).getSheetByName('Клиенты')!;
    expect(range.getRange('D20:D23').getValues().map((r) => r[0])).toEqual(typed);
    expect(range.getRange('C12').getValue()).toBe('0012345');
    expect(range.getRange('C20').getValue()).toBe(12345);
    const out = path.join(dir, 'saved.xlsx');
    await saveWorkbook(ss, out);
    const back = w.SpreadsheetApp.openById((await loadWorkbook(out, world())).id);
    expect(back).toBeDefined();
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(['D20', 'D21', 'D22', 'D23', 'C12'].map((a) => wb.getWorksheet('Клиенты')!.getCell(a).value)).toEqual([...typed, '0012345']);
  });

  it('rows a job deletes in the middle shift the file the same way', async () => {
    const dir = tmpDir();
    const file = path.join(dir, 'log.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Журнал');
    for (let r = 1; r <= 10; r++) ws.getRow(r).values = [`запись ${r}`, r];
    ws.getCell('A8').note = 'восьмая';
    await wb.xlsx.writeFile(file);
    const w = world();
    const ss = await loadWorkbook(file, w);
    w.SpreadsheetApp.openById(ss.id).getSheetByName('Журнал')!.deleteRows(2, 3);
    await saveWorkbook(ss, file);
    const back = new ExcelJS.Workbook();
    await back.xlsx.readFile(file);
    const sheet = back.getWorksheet('Журнал')!;
    const values: unknown[] = [];
    sheet.eachRow((row) => values.push(row.getCell(1).value));
    expect(values).toEqual(['запись 1', 'запись 5', 'запись 6', 'запись 7', 'запись 8', 'запись 9', 'запись 10']);
    expect(sheet.getCell('A5').note).toBe('восьмая');
  });

  it('tells an .xlsx from what is not one by its content', async () => {
    const dir = tmpDir();
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('x');
    await wb.xlsx.writeFile(path.join(dir, 'ok.xlsx'));
    expect(xlsxProblemOf(fs.readFileSync(path.join(dir, 'ok.xlsx')))).toBeNull();
    expect(xlsxProblemOf(Buffer.alloc(0))).toBe('empty');
    expect(xlsxProblemOf(Buffer.from('PK\u0003\u0004mimetypeapplication/vnd.oasis.opendocument.spreadsheet'))).toBe('ods');
    expect(xlsxProblemOf(Buffer.from('PK\u0003\u0004word/document.xml'))).toBe('docx');
    expect(xlsxProblemOf(Buffer.from('PK\u0003\u0004other.txt'))).toBe('not-xlsx');
    expect(xlsxProblemOf(Buffer.from('name;amount\n'))).toBe('not-zip');
    expect(xlsxProblemOf(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))).toBe('xls');
  });
});
