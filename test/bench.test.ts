// What `npm run bench` measures at 100,000 leads, asserted at sizes a test can afford: the service calls of
// every job are the same whatever the number of rows (only the cells moved grow), one cell edited costs
// at most 4 Range reads/writes, and the morning tick reads «Аналитика» once for all its jobs.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { templateByKey } from '../sheets-templates';
import { EmuRange } from '../emulator/spreadsheet/range';
import { onEdit } from '../src/main';
import { readTable, writeChanges } from '../src/gas/table';
import { runTick } from '../src/jobs/scheduler';
import { EXTRA_WORK, RUNNERS } from '../src/jobs/tick-entry';
import { loadReference } from '../src/gas/reference';
import { columnLetter } from '../src/core/header-map';
import { buildBenchWorld, type BenchWorld } from '../scripts/bench-data';
import { measureJobs } from '../scripts/bench';

const A = templateByKey('analytics');
const col = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;

let world: BenchWorld | null = null;
afterEach(() => {
  world?.uninstall();
  world = null;
});

describe('service calls of every job', () => {
  let small: ReturnType<typeof measureJobs>;
  let large: ReturnType<typeof measureJobs>;
  beforeAll(() => {
    small = measureJobs(200, 1);
    large = measureJobs(2_000, 1);
  });
  const job = (r: typeof small, id: string) => r.jobs.find((j) => j.id === id)!;

  it.each([
    'editCell', 'editPaste', 'recalc', 'tick0600', 'tick1100', 'tick1945', 'tickIdle', 'sweepMenu', 'funnelMenu', 'partnersMenu',
  ])('%s makes the same calls, method by method, at 200 and 2,000 leads', (id) => {
    expect(job(large, id).byMethod).toEqual(job(small, id).byMethod);
  });

  it('moves more cells, not more calls, on the larger sheet', () => {
    // 700 rows (200 leads + the 500-row paste) against 2,500.
    expect(job(large, 'recalc').cellsRead).toBeGreaterThan(3 * job(small, 'recalc').cellsRead);
  });

  it('reads «Аналитика» in a fixed number of Range calls: recalc whole, sweep and funnel only their columns', () => {
    for (const r of [small, large]) {
      // recalc: «Аналитика» in full, then Промокоды, Тарифы, Партнёры.
      expect(job(r, 'recalc').calls.rangeIo).toBe(4);
      // sweep: «Настройки», the header, one run of stage columns through «Последний контакт».
      expect(job(r, 'sweepMenu').calls.rangeIo).toBe(3);
      // funnel: «Настройки», the header, four runs of the columns managers type, the period cell, the
      // block's values and number formats.
      expect(job(r, 'funnelMenu').calls.rangeIo).toBe(9);
    }
  });

  it('never reads a sheet on a tick with nothing due, and sends each email with a fixed number of calls', () => {
    expect(job(large, 'tickIdle').calls.rangeIo).toBe(0);
    expect(job(large, 'tickIdle').calls.total).toBe(4);
    expect(job(large, 'tick1100').byMethod['MailApp.sendEmail']).toBe(1);
    expect(job(large, 'tick1945').byMethod['MailApp.sendEmail']).toBe(1);
  });
});

describe('onEdit of one cell', () => {
  it('makes at most 4 Range reads/writes and reads only its row at 5,000 leads', () => {
    world = buildBenchWorld(5_000);
    const w = world;
    const rec = w.env.ctx.recorder;
    rec.quiet(() => loadReference(w.ss, true)); // the reference lists are cached after any earlier edit
    const sheet = w.env.world.getActive()!.getSheetByName(A.name)!;
    const e = w.env.world.userEdit(sheet as never, `${columnLetter(col('stageDeciding'))}2600`, [['+']]);
    rec.reset();
    w.env.beginExecution('simpleTrigger');
    try { onEdit(e); } finally { w.env.endExecution(); }
    expect(rec.rangeIo()).toBeLessThanOrEqual(4);
    expect(rec.cellsRead).toBeLessThan(200);
  });
});

describe('the 06:00 tick', () => {
  it('reads each «Аналитика» column it needs once, shared by the sweep, the partner sync and the funnel', () => {
    world = buildBenchWorld(1_000);
    const w = world;
    const rows = w.env.ctx.recorder.quiet(() => w.ss.getSheetByName(A.name)!.getLastRow() - 1);
    const fullHeightReads: number[] = [];
    const original = EmuRange.prototype.getValues;
    EmuRange.prototype.getValues = function getValues(this: EmuRange) {
      if (w.env.ctx.recorder.quiet(() => this.sheet.getName()) === A.name && this.numRows >= rows) {
        for (let c = this.col; c < this.col + this.numCols; c++) fullHeightReads.push(c);
      }
      return original.call(this);
    };
    try {
      w.setTime('06:00');
      w.env.beginExecution('installableTrigger');
      const clock = w.clock();
      const report = runTick(() => w.ss, RUNNERS, clock, EXTRA_WORK);
      w.env.endExecution();
      expect(report.ran.map((r) => r.job).sort()).toEqual(['funnel', 'invoices', 'partners', 'sweep']);
      expect(report.ran.every((r) => r.ok)).toBe(true);
    } finally {
      EmuRange.prototype.getValues = original;
    }
    expect(fullHeightReads.length).toBeGreaterThan(0);
    expect(new Set(fullHeightReads).size).toBe(fullHeightReads.length);
    // The script's own columns that no morning job needs are not read at all.
    for (const key of ['discountPercent', 'planPrice', 'discountedPrice', 'problems', 'updatedAt']) {
      expect(fullHeightReads).not.toContain(col(key));
    }
  });
});

describe('reading only some columns', () => {
  it('reads the asked columns in runs of adjacent columns and refuses to write a column it did not read', () => {
    world = buildBenchWorld(200);
    const w = world;
    const rec = w.env.ctx.recorder;
    const sheet = w.ss.getSheetByName(A.name)!;
    rec.reset();
    const table = readTable(sheet, A, ['name', 'username', 'stagePaid', 'individualNumber', 'paidAmount']);
    // The header, then «Имя»–«Телеграм username», «Оплата», «Оплаченная сумма»–«Индивидуальный номер».
    expect(rec.counts.get('Range.getValues')).toBe(4);
    expect(rec.cellsRead).toBe(table.headers.width + table.rows.length * 5);
    const full = rec.quiet(() => readTable(sheet, A));
    const i = (key: string) => col(key) - 1;
    table.rows.forEach((row, r) => {
      expect(row[i('username')]).toEqual(full.rows[r][i('username')]);
      expect(row[i('stagePaid')]).toEqual(full.rows[r][i('stagePaid')]);
      expect(row[i('problems')]).toBe('');
    });
    expect(() => writeChanges(table, new Map([[0, { problems: 'x' }]]))).toThrow(/не была прочитана/);
  });
});
