// Limits counted as Google counts them (bytes where storage counts bytes, per user where quotas are per
// user), and an emulator that stands alone. Each test names the rule; see emulator/README for sources.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import { afterEach, describe, expect, it } from 'vitest';
import { createContext } from '../../emulator/context';
import { CACHE_ERRORS, CACHE_LIMITS, createCacheService } from '../../emulator/services/cache';
import { createMailApp, MAIL_ERRORS } from '../../emulator/services/mail';
import { createPropertiesService, PROPERTY_ERRORS } from '../../emulator/services/properties';
import { createSpreadsheetWorld, type EmuSheet, type EmuSpreadsheet } from '../../emulator/spreadsheet/index';
import { CELL_TEXT_ERROR } from '../../emulator/spreadsheet/range';
import { CELL_LIMIT_ERROR } from '../../emulator/spreadsheet/spreadsheet';
import { parseUserInput } from '../../emulator/spreadsheet/values';
import { isDate } from '../../emulator/support';
import { loadWorkbook, META_SHEET, saveWorkbook } from '../../emulator/xlsx';
import { makeWorld } from '../support/env';

const T0 = Date.UTC(2026, 10, 23, 9, 0); // 12:00 in Moscow
const RU = 'Ж'; // two UTF-8 bytes
const A = 'a';

function sheetsWorld(opts: Parameters<typeof createContext>[0] = {}) {
  const ctx = createContext({ now: T0, ...opts });
  const world = createSpreadsheetWorld(ctx, { getUi: () => { throw new Error('no UI here'); } });
  const ss = world.createSpreadsheet('Продажи');
  world.setActive(ss);
  return { ctx, world, ss, sheet: ss.sheets[0] };
}

const gs = (sh: EmuSheet) => sh as unknown as GoogleAppsScript.Spreadsheet.Sheet;
const gss = (ss: EmuSpreadsheet) => ss as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet;

describe('CacheService counts bytes', () => {
  it('a Russian value of 60 000 characters (120 000 bytes) is refused although it has fewer than 102 400 characters', () => {
    const c = createCacheService(createContext()).getScriptCache();
    expect(() => c.put('ref', RU.repeat(60_000))).toThrow(CACHE_ERRORS.valueTooLarge);
    expect(c.get('ref')).toBeNull();
    c.put('ref', RU.repeat(51_200)); // exactly 102 400 bytes
    expect(c.get('ref')).toHaveLength(51_200);
  });

  it('a key of 200 Cyrillic letters (400 bytes) is refused although it has fewer than 250 characters', () => {
    const c = createCacheService(createContext()).getScriptCache();
    expect(() => c.put(RU.repeat(200), 'v')).toThrow(CACHE_ERRORS.keyTooLarge);
    c.put(RU.repeat(125), 'v'); // 250 bytes
    c.put(A.repeat(250), 'v');
    expect(() => c.put(A.repeat(251), 'v')).toThrow(CACHE_ERRORS.keyTooLarge);
  });

  it('putAll refuses the whole batch when one Russian value is over 100 KB in bytes, storing none of it', () => {
    const c = createCacheService(createContext()).getScriptCache();
    expect(() => c.putAll({ a: '1', b: RU.repeat(60_000), c: '3' })).toThrow(CACHE_ERRORS.valueTooLarge);
    expect(() => c.putAll({ a: '1', [RU.repeat(126)]: '2' })).toThrow(CACHE_ERRORS.keyTooLarge);
    expect(c.getAll(['a', 'b', 'c'])).toEqual({});
  });

  it('a full cache drops its 100 oldest items at once, even one read just before', () => {
    const c = createCacheService(createContext({ now: T0 })).getScriptCache();
    for (let i = 0; i < CACHE_LIMITS.maxItems; i++) c.put(`k${i}`, String(i));
    expect(c.get('k0')).toBe('0');
    c.put('one-more', 'x');
    expect(c.get('k0')).toBeNull();
    expect(c.get('k99')).toBeNull();
    expect(c.get('k100')).toBe('100');
    expect(c.get('one-more')).toBe('x');
  });
});

