import { describe, expect, it } from 'vitest';
import { computeFunnel } from '../../src/core/funnel';
import { lead } from './fixtures';

const TZ = 'Europe/Moscow';
const TODAY = '2026-11-21';
const paid = { 'Первичный контакт': '2026-11-02', 'Оплата': '2026-11-10' } as const;
const refused = { 'Первичный контакт': '2026-11-02', 'Отказ': '2026-11-09' } as const;
const talking = { 'Первичный контакт': '2026-11-02' } as const;

describe('computeFunnel breakdowns', () => {
  const sheet = [
    lead('2026-11-02', paid, { manager: 'Светлана', trafficSource: 'Гугл', plan: 'Lite', promoCode: 'prosto5', partner: 'Александр Сидоренко', paidAmount: '1 200,50' }),
    lead('2026-11-02', paid, { manager: 'Светлана', trafficSource: 'гугл ', plan: 'Pro', promoCode: 'PROSTO5', partner: 'Александр Сидоренко', paidAmount: 800 }),
    // Paid without an amount: counts as paid, not in the average check.
    lead('2026-11-02', paid, { manager: 'Игорь', trafficSource: 'Яндекс', plan: 'Lite' }),
    lead('2026-11-02', refused, { manager: 'Игорь', trafficSource: 'Яндекс', refusalReason: 'Дорого' }),
    lead('2026-11-02', refused, { manager: 'Игорь', trafficSource: 'Гугл', refusalReason: 'дорого' }),
    lead('2026-11-02', refused, { manager: 'Светлана', refusalReason: 'Не подходит формат' }),
    lead('2026-11-02', refused, { manager: '' }),
    lead('2026-11-02', talking, { manager: 'Светлана', trafficSource: 'Сарафан' }),
  ];
  const f = computeFunnel(sheet, 'Всё время', TODAY, TZ);
  const row = (key: keyof typeof f.breakdowns, label: string) => f.breakdowns[key].find((r) => r.label === label);

  it('groups sources case- and space-insensitively under the first spelling, empty as «(не указан)» last', () => {
    expect(f.breakdowns.trafficSource.map((r) => [r.label, r.leads, r.paid])).toEqual([
      ['Гугл', 3, 2], ['Яндекс', 2, 1], ['Сарафан', 1, 0], ['(не указан)', 2, 0],
    ]);
  });

  it('sums revenue from amounts typed as text and averages over paid leads with an amount', () => {
    expect(row('trafficSource', 'Гугл')).toMatchObject({ revenue: 2000.5, paidWithAmount: 2, averageCheck: 1000.25, conversion: 2 / 3 });
    expect(row('trafficSource', 'Яндекс')).toMatchObject({ revenue: 0, paidWithAmount: 0, averageCheck: null, conversion: 0.5 });
    expect(f.total).toMatchObject({ leads: 8, paid: 3, refused: 4, revenue: 2000.5, averageCheck: 1000.25, conversion: 3 / 8 });
  });

  it('computes per-manager conversion as paid / leads taken in work (seed 000)', () => {
    expect(f.breakdowns.manager.map((r) => [r.label, r.leads, r.paid, r.conversion])).toEqual([
      ['Светлана', 4, 2, 0.5], ['Игорь', 3, 1, 1 / 3], ['(не указан)', 1, 0, 0],
    ]);
  });

  it('groups promo codes as the promo check reads them and shows partners and plans', () => {
    expect(row('promoCode', 'prosto5')).toMatchObject({ leads: 2, paid: 2, revenue: 2000.5 });
    expect(row('partner', 'Александр Сидоренко')).toMatchObject({ leads: 2, paid: 2 });
    expect(row('plan', 'Lite')).toMatchObject({ leads: 2, paid: 2, revenue: 1200.5, averageCheck: 1200.5 });
  });

  it('ranks refusal reasons with their share of refused leads', () => {
    expect(f.refusalReasons).toEqual([
      { reason: 'Дорого', count: 2, share: 0.5 },
      { reason: 'Не подходит формат', count: 1, share: 0.25 },
      { reason: '(не указан)', count: 1, share: 0.25 },
    ]);
  });

  it('folds the tail of a long list into «Прочие»', () => {
    const many = Array.from({ length: 6 }, (_, i) => lead('2026-11-02', refused, { refusalReason: `Причина ${i + 1}`, promoCode: `code${i}` }));
    const g = computeFunnel([...many, ...many.slice(0, 2)], 'Всё время', TODAY, TZ, { maxReasons: 3, maxBreakdownRows: 4 });
    expect(g.refusalReasons).toEqual([
      { reason: 'Причина 1', count: 2, share: 0.25 },
      { reason: 'Причина 2', count: 2, share: 0.25 },
      { reason: 'Прочие (4)', count: 4, share: 0.5 },
    ]);
    expect(g.breakdowns.promoCode.map((r) => r.label)).toEqual(['code0', 'code1', 'code2', 'Прочие (3)']);
  });

  it('counts only the chosen period in breakdowns', () => {
    const g = computeFunnel([...sheet, lead('2026-10-15', paid, { manager: 'Игорь', paidAmount: 100 })], 'Прошлый месяц', TODAY, TZ);
    expect(g.breakdowns.manager).toEqual([
      { label: 'Игорь', leads: 1, paid: 1, refused: 0, conversion: 1, revenue: 100, paidWithAmount: 1, averageCheck: 100 },
    ]);
  });
});
