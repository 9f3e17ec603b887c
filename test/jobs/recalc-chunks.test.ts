// «Пересчитать» on a sheet too large for one run (issue 16): the menu recalculates the first chunk and
// says so, the 5-minute tick finishes the rest, and the sheet ends exactly as one whole-sheet
// recalculation leaves it — duplicates across chunk borders included. Deferred edits are recalculated
// over their own rows (plus the number and nick columns), not the whole sheet. Chunks are made small
// here (recalcLimits) so a test can afford several.
import { afterEach, describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { recalcChunkText } from '../../src/jobs/analytics-entry';
import { runSetup } from '../../src/jobs/setup';
import { checkAnalytics } from '../../src/jobs/analytics';
import { peekPendingRows } from '../../src/jobs/pending';
import { clearFunnelStale } from '../../src/jobs/funnel';
import { CHUNK_CELLS, RECALC_CURSOR_KEY, readRecalcCursor, recalcLimits, recalcStep } from '../../src/jobs/recalc';
import { runTick } from '../../src/jobs/scheduler';
import { EXTRA_WORK } from '../../src/jobs/tick-entry';
import { columnLetter } from '../../src/core/header-map';
import { EmuRange } from '../../emulator/spreadsheet/range';
import { seededRandom } from '../../emulator/context';
import { makeWorld, moscow } from '../support/env';

const A = templateByKey('analytics');
const WIDTH = A.columns.length;
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;

afterEach(() => {
  recalcLimits.rows = Infinity;
  recalcLimits.cells = CHUNK_CELLS;
});

function leadRow(values: Record<string, unknown>): unknown[] {
  const row: unknown[] = new Array(WIDTH).fill('');
  for (const [k, v] of Object.entries(values)) row[colOf(k) - 1] = v;
  return row;
}

/**
 * `count` leads as an import leaves them (nothing computed): few distinct nicks and individual numbers,
 * so duplicates fall on both sides of every chunk border; a few empty rows, formula-like text, bad nicks.
 */
function randomLeads(count: number, seed: number): unknown[][] {
  const r = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)];
  const nicks = ['@shop_one', 'shop_two', 't.me/decor_home', '@Shop_One', 'bad nick!', '=HYPERLINK("x")', '', '@uniq_'];
  const numbers = ['417sa902', '123sx456', '417SA902', '999dh000', 'ABC', '=1+1'];
  return Array.from({ length: count }, (_, i) => {
    if (r() < 0.05) return leadRow({});
    const paid = r() < 0.3;
    const nick = pick(nicks);
    return leadRow({
      firstContactDate: moscow(`2026-11-${String(1 + Math.floor(r() * 20)).padStart(2, '0')}`),
      manager: pick(['Светлана', 'Марина', '']),
      name: `Лид ${i}`,
      username: nick === '@uniq_' ? `@uniq_${i}abc` : nick,
      promoCode: pick(['', '', 'sydorenko', 'NOSUCH']),
      plan: pick(['', 'Personal', 'Pro']),
      stageFirstContact: pick(['x', '21.11.2026', '']),
      stageNegotiation: pick(['', '', '+', '2026-11-22']),
      stagePaid: paid ? 'x' : '',
      paidAmount: paid ? pick(['1 200,50', '']) : '',
      questionnaireFilled: paid ? pick(['да', 'Нет', '']) : '',
      // Every paid row carries its number (a generated one is random, so two runs could not be compared).
      individualNumber: paid || r() < 0.1 ? pick(numbers) : '',
    });
  });
}

