import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import { onEdit } from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { checkAnalytics, runRecalc, runSweep } from '../../src/jobs/analytics';
import { flushJournalQueue } from '../../src/gas/journal-queue';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { columnLetter } from '../../src/core/header-map';
import { MOSCOW, toLocalDate } from '../../src/core/dates';
import { isWriteCall, makeWorld, moscow } from '../support/env';

const A = templateByKey('analytics');
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;
const cellOf = (key: string, row: number) => `${columnLetter(colOf(key))}${row}`;

function setupWorld(at = '2026-11-23 10:00') {
  const w = makeWorld({ at });
  runSetup(w.ss);
  const sheet = w.ss.getSheetByName('Аналитика')!;
  const emuSheet = w.env.world.getActive()!.getSheetByName('Аналитика') as never;
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'manager@example.com' });
  /** A manager types into cells; the simple trigger runs as Apps Script would run it. */
  const type = (a1: string, values: unknown[][]) => {
    const e = w.env.world.userEdit(emuSheet, a1, values);
    w.env.beginExecution('simpleTrigger');
    try { onEdit(e); } finally { w.env.endExecution(); }
  };
  return { ...w, sheet, clock, type };
}

function leadRow(values: Record<string, unknown>): unknown[] {
  const row: unknown[] = new Array(A.columns.length).fill('');
  for (const [k, v] of Object.entries(values)) row[colOf(k) - 1] = v;
  return row;
}