describe('PropertiesService counts key + value in UTF-8 bytes', () => {
  it('a Russian value of 4 700 characters (9 400 bytes) is refused although it has fewer than 9 216 characters', () => {
    const p = createPropertiesService(createContext()).getDocumentProperties();
    expect(() => p.setProperty('journal:queue', RU.repeat(4_700))).toThrow(PROPERTY_ERRORS.valueTooLarge);
    expect(p.getProperty('journal:queue')).toBeNull();
  });

  it('the key counts towards the 9 KB of a property: a 9 000-byte value under a 300-byte key is refused', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    expect(() => p.setProperty(A.repeat(300), A.repeat(9_000))).toThrow(PROPERTY_ERRORS.valueTooLarge);
    p.setProperty(A.repeat(216), A.repeat(9_000)); // 9 216 bytes together
    expect(p.getKeys()).toHaveLength(1);
  });

  it('a key longer than 8 066 bytes is refused with "Data storage error", as measured', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    p.setProperty(A.repeat(8_066), '');
    expect(() => p.setProperty(A.repeat(8_067), '')).toThrow(PROPERTY_ERRORS.keyTooLarge);
    expect(() => p.setProperty(RU.repeat(4_034), '')).toThrow(PROPERTY_ERRORS.keyTooLarge);
  });

  it('an empty property name is refused for setting and getting', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    expect(() => p.setProperty('', 'x')).toThrow(PROPERTY_ERRORS.emptyKey);
    expect(() => p.setProperties({ '': 'x' })).toThrow(PROPERTY_ERRORS.emptyKey);
    expect(() => p.getProperty('')).toThrow(PROPERTY_ERRORS.emptyKey);
  });

  it('a store fills at 500 KB of Russian text, that is 256 000 characters, not 512 000', () => {
    const p = createPropertiesService(createContext()).getDocumentProperties();
    // 4 000 letters = 8 000 bytes a value; 63 of them with their keys are under 512 000 bytes, 64 are over.
    for (let i = 0; i < 63; i++) p.setProperty(`k${String(i).padStart(2, '0')}`, RU.repeat(4_000));
    expect(() => p.setProperty('k63', RU.repeat(4_000))).toThrow(PROPERTY_ERRORS.storeFull);
    expect(p.getProperty('k63')).toBeNull();
  });
});

describe('a cell holds at most 50 000 characters', () => {
  const long = RU.repeat(50_001);

  it('setValue and setValues of a longer string throw Google\'s message and write nothing', () => {
    const { sheet } = sheetsWorld();
    const s = gs(sheet);
    s.getRange('A1').setValue(RU.repeat(50_000));
    expect(() => s.getRange('B1').setValue(long)).toThrow(CELL_TEXT_ERROR);
    expect(() => s.getRange('A2:C2').setValues([['x', long, 'z']])).toThrow(CELL_TEXT_ERROR);
    expect(sheet.rangeOf({ row: 1, col: 1, numRows: 2, numCols: 3 }).peekValues()).toEqual([[RU.repeat(50_000), '', ''], ['', '', '']]);
  });

  it('setFormula and setFormulas of a longer formula are refused', () => {
    const { sheet } = sheetsWorld();
    const formula = `="${A.repeat(50_000)}"`;
    expect(() => gs(sheet).getRange('A1').setFormula(formula)).toThrow(CELL_TEXT_ERROR);
    expect(() => gs(sheet).getRange('A1:B1').setFormulas([['=1', formula]])).toThrow(CELL_TEXT_ERROR);
    expect(gs(sheet).getRange('A1').getFormula()).toBe('');
  });

  it('appendRow and a person typing a longer text are refused, the sheet unchanged', () => {
    const { world, sheet } = sheetsWorld();
    expect(() => gs(sheet).appendRow(['Анна', long])).toThrow(CELL_TEXT_ERROR);
    expect(() => world.userEdit(sheet, 'A1:B1', [['Анна', long]])).toThrow(CELL_TEXT_ERROR);
    expect(sheet.store.lastContent()).toMatchObject({ row: 0, col: 0 });
  });
});

