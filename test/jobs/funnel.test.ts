import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import { onEdit } from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { clearFunnelStale, FUNNEL_REDRAW_INTERVAL_MS, isFunnelStale, markFunnelStale, runFunnelRefresh } from '../../src/jobs/funnel';
import { runTick } from '../../src/jobs/scheduler';
import { EXTRA_WORK } from '../../src/jobs/tick-entry';
import { loadSettings, saveSettingsSnapshot } from '../../src/gas/settings';
import { funnelChartA1 } from '../../src/jobs/setup-funnel';
import { columnLetter } from '../../src/core/header-map';
import { FUNNEL_KEYS } from '../../src/core/funnel';
import { readTable } from '../../src/gas/table';
import { makeWorld, moscow } from '../support/env';

const A = templateByKey('analytics');
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;
const cellOf = (key: string, row: number) => `${columnLetter(colOf(key))}${row}`;

function leadRow(values: Record<string, unknown>): unknown[] {
  const row: unknown[] = new Array(A.columns.length).fill('');
  for (const [k, v] of Object.entries(values)) row[colOf(k) - 1] = typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v) ? moscow(v) : v;
  return row;
}

/** Four leads, numbers checked by hand below (today is 23.11.2026 in Moscow). */
const FIXTURE = [
  // November: paid, via Negotiation.
  leadRow({ firstContactDate: '2026-11-20', manager: 'Иван', name: 'Анна', trafficSource: 'Гугл', plan: 'Pro', stageFirstContact: '2026-11-20', stageNegotiation: '2026-11-21', stagePaid: '2026-11-22', paidAmount: 100, questionnaireFilled: 'Да' }),
  // November: refused at Negotiation the same day (current stage: Отказ, the later one).
  leadRow({ firstContactDate: '2026-11-21', manager: 'Иван', name: 'Борис', trafficSource: 'Яндекс', stageFirstContact: '2026-11-21', stageNegotiation: '2026-11-22', stageRefused: '2026-11-22', refusalReason: 'Дорого' }),
  // October: paid, skipping Negotiation.
  leadRow({ firstContactDate: '2026-10-15', manager: 'Пётр', name: 'Вера', trafficSource: 'Гугл', plan: 'Lite', stageFirstContact: '2026-10-15', stageDeciding: '2026-10-16', stageLinkSent: '2026-10-17', stagePaid: '2026-10-18', paidAmount: 300, questionnaireFilled: 'Да' }),
  // November: first contact only.
  leadRow({ firstContactDate: '2026-11-22', manager: 'Пётр', name: 'Глеб', trafficSource: 'Сарафан', stageFirstContact: '2026-11-22' }),
];

function funnelWorld(rows: unknown[][] = FIXTURE, at = '2026-11-23 10:00') {
  const w = makeWorld({ at });
  runSetup(w.ss);
  const analytics = w.ss.getSheetByName('Аналитика')!;
  const funnel = w.ss.getSheetByName('Воронка')!;
  w.env.ctx.recorder.quiet(() => {
    if (rows.length + 1 > analytics.getMaxRows()) analytics.insertRowsAfter(analytics.getMaxRows(), rows.length + 1 - analytics.getMaxRows());
    if (rows.length) analytics.getRange(2, 1, rows.length, A.columns.length).setValues(rows);
  });
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'lead@example.com' });
  const emu = (name: string) => w.env.world.getActive()!.getSheetByName(name) as never;
  /** A person edits cells; the simple trigger runs as Apps Script would run it. */
  const type = (sheet: string, a1: string, values: unknown[][]) => {
    const e = w.env.world.userEdit(emu(sheet), a1, values);
    w.env.beginExecution('simpleTrigger');
    try { onEdit(e); } finally { w.env.endExecution(); }
  };
  /** The dashboard as shown: every row from the block anchor (row 3) to the last row. */
  const shown = () => w.env.ctx.recorder.quiet(() => {
    const last = funnel.getLastRow();
    return last < 3 ? [] : funnel.getRange(3, 1, last - 2, 7).getValues();
  });
  const rowOf = (label: string) => shown().find((r) => r[0] === label);
  return { ...w, analytics, funnel, clock, type, shown, rowOf };
}