describe('«Аналитика» on edit', () => {
  it('turns a tick in a stage column into today’s Moscow date and sets the current stage', () => {
    const { sheet, type } = setupWorld('2026-11-23 00:01');
    type(`A2:${columnLetter(A.columns.length)}2`, [leadRow({ firstContactDate: '20.11.2026', name: 'Иван', username: 't.me/ivan_petrov' })]);
    type(cellOf('stageNegotiation', 2), [['x']]);
    const get = (k: string) => sheet.getRange(cellOf(k, 2)).getValue();
    expect(toLocalDate(get('stageNegotiation') as Date, MOSCOW)).toBe('2026-11-23');
    expect(get('currentStage')).toBe('Переговоры и отправка планов');
    expect(get('username')).toBe('@ivan_petrov');
    expect(get('updatedAt')).not.toBe('');
  });

  it('keeps what the manager typed and explains the problem in «Проблемы»', () => {
    const { sheet, type } = setupWorld();
    type(`A2:${columnLetter(A.columns.length)}2`, [leadRow({ firstContactDate: '20.11.2026', name: 'Ольга', promoCode: 'NOSUCHCODE', stagePaid: '21.11.2026' })]);
    expect(sheet.getRange(cellOf('promoCode', 2)).getValue()).toBe('NOSUCHCODE');
    const problems = String(sheet.getRange(cellOf('problems', 2)).getValue());
    expect(problems).toContain('NOSUCHCODE');
    expect(problems).toMatch(/сумм/i);
  });

  it('fills partner, discount and price from the promo code', () => {
    const { ss, sheet, type } = setupWorld();
    ss.getSheetByName('Тарифы')!.getRange('B2').setValue(350); // Personal
    type(`A2:${columnLetter(A.columns.length)}2`, [leadRow({ firstContactDate: '20.11.2026', name: 'Пётр', promoCode: 'sydorenko', plan: 'Personal' })]);
    const get = (k: string) => sheet.getRange(cellOf(k, 2)).getValue();
    expect(get('partner')).toBe('Александр Сидоренко');
    expect(get('discountPercent')).toBe(10);
    expect(get('planPrice')).toBe(350);
    expect(get('discountedPrice')).toBe(315);
  });

  it('keeps a formula the team put into the row when the edit rewrites that span', () => {
    const { sheet, type } = setupWorld();
    type(`A2:${columnLetter(A.columns.length)}2`, [leadRow({ firstContactDate: '20.11.2026', name: 'Глеб', stageFirstContact: '20.11.2026' })]);
    sheet.getRange(cellOf('lastContact', 2)).setFormula('=TODAY()');
    type(cellOf('stageNegotiation', 2), [['x']]);
    expect(sheet.getRange(cellOf('lastContact', 2)).getFormula()).toBe('=TODAY()');
    expect(sheet.getRange(cellOf('currentStage', 2)).getValue()).toBe('Переговоры и отправка планов');
  });

  it('tells the manager at once that a typed individual number is already taken, and keeps that warning on later edits', () => {
    const { sheet, type } = setupWorld();
    type(`A2:${columnLetter(A.columns.length)}3`, [
      leadRow({ firstContactDate: '20.11.2026', name: 'Первый', username: '@first_one', stagePaid: '21.11.2026', paidAmount: 100, questionnaireFilled: 'Да', individualNumber: '123fe456' }),
      leadRow({ firstContactDate: '20.11.2026', name: 'Второй', username: '@second_one', stagePaid: '21.11.2026', paidAmount: 100, questionnaireFilled: 'Да' }),
    ]);
    type(cellOf('individualNumber', 3), [['123fe456']]);
    const problems = () => String(sheet.getRange(cellOf('problems', 3)).getValue());
    expect(problems()).toContain('Индивидуальный номер «123fe456» уже есть в строке 2');
    type(cellOf('projectInfo', 3), [['магазин одежды']]);
    expect(problems()).toContain('уже есть в строке 2');
  });

  it('uses a promo code added to «Промокоды» right away, although the codes are cached', () => {
    const { env, ss, sheet, type } = setupWorld();
    type(`A2:${columnLetter(A.columns.length)}2`, [leadRow({ firstContactDate: '20.11.2026', name: 'Вера', promoCode: 'NEWCODE7' })]);
    expect(String(sheet.getRange(cellOf('problems', 2)).getValue())).toContain('NEWCODE7');
    const promo = env.world.getActive()!.getSheetByName('Промокоды') as never;
    const next = ss.getSheetByName('Промокоды')!.getLastRow() + 1;
    env.world.userEdit(promo, `A${next}:C${next}`, [['NEWCODE7', 'Муар', 7]]);
    onEdit({ range: ss.getSheetByName('Промокоды')!.getRange(`A${next}:C${next}`) } as GoogleAppsScript.Events.SheetsOnEdit);
    type(cellOf('stageFirstContact', 2), [['x']]);
    expect(sheet.getRange(cellOf('partner', 2)).getValue()).toBe('Муар');
    expect(sheet.getRange(cellOf('discountPercent', 2)).getValue()).toBe(7);
  });

  it('reads three ranges and writes only the cells the rules changed for a single-cell edit, whatever the sheet size', () => {
    const { env, sheet, type } = setupWorld();
    const rows = Array.from({ length: 3000 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-20'), manager: 'Светлана', trafficSource: 'Гугл', name: `Лид ${i}`, username: `@lead_${i}x` }));
    sheet.insertRowsAfter(sheet.getMaxRows(), 3000);
    sheet.getRange(2, 1, rows.length, A.columns.length).setValues(rows);
    type(cellOf('stageFirstContact', 10), [['+']]); // warms the reference cache
    env.ctx.clock.advance(60_000);
    env.ctx.recorder.reset();
    type(cellOf('stageNegotiation', 1500), [['+']]);
    const calls = Object.fromEntries([...env.ctx.recorder.counts].filter(([m]) => m.startsWith('Range.') && /^Range\.(get|set)(Values|Formulas)$/.test(m)));
    // Header, row, formulas of the changed span; then one write per run of changed cells: the stage,
    // «Текущий этап» + «Последний контакт», «Обновлено» (not the span between: see edit-concurrency.test.ts).
    expect(calls).toEqual({ 'Range.getValues': 2, 'Range.getFormulas': 1, 'Range.setValues': 3 });
    expect(env.ctx.recorder.rangeIo()).toBe(6);
    // The first 10 rows (where the header row is looked for, under any title) and the edited row.
    expect(env.ctx.recorder.cellsRead).toBeLessThan(400);
    expect(env.ctx.recorder.cellsWritten).toBe(4);
  });

  it('processes a 500-row paste in one batch with a constant number of calls', () => {
    const { env, sheet, type } = setupWorld();
    const rows = Array.from({ length: 500 }, (_, i) => leadRow({ firstContactDate: '2026-11-2' + (i % 3), name: `Клиент ${i}`, username: `client_${i}aa`, stageFirstContact: 'x', stagePaid: i % 10 === 0 ? '+' : '', paidAmount: i % 10 === 0 ? '1 200,50' : '', questionnaireFilled: i % 10 === 0 ? 'Да' : '' }));
    sheet.insertRowsAfter(sheet.getMaxRows(), 600);
    type(cellOf('name', 600), [['разогрев кэша справочников']]);
    env.ctx.recorder.reset();
    type(`A2:${columnLetter(A.columns.length)}501`, rows);
    // header, rows, the individual-number column, the formulas of the span, one write, one journal write
    expect(env.ctx.recorder.rangeIo()).toBeLessThanOrEqual(6);
    const numbers = sheet.getRange(2, colOf('individualNumber'), 500, 1).getValues().map((r) => r[0]).filter(Boolean);
    expect(numbers).toHaveLength(50);
    expect(new Set(numbers).size).toBe(50);
    expect(sheet.getRange(cellOf('paidAmount', 2)).getValue()).toBe(1200.5);
  });

  it('ignores edits of the header row and of unrelated sheets without reading any range', () => {
    const { env, type, ss } = setupWorld();
    env.ctx.recorder.reset();
    type('A1', [['Дата первого взаимодействия']]);
    const emu = env.world.getActive()!.getSheetByName('Звонки') as never;
    const e = env.world.userEdit(emu, 'C2', [[5]]);
    onEdit(e);
    expect(env.ctx.recorder.rangeIo()).toBe(0);
    expect(ss.getSheetByName('Звонки')!.getRange('C2').getValue()).toBe(5);
  });
});

describe('«Пересчитать» and the «Ожидание» sweep', () => {
  it('processes rows that arrived without an edit, and a second run changes nothing', () => {
    const { env, ss, sheet, clock } = setupWorld();
    sheet.getRange(2, 1, 2, A.columns.length).setValues([
      leadRow({ firstContactDate: '20.11.2026', name: 'Анна', stageFirstContact: 'x' }),
      leadRow({ firstContactDate: '21.11.2026', name: 'Борис', stagePaid: '22.11.2026', stageRefused: '22.11.2026' }),
    ]);
    // As in Apps Script, a script's own write fires no edit trigger: nothing was computed yet.
    expect(sheet.getRange(cellOf('currentStage', 2)).getValue()).toBe('');
    expect(sheet.getRange(cellOf('problems', 3)).getValue()).toBe('');
    const first = runRecalc(ss, clock());
    expect(first.changedCells).toBeGreaterThan(0);
    expect(String(sheet.getRange(cellOf('problems', 3)).getValue())).toMatch(/Оплата.*Отказ|Отказ.*Оплата/);
    env.ctx.recorder.reset();
    const second = runRecalc(ss, clock());
    expect(second.changedCells).toBe(0);
    expect([...env.ctx.recorder.counts].filter(([m]) => isWriteCall(m) && m.startsWith('Range.'))).toEqual([]);
  });

  it('flags exactly the leads idle for 3+ days and writes nothing on a second sweep', () => {
    const { env, ss, sheet, clock } = setupWorld('2026-11-23 09:00');
    sheet.getRange(2, 1, 3, A.columns.length).setValues([
      leadRow({ firstContactDate: moscow('2026-11-18'), name: 'Старый', stageFirstContact: moscow('2026-11-18'), stageNegotiation: moscow('2026-11-20') }),
      leadRow({ firstContactDate: moscow('2026-11-21'), name: 'Свежий', stageFirstContact: moscow('2026-11-21') }),
      leadRow({ firstContactDate: moscow('2026-11-10'), name: 'Оплатил', stageFirstContact: moscow('2026-11-10'), stagePaid: moscow('2026-11-12') }),
    ]);
    const report = runSweep(ss, clock(), DEFAULT_SETTINGS);
    expect(report.changedRows).toBe(1);
    expect(toLocalDate(sheet.getRange(cellOf('stageWaiting', 2)).getValue() as Date, MOSCOW)).toBe('2026-11-23');
    expect(sheet.getRange(cellOf('currentStage', 2)).getValue()).toBe('Ожидание');
    expect(sheet.getRange(cellOf('stageWaiting', 3)).getValue()).toBe('');
    expect(sheet.getRange(cellOf('stageWaiting', 4)).getValue()).toBe('');
    env.ctx.recorder.reset();
    expect(runSweep(ss, clock(), DEFAULT_SETTINGS).changedRows).toBe(0);
    expect([...env.ctx.recorder.counts].filter(([m]) => isWriteCall(m) && m.startsWith('Range.'))).toEqual([]);
  });

  it('logs every script change and manual edit in «Журнал»', () => {
    const { ss, type } = setupWorld();
    type(`A2:${columnLetter(A.columns.length)}2`, [leadRow({ firstContactDate: '20.11.2026', name: 'Иван', stageFirstContact: 'x' })]);
    flushJournalQueue(ss, MOSCOW);
    const journal = ss.getSheetByName('Журнал')!;
    const rows = journal.getRange(2, 1, journal.getLastRow() - 1, 7).getValues();
    expect(rows.some((r) => r[3] === cellOf('stageFirstContact', 2) && r[6] === 'правка')).toBe(true);
    expect(rows.some((r) => r[2] === 'Аналитика' && String(r[3]).startsWith('A2'))).toBe(true);
  });

  it('moves old «Журнал» entries to the archive past the bound, losing none', () => {
    const { ss, clock } = setupWorld();
    const journal = ss.getSheetByName('Журнал')!;
    const rows = Array.from({ length: 1200 }, (_, i) => [new Date(0), 'm@example.com', 'Аналитика', `A${i + 2}`, '', `запись ${i}`, 'правка']);
    journal.insertRowsAfter(journal.getMaxRows(), 1200);
    journal.getRange(2, 1, rows.length, 7).setValues(rows);
    runSweep(ss, clock(), { ...DEFAULT_SETTINGS, journalMaxRows: 1000 });
    const kept = journal.getLastRow() - 1;
    const archive = ss.getSheetByName('Журнал (архив)')!;
    const archived = archive.getLastRow() - 1;
    expect(kept).toBeLessThanOrEqual(1000);
    expect(kept + archived).toBe(1200);
    expect(archive.getRange(2, 6).getValue()).toBe('запись 0');
    expect(journal.getRange(2, 6).getValue()).toBe(`запись ${archived}`);
    expect(archive.isSheetHidden()).toBe(true);
  });

  it('lists every problem with the cell to select', () => {
    const { ss, sheet, clock } = setupWorld();
    sheet.getRange(2, 1, 1, A.columns.length).setValues([leadRow({ name: 'Без даты', username: '@ab', stageFirstContact: '21.11.2026' })]);
    const report = checkAnalytics(ss, clock());
    expect(report.problems.length).toBeGreaterThanOrEqual(2);
    expect(report.problems[0].cell).toBe(cellOf('problems', 2));
  });
});
