import { describe, expect, it } from 'vitest';
import { computeHeadOfSalesReport, renderHeadOfSalesEmail } from '../../src/core/reports';
import { at, callsRow, callsRows, CTX, d, FUNNEL, invoice, invoiceRows, SETTINGS, TZ } from './fixtures';

const MANAGERS = ['Светлана', 'Марина', 'Олег'];

const CALLS = callsRows([
  callsRow('2026-11-23', 'Светлана', 5, 10, 2, 3),
  callsRow('2026-11-23', 'Марина', 3, 4, 1, 0),
  callsRow('2026-11-23', 'марина', 1, 1, 0, 1), // a second row the same day is added up
  callsRow('2026-11-20', 'Олег', 2, 2, 2, 2), // Олег filled in on Friday, not today
  callsRow('2026-11-17', 'Пётр', 1, 1, 1, 1), // not in «Справочники», but reported 6 days ago
  callsRow('2026-11-01', 'Фёдор', 1, 1, 1, 1), // gone for weeks: not expected any more
  { ...callsRow('2026-11-23', ''), date: '23.11.2026' }, // row 8: no manager
]);

// Today is Monday 23.11.2026; «Дней до просрочки счёта» = 7.
const INVOICES = invoiceRows([
  invoice({ number: 'С-1', issueDate: d('2026-11-23'), manager: 'Светлана', channel: 'Входящий звонок', amount: 1000, paymentDate: d('2026-11-23'), paidAmount: 1000 }),
  invoice({ number: 'С-2', issueDate: d('2026-11-23'), manager: 'Светлана', channel: 'Заявка', amount: 500 }),
  invoice({ number: 'С-3', issueDate: d('2026-11-23'), manager: 'Марина', channel: 'Исходящий звонок', amount: 800, paymentDate: d('2026-11-23'), paidAmount: '300' }),
  invoice({ number: 'С-4', issueDate: d('2026-11-20'), manager: 'Марина', channel: 'Заявка', amount: '1 200,40', paymentDate: '23.11.2026', paidAmount: '1 200,40' }),
  invoice({ number: 'С-5', issueDate: d('2026-11-10'), manager: 'Олег', channel: 'Входящий звонок', amount: 2000, paymentDate: d('2026-11-23'), paidAmount: 2000 }),
  invoice({ number: 'С-6', issueDate: d('2026-11-15'), manager: 'Олег', amount: 700 }), // 8 days: overdue
  invoice({ number: 'С-7', issueDate: d('2026-11-16'), manager: 'Олег', amount: 300 }), // 7 days: not yet
  invoice({ number: 'С-8', issueDate: d('2026-11-01'), manager: 'Светлана', amount: 400, paymentDate: d('2026-11-05'), paidAmount: 100 }), // partly paid
  invoice({ number: 'С-9', issueDate: '12.11.2026', manager: 'Марина', amount: 250 }), // overdue, typed date
  invoice({ number: 'С-10', issueDate: d('2026-11-22'), manager: 'Светлана', amount: 600, paymentDate: d('2026-11-23') }), // date only = paid in full
  invoice({ number: 'С-11', issueDate: d('2026-11-23'), manager: 'Олег', amount: 'тысяча' }), // row 12: unreadable
]);

const report = computeHeadOfSalesReport({
  calls: CALLS, invoices: INVOICES, managers: MANAGERS, settings: SETTINGS, funnel: FUNNEL, now: at('2026-11-23', '19:45'), tz: TZ,
});
const byName = (name: string) => report.managers.find((m) => m.manager === name)!;