function world(rows: unknown[][], at = '2026-11-23 10:00') {
  const w = makeWorld({ at });
  runSetup(w.ss);
  const sheet = w.ss.getSheetByName(A.name)!;
  const rec = w.env.ctx.recorder;
  rec.quiet(() => {
    sheet.insertRowsAfter(sheet.getMaxRows(), rows.length + 10);
    sheet.getRange(2, 1, rows.length, WIDTH).setValues(rows);
    // The schedule is on (its owner is known): the menu may promise the background check.
    PropertiesService.getScriptProperties().setProperty('schedule:owner', w.env.ctx.ownerEmail);
  });
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'owner@example.com' });
  const grid = () => rec.quiet(() => sheet.getRange(2, 1, sheet.getLastRow() - 1, WIDTH).getValues());
  /** «Пересчитать» clicked; returns the alert's text. */
  const click = () => {
    const before = w.env.ui.alerts.length;
    w.env.beginExecution('menu');
    try { main.menuRecalc(); } finally { w.env.endExecution(); }
    return w.env.ui.alerts.slice(before).map((a) => a.prompt).join('\n');
  };
  /** One 5-minute tick as the installed trigger runs it (nothing else due). */
  const tick = () => {
    w.env.ctx.clock.set(w.env.ctx.clock.now() + 5 * 60_000);
    w.env.beginExecution('installableTrigger');
    try { return runTick(() => w.ss, {}, clock(), EXTRA_WORK); } finally { w.env.endExecution(); }
  };
  const cursor = () => rec.quiet(() => readRecalcCursor(PropertiesService.getDocumentProperties().getProperty(RECALC_CURSOR_KEY)));
  /** Full-width block reads of «Аналитика» while `fn` runs: [first row, rows]. */
  const blockReads = <T>(fn: () => T): { value: T; reads: Array<[number, number]> } => {
    const reads: Array<[number, number]> = [];
    const original = EmuRange.prototype.getValues;
    EmuRange.prototype.getValues = function getValues(this: EmuRange) {
      if (rec.quiet(() => this.sheet.getName()) === A.name && this.numCols >= WIDTH && this.row > 1) reads.push([this.row, this.numRows]);
      return original.call(this);
    };
    try { return { value: fn(), reads }; } finally { EmuRange.prototype.getValues = original; }
  };
  return { ...w, sheet, clock, grid, click, tick, cursor, blockReads };
}