describe('a spreadsheet holds at most 10 000 000 cells, every sheet\'s grid counted', () => {
  it('a new spreadsheet and a new sheet are 1000 × 26; cellCount is a harness helper, not a service call', () => {
    const { ctx, ss } = sheetsWorld();
    expect(ss.cellCount()).toBe(26_000);
    gss(ss).insertSheet('Журнал');
    expect(ss.cellCount()).toBe(52_000);
    const calls = ctx.recorder.total();
    ss.cellCount();
    expect(ctx.recorder.total()).toBe(calls);
  });

  it('inserting rows past the limit throws, counting a hidden sheet too, and changes nothing', () => {
    const { ss, sheet } = sheetsWorld();
    const s = gs(sheet);
    s.insertRowsAfter(1000, 380_000); // 381 000 × 26 = 9 906 000
    const hidden = gs(ss.addSheet('Архив'));
    hidden.hideSheet();
    expect(ss.cellCount()).toBe(9_932_000);
    expect(() => s.insertRowsAfter(1, 3_000)).toThrow(CELL_LIMIT_ERROR);
    expect(() => s.insertRowsBefore(1, 3_000)).toThrow(CELL_LIMIT_ERROR);
    expect(() => s.insertRows(1, 3_000)).toThrow(CELL_LIMIT_ERROR);
    expect(() => hidden.insertColumnsAfter(26, 69)).toThrow(CELL_LIMIT_ERROR); // 69 000 > 68 000 left
    expect(() => s.insertColumnsBefore(1, 1)).toThrow(CELL_LIMIT_ERROR);
    expect(ss.cellCount()).toBe(9_932_000);
    s.insertRowsAfter(1, 2_000); // 52 000 more still fits
    expect(ss.cellCount()).toBe(9_984_000);
  });

  it('insertSheet refuses a new 26 000-cell sheet when the spreadsheet has less room', () => {
    const { ss, sheet } = sheetsWorld();
    gs(sheet).insertRowsAfter(1000, 383_000);
    expect(() => gss(ss).insertSheet('Ещё')).toThrow(CELL_LIMIT_ERROR);
    expect(ss.sheets).toHaveLength(1);
  });

  it('appendRow that would grow a full sheet past the limit throws', () => {
    const { ss, sheet } = sheetsWorld();
    const s = gs(sheet);
    s.insertRowsAfter(1000, 383_615); // 384 615 × 26 = 9 999 990
    s.getRange(384_615, 1).setValue('последняя');
    expect(() => s.appendRow(['ещё одна'])).toThrow(CELL_LIMIT_ERROR);
    expect(sheet.maxRows).toBe(384_615);
    expect(ss.cellCount()).toBe(9_999_990);
  });

  it('SpreadsheetApp.create with a grid over the limit throws and makes no file', () => {
    const { world } = sheetsWorld();
    const before = world.all().length;
    expect(() => world.SpreadsheetApp.create('Огромная', 400_000, 26)).toThrow(CELL_LIMIT_ERROR);
    expect(world.all()).toHaveLength(before);
    const ok = world.SpreadsheetApp.create('Большая', 384_615, 26) as unknown as EmuSpreadsheet;
    expect(ok.cellCount()).toBe(9_999_990);
  });

  describe('xlsx loading', () => {
    const dirs: string[] = [];
    afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });
    const tmp = () => { const d = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-')); dirs.push(d); return d; };

    it('builds each sheet with its saved grid, and a workbook from elsewhere with at least 1000 × 26', async () => {
      const dir = tmp();
      const { world, ss, sheet } = sheetsWorld();
      gs(sheet).insertRowsAfter(1000, 1000);
      gs(sheet).insertColumnsAfter(26, 4);
      await saveWorkbook(ss, path.join(dir, 'saved.xlsx'));
      const back = await loadWorkbook(path.join(dir, 'saved.xlsx'), world);
      expect([back.sheets[0].maxRows, back.sheets[0].maxCols]).toEqual([2000, 30]);

      const wb = new ExcelJS.Workbook();
      wb.addWorksheet('Данные').getCell('C3').value = 'x';
      await wb.xlsx.writeFile(path.join(dir, 'foreign.xlsx'));
      const foreign = await loadWorkbook(path.join(dir, 'foreign.xlsx'), world);
      expect(foreign.cellCount()).toBe(26_000);
    });

    it('refuses a workbook whose grids add up to more than 10 000 000 cells', async () => {
      const dir = tmp();
      const { world, ss } = sheetsWorld();
      const file = path.join(dir, 'big.xlsx');
      await saveWorkbook(ss, file);
      // The grid size lives in the workbook's _emulator sheet: claim 400 000 rows there.
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.readFile(file);
      const meta = wb.getWorksheet(META_SHEET)!;
      meta.getCell(1, 1).value = String(meta.getCell(1, 1).value).replace('"maxRows":1000', '"maxRows":400000');
      await wb.xlsx.writeFile(file);
      await expect(loadWorkbook(file, world)).rejects.toThrow(CELL_LIMIT_ERROR);
    });
  });
});

