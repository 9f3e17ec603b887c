import { describe, expect, it } from 'vitest';
import { computeFunnel, FUNNEL_KEYS, FUNNEL_PERIODS, SUMMARY_KEYS, telegramFunnelSummary } from '../../src/core/funnel';
import { demoReference, steadyLeads, typedLeads } from '../../scripts/bench-data';
import { at, blankRow, lead } from './fixtures';

const TZ = 'Europe/Moscow';
const TODAY = '2026-11-21';

describe('telegramFunnelSummary', () => {
  const sheet = [
    lead('2026-11-21', { 'Первичный контакт': '2026-11-21' }, { manager: 'Светлана', updatedAt: at('2026-11-21', 10) }),
    lead('2026-11-21', { 'Первичный контакт': '2026-11-21', 'Оплата': '2026-11-21' }, { manager: 'Светлана', paidAmount: '1 200,50' }),
    lead('2026-11-01', { 'Первичный контакт': '2026-11-01', 'Оплата': '2026-11-21' }, { manager: 'Игорь', paidAmount: 800, updatedAt: at('2026-11-18', 23, 30) }),
    // Idle: «Ожидание» is the latest date.
    lead('2026-11-05', { 'Первичный контакт': '2026-11-05', 'Ожидание': '2026-11-10' }, { manager: 'Игорь' }),
    // Idle, then talked again: no longer waiting.
    lead('2026-11-05', { 'Первичный контакт': '2026-11-05', 'Ожидание': '2026-11-10', 'Повторные переговоры': '2026-11-12' }, { manager: 'Игорь' }),
    // The 30-day cohort is 23.10–21.11: the first of these is outside it, the second inside.
    lead('2026-10-22', { 'Первичный контакт': '2026-10-22', 'Оплата': '2026-10-25' }, { manager: 'Анна' }),
    lead('2026-10-23', { 'Первичный контакт': '2026-10-23' }, { manager: 'Анна' }),
    blankRow(),
  ];

  it('counts new leads, today\'s payments with their sum, and leads now waiting', () => {
    const s = telegramFunnelSummary(sheet, TODAY, TZ);
    expect(s.newLeadsToday).toBe(2);
    expect(s.paidToday).toEqual({ count: 2, sum: 2000.5 });
    expect(s.waitingNow).toBe(1);
  });

  it('converts over the 30-day cohort by first-contact date', () => {
    const s = telegramFunnelSummary(sheet, TODAY, TZ);
    expect(s.conversion30d).toEqual({ leads: 6, paid: 2, rate: 2 / 6 });
  });

  it('lists managers whose newest update is 3+ days old, falling back to stage dates', () => {
    const s = telegramFunnelSummary(sheet, TODAY, TZ, { managers: ['Светлана', 'Игорь', 'Анна', 'Пётр'] });
    // Игорь: «Обновлено» 18.11 23:30 Moscow (20:30 UTC) is 3 days ago; his undated rows reach 12.11 only.
    // Анна: no «Обновлено»; her newest stage date is the payment of 25.10. Пётр has no rows at all.
    expect(s.staleManagers).toEqual([
      { manager: 'Пётр', lastUpdate: null, daysSince: null },
      { manager: 'Анна', lastUpdate: '2026-10-25', daysSince: 27 },
      { manager: 'Игорь', lastUpdate: '2026-11-18', daysSince: 3 },
    ]);
    expect(telegramFunnelSummary(sheet, TODAY, TZ, { staleDays: 4 }).staleManagers.map((m) => m.manager)).toEqual(['Анна']);
  });

  it('does not flag a manager without rows as «ни разу» while the table itself is younger than the threshold', () => {
    // The first day after deployment: Марина typed a lead this morning, Олег was added by the wizard today.
    const fresh = [lead('2026-11-21', { 'Первичный контакт': '2026-11-21' }, { manager: 'Марина', updatedAt: at('2026-11-21', 9) })];
    expect(telegramFunnelSummary(fresh, TODAY, TZ, { managers: ['Марина', 'Олег'] }).staleManagers).toEqual([]);
    // Three days on, Олег still has no row: now he is named.
    expect(telegramFunnelSummary(fresh, '2026-11-24', TZ, { managers: ['Марина', 'Олег'] }).staleManagers.map((m) => m.manager)).toEqual(['Олег', 'Марина']);
  });

  it('reads today from an instant at the edges of the Moscow day', () => {
    const late = telegramFunnelSummary(sheet, new Date(Date.UTC(2026, 10, 21, 20, 59)), TZ); // 23:59 Moscow
    const early = telegramFunnelSummary(sheet, new Date(Date.UTC(2026, 10, 20, 21, 1)), TZ); // 00:01 Moscow
    expect(late.today).toBe('2026-11-21');
    expect(early.today).toBe('2026-11-21');
    expect(telegramFunnelSummary(sheet, new Date(Date.UTC(2026, 10, 21, 21, 1)), TZ).newLeadsToday).toBe(0);
  });

  it('has a null rate and nothing to report on an empty sheet', () => {
    expect(telegramFunnelSummary([blankRow()], TODAY, TZ)).toEqual({
      today: TODAY, newLeadsToday: 0, paidToday: { count: 0, sum: 0 }, waitingNow: 0,
      conversion30d: { leads: 0, paid: 0, rate: null }, staleManagers: [],
    });
  });
});

describe('the columns the dashboard and the summary read', () => {
  // A whole generated sheet plus rows filled only in columns neither reads.
  const sheet = [
    ...steadyLeads(typedLeads(3_000, TODAY, 5), demoReference(), TODAY, 5),
    Object.assign(blankRow(), { name: 'Только имя', username: '@only_name' }),
    Object.assign(blankRow(), { account: 'Основной' }),
    Object.assign(blankRow(), { manager: 'Новенький', questionnaireFilled: 'Да' }),
    Object.assign(blankRow(), { projectInfo: 'https://shop.example.com', unusualProject: true }),
  ];
  const only = (keys: readonly string[]) => sheet.map((row) => {
    const out = blankRow();
    for (const k of keys) (out as Record<string, unknown>)[k] = row[k as keyof typeof row];
    return out;
  });

  it('gives the same 19:45 summary from SUMMARY_KEYS alone as from the whole row', () => {
    const opts = { staleDays: 3, managers: ['Светлана', 'Марина', 'Олег'] };
    expect(telegramFunnelSummary(only(SUMMARY_KEYS), TODAY, TZ, opts)).toEqual(telegramFunnelSummary(sheet, TODAY, TZ, opts));
  });

  it('gives the same «Воронка» from FUNNEL_KEYS alone as from the whole row, for every period', () => {
    for (const period of FUNNEL_PERIODS) {
      expect(computeFunnel(only(FUNNEL_KEYS), period, TODAY, TZ)).toEqual(computeFunnel(sheet, period, TODAY, TZ));
    }
  });
});