describe('«Воронка» refresh', () => {
  it('shows stage counts, conversions and breakdowns a person can check by hand', () => {
    const { ss, clock, shown, rowOf, funnel } = funnelWorld();
    const report = runFunnelRefresh(ss, clock());
    expect(report).toMatchObject({ period: 'Всё время', rows: 4, leads: 4 });
    expect(shown()[0][0]).toBe('Воронка за период: Всё время');
    // Leads 4, paid 2 (Анна 100, Вера 300), conversion 50 %, average check 200, 1 refusal.
    expect(rowOf('Лидов')).toEqual(['Лидов', 4, 'Оплачено', 2, 'Конверсия', 0.5, '']);
    expect(rowOf('Выручка, EUR')).toEqual(['Выручка, EUR', 400, 'Средний чек, EUR', 200, 'Отказов', 1, '']);
    // [stage, cumulative, reached, currently in, from first contact, from previous]
    expect(rowOf('Первичный контакт')).toEqual(['Первичный контакт', 4, 4, 1, 1, '', '']);
    expect(rowOf('Переговоры и отправка планов')).toEqual(['Переговоры и отправка планов', 3, 2, 0, 0.75, 0.75, '']);
    expect(rowOf('Принимают решение')).toEqual(['Принимают решение', 2, 1, 0, 0.5, 2 / 3, '']);
    expect(rowOf('Отправили ссылку и ждём оплату')).toEqual(['Отправили ссылку и ждём оплату', 2, 1, 0, 0.5, 1, '']);
    expect(rowOf('Оплата')).toEqual(['Оплата', 2, 2, 2, 0.5, 1, '']);
    expect(rowOf('Отказ')?.slice(0, 3)).toEqual(['Отказ', 1, 1]);
    // Per manager: Иван 1 of 2, Пётр 1 of 2; by source: Гугл 2 leads, both paid.
    expect(rowOf('Иван')?.slice(0, 5)).toEqual(['Иван', 2, 1, 1, 0.5]);
    expect(rowOf('Пётр')?.slice(0, 7)).toEqual(['Пётр', 2, 1, 0, 0.5, 300, 300]);
    expect(rowOf('Гугл')?.slice(0, 7)).toEqual(['Гугл', 2, 2, 0, 1, 400, 200]);
    expect(rowOf('Дорого')?.slice(0, 3)).toEqual(['Дорого', 1, 1]);
    // Number formats travel with the values.
    const leadsRow = shown().findIndex((r) => r[0] === 'Лидов') + 3;
    expect(funnel.getRange(leadsRow, 6).getNumberFormat()).toBe('0.0%');
  });

  it('refreshes when a user picks another period, and keeps the chosen period', () => {
    const { funnel, type, shown, rowOf } = funnelWorld();
    expect(funnel.getRange('A1').getValue()).toBe('Период');
    type('Воронка', 'B1', [['Этот месяц']]);
    expect(shown()[0][0]).toBe('Воронка за период: Этот месяц (01.11.2026 – 23.11.2026)');
    // Анна, Борис, Глеб: 3 leads, 1 paid; Вера (October) is out.
    expect(rowOf('Лидов')?.slice(0, 4)).toEqual(['Лидов', 3, 'Оплачено', 1]);
    expect(rowOf('Первичный контакт')?.slice(0, 3)).toEqual(['Первичный контакт', 3, 3]);
    expect(rowOf('Оплата')?.slice(0, 3)).toEqual(['Оплата', 1, 1]);
    expect(rowOf('Пётр')?.slice(0, 3)).toEqual(['Пётр', 1, 0]);
    type('Воронка', 'B1', [['Прошлый месяц']]);
    expect(rowOf('Лидов')?.slice(0, 4)).toEqual(['Лидов', 1, 'Оплачено', 1]);
    expect(funnel.getRange('B1').getValue()).toBe('Прошлый месяц');
  });

  it('offers the periods as a dropdown that rejects other text', () => {
    const { type, funnel } = funnelWorld();
    expect(() => type('Воронка', 'B1', [['Вчера']])).toThrow();
    expect(funnel.getRange('B1').getValue()).toBe('Всё время');
  });

  it('clears what a longer previous result left below the block', () => {
    // 12 October leads with their own managers make «Всё время» longer than «Этот месяц».
    const october = Array.from({ length: 12 }, (_, i) => leadRow({ firstContactDate: '2026-10-10', manager: `Менеджер ${i}`, name: `Лид ${i}`, stageFirstContact: '2026-10-10' }));
    const { ss, clock, funnel, type, shown } = funnelWorld([...FIXTURE, ...october]);
    runFunnelRefresh(ss, clock());
    const longBottom = funnel.getLastRow();
    expect(shown().some((r) => r[0] === 'Менеджер 11')).toBe(true);
    type('Воронка', 'B1', [['Этот месяц']]);
    const bottom = funnel.getLastRow();
    expect(bottom).toBeLessThan(longBottom);
    expect(shown().some((r) => String(r[0]).startsWith('Менеджер '))).toBe(false);
    expect(funnel.getRange(bottom + 1, 1, longBottom - bottom, 7).getValues().flat().every((v) => v === '')).toBe(true);
  });

  it('clears the «needs refresh» mark', () => {
    const { ss, clock } = funnelWorld();
    markFunnelStale();
    expect(isFunnelStale()).toBe(true);
    runFunnelRefresh(ss, clock());
    expect(isFunnelStale()).toBe(false);
  });

  it('stays marked for refresh when an edit came after the «Аналитика» read it was drawn from', () => {
    const { env, ss, clock } = funnelWorld();
    markFunnelStale(); // an edit before the tick
    env.ctx.clock.advance(60_000);
    const shared = readTable(ss.getSheetByName('Аналитика')!, A, FUNNEL_KEYS); // the tick's shared read
    runFunnelRefresh(ss, clock(), { analytics: shared });
    expect(isFunnelStale()).toBe(false);
    env.ctx.clock.advance(60_000);
    const later = readTable(ss.getSheetByName('Аналитика')!, A, FUNNEL_KEYS);
    env.ctx.clock.advance(60_000);
    markFunnelStale(); // a manager's edit between that read and the refresh: not in the read
    runFunnelRefresh(ss, clock(), { analytics: later });
    expect(isFunnelStale()).toBe(true);
  });

  it('makes the same service calls for 1,000 and 20,000 leads', () => {
    const lead = (i: number) => leadRow({
      firstContactDate: '2026-11-' + String(1 + (i % 20)).padStart(2, '0'), manager: ['Иван', 'Пётр', 'Олег'][i % 3], name: `Лид ${i}`,
      trafficSource: ['Гугл', 'Яндекс'][i % 2], stageFirstContact: '2026-11-21', stagePaid: i % 4 === 0 ? '2026-11-22' : '', paidAmount: i % 4 === 0 ? 150 : '',
    });
    const measure = (n: number) => {
      const { env, ss, clock } = funnelWorld(Array.from({ length: n }, (_, i) => lead(i)));
      env.ctx.recorder.reset();
      const report = runFunnelRefresh(ss, clock());
      expect(report.leads).toBe(n);
      return { calls: env.ctx.recorder.snapshot().calls, rangeIo: env.ctx.recorder.rangeIo() };
    };
    const small = measure(1_000);
    const large = measure(20_000);
    expect(large.calls).toEqual(small.calls);
    // «Аналитика»: its header, then only the columns that make a lead (FUNNEL_KEYS: five runs of adjacent
    // columns; the script's own columns and the notes are never read); one read of the selector, one
    // setValues and one setNumberFormats of the block.
    expect(small.rangeIo).toBe(9);
    expect(small.calls['Range.getValues']).toBe(6);
    expect(small.calls['Range.getValue']).toBe(1);
    expect(small.calls['Range.setValues']).toBe(1);
    expect(small.calls['Range.setNumberFormats']).toBe(1);
    expect(small.calls['Range.setValue']).toBeUndefined();
  });
});