describe('mail recipients are counted per user and per account kind', () => {
  it('each effective user has their own 100 recipients a day on a consumer account', () => {
    const ctx = createContext({ now: T0, userEmail: 'anna@example.com' });
    const mail = createMailApp(ctx);
    for (let i = 0; i < 2; i++) mail.sendEmail(Array.from({ length: 50 }, (_, j) => `r${i}-${j}@example.com`).join(','), 'S', 'B');
    expect(mail.getRemainingDailyQuota()).toBe(0);
    expect(() => mail.sendEmail('x@example.com', 'S', 'B')).toThrow(MAIL_ERRORS.quota);
    ctx.userEmail = 'boris@example.com'; // another person's execution
    expect(mail.getRemainingDailyQuota()).toBe(100);
    mail.sendEmail('x@example.com', 'S', 'B');
    expect(mail.remaining('boris@example.com')).toBe(99);
    expect(mail.remaining('ANNA@example.com')).toBe(0);
  });

  it('a Workspace account sends to 1 500 recipients a day', () => {
    const mail = createMailApp(createContext({ now: T0, account: 'workspace' }));
    expect(mail.getRemainingDailyQuota()).toBe(1500);
    expect(mail.quota).toBe(1500);
  });

  it('more than 50 recipients in one message is refused and charges nothing', () => {
    const mail = createMailApp(createContext({ now: T0, account: 'workspace' }));
    const to = Array.from({ length: 40 }, (_, j) => `to${j}@example.com`).join(',');
    const cc = Array.from({ length: 11 }, (_, j) => `cc${j}@example.com`).join(',');
    expect(() => mail.sendEmail(to, 'S', 'B', { cc })).toThrow(MAIL_ERRORS.perMessage);
    expect(mail.outbox).toHaveLength(0);
    expect(mail.getRemainingDailyQuota()).toBe(1500);
  });

  it('the mailQuota option overrides the daily number for every user; saved state keeps each user\'s use', () => {
    const { env } = makeWorld({ mailQuota: 3, userEmail: 'owner@example.com' });
    env.globals.MailApp.sendEmail('a@example.com, b@example.com', 'S', 'B');
    env.ctx.userEmail = 'boss@example.com';
    env.globals.MailApp.sendEmail('c@example.com', 'S', 'B');
    expect(env.mail.remaining('owner@example.com')).toBe(1);
    expect(env.mail.remaining('boss@example.com')).toBe(2);
    const saved = JSON.parse(JSON.stringify(env.saveState({ spreadsheets: false })));
    const at = env.ctx.clock.now();
    expect(saved.mail.users).toEqual({ 'owner@example.com': { used: 2, windowStart: at }, 'boss@example.com': { used: 1, windowStart: at } });

    const next = makeWorld({ userEmail: 'owner@example.com' }).env;
    next.loadState(saved);
    expect(next.mail.remaining('owner@example.com')).toBe(1);
    expect(next.mail.remaining('boss@example.com')).toBe(2);
  });

  it('a state file in the old single-quota shape still loads, its use charged to the user running now', () => {
    const { env } = makeWorld({ userEmail: 'owner@example.com' });
    env.loadState({ version: 1, mail: { quota: 100, used: 40, windowStart: env.ctx.clock.now(), sentTotal: 3 } });
    expect(env.mail.remaining('owner@example.com')).toBe(60);
    expect(env.mail.remaining('someone@example.com')).toBe(100);
  });
});