describe('computeHeadOfSalesReport', () => {
  it('covers today in Moscow', () => {
    expect(report.day).toBe('2026-11-23');
    expect(report.managers.map((m) => m.manager)).toEqual(['Светлана', 'Марина', 'Олег', 'Пётр']);
  });

  it('takes calls from today’s «Звонки» rows, adding up two rows of one manager', () => {
    expect(byName('Светлана')).toMatchObject({ callsFilled: true, incomingCalls: 5, outgoingCalls: 10, mailRequests: 2, existingClientCalls: 3 });
    expect(byName('Марина')).toMatchObject({ callsFilled: true, incomingCalls: 4, outgoingCalls: 5, mailRequests: 1, existingClientCalls: 1 });
    expect(byName('Олег')).toMatchObject({ callsFilled: false, incomingCalls: 0 });
  });

  it('counts invoices issued today and paid today, partial payments included', () => {
    expect(byName('Светлана')).toMatchObject({ issuedCount: 2, issuedSum: 1500, paidCount: 2, paidSum: 1600 });
    expect(byName('Марина')).toMatchObject({ issuedCount: 1, issuedSum: 800, paidCount: 2, paidSum: 1500.4 });
    expect(byName('Олег')).toMatchObject({ issuedCount: 0, issuedSum: 0, paidCount: 1, paidSum: 2000 });
    expect(report.totals).toMatchObject({ issuedCount: 3, issuedSum: 2300, paidCount: 5, paidSum: 5100.4 });
  });

  it('defines conversion as today’s invoices already paid in full', () => {
    expect(byName('Светлана').conversionPercent).toBe(50);
    expect(byName('Марина').conversionPercent).toBe(0); // С-3 is only partly paid
    expect(byName('Олег').conversionPercent).toBeNull(); // nothing issued today
    expect(report.totals.conversionPercent).toBeCloseTo(100 / 3);
  });

  it('pays 5 % + 100 for every invoice that became paid in full today', () => {
    expect(byName('Светлана')).toMatchObject({ fullyPaidCount: 2, fullyPaidSum: 1600, commission: 280 }); // 80 + 2 × 100
    expect(byName('Марина')).toMatchObject({ fullyPaidCount: 1, fullyPaidSum: 1200.4, commission: 160.02 }); // 60.02 + 100
    expect(byName('Олег')).toMatchObject({ fullyPaidCount: 1, commission: 200 }); // 100 + 100
    expect(report.totals.commission).toBe(640.02);
  });

  it('compares issued and paid by channel', () => {
    expect(report.byChannel).toEqual([
      { channel: 'Входящий звонок', issuedCount: 1, issuedSum: 1000, paidCount: 2, paidSum: 3000 },
      { channel: 'Исходящий звонок', issuedCount: 1, issuedSum: 800, paidCount: 1, paidSum: 300 },
      { channel: 'Заявка', issuedCount: 1, issuedSum: 500, paidCount: 2, paidSum: 1800.4 },
    ]);
  });

  it('lists today’s payments on invoices issued before today, oldest first', () => {
    expect(report.earlierPayments.map((i) => [i.number, i.paidAmount, i.status])).toEqual([
      ['С-5', 2000, 'Оплачен'], ['С-4', 1200.4, 'Оплачен'], ['С-10', 600, 'Оплачен'],
    ]);
    expect(report.earlierPaymentsSum).toBe(3800.4);
  });

  it('lists unpaid invoices older than N days, and not one day earlier', () => {
    expect(report.overdue.map((i) => [i.number, i.ageDays])).toEqual([['С-9', 11], ['С-6', 8]]);
    expect(report.overdueSum).toBe(950);
  });

  it('names managers with no «Звонки» row today: the list plus anyone active in the last 14 days', () => {
    expect(report.missingCalls).toEqual(['Олег', 'Пётр']);
    expect(report.pastCallsDeadline).toBe(true);
  });

  it('lists unreadable rows of both sheets with their row numbers', () => {
    expect(report.unparsed.map((u) => [u.sheet, u.rowNumber])).toEqual([['Звонки', 8], ['Счета', 12]]);
  });

  it('renders every section', () => {
    const { subject, text, html } = renderHeadOfSalesEmail(report, CTX);
    expect(subject).toBe('Отчёт РОП за 23.11.2026');
    expect(text).toContain('Отчёт РОП за 23.11.2026, понедельник');
    expect(text).toContain('(!) Не заполнили «Звонки» к 19:30: Олег, Пётр.');
    expect(text).toContain('Выставлено счетов: 3 на 2\u202f300,00\u202fEUR');
    expect(text).toContain('Оплачено счетов: 5 на 5\u202f100,40\u202fEUR');
    expect(text).toContain('Комиссия менеджеров: 640,02\u202fEUR');
    expect(text).toContain('• Светлана — Входящие: 5; Исходящие: 10; Заявки по почте: 2; Звонки текущим клиентам: 3');
    expect(text).toContain('• Олег (не заполнено)');
    expect(text).toContain('Доля оплаченных счетов: 50,0\u202f%; Комиссия: 280,00\u202fEUR');
    expect(text).toContain('5\u202f% от суммы и 100,00\u202fEUR за каждый счёт');
    expect(text).toContain('• С-5 (строка 6) — Выставлен: 10.11.2026');
    expect(text).toContain('Неоплаченные счета старше 7\u202fдней'.toUpperCase());
    expect(text).toContain('• С-9 (строка 10) — Выставлен: 12.11.2026 (11\u202fдней назад)');
    expect(text).not.toContain('С-7');
    expect(text).toContain('Новых лидов сегодня: 4');
    expect(text).toContain('Оплат сегодня: 2 на 1\u202f100,00\u202fEUR');
    expect(text).toContain('Лидов сейчас в «Ожидании»: 7');
    expect(text).toContain('Конверсия лидов за 30 дней: 12,5\u202f% (5 из 40)');
    expect(text).toContain('Не обновляли «Аналитику» 3\u202fдня и дольше: Олег (5\u202fдней)');
    expect(text).toContain('«Счета», строка 12');
    expect(html).toContain('https://docs.google.com/spreadsheets/d/abc123/edit');
  });
});