describe('«Воронка» chart', () => {
  it('exists once after two setups and shows the stage table', () => {
    const { ss, funnel, clock } = funnelWorld();
    runSetup(ss);
    const charts = funnel.getCharts();
    expect(charts).toHaveLength(1);
    expect(charts[0].getRanges().map((r) => r.getA1Notation())).toEqual([funnelChartA1()]);
    runFunnelRefresh(ss, clock());
    const table = funnel.getRange(funnelChartA1()).getValues();
    expect(table[0]).toEqual(['Этап', 'Дошли (накопительно)']);
    expect(table.slice(1)).toEqual([
      ['Первичный контакт', 4], ['Переговоры и отправка планов', 3], ['Принимают решение', 2], ['Отправили ссылку и ждём оплату', 2], ['Оплата', 2],
    ]);
    // Right of the block, not over it.
    expect(charts[0].getContainerInfo().getAnchorColumn()).toBeGreaterThan(7);
  });

  it('is pointed back at the stage table when its range was lost', () => {
    const { ss, funnel } = funnelWorld();
    const [chart] = funnel.getCharts();
    funnel.updateChart(chart.modify().clearRanges().build());
    expect(funnel.getCharts()[0].getRanges()).toHaveLength(0);
    runSetup(ss);
    expect(funnel.getCharts()).toHaveLength(1);
    expect(funnel.getCharts()[0].getRanges().map((r) => r.getA1Notation())).toEqual([funnelChartA1()]);
  });
});

