// What the head of sales reads per manager at 19:45 (seeds 000, 002, 003, 004): leads taken and paid with
// «Конверсия лидов», average check, refusals by reason, «Ожидание» / «Подвисла», commission today and this
// month at each manager's own rate, and payments entered late.
import { describe, expect, it } from 'vitest';
import { ANALYTICS_KEYS, type AnalyticsRow } from '../../src/core/analytics';
import { parseManagers } from '../../src/core/managers';
import { computeHeadOfSalesReport, renderHeadOfSalesEmail } from '../../src/core/reports';
import { at, CTX, d, dt, FUNNEL, invoice, invoiceRows, SETTINGS, TZ } from './fixtures';

const TODAY = '2026-11-23';
const NOW = at(TODAY, '19:45');

function lead(values: Partial<AnalyticsRow>): AnalyticsRow {
  const r = {} as AnalyticsRow;
  for (const k of ANALYTICS_KEYS) r[k] = '';
  return Object.assign(r, values);
}

const DIRECTORY = parseManagers([
  { rowNumber: 2, values: { name: 'Светлана', email: 'sv@example.com' } },
  { rowNumber: 3, values: { name: 'Марина', email: 'ma@example.com', commissionPercent: 10, commissionFixed: 0 } },
  { rowNumber: 4, values: { name: 'Олег', email: '' } },
]);

function report(leads: Array<Partial<AnalyticsRow>>, invoices = invoiceRows([]), lateEntriesSince?: number) {
  return computeHeadOfSalesReport({
    calls: [], invoices, managers: ['Светлана', 'Марина', 'Олег'], settings: SETTINGS, funnel: FUNNEL, now: NOW, tz: TZ,
    directory: DIRECTORY, leads: leads.map(lead), stuck: { days: 2, workingDays: false }, lateEntriesSince,
  });
}

const byName = (r: ReturnType<typeof report>, name: string) => r.results!.managers.find((m) => m.manager === name)!;

describe('per-manager lead results', () => {
  it('counts leads taken and paid, and «Конверсия лидов» = paid ÷ taken, today, over 30 days and this month', () => {
    const r = report([
      { manager: 'Светлана', name: 'a', firstContactDate: d(TODAY), stageFirstContact: d(TODAY) },
      { manager: 'Светлана', name: 'b', firstContactDate: d('2026-11-20'), stagePaid: d('2026-11-22'), paidAmount: 400 },
      { manager: 'Светлана', name: 'c', firstContactDate: d('2026-10-30'), stagePaid: d('2026-11-03'), paidAmount: 200 },
      { manager: 'Светлана', name: 'old', firstContactDate: d('2026-09-01'), stagePaid: d('2026-09-05'), paidAmount: 999 },
    ]);
    const s = byName(r, 'Светлана');
    expect(s.today).toEqual({ taken: 1, paid: 0, conversion: 0 });
    expect(s.days30).toEqual({ taken: 3, paid: 2, conversion: 2 / 3 });
    expect(s.month).toEqual({ taken: 2, paid: 1, conversion: 0.5 });
    expect(s.averageCheck30).toBe(300); // 400 and 200, paid within 30 days
  });

  it('counts refusals by the seed’s reasons, never merging «Нет денег» with «Не устроила цена», and keeps an old value as typed', () => {
    const r = report([
      { manager: 'Марина', name: 'a', firstContactDate: d('2026-11-01'), stageRefused: d('2026-11-10'), refusalReason: 'нет денег' },
      { manager: 'Марина', name: 'b', firstContactDate: d('2026-11-01'), stageRefused: d('2026-11-11'), refusalReason: 'Нет денег' },
      { manager: 'Марина', name: 'c', firstContactDate: d('2026-11-01'), stageRefused: d('2026-11-12'), refusalReason: 'Не устроила цена' },
      { manager: 'Марина', name: 'd', firstContactDate: d('2026-11-01'), stageRefused: d('2026-11-13'), refusalReason: 'Дорого / не устроила цена' },
      { manager: 'Марина', name: 'e', firstContactDate: d('2026-11-01'), stageRefused: d('2026-11-13') },
    ]);
    expect(byName(r, 'Марина').refusals30).toEqual([
      { reason: 'Нет денег', count: 2 },
      { reason: 'Дорого / не устроила цена', count: 1 },
      { reason: 'Не устроила цена', count: 1 },
      { reason: 'Причина не указана', count: 1 },
    ]);
  });

  it('shows how many open leads of each manager wait in «Ожидание» and how many are stuck', () => {
    const r = report([
      { manager: 'Олег', name: 'a', firstContactDate: d('2026-11-01'), stageNegotiation: d('2026-11-10'), stageWaiting: d('2026-11-13') },
      { manager: 'Олег', name: 'b', firstContactDate: d('2026-11-01'), stageDeciding: d('2026-11-22') },
      { manager: 'Олег', name: 'c', firstContactDate: d('2026-11-01'), stageDeciding: d('2026-11-01'), stageRefused: d('2026-11-05'), refusalReason: 'Тест' },
    ]);
    expect(byName(r, 'Олег')).toMatchObject({ waiting: 1, stuck: 1 });
  });

  it('counts leads without a manager under «Без менеджера» instead of dropping them', () => {
    const r = report([{ name: 'ничей', firstContactDate: d(TODAY), stagePaid: d(TODAY), paidAmount: 100 }]);
    const none = r.results!.managers.at(-1)!;
    expect(none).toMatchObject({ manager: 'Без менеджера', unassigned: true, today: { taken: 1, paid: 1, conversion: 1 } });
    expect(r.results!.totals.today.taken).toBe(1);
  });
});

