// What `npm run bench` measures at 100,000 leads and more, asserted at sizes a test can afford: the service
// calls of every job are the same whatever the number of rows (only the cells moved grow), the working day
// charges only the ticks to the trigger quota and redraws «Воронка» at most hourly, one cell edited reads
// only its row, and the morning tick reads «Аналитика» once for all its jobs.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { templateByKey } from '../sheets-templates';
import { EmuRange } from '../emulator/spreadsheet/range';
import { isRangeIo } from '../emulator/recorder';
import { onEdit } from '../src/main';
import { readTable, writeChanges } from '../src/gas/table';
import { runTick } from '../src/jobs/scheduler';
import { EXTRA_WORK, RUNNERS } from '../src/jobs/tick-entry';
import { loadReference } from '../src/gas/reference';
import { columnLetter } from '../src/core/header-map';
import { FUNNEL_KEYS } from '../src/core/funnel';
import { buildBenchWorld, type BenchWorld } from '../scripts/bench-data';
import { measureJobs } from '../scripts/bench';
import { callLatencyMs, modelledMs, MS_PER_CELL } from '../scripts/bench-model';

const A = templateByKey('analytics');
const col = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;

let world: BenchWorld | null = null;
afterEach(() => {
  world?.uninstall();
  world = null;
});

// Two whole working days, shared by the tests below.
let small: ReturnType<typeof measureJobs>;
let large: ReturnType<typeof measureJobs>;
beforeAll(() => {
  small = measureJobs(200, 1);
  large = measureJobs(2_000, 1);
});

describe('service calls of every job', () => {
  const job = (r: typeof small, id: string) => r.jobs.find((j) => j.id === id)!;

  it.each([
    'editCell', 'editPaste', 'recalc', 'tick0600', 'tick0605', 'tick1100', 'tick1945', 'tickIdle', 'sweepMenu', 'funnelMenu', 'partnersMenu',
  ])('%s makes the same calls, method by method, at 200 and 2,000 leads', (id) => {
    expect(job(large, id).byMethod).toEqual(job(small, id).byMethod);
  });

  it('moves more cells, not more calls, on the larger sheet', () => {
    // 700 rows (200 leads + the 500-row paste) against 2,500.
    expect(job(large, 'recalc').cellsRead).toBeGreaterThan(3 * job(small, 'recalc').cellsRead);
  });

  it('recalculates a deferred edit in the next tick over its row and two key columns, not the whole sheet', () => {
    for (const r of [small, large]) {
      const rows = r.jobs.find((j) => j.id === 'recalc')!.cellsRead / A.columns.length;
      // The number and nick columns of every row, the header rows, the row itself, «Настройки», the reference sheets.
      expect(job(r, 'tickPending').cellsRead).toBeLessThan(2 * rows + 3_000);
      expect(job(r, 'tickPending').cellsRead).toBeLessThan(job(r, 'recalc').cellsRead / 4);
    }
  });

  it('reads «Аналитика» for «Воронка» in a fixed number of Range calls, only the columns that make a lead', () => {
    for (const r of [small, large]) {
      // «Настройки», the header, five runs of FUNNEL_KEYS, the period cell, the block's values and number
      // formats. (Recalc and sweep: the same calls at both sizes, above.)
      expect(job(r, 'funnelMenu').calls.rangeIo).toBe(10);
      // 06:05: the invoice statuses run in the same tick.
      expect(job(r, 'tick:funnel').calls.rangeIo).toBe(job(r, 'funnelMenu').calls.rangeIo - 1);
    }
  });

  it('never reads a sheet on a tick with nothing due, and sends each email with a fixed number of calls', () => {
    expect(job(large, 'tickIdle').calls.rangeIo).toBe(0);
    expect(job(large, 'tickIdle').calls.total).toBe(4);
    expect(job(large, 'tick1100').byMethod['MailApp.sendEmail']).toBe(1);
    expect(job(large, 'tick1945').byMethod['MailApp.sendEmail']).toBe(1);
  });

  it('prices every call with the emulator\'s own latency model (one source of truth)', () => {
    for (const r of [small, large]) {
      for (const j of r.jobs) {
        expect(j.modelledMs).toBeCloseTo(modelledMs(j.byMethod, j.cellsRead + j.cellsWritten), 0);
      }
    }
    expect(modelledMs({ 'MailApp.sendEmail': 1, 'Range.getValues': 2 }, 100)).toBeCloseTo(callLatencyMs('MailApp.sendEmail') + 2 * callLatencyMs('Range.getValues') + 100 * MS_PER_CELL);
  });
});

