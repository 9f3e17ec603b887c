import { describe, expect, it } from 'vitest';
import { computeFunnel, type FunnelResult } from '../../src/core/funnel';
import { blankRow, lead } from './fixtures';

const TZ = 'Europe/Moscow';
const TODAY = '2026-11-21';

const byName = (f: FunnelResult) => Object.fromEntries([...f.main, ...f.side].map((s) => [s.name, s]));

describe('computeFunnel', () => {
  // Seven leads of November, as a manager would have filled them.
  const sheet = [
    // Skipped the middle of the funnel: first contact, then straight to payment.
    lead('2026-11-01', { 'Первичный контакт': '2026-11-01', 'Оплата': '2026-11-05' }, { paidAmount: 490 }),
    // Went idle, then talked again: currently in «Повторные переговоры», «Ожидание» stays as history.
    lead('2026-11-02', { 'Первичный контакт': '2026-11-02', 'Переговоры': '2026-11-03', 'Ожидание': '2026-11-08', 'Повторные переговоры': '2026-11-10' }),
    // Refused while deciding.
    lead('2026-11-03', { 'Первичный контакт': '2026-11-03', 'Переговоры': '2026-11-04', 'Принимают решение': '2026-11-05', 'Отказ': '2026-11-06' }, { refusalReason: 'Дорого' }),
    lead('2026-11-04', { 'Первичный контакт': '2026-11-04' }),
    // Two stages on the same day: the later one in funnel order is current.
    lead('2026-11-05', { 'Первичный контакт': '2026-11-05', 'Переговоры': '2026-11-05' }),
    // Refused with no main stage marked.
    lead('2026-11-06', { 'Отказ': '2026-11-07' }),
    // «Текущий этап» says «Оплата», but the dates say first contact: the dates win.
    lead('2026-11-07', { 'Первичный контакт': '2026-11-07' }, { currentStage: 'Оплата' }),
    blankRow(),
  ];
  const funnel = computeFunnel(sheet, 'Всё время', TODAY, TZ);
  const s = byName(funnel);

  it('counts leads and ignores empty rows', () => {
    expect(funnel.leads).toBe(7);
  });

  it('counts a stage as reached only where its cell is set', () => {
    expect(funnel.main.map((m) => m.reached)).toEqual([6, 3, 1, 0, 1]);
  });

  it('counts a lead that skipped stages at every earlier main stage cumulatively', () => {
    expect(funnel.main.map((m) => [m.name, m.cumulative])).toEqual([
      ['Первичный контакт', 6],
      ['Переговоры и отправка планов', 4],
      ['Принимают решение', 2],
      ['Отправили ссылку и ждём оплату', 1],
      ['Оплата', 1],
    ]);
  });

  it('puts each lead in the stage with its latest date, later stage on a tie', () => {
    expect(funnel.main.map((m) => m.current)).toEqual([2, 1, 0, 0, 1]);
    expect(s['Повторные переговоры']).toMatchObject({ reached: 1, current: 1 });
    expect(s['Ожидание']).toMatchObject({ reached: 1, current: 0 });
    expect(s['Отказ']).toMatchObject({ reached: 2, current: 2 });
    expect(funnel.noStage).toBe(0);
  });

  it('converts from first contact and from the previous stage on cumulative counts', () => {
    expect(funnel.main.map((m) => m.fromFirst)).toEqual([1, 4 / 6, 2 / 6, 1 / 6, 1 / 6]);
    expect(funnel.main.map((m) => m.fromPrevious)).toEqual([null, 4 / 6, 2 / 4, 1 / 2, 1]);
  });

  it('counts a typed mark as reached today and unreadable text as reached without a date', () => {
    const f = computeFunnel([
      lead('2026-11-20', { 'Первичный контакт': '2026-11-20', 'Переговоры': 'x' }),
      lead('2026-11-20', { 'Первичный контакт': '2026-11-20', 'Оплата': 'оплатил' }),
    ], 'Всё время', TODAY, TZ);
    expect(f.main.map((m) => m.reached)).toEqual([2, 1, 0, 0, 1]);
    expect(f.main.map((m) => m.current)).toEqual([1, 1, 0, 0, 0]);
  });

  it('has no conversions, and no division by zero, on an empty sheet', () => {
    const f = computeFunnel([blankRow(), blankRow()], 'Всё время', TODAY, TZ);
    expect(f.leads).toBe(0);
    expect(f.main.every((m) => m.cumulative === 0 && m.fromFirst === null && m.fromPrevious === null)).toBe(true);
    expect(f.total.conversion).toBeNull();
    expect(f.total.averageCheck).toBeNull();
    expect(f.breakdowns.manager).toEqual([]);
    expect(f.refusalReasons).toEqual([]);
  });

  it('counts a lead with no stage dates as having no current stage', () => {
    const f = computeFunnel([lead('2026-11-20', {}, { plan: 'Lite' })], 'Всё время', TODAY, TZ);
    expect(f.noStage).toBe(1);
    expect(f.main.every((m) => m.cumulative === 0)).toBe(true);
  });
});

describe('which rows are leads', () => {
  it('counts a row with a name or nick (undated, under «Всё время»), not one holding only a note', () => {
    const sheet = [
      lead('2026-11-01', { 'Первичный контакт': '2026-11-01' }),
      Object.assign(blankRow(), { name: 'Только имя' }),
      Object.assign(blankRow(), { username: '@only_nick' }),
      Object.assign(blankRow(), { projectInfo: 'https://shop.example.com', unusualProject: true }),
      Object.assign(blankRow(), { questionnaireFilled: 'Да', lastContact: '2026-11-02' }),
    ];
    const f = computeFunnel(sheet, 'Всё время', TODAY, TZ);
    expect(f.leads).toBe(3);
    expect(f.undatedLeads).toBe(2);
  });
});