describe('the emulator stands alone', () => {
  const root = path.resolve(__dirname, '../../emulator');
  const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));

  it('imports nothing from src/ or sheets-templates/', () => {
    const outside: string[] = [];
    for (const file of files(root)) {
      const text = fs.readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import|require)\s*\(?\s*['"](\.[^'"]*)['"]/g)) {
        const target = path.relative(path.resolve(root, '..'), path.resolve(path.dirname(file), m[1]));
        if (/^(src|sheets-templates)([\\/]|$)/.test(target)) outside.push(`${path.relative(root, file)} → ${m[1]}`);
      }
    }
    expect(outside).toEqual([]);
  });

  it('its isDate knows a Date from another realm and refuses an invalid one', () => {
    expect(isDate(vm.runInNewContext('new Date(0)'))).toBe(true);
    expect(isDate(new Date(NaN))).toBe(false);
    expect(isDate({ getTime: () => 0 })).toBe(false);
  });
});

describe('what a person types follows the spreadsheet locale', () => {
  const tz = 'Europe/Moscow';
  const parse = (text: string, locale: string) => parseUserInput(text, locale, tz, T0).value;
  const day = (v: unknown) => (isDate(v) ? new Intl.DateTimeFormat('en-CA', { timeZone: tz }).format(v) : v);

  it('ru_RU: 21.11 is 21 November this year, 21.11.2026 a date, 1 200,50 and 1,5 numbers', () => {
    expect(day(parse('21.11', 'ru_RU'))).toBe('2026-11-21');
    expect(day(parse('21.11.2026', 'ru_RU'))).toBe('2026-11-21');
    expect(parse('1 200,50', 'ru_RU')).toBe(1200.5);
    expect(parse('1\u00a0200,50', 'ru_RU')).toBe(1200.5);
    expect(parse('1,5', 'ru_RU')).toBe(1.5);
    expect(parse('ИСТИНА', 'ru_RU')).toBe(true);
  });

  it('en_US: 21.11 is no date, 11/21 is 21 November, 1,200.50 a number; 1 200,50, 1 200, 1,5 and ИСТИНА stay text', () => {
    expect(isDate(parse('21.11', 'en_US'))).toBe(false);
    expect(parse('21.11.2026', 'en_US')).toBe('21.11.2026');
    expect(day(parse('11/21', 'en_US'))).toBe('2026-11-21');
    expect(parse('1,200.50', 'en_US')).toBe(1200.5);
    expect(parse('1 200,50', 'en_US')).toBe('1 200,50');
    expect(parse('1\u00a0200,50', 'en_US')).toBe('1\u00a0200,50');
    expect(parse('1 200', 'en_US')).toBe('1 200');
    expect(parse('1,5', 'en_US')).toBe('1,5');
    expect(parse('ИСТИНА', 'en_US')).toBe('ИСТИНА');
    expect(parse('TRUE', 'en_US')).toBe(true);
  });

  it('a spreadsheet a script creates is en_US, so a Russian date written to it stays text until the script sets ru_RU', () => {
    const { world } = sheetsWorld();
    const made = world.SpreadsheetApp.create('Партнёр');
    expect(made.getSpreadsheetLocale()).toBe('en_US');
    const a1 = made.getSheets()[0].getRange('A1');
    a1.setValue('21.11.2026');
    expect(a1.getValue()).toBe('21.11.2026');
    made.setSpreadsheetLocale('ru_RU');
    a1.setValue('21.11.2026');
    expect(isDate(a1.getValue())).toBe(true);
  });

  it('the harness creates ru_RU spreadsheets unless told otherwise', () => {
    const { world, ss } = sheetsWorld();
    expect(ss.locale).toBe('ru_RU');
    expect(world.createSpreadsheet('US', { locale: 'en_US' }).locale).toBe('en_US');
  });
});