describe('the working day', () => {
  let day: ReturnType<typeof measureJobs>;
  beforeAll(() => {
    day = large;
  });

  it('runs all 288 ticks with the team\'s edits, and charges only the ticks to the daily trigger runtime', () => {
    const d = day.workingDay;
    expect(d.ticks).toBe(288);
    expect(d.stoppedAt).toBeNull();
    expect(d.edits.leadCell.count).toBeGreaterThanOrEqual(5 * 40);
    expect(d.edits.leadPaste.count).toBe(5);
    expect(d.edits.logEntry.count).toBeGreaterThan(40);
    // The email ticks and the maintenance are in the day; the sum is what the emulator charged the owner.
    // 06:00 the sweep and the partner files; 06:05 the invoice statuses and «Воронка», each tick reading
    // «Аналитика» once.
    expect(d.ticksByWork.maintenance.count).toBe(2);
    // 11:00 and 19:45, and the managers' morning email where the schedule has it.
    expect(d.ticksByWork.email.count).toBeGreaterThanOrEqual(2);
    expect(day.jobs.map((j) => j.id)).toEqual(expect.arrayContaining(['tick1100', 'tick1945']));
    expect(d.triggerMs).toBeCloseTo(Object.values(d.ticksByWork).reduce((a, g) => a + g.ms, 0), 0);
    expect(d.consumer.quotaMs).toBe(90 * 60_000);
    expect(d.workspace.quotaMs).toBe(6 * 3_600_000);
  });

  it('redraws «Воронка» after edits at most once an hour, though many ticks find it stale', () => {
    const { funnel } = day.workingDay;
    const hours = funnel.at.map((t) => t.slice(0, 2));
    expect(new Set(hours).size).toBe(hours.length);
    expect(funnel.redraws).toBeGreaterThan(0);
    expect(funnel.staleTicks).toBeGreaterThan(3 * funnel.redraws);
  });

  it('counts the spreadsheet\'s cells as Google caps them', () => {
    expect(day.cells).toBeGreaterThan(day.cellsAtStart);
    expect(day.cells).toBeLessThan(10_000_000);
  });
});

describe('onEdit of one cell', () => {
  it('makes 3 Range reads, one write per run of changed cells, and reads only its row at 5,000 leads', () => {
    world = buildBenchWorld(5_000);
    const w = world;
    const rec = w.env.ctx.recorder;
    rec.quiet(() => loadReference(w.ss, true)); // the reference lists are cached after any earlier edit
    const sheet = w.env.world.getActive()!.getSheetByName(A.name)!;
    const e = w.env.world.userEdit(sheet as never, `${columnLetter(col('stageDeciding'))}2600`, [['+']]);
    rec.reset();
    w.env.beginExecution('simpleTrigger');
    try { onEdit(e); } finally { w.env.endExecution(); }
    // Header, row, formulas; writes: the stage, «Текущий этап» + «Последний контакт», «Обновлено» — never
    // the cells between, which a colleague may be typing into (test/jobs/edit-concurrency.test.ts).
    expect(rec.total((m) => isRangeIo(m) && /^Range\.get/.test(m))).toBe(3);
    expect(rec.rangeIo()).toBeLessThanOrEqual(6);
    // The first 10 rows (where the header row is looked for, under any title) and the edited row.
    expect(rec.cellsRead).toBeLessThan(400);
  });
});

describe('the morning ticks', () => {
  it('read each «Аналитика» column they need once: 06:00 shared by the sweep and the partner sync, 06:05 «Воронка» (with «Счета»)', () => {
    world = buildBenchWorld(1_000);
    const w = world;
    const rows = w.env.ctx.recorder.quiet(() => w.ss.getSheetByName(A.name)!.getLastRow() - 1);
    let fullHeightReads: number[] = [];
    const original = EmuRange.prototype.getValues;
    EmuRange.prototype.getValues = function getValues(this: EmuRange) {
      if (w.env.ctx.recorder.quiet(() => this.sheet.getName()) === A.name && this.numRows >= rows) {
        for (let c = this.col; c < this.col + this.numCols; c++) fullHeightReads.push(c);
      }
      return original.call(this);
    };
    const tickAt = (time: string) => {
      fullHeightReads = [];
      w.setTime(time);
      w.env.beginExecution('installableTrigger');
      try {
        const report = runTick(() => w.ss, RUNNERS, w.clock(), EXTRA_WORK);
        expect(report.ran.every((r) => r.ok)).toBe(true);
        return { jobs: report.ran.map((r) => r.job).sort(), reads: fullHeightReads };
      } finally {
        w.env.endExecution();
      }
    };
    let morning: ReturnType<typeof tickAt>;
    let funnel: ReturnType<typeof tickAt>;
    try {
      morning = tickAt('06:00');
      funnel = tickAt('06:05');
    } finally {
      EmuRange.prototype.getValues = original;
    }
    expect(morning.jobs).toEqual(['partners', 'sweep']);
    expect(funnel.jobs).toEqual(['funnel', 'invoices']);
    for (const { reads } of [morning, funnel]) {
      expect(reads.length).toBeGreaterThan(0);
      expect(new Set(reads).size).toBe(reads.length);
    }
    // The script's own columns that no morning job needs are not read at all; «Воронка» only its own.
    for (const key of ['discountPercent', 'planPrice', 'discountedPrice', 'problems', 'updatedAt']) {
      expect([...morning.reads, ...funnel.reads]).not.toContain(col(key));
    }
    expect(funnel.reads.sort((x, y) => x - y)).toEqual(FUNNEL_KEYS.map(col).sort((x, y) => x - y));
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
    // The first 10 rows (where the header row is looked for), then «Имя»–«Телеграм username», «Оплата»,
    // «Оплаченная сумма»–«Индивидуальный номер».
    expect(rec.counts.get('Range.getValues')).toBe(4);
    expect(rec.cellsRead).toBe(table.headers.width * 10 + table.rows.length * 5);
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
