// Issue 13 items 11, 14 (archive), 17: Google's limits counted as Google counts them, and a «Журнал»
// people can read. A manager is a consumer-account colleague: their onEdit runs in LIMITED mode.
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import { JOURNAL_UNKNOWN_USER } from '../../sheets-templates/journal';
import * as main from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { runSweep } from '../../src/jobs/analytics';
import { readReferenceRows } from '../../src/gas/reference';
import { ARCHIVE_SHEET } from '../../src/gas/journal';
import { flushJournalQueue } from '../../src/gas/journal-queue';
import { eventCellValue, journalText } from '../../src/core/journal';
import { columnLetter } from '../../src/core/header-map';
import { DEFAULT_SETTINGS, parseSettings } from '../../src/core/settings';
import { MOSCOW } from '../../src/core/dates';
import type { EmuSheet } from '../../emulator/spreadsheet/sheet';
import { makeWorld, moscow } from '../support/env';

const OWNER = 'owner@example.com';
const MANAGER = 'manager@example.com';
const A = templateByKey('analytics');
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;
const cellOf = (key: string, row: number) => `${columnLetter(colOf(key))}${row}`;

function team(at = '2026-11-23 10:00') {
  const w = makeWorld({ at });
  const emu = w.env.world.getActive()!;
  emu.acl.addEditor(MANAGER);
  runSetup(w.ss);
  const sheet = (name: string) => emu.getSheetByName(name) as unknown as EmuSheet;
  /** `user` types into cells; the simple onEdit runs as them, in LIMITED mode, and must not throw. */
  const typeAs = (user: string, a1: string, values: unknown[][]) => {
    const e = w.env.world.userEdit(sheet('Аналитика') as never, a1, values, { user });
    w.env.beginExecution('simpleTrigger', { user });
    try { main.onEdit(e); } finally { w.env.endExecution(); }
  };
  const journalRows = () => w.env.ctx.recorder.quiet(() => {
    const j = w.ss.getSheetByName('Журнал')!;
    return j.getLastRow() > 1 ? j.getRange(2, 1, j.getLastRow() - 1, 7).getValues() : [];
  });
  const cell = (key: string, row: number) => w.env.ctx.recorder.quiet(() => w.ss.getSheetByName('Аналитика')!.getRange(cellOf(key, row)).getValue());
  return { ...w, emu, typeAs, journalRows, cell };
}

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('Google limits counted in bytes (issue 13 item 11)', () => {
  it('a manager’s promo code still fills partner and discount when «Промокоды» has long Russian comments (over 100 KB of cache in bytes, under 90,000 characters)', () => {
    const w = team();
    const comment = 'Партнёр договорился с руководством об особых условиях, подробности в переписке. '.repeat(7);
    const rows = Array.from({ length: 110 }, (_, i) => [`kod${i}`, `Партнёр ${i}`, 7, true, comment]);
    w.env.ctx.recorder.quiet(() => {
      const promo = w.ss.getSheetByName('Промокоды')!;
      promo.insertRowsAfter(promo.getMaxRows(), 200);
      promo.getRange(15, 1, rows.length, 5).setValues(rows);
    });
    const json = w.env.ctx.recorder.quiet(() => JSON.stringify(readReferenceRows(w.ss)));
    expect(bytes(json)).toBeGreaterThan(102_400);
    expect(json.length).toBeLessThan(90_000);
    // Twice: the second edit finds no cached copy either and reads the sheets again.
    for (const row of [2, 3]) {
      w.typeAs(MANAGER, `A${row}:${cellOf('promoCode', row)}`, [[...A.columns.slice(0, colOf('promoCode') - 1).map((c) => ({ firstContactDate: '20.11.2026', name: 'Ольга' } as Record<string, string>)[c.key] ?? ''), 'KOD42']]);
      expect(w.cell('partner', row)).toBe('Партнёр 42');
      expect(w.cell('discountPercent', row)).toBe(7);
    }
  });

  it('never loses a manager’s edit logged with long Russian values: the queue stays under 9 KB per property and the owner’s tick writes every entry', () => {
    const w = team();
    w.env.beginExecution('menu', { user: OWNER });
    try { main.menuScheduleOn(); } finally { w.env.endExecution(); }
    const texts = Array.from({ length: 30 }, (_, i) => `Проект №${i}: ${'интернет-магазин одежды с доставкой по России и СНГ, '.repeat(8)}`.slice(0, 450));
    texts.forEach((text, i) => w.typeAs(MANAGER, cellOf('projectInfo', i + 2), [[text]]));
    const queued = Object.entries(w.env.properties.serialize().document).filter(([k]) => k.startsWith('journal:queue'));
    for (const [k, v] of queued) expect(bytes(k) + bytes(v)).toBeLessThanOrEqual(9_216);
    const record = w.env.triggers.list().find((t) => t.handler === 'onTick')!;
    w.env.beginExecution('installableTrigger', { trigger: record });
    try { main.onTick(); } finally { w.env.endExecution(); }
    const rows = w.journalRows();
    texts.forEach((text, i) => expect(rows.some((r) => r[3] === cellOf('projectInfo', i + 2) && r[5] === text), `row ${i + 2}`).toBe(true));
    // The texts needed several properties: more than one could hold.
    expect(queued.reduce((n, [k, v]) => n + bytes(k) + bytes(v), 0)).toBeGreaterThan(9_216);
  });
});