describe('head-of-sales summary edge cases', () => {
  it('says «пока» when made before the «Звонки» deadline', () => {
    const early = computeHeadOfSalesReport({
      calls: CALLS, invoices: [], managers: MANAGERS, settings: SETTINGS, funnel: FUNNEL, now: at('2026-11-23', '15:00'), tz: TZ,
    });
    expect(early.pastCallsDeadline).toBe(false);
    expect(renderHeadOfSalesEmail(early, CTX).text).toContain('Пока не заполнили «Звонки» (срок — 19:30): Олег, Пётр.');
  });

  it('praises a full «Звонки» and explains a missing funnel', () => {
    const all = computeHeadOfSalesReport({
      calls: callsRows([callsRow('2026-11-23', 'Светлана', 1)]), invoices: [], managers: ['Светлана'], settings: SETTINGS,
      funnel: null, now: at('2026-11-23', '19:45'), tz: TZ,
    });
    const text = renderHeadOfSalesEmail(all, CTX).text;
    expect(all.missingCalls).toEqual([]);
    expect(text).toContain('Все менеджеры заполнили «Звонки» к 19:30.');
    expect(text).toContain('Сегодня счета не выставлялись и оплат не было.');
    expect(text).toContain('Данные воронки сейчас недоступны');
  });

  it('keeps invoices without a manager in the totals', () => {
    const r = computeHeadOfSalesReport({
      calls: [], invoices: invoiceRows([invoice({ issueDate: d('2026-11-23'), amount: 100 })]), managers: [], settings: SETTINGS,
      funnel: FUNNEL, now: at('2026-11-23', '19:45'), tz: TZ,
    });
    expect(r.managers.map((m) => m.manager)).toEqual(['Без менеджера']);
    expect(r.totals.issuedCount).toBe(1);
    expect(r.missingCalls).toEqual([]);
  });

  it('reports a «Звонки» row of today with an unreadable count instead of guessing', () => {
    const r = computeHeadOfSalesReport({
      calls: callsRows([callsRow('2026-11-23', 'Олег', 'пять' as unknown as number)]), invoices: [], managers: ['Олег'],
      settings: SETTINGS, funnel: FUNNEL, now: at('2026-11-23', '19:45'), tz: TZ,
    });
    expect(r.unparsed[0].reason).toContain('«пять»');
    expect(r.missingCalls).toEqual(['Олег']);
  });
});