describe('«Воронка» after edits of «Аналитика»', () => {
  it('is marked for refresh by a stage edit, without extra range reads or writes', () => {
    const { env, type } = funnelWorld();
    type('Аналитика', cellOf('stageFirstContact', 10), [['+']]); // warms the reference cache
    clearFunnelStale();
    env.ctx.recorder.reset();
    type('Аналитика', cellOf('stageDeciding', 3), [['+']]);
    // The edit's own: header, row, formulas, one write per run of changed cells (edit-concurrency.test.ts).
    expect(env.ctx.recorder.rangeIo()).toBeLessThanOrEqual(6);
    expect(isFunnelStale()).toBe(true);
  });

  it('is not marked by an edit the dashboard does not show', () => {
    const { type } = funnelWorld();
    type('Аналитика', cellOf('stageFirstContact', 10), [['+']]);
    clearFunnelStale();
    type('Аналитика', cellOf('projectInfo', 2), [['Магазин одежды']]);
    expect(isFunnelStale()).toBe(false);
  });

  it('is marked by a paste that covers a stage column', () => {
    const { type } = funnelWorld();
    clearFunnelStale();
    type('Аналитика', `A6:${columnLetter(A.columns.length)}6`, [leadRow({ firstContactDate: '21.11.2026', name: 'Дина', stageFirstContact: 'x' }).map((v) => (v instanceof Date ? '21.11.2026' : v))]);
    expect(isFunnelStale()).toBe(true);
  });
});