describe('commission (seed 003: percent, fixed, or both)', () => {
  it('applies each manager’s own rate from «Менеджеры», else «Настройки», to paid invoices and paid leads, today and this month', () => {
    const invoices = invoiceRows([
      invoice({ number: '1', issueDate: d('2026-11-20'), manager: 'Светлана', amount: 1000, paymentDate: d(TODAY), paidAmount: 1000 }),
      invoice({ number: '2', issueDate: d('2026-11-02'), manager: 'Марина', amount: 2000, paymentDate: d('2026-11-05'), paidAmount: 2000 }),
      invoice({ number: '3', issueDate: d('2026-11-20'), manager: 'Марина', amount: 500, paymentDate: d(TODAY), paidAmount: 200 }), // partly: nothing yet
      invoice({ number: '4', issueDate: d('2026-10-20'), manager: 'Светлана', amount: 700, paymentDate: d('2026-10-30'), paidAmount: 700 }), // last month
    ]);
    const r = report([
      { manager: 'Светлана', name: 'a', firstContactDate: d('2026-11-20'), stagePaid: d(TODAY), paidAmount: 400 },
      { manager: 'Марина', name: 'b', firstContactDate: d('2026-11-20'), stagePaid: d('2026-11-21'), paidAmount: 300 },
    ], invoices);
    const s = byName(r, 'Светлана');
    // 5 % + 100 (Настройки): invoice 1000 → 150, lead 400 → 120.
    expect(s.rate).toEqual({ percent: 5, fixed: 100, own: false });
    expect(s.commissionToday).toEqual({ invoices: 1, leads: 1, base: 1400, amount: 270 });
    expect(s.commissionMonth).toEqual({ invoices: 1, leads: 1, base: 1400, amount: 270 });
    const m = byName(r, 'Марина');
    // 10 % + 0 (her own): nothing today; the month has invoice 2000 → 200 and lead 300 → 30.
    expect(m.rate).toEqual({ percent: 10, fixed: 0, own: true });
    expect(m.commissionToday.amount).toBe(0);
    expect(m.commissionMonth).toEqual({ invoices: 1, leads: 1, base: 2300, amount: 230 });
    // The invoice table's commission uses the same rate.
    expect(r.managers.find((x) => x.manager === 'Светлана')!.commission).toBe(150);
    const text = renderHeadOfSalesEmail(r, CTX).text;
    expect(text).toContain('Комиссия менеджеров: 270,00\u202fEUR');
    expect(text).toContain('• Марина — Сегодня: 0,00\u202fEUR (оплат нет); С начала месяца: 230,00\u202fEUR (счетов 1, лидов 1); Ставка: 10\u202f% + 0,00\u202fEUR (своя, лист «Менеджеры»)');
  });
});

describe('the 19:45 email', () => {
  it('names the invoice share and the lead conversion differently, and names managers without an address', () => {
    const r = report([{ manager: 'Светлана', name: 'a', firstContactDate: d(TODAY), stageFirstContact: d(TODAY) }], invoiceRows([
      invoice({ number: '1', issueDate: d(TODAY), manager: 'Светлана', amount: 100, paymentDate: d(TODAY), paidAmount: 100 }),
    ]));
    const text = renderHeadOfSalesEmail(r, CTX).text;
    expect(text).toContain('Доля оплаченных счетов: 100,0\u202f%');
    expect(text).toContain('Конверсия лидов за 30 дней');
    expect(text).toContain('• Светлана — Сегодня: 1 → 0 (0,0\u202f%)');
    expect(text).toContain('под ними — «Конверсия лидов», их доля (оплатили ÷ взято в работу)');
    expect(text).not.toMatch(/[^ ]Конверсия:/);
    expect(text).toContain('Без адреса на листе «Менеджеры» — утреннее письмо «Кого дожать сегодня» им не уходит: Олег.');
  });

  it('lists a payment dated yesterday but entered this morning as «внесено с опозданием», and only once', () => {
    const late = invoice({ number: 'С-7', issueDate: d('2026-11-20'), manager: 'Олег', amount: 500, paymentDate: d('2026-11-22'), paidAmount: 500, paymentEnteredAt: dt(TODAY, '09:40') });
    const inTime = invoice({ number: 'С-8', issueDate: d('2026-11-20'), manager: 'Олег', amount: 300, paymentDate: d('2026-11-22'), paidAmount: 300, paymentEnteredAt: dt('2026-11-22', '15:00') });
    const afterTen = invoice({ number: 'С-9', issueDate: d('2026-11-20'), manager: 'Олег', amount: 200, paymentDate: d('2026-11-21'), paidAmount: 200, paymentEnteredAt: dt(TODAY, '12:10') });
    const since = at('2026-11-22', '19:45').getTime();
    const r = report([], invoiceRows([late, inTime, afterTen]), since);
    expect(r.lateEntries.map((i) => i.number)).toEqual(['С-7', 'С-9']);
    expect(r.lateEntriesSum).toBe(700);
    const text = renderHeadOfSalesEmail(r, CTX).text;
    expect(text).toContain('Внесено с опозданием: 2 на 700,00\u202fEUR');
    expect(text).toContain('• С-7 (строка 2) — Дата оплаты: 22.11.2026; Внесено: 23.11.2026 09:40; Менеджер: Олег; Оплачено: 500,00\u202fEUR');
    expect(text).toContain('Внесено: 23.11.2026 12:10 (позже 10:00 следующего дня)');
    // Tomorrow's summary (made after this one) does not list them again.
    const tomorrow = computeHeadOfSalesReport({
      calls: [], invoices: invoiceRows([late, afterTen]), managers: [], settings: SETTINGS, funnel: null, now: at('2026-11-24', '19:45'), tz: TZ,
      lateEntriesSince: NOW.getTime(),
    });
    expect(tomorrow.lateEntries).toEqual([]);
  });
});
