import { describe, expect, it } from 'vitest';
import { computeFunnel, FUNNEL_PERIODS, parseFunnelPeriod, periodRange, resolveToday } from '../../src/core/funnel';
import { lead } from './fixtures';

const TZ = 'Europe/Moscow';
/** A Moscow wall-clock time given as the UTC instant a trigger would see (Moscow is UTC+3). */
const moscow = (y: number, m: number, day: number, hh: number, mm: number) => new Date(Date.UTC(y, m - 1, day, hh - 3, mm));

describe('periodRange', () => {
  it('uses the selector values of the «Воронка» template', () => {
    expect(FUNNEL_PERIODS).toEqual(['Всё время', 'Этот месяц', 'Прошлый месяц', '7 дней', '30 дней']);
    expect(periodRange('Всё время', '2026-12-01')).toBeNull();
  });

  it.each([
    ['2026-12-01', { month: ['2026-12-01', '2026-12-01'], last: ['2026-11-01', '2026-11-30'], d7: ['2026-11-25', '2026-12-01'], d30: ['2026-11-02', '2026-12-01'] }],
    ['2026-01-01', { month: ['2026-01-01', '2026-01-01'], last: ['2025-12-01', '2025-12-31'], d7: ['2025-12-26', '2026-01-01'], d30: ['2025-12-03', '2026-01-01'] }],
    ['2026-03-01', { month: ['2026-03-01', '2026-03-01'], last: ['2026-02-01', '2026-02-28'], d7: ['2026-02-23', '2026-03-01'], d30: ['2026-01-31', '2026-03-01'] }],
    ['2026-03-31', { month: ['2026-03-01', '2026-03-31'], last: ['2026-02-01', '2026-02-28'], d7: ['2026-03-25', '2026-03-31'], d30: ['2026-03-02', '2026-03-31'] }],
  ])('on %s covers the right calendar days', (today, want) => {
    const pair = (p: Parameters<typeof periodRange>[0]) => { const r = periodRange(p, today)!; return [r.from, r.to]; };
    expect(pair('Этот месяц')).toEqual(want.month);
    expect(pair('Прошлый месяц')).toEqual(want.last);
    expect(pair('7 дней')).toEqual(want.d7);
    expect(pair('30 дней')).toEqual(want.d30);
  });

  it('reads «today» in Moscow from an instant, at 00:01 and at 23:59', () => {
    expect(resolveToday(moscow(2026, 12, 1, 0, 1), TZ)).toBe('2026-12-01');
    expect(resolveToday(moscow(2026, 12, 1, 23, 59), TZ)).toBe('2026-12-01');
    expect(resolveToday(moscow(2026, 11, 30, 23, 59), TZ)).toBe('2026-11-30');
    expect(resolveToday(moscow(2026, 1, 1, 0, 1), TZ)).toBe('2026-01-01');
    expect(resolveToday(moscow(2026, 3, 1, 0, 1), TZ)).toBe('2026-03-01');
  });
});

describe('parseFunnelPeriod', () => {
  it('reads the selector cell and falls back to «Всё время»', () => {
    expect(parseFunnelPeriod(' 7 дней ')).toBe('7 дней');
    expect(parseFunnelPeriod('прошлый месяц')).toBe('Прошлый месяц');
    expect(parseFunnelPeriod('')).toBe('Всё время');
    expect(parseFunnelPeriod('Все время')).toBe('Всё время');
    expect(parseFunnelPeriod(42)).toBe('Всё время');
  });
});

describe('computeFunnel period cohort', () => {
  // Leads around the December 1st boundary; one without a first-contact date.
  const sheet = [
    lead('2026-10-31', { 'Первичный контакт': '2026-10-31' }),
    lead('2026-11-01', { 'Первичный контакт': '2026-11-01', 'Оплата': '2026-12-01' }),
    lead('2026-11-02', { 'Первичный контакт': '2026-11-02' }),
    lead('2026-11-24', { 'Первичный контакт': '2026-11-24' }),
    lead('2026-11-25', { 'Первичный контакт': '2026-11-25' }),
    lead('2026-11-30', { 'Первичный контакт': '2026-11-30' }),
    lead('2026-12-01', { 'Первичный контакт': '2026-12-01' }),
    lead('', { 'Первичный контакт': '2026-11-15' }),
  ];
  const count = (period: Parameters<typeof computeFunnel>[1], now: Date) => computeFunnel(sheet, period, now, TZ).leads;

  it.each([[0, 1], [23, 59]])('on 1 December at %i:%i Moscow', (hh, mm) => {
    const now = moscow(2026, 12, 1, hh, mm);
    expect(count('Всё время', now)).toBe(8);
    expect(count('Этот месяц', now)).toBe(1);
    expect(count('Прошлый месяц', now)).toBe(5);
    expect(count('7 дней', now)).toBe(3);
    expect(count('30 дней', now)).toBe(5);
  });

  it('still counts November as this month at 23:59 on the 30th', () => {
    const now = moscow(2026, 11, 30, 23, 59);
    expect(count('Этот месяц', now)).toBe(5);
    expect(count('Прошлый месяц', now)).toBe(1);
  });

  it('keeps a lead without a first-contact date in «Всё время» only, and says how many there are', () => {
    const f = computeFunnel(sheet, 'Прошлый месяц', '2026-12-01', TZ);
    expect(f.undatedLeads).toBe(1);
    expect(f.range).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });

  it('takes February whole as last month on 1 March', () => {
    const feb = [
      lead('2026-01-31', { 'Первичный контакт': '2026-01-31' }),
      lead('2026-02-01', { 'Первичный контакт': '2026-02-01' }),
      lead('2026-02-28', { 'Первичный контакт': '2026-02-28' }),
      lead('2026-03-01', { 'Первичный контакт': '2026-03-01' }),
    ];
    const now = moscow(2026, 3, 1, 0, 1);
    expect(computeFunnel(feb, 'Прошлый месяц', now, TZ).leads).toBe(2);
    expect(computeFunnel(feb, 'Этот месяц', now, TZ).leads).toBe(1);
    expect(computeFunnel(feb, '30 дней', now, TZ).leads).toBe(4);
    expect(computeFunnel(feb, '7 дней', now, TZ).leads).toBe(2);
  });

  it('takes December of the previous year as last month on 1 January', () => {
    const ny = [
      lead('2025-12-01', { 'Первичный контакт': '2025-12-01' }),
      lead('2025-12-31', { 'Первичный контакт': '2025-12-31' }),
      lead('2026-01-01', { 'Первичный контакт': '2026-01-01' }),
    ];
    const now = moscow(2026, 1, 1, 23, 59);
    expect(computeFunnel(ny, 'Прошлый месяц', now, TZ).leads).toBe(2);
    expect(computeFunnel(ny, 'Этот месяц', now, TZ).leads).toBe(1);
  });
});