describe('«Воронка» redrawn by the tick after edits (issue 13 item 12)', () => {
  /** Ticks every 5 minutes from `from` to `to` with a new lead pasted before each one; the ticks that redrew. */
  function busyHour(w: ReturnType<typeof funnelWorld>, from: number, to: number, firstRow: number) {
    const redrawn: string[] = [];
    let row = firstRow;
    for (let m = from; m <= to; m += 5) {
      const at = (minute: number) => `2026-11-23 ${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
      w.env.ctx.clock.set(moscow(at(m - 2)).getTime());
      w.type('Аналитика', `A${row}:${columnLetter(A.columns.length)}${row}`, [leadRow({ firstContactDate: '21.11.2026', manager: 'Иван', name: `Лид ${row}`, stageFirstContact: 'x' }).map((v) => (v instanceof Date ? '21.11.2026' : v))]);
      row++;
      w.env.ctx.clock.set(moscow(at(m)).getTime());
      w.env.beginExecution('installableTrigger');
      try {
        // No daily slot here: only the work between slots (a stale «Воронка»).
        const report = runTick(() => w.ss, {}, w.clock(), EXTRA_WORK);
        if (report.ran.some((r) => r.job === 'funnel')) redrawn.push(at(m).slice(11));
      } finally {
        w.env.endExecution();
      }
    }
    return { redrawn, nextRow: row };
  }

  it('redraws at most once an hour however many edits come, and shows them all within the hour', () => {
    const w = funnelWorld(FIXTURE, '2026-11-23 07:00');
    w.env.ctx.recorder.quiet(() => saveSettingsSnapshot(loadSettings(w.ss).settings));
    runFunnelRefresh(w.ss, w.clock()); // the morning drawing, hours before the edits
    // 12 edits between 10:03 and 10:58: the first tick after the quiet morning redraws, the others wait.
    const hour = busyHour(w, 10 * 60 + 5, 11 * 60, 6);
    expect(hour.redrawn).toEqual(['10:05']);
    expect(isFunnelStale()).toBe(true);
    // An hour after that redraw, the next tick shows every edit since.
    const next = busyHour(w, 11 * 60 + 5, 11 * 60 + 5, hour.nextRow);
    expect(next.redrawn).toEqual(['11:05']);
    expect(w.rowOf('Лидов')?.[1]).toBe(4 + 13);
    expect(FUNNEL_REDRAW_INTERVAL_MS).toBe(60 * 60_000);
  });

  it('redraws at the next tick, within the hour, a dashboard a failed refresh left half-written', () => {
    const w = funnelWorld(FIXTURE, '2026-11-23 10:00');
    w.env.ctx.recorder.quiet(() => saveSettingsSnapshot(loadSettings(w.ss).settings));
    runFunnelRefresh(w.ss, w.clock()); // drawn at 10:00
    w.env.ctx.clock.set(moscow('2026-11-23 10:10').getTime());
    w.env.ctx.recorder.injectFault({ method: 'Range.setNumberFormats', error: 'Service Spreadsheets timed out while accessing document with id x' });
    expect(() => runFunnelRefresh(w.ss, w.clock())).toThrow(/timed out/);
    w.env.ctx.recorder.clearFaults();
    w.env.ctx.clock.set(moscow('2026-11-23 10:15').getTime());
    w.env.beginExecution('installableTrigger');
    let report: ReturnType<typeof runTick>;
    try { report = runTick(() => w.ss, {}, w.clock(), EXTRA_WORK); } finally { w.env.endExecution(); }
    expect(report.ran.map((r) => r.job)).toContain('funnel');
    expect(isFunnelStale()).toBe(false);
  });

  it('keeps ticks cheap while a stale «Воронка» waits: no sheet is read', () => {
    const w = funnelWorld(FIXTURE, '2026-11-23 10:00');
    w.env.ctx.recorder.quiet(() => saveSettingsSnapshot(loadSettings(w.ss).settings));
    runFunnelRefresh(w.ss, w.clock());
    markFunnelStale();
    w.env.ctx.clock.set(moscow('2026-11-23 10:30').getTime());
    w.env.ctx.recorder.reset();
    w.env.beginExecution('installableTrigger');
    let report: ReturnType<typeof runTick>;
    try { report = runTick(() => w.ss, {}, w.clock(), EXTRA_WORK); } finally { w.env.endExecution(); }
    expect(report.readSheets).toBe(false);
    expect(w.env.ctx.recorder.rangeIo()).toBe(0);
  });
});