describe('the «Журнал» archive is bounded (issue 13 item 14)', () => {
  it('deletes the oldest archived entries beyond «Размер архива журнала, строк», keeping the newest', () => {
    const w = team();
    const { ss } = w;
    const entry = (i: number) => [new Date(0), OWNER, 'Аналитика', `A${i}`, '', `запись ${i}`, 'правка'];
    // An archive an older version let grow: 3,000 entries.
    const archive = ss.insertSheet(ARCHIVE_SHEET);
    archive.insertRowsAfter(archive.getMaxRows(), 2100);
    archive.getRange(1, 1, 1, 7).setValues([templateByKey('journal').columns.map((c) => c.header)]);
    archive.getRange(2, 1, 3000, 7).setValues(Array.from({ length: 3000 }, (_, i) => entry(i)));
    const journal = ss.getSheetByName('Журнал')!;
    journal.insertRowsAfter(journal.getMaxRows(), 1200);
    journal.getRange(2, 1, 1200, 7).setValues(Array.from({ length: 1200 }, (_, i) => entry(3000 + i)));
    const clock = { now: new Date(w.env.ctx.clock.now()), random: Math.random, user: OWNER };
    runSweep(ss, clock, { ...DEFAULT_SETTINGS, journalMaxRows: 1000, journalArchiveMaxRows: 1000 });
    expect(archive.getLastRow() - 1).toBe(1000);
    const kept = archive.getRange(2, 6, 1000, 1).getValues().map((r) => r[0]);
    const moved = 1200 - (journal.getLastRow() - 1);
    // The newest archived entries stay, in order, right before the first one left in «Журнал».
    expect(kept.at(-1)).toBe(`запись ${3000 + moved - 1}`);
    expect(kept[0]).toBe(`запись ${3000 + moved - 1000}`);
    expect(journal.getRange(2, 6).getValue()).toBe(`запись ${3000 + moved}`);
    expect(archive.getRange(1, 1, 1, 7).getValues()[0]).toEqual(templateByKey('journal').columns.map((c) => c.header));
  });

  it('«Настройки» has «Размер архива журнала, строк», 50,000 rows by default', () => {
    expect(DEFAULT_SETTINGS.journalArchiveMaxRows).toBe(50_000);
    const settings = templateByKey('settings').initial.map((r) => r.name);
    expect(settings).toContain('Размер архива журнала, строк');
    expect(parseSettings([{ name: 'Размер архива журнала, строк', value: '20 000' }]).settings.journalArchiveMaxRows).toBe(20_000);
    expect(parseSettings([{ name: 'Размер архива журнала, строк', value: '10' }]).problems[0]).toContain('нужно целое число от 1000 до 200000');
  });

  it('the archive a sweep creates has the journal’s 7 columns, not 26', () => {
    const w = team();
    const journal = w.ss.getSheetByName('Журнал')!;
    journal.insertRowsAfter(journal.getMaxRows(), 1200);
    journal.getRange(2, 1, 1200, 7).setValues(Array.from({ length: 1200 }, (_, i) => [new Date(0), OWNER, 'Аналитика', `A${i}`, '', `запись ${i}`, 'правка']));
    runSweep(w.ss, { now: new Date(w.env.ctx.clock.now()), random: Math.random, user: OWNER }, { ...DEFAULT_SETTINGS, journalMaxRows: 1000 });
    expect(w.ss.getSheetByName(ARCHIVE_SHEET)!.getMaxColumns()).toBe(7);
  });
});

describe('«Журнал» reads as people read it (issue 13 item 17)', () => {
  it('a date changed by a manager is logged as 20.11.2026 → 21.11.2026, not as serial numbers, and the user is said to be unknown', () => {
    const w = team();
    w.typeAs(MANAGER, `A2:${cellOf('stageFirstContact', 2)}`, [[...A.columns.slice(0, colOf('stageFirstContact') - 1).map((c) => ({ firstContactDate: '19.11.2026', name: 'Иван' } as Record<string, string>)[c.key] ?? ''), '20.11.2026']]);
    w.typeAs(MANAGER, cellOf('stageFirstContact', 2), [['21.11.2026']]);
    w.env.ctx.recorder.quiet(() => flushJournalQueue(w.ss, MOSCOW));
    const line = w.journalRows().find((r) => r[3] === cellOf('stageFirstContact', 2) && r[6] === 'правка');
    expect(line?.slice(1)).toEqual([JOURNAL_UNKNOWN_USER, 'Аналитика', cellOf('stageFirstContact', 2), '20.11.2026', '21.11.2026', 'правка']);
    expect(w.journalRows().some((r) => /^\d{5}(\.\d+)?$/.test(String(r[4])) || /^\d{5}(\.\d+)?$/.test(String(r[5])))).toBe(false);
  });

  it('names the owner, whose email Google gives even in a simple trigger', () => {
    const w = team();
    w.typeAs(OWNER, cellOf('name', 2), [['Пётр']]);
    w.env.ctx.recorder.quiet(() => flushJournalQueue(w.ss, MOSCOW));
    expect(w.journalRows().find((r) => r[3] === cellOf('name', 2))?.[1]).toBe(OWNER);
  });

  it('shows a date-time cell as dd.mm.yyyy HH:mm in Moscow', () => {
    expect(journalText(eventCellValue('46347.5', 'datetime', MOSCOW), MOSCOW)).toBe('21.11.2026 12:00');
    expect(journalText(eventCellValue('46347', 'date', MOSCOW), MOSCOW)).toBe('21.11.2026');
    expect(journalText(moscow('2026-11-21 09:30'), MOSCOW)).toBe('21.11.2026 09:30');
    // A number in a number column stays a number.
    expect(eventCellValue('46347', 'money', MOSCOW)).toBe('46347');
  });
});