describe('«Пересчитать» in chunks', () => {
  it('recalculates the first chunk from the menu, says so in Russian, and the tick finishes the sheet exactly as one run would', () => {
    const leads = randomLeads(300, 11);
    // The reference: the whole sheet in one run.
    const one = world(leads);
    expect(one.click()).toMatch(/^Проверено строк: 300\./);
    const expected = one.grid();
    expect(one.cursor()).toBeNull();

    recalcLimits.rows = 37;
    const w = world(leads);
    const { value: first, reads } = w.blockReads(() => w.click());
    expect(first).toContain('Пересчитаны строки 2–38 из 301 (37 строк).');
    expect(first).toContain('Остальные строки пересчитает фоновая проверка в ближайшие 5–10 минут');
    expect(first).toContain('продолжится со строки 39');
    expect(reads.reduce((n, [, rows]) => n + rows, 0)).toBe(37);
    expect(w.cursor()).toMatchObject({ next: 39, lastRow: 301 });

    const covered: Array<[number, number]> = [...reads];
    let ticks = 0;
    while (w.cursor() && ticks < 20) {
      const { value: report, reads: tickReads } = w.blockReads(() => w.tick());
      expect(report.ran.map((r) => r.job)).toContain('recalc');
      covered.push(...tickReads);
      ticks++;
    }
    expect(ticks).toBe(Math.ceil((300 - 37) / 37));
    // Every row read once, none twice.
    const seen = covered.flatMap(([row, n]) => Array.from({ length: n }, (_, i) => row + i)).sort((a, b) => a - b);
    expect(seen).toEqual(Array.from({ length: 300 }, (_, i) => i + 2));
    expect(w.grid()).toEqual(expected);
    // And the problems are evaluateSheet's, duplicates across the whole sheet included.
    const check = checkAnalytics(w.ss, w.clock());
    const problemsCol = colOf('problems') - 1;
    const byRow = new Map<number, string[]>();
    for (const p of check.problems) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p.text]);
    w.grid().forEach((row, i) => expect(String(row[problemsCol]), `row ${i + 2}`).toBe((byRow.get(i + 2) ?? []).join('; ')));
    expect(check.problems.some((p) => /уже есть в строк/.test(p.text))).toBe(true);
  });

  it('goes on from where it stopped on a second click, never recalculating a row twice', () => {
    recalcLimits.rows = 21;
    const w = world(randomLeads(50, 3));
    const a = w.blockReads(() => w.click());
    expect(a.value).toContain('Пересчитаны строки 2–22 из 51 (21 строка).');
    const b = w.blockReads(() => w.click());
    expect(b.value).toContain('Пересчёт продолжен: пересчитаны строки 23–43 из 51 (21 строка).');
    const c = w.blockReads(() => w.click());
    expect(c.value).toMatch(/^Пересчёт завершён: пересчитаны строки 44–51 из 51 \(8 строк\), остальные — раньше\./);
    expect(c.value).not.toContain('продолжится');
    // Each click reads its rows in at most four blocks (constant calls at any size).
    for (const x of [a, b, c]) expect(x.reads.length).toBeLessThanOrEqual(4);
    const rows = [...a.reads, ...b.reads, ...c.reads].flatMap(([row, n]) => Array.from({ length: n }, (_, i) => row + i));
    expect(rows).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    expect(w.cursor()).toBeNull();
    // Done: the next click is an ordinary whole-sheet run again.
    recalcLimits.rows = Infinity;
    expect(w.click()).toMatch(/^Проверено строк: 50\. Изменено ячеек: 0\./);
  });

  it('tells the user to click again when the schedule is off', () => {
    recalcLimits.rows = 10;
    const w = world(randomLeads(30, 5));
    w.env.ctx.recorder.quiet(() => PropertiesService.getScriptProperties().deleteProperty('schedule:owner'));
    const text = w.click();
    expect(text).toContain('Пересчитаны строки 2–11 из 31 (10 строк).');
    expect(text).toContain('Расписание не включено');
    expect(text).toContain('продолжится со строки 12');
  });

  it('skips no row and stays correct when rows are deleted or inserted between chunks', () => {
    recalcLimits.rows = 15;
    const leads = Array.from({ length: 60 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-10'), name: `Лид ${i}`, username: `@lead_${i}abc`, stageFirstContact: 'x' }));
    const w = world(leads);
    w.click(); // rows 2–16
    // Someone deletes rows 5–9 (above the cursor) and adds 4 leads at the bottom.
    w.env.ctx.recorder.quiet(() => {
      w.sheet.deleteRows(5, 5);
      w.sheet.getRange(57, 1, 4, WIDTH).setValues(Array.from({ length: 4 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-10'), name: `Новый ${i}`, username: `@fresh_${i}abc`, stageFirstContact: 'x' })));
    });
    w.tick();
    // Then rows inserted above the cursor.
    w.env.ctx.recorder.quiet(() => {
      w.sheet.insertRowsBefore(3, 3);
      w.sheet.getRange(3, 1, 3, WIDTH).setValues(Array.from({ length: 3 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-10'), name: `Вставлен ${i}`, username: `@ins_${i}abc`, stageFirstContact: 'x' })));
    });
    for (let i = 0; i < 10 && w.cursor(); i++) w.tick();
    expect(w.cursor()).toBeNull();
    const stage = colOf('stageFirstContact') - 1;
    const rows = w.grid();
    // The inserted rows above the cursor were no part of this run (their own edit would process them); every other row was reached.
    const left = rows.map((r, i) => [i + 2, r[colOf('name') - 1], r[stage]]).filter(([, name, v]) => v === 'x' && !String(name).startsWith('Вставлен'));
    expect(left).toEqual([]);
  });

  it('recalculates deferred edits over their own rows and the two key columns, not the whole sheet', () => {
    const leads = Array.from({ length: 2_000 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-10'), name: `Лид ${i}`, username: `@lead_${i}abc`, stageFirstContact: moscow('2026-11-10') }));
    const w = world(leads, '2026-11-23 11:00');
    w.click(); // computed state
    const emu = w.env.world.getActive()!.getSheetByName(A.name) as never;
    // A manager types while a job holds the lock: onEdit waits, then leaves the row for the tick.
    w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 60_000);
    const cell = `${columnLetter(colOf('stageNegotiation'))}1500`;
    const typedAt = w.env.ctx.clock.now();
    const e = w.env.world.userEdit(emu, cell, [['x']]);
    w.env.beginExecution('simpleTrigger');
    try { main.onEdit(e); } finally { w.env.endExecution(); }
    expect(peekPendingRows().map((p) => [p[1], p[2]])).toEqual([[1500, 1]]);
    w.env.ctx.recorder.quiet(() => clearFunnelStale()); // «Воронка» was just drawn: this tick only recalculates
    // A row changed without any edit event (an API write): not pending, so not this tick's business.
    w.env.ctx.recorder.quiet(() => w.sheet.getRange(`${columnLetter(colOf('stageNegotiation'))}700`).setValue('x'));
    w.env.ctx.clock.set(w.env.ctx.clock.now() + 2 * 60_000);
    const rec = w.env.ctx.recorder;
    rec.reset();
    const { value: report, reads } = w.blockReads(() => w.tick());
    expect(report.ran.find((r) => r.job === 'recalc')?.result).toMatch(/строки 1\s?500 из 2\s?001/);
    // The row twice: its fingerprint (an imported row has no «Обновлено» to check it by), then its recalculation.
    expect(reads).toEqual([[1500, 1], [1500, 1]]);
    // The header rows, the number and nick columns of every row, the one row, «Настройки» and the reference
    // sheets (≈ 4,600 cells); the whole sheet would be 2,000 × 32.
    expect(rec.cellsRead).toBeLessThan(2 * 2_000 + 1_000);
    const at = (row: number, key: string) => w.grid()[row - 2][colOf(key) - 1];
    expect(at(1500, 'stageNegotiation')).toBeInstanceOf(Date);
    expect(at(1500, 'currentStage')).toBe('Переговоры и отправка планов');
    // «Обновлено»: when the manager typed (the deferral's time), not when the tick ran.
    const stamped = (at(1500, 'updatedAt') as Date).getTime();
    expect(stamped).toBeGreaterThanOrEqual(typedAt);
    expect(stamped).toBeLessThan(typedAt + 60_000);
    expect(at(700, 'stageNegotiation')).toBe('x');
    expect(peekPendingRows()).toEqual([]);
    expect(w.cursor()).toBeNull();
  });

  it('finds a deferred edit\'s row after rows were inserted or deleted above it before the tick', () => {
    const leads = Array.from({ length: 200 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-10'), name: `Лид ${i}`, username: `@lead_${i}abc`, stageFirstContact: moscow('2026-11-10') }));
    const w = world(leads, '2026-11-23 11:00');
    w.click();
    const emu = w.env.world.getActive()!.getSheetByName(A.name) as never;
    const edit = (cell: string, value: string) => {
      const e = w.env.world.userEdit(emu, cell, [[value]]);
      w.env.beginExecution('simpleTrigger');
      try { main.onEdit(e); } finally { w.env.endExecution(); }
    };
    const col = (key: string) => columnLetter(colOf(key));
    const at = (row: number, key: string) => w.grid()[row - 2][colOf(key) - 1];
    // Rows 100 and 150 were worked on this morning: they carry «Обновлено».
    edit(`${col('lastContact')}100`, '22.11.2026');
    edit(`${col('lastContact')}150`, '22.11.2026');
    w.env.ctx.clock.set(w.env.ctx.clock.now() + 60_000);
    // Both edited while a job holds the lock: left for the tick.
    w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 60_000);
    edit(`${col('stageNegotiation')}100`, 'x');
    edit(`${col('stageNegotiation')}150`, '+');
    expect(peekPendingRows().map((p) => [p[1], p[2]])).toEqual([[100, 1], [150, 1]]);
    // Before the tick, a colleague inserts 3 rows above row 100 and deletes one between 100 and 150: no edit event.
    w.env.ctx.recorder.quiet(() => {
      w.sheet.insertRowsBefore(50, 3);
      w.sheet.deleteRows(120, 1);
    });
    w.env.ctx.recorder.quiet(() => clearFunnelStale());
    w.env.ctx.clock.set(w.env.ctx.clock.now() + 2 * 60_000);
    w.tick();
    // Лид 98 is now on row 103 and Лид 148 on row 152: both got the rules; the rows now at 100 and 150 did not change.
    expect(at(103, 'name')).toBe('Лид 98');
    expect(at(103, 'stageNegotiation')).toBeInstanceOf(Date);
    expect(at(103, 'currentStage')).toBe('Переговоры и отправка планов');
    expect(at(152, 'name')).toBe('Лид 148');
    expect(at(152, 'stageNegotiation')).toBeInstanceOf(Date);
    expect(at(100, 'currentStage')).not.toBe('Переговоры и отправка планов');
    expect(at(150, 'currentStage')).not.toBe('Переговоры и отправка планов');
    expect(peekPendingRows()).toEqual([]);
  });

  it('a new lead typed while the lock was busy gets its rules even when rows were inserted above it before the tick', () => {
    const leads = Array.from({ length: 200 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-10'), name: `Лид ${i}`, username: `@lead_${i}abc`, stageFirstContact: moscow('2026-11-10') }));
    const run = (move: boolean) => {
      const w = world(leads, '2026-11-23 11:00');
      w.click();
      const emu = w.env.world.getActive()!.getSheetByName(A.name) as never;
      const col = (key: string) => columnLetter(colOf(key));
      const at = (row: number, key: string) => w.grid()[row - 2][colOf(key) - 1];
      w.env.ctx.clock.set(w.env.ctx.clock.now() + 60_000);
      // A brand-new lead (no «Обновлено» yet), typed while a job holds the lock: left for the tick.
      w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 60_000);
      const e = w.env.world.userEdit(emu, `${col('name')}202:${col('stageFirstContact')}202`, [[
        ...leadRow({ name: 'Новый лид', stageFirstContact: '+' }).slice(colOf('name') - 1, colOf('stageFirstContact')),
      ]]);
      w.env.beginExecution('simpleTrigger');
      try { main.onEdit(e); } finally { w.env.endExecution(); }
      expect(peekPendingRows().map((p) => [p[1], p[2], typeof p[6]])).toEqual([[202, 1, 'string']]);
      // A colleague inserts 3 rows above it before the tick: no edit event.
      if (move) w.env.ctx.recorder.quiet(() => w.sheet.insertRowsBefore(50, 3));
      w.env.ctx.recorder.quiet(() => clearFunnelStale());
      w.env.ctx.clock.set(w.env.ctx.clock.now() + 2 * 60_000);
      const rec = w.env.ctx.recorder;
      rec.reset();
      w.tick();
      const row = move ? 205 : 202;
      expect(at(row, 'name')).toBe('Новый лид');
      expect(at(row, 'stageFirstContact')).toBeInstanceOf(Date);
      expect(at(row, 'currentStage')).toBe('Первичный контакт');
      expect(String(at(row, 'problems'))).toContain('Не указана дата первого взаимодействия');
      expect(peekPendingRows()).toEqual([]);
      return rec.cellsRead;
    };
    // Not moved: its own row only (plus the key columns). Moved: it cannot be looked up, so the whole sheet.
    const still = run(false);
    const moved = run(true);
    expect(still).toBeLessThan(2 * 200 + 1_000);
    expect(moved).toBeGreaterThan(200 * WIDTH);
  });

  it('recalculates a sort of a sheet larger than a chunk over several ticks, stamping «Обновлено» only where values change', () => {
    recalcLimits.rows = 40;
    const leads = Array.from({ length: 100 }, (_, i) => leadRow({ firstContactDate: moscow('2026-11-10'), name: `Лид ${i}`, username: `@lead_${i}abc`, stageFirstContact: moscow('2026-11-10') }));
    const w = world(leads, '2026-11-20 10:00');
    recalcLimits.rows = Infinity;
    w.click();
    const old = moscow('2026-11-01 09:00');
    w.env.ctx.recorder.quiet(() => w.sheet.getRange(2, colOf('updatedAt'), 100, 1).setValues(Array.from({ length: 100 }, () => [old])));
    recalcLimits.rows = 40;
    w.env.ctx.clock.set(moscow('2026-11-23 11:00').getTime());
    // The whole sheet sorted (reversed), two leads in different chunks worked on in the same operation.
    const sorted = w.grid().reverse();
    for (const i of [5, 90]) sorted[i][colOf('stageNegotiation') - 1] = 'x';
    const emu = w.env.world.getActive()!.getSheetByName(A.name) as never;
    // «Сортировать лист» under the frozen header: every row to the grid's last, the blank ones too.
    const maxRows = w.env.ctx.recorder.quiet(() => w.sheet.getMaxRows());
    const blank = Array.from({ length: maxRows - 101 }, () => new Array(WIDTH).fill(''));
    const e = w.env.world.userEdit(emu, `A2:${columnLetter(WIDTH)}${maxRows}`, [...sorted, ...blank]);
    w.env.beginExecution('simpleTrigger');
    try { main.onEdit(e); } finally { w.env.endExecution(); }
    expect(peekPendingRows().map((p) => [p[1], p[2], p[4]])).toEqual([[2, maxRows - 1, 'bulk']]);
    const first = w.tick();
    expect(first.ran.find((r) => r.job === 'recalc')?.result).toContain('дальше со строки 42');
    // The rows not reached yet still count as deferred (nothing trusts their «Обновлено» meanwhile).
    expect(peekPendingRows().map((p) => [p[1], p[2], p[4]])).toEqual([[42, 60, 'bulk']]);
    for (let i = 0; i < 5 && w.cursor(); i++) w.tick();
    expect(w.cursor()).toBeNull();
    expect(peekPendingRows()).toEqual([]);
    const rows = w.grid();
    const editedAt = moscow('2026-11-23 11:00').getTime();
    rows.forEach((row, i) => {
      const worked = i === 5 || i === 90;
      expect(row[colOf('stageNegotiation') - 1] instanceof Date, `row ${i + 2}`).toBe(worked);
      expect((row[colOf('updatedAt') - 1] as Date).getTime(), `row ${i + 2}`).toBe(worked ? editedAt : old.getTime());
    });
  });

  it('leaves the cursor and the deferred rows for the next tick when the execution has used its wall time', () => {
    recalcLimits.rows = 10;
    const w = world(randomLeads(30, 9));
    w.click();
    const before = w.cursor();
    w.env.beginExecution('installableTrigger');
    const rec = w.env.ctx.recorder;
    rec.reset();
    let step: ReturnType<typeof recalcStep>;
    try { step = recalcStep(w.ss, w.clock(), { menu: false, startedAt: Date.now() - 200_000 }); } finally { w.env.endExecution(); }
    expect(step.late).toBe(true);
    expect(rec.rangeIo()).toBe(0);
    expect(w.cursor()).toEqual(before);
  });
});

describe('the menu\'s answer for a chunked recalculation', () => {
  const step = (rows: number, next: number | null, continued = false) => ({
    continued,
    cursor: next === null ? null : { next, lastRow: 260_001, started: 0, anchor: null },
    report: { rows, firstRow: 2, lastRow: 260_001, done: [[next === null ? 260_002 - rows : next - rows, next === null ? 260_001 : next - 1]] as Array<[number, number]>, next, anchor: null, changedCells: 3, changedRows: rows % 3 === 0 ? 1 : 2, skippedStale: 0, problems: [], sheetProblems: [] },
  });
  const counts = (rows: number) => ({ rows, changedCells: 3, changedRows: rows % 3 === 0 ? 1 : 2, problemRows: 0, skippedStale: 0 });

  it.each([
    [1, '(1 строка)'], [2, '(2 строки)'], [5, '(5 строк)'], [21, '(21 строка)'], [100_000, '(100 000 строк)'], [109_375, '(109 375 строк)'],
  ])('counts %i rows in Russian', (rows, words) => {
    const text = recalcChunkText(step(rows, 2 + rows), counts(rows), true);
    expect(text).toContain(words.replace(/ (?=\d{3})/g, '\u00a0'));
    expect(text).toMatch(rows === 1 ? /^Пересчитаны строки 2 из / : /^Пересчитаны строки 2–/);
    expect(text).toContain(`из 260\u00a0001`);
    expect(text).toMatch(/в (1 строке|2 строках)\./);
  });

  it('reads «Пересчитаны строки 2–100 001 из 260 001» with digit groups, and names the row it goes on from', () => {
    const text = recalcChunkText(step(100_000, 100_002), counts(100_000), true);
    expect(text.replace(/\u00a0/g, ' ')).toContain('Пересчитаны строки 2–100 001 из 260 001 (100 000 строк).');
    expect(text.replace(/\u00a0/g, ' ')).toContain('Остальные строки пересчитает фоновая проверка в ближайшие 5–10 минут. Можно не ждать: нажмите «Пересчитать» ещё раз — пересчёт продолжится со строки 100 002.');
    const last = recalcChunkText(step(60_000, null, true), counts(60_000), true);
    expect(last.replace(/\u00a0/g, ' ')).toContain('Пересчёт завершён: пересчитаны строки 200 002–260 001 из 260 001 (60 000 строк), остальные — раньше.');
  });
});
