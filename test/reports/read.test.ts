import { describe, expect, it } from 'vitest';
import { callsSheet } from '../../sheets-templates/calls';
import { invoicesSheet } from '../../sheets-templates/invoices';
import { listValues } from '../../sheets-templates/lists';
import { resolveDemoRow } from '../../sheets-templates/schema';
import { secretaryLogSheet } from '../../sheets-templates/secretary-log';
import {
  CALLS_KEYS, computeHeadOfSalesReport, computeSecretaryReport, INVOICE_KEYS, renderHeadOfSalesEmail, renderSecretaryEmail,
  SECRETARY_KEYS,
} from '../../src/core/reports';
import { readCount, readMoment, readMoney, readText } from '../../src/core/reports/read';
import { OUTCOME_CALLBACK, OUTCOME_REQUEST } from '../../src/core/reports/sheets';
import { at, CTX, dt, FUNNEL, SETTINGS, TZ } from './fixtures';

describe('column keys', () => {
  it('match the sheet templates', () => {
    expect([...SECRETARY_KEYS]).toEqual(secretaryLogSheet.columns.map((c) => c.key));
    expect([...CALLS_KEYS]).toEqual(callsSheet.columns.map((c) => c.key));
    expect([...INVOICE_KEYS]).toEqual(invoicesSheet.columns.map((c) => c.key));
  });

  it('know the outcomes of «Справочники»', () => {
    expect(listValues('secretaryOutcomes')).toContain(OUTCOME_REQUEST);
    expect(listValues('secretaryOutcomes')).toContain(OUTCOME_CALLBACK);
  });
});

describe('reading cells', () => {
  it('reads amounts typed the Russian way', () => {
    expect(readMoney('1 200,50', 'Сумма')).toEqual({ ok: true, value: 1200.5 });
    expect(readMoney('1\u00a0200,50 €', 'Сумма')).toEqual({ ok: true, value: 1200.5 });
    expect(readMoney(350, 'Сумма')).toEqual({ ok: true, value: 350 });
    expect(readMoney('', 'Сумма')).toEqual({ ok: true, value: null });
    expect(readMoney('-5', 'Сумма').ok).toBe(false);
    expect(readMoney('около ста', 'Сумма').ok).toBe(false);
  });

  it('reads counts, blank as zero', () => {
    expect(readCount('', 'Входящие звонки')).toEqual({ ok: true, value: 0 });
    expect(readCount(' 12 ', 'Входящие звонки')).toEqual({ ok: true, value: 12 });
    expect(readCount(2.5, 'Входящие звонки').ok).toBe(false);
  });

  it('reads a date-time cell and typed text with or without a time, in Moscow', () => {
    expect(readMoment(dt('2026-11-21', '14:30'), 'Дата и время', '2026-11-23', TZ))
      .toMatchObject({ ok: true, value: { date: '2026-11-21', time: '14:30' } });
    expect(readMoment('21.11.2026 14:30', 'Дата и время', '2026-11-23', TZ))
      .toEqual({ ok: true, value: { date: '2026-11-21', time: '14:30', ms: dt('2026-11-21', '14:30').getTime() } });
    expect(readMoment('21.11.2026', 'Дата и время', '2026-11-23', TZ)).toMatchObject({ ok: true, value: { date: '2026-11-21', time: '' } });
    expect(readMoment('2026-11-21', 'Дата и время', '2026-11-23', TZ)).toMatchObject({ ok: true, value: { date: '2026-11-21' } });
    expect(readMoment('31.02.2026 10:00', 'Дата и время', '2026-11-23', TZ).ok).toBe(false);
  });

  it('shortens a pasted essay', () => {
    expect(readText('а'.repeat(5000), TZ).length).toBeLessThanOrEqual(160);
    expect(readText('  Иван   Петров \n ', TZ)).toBe('Иван Петров');
  });
});

describe('the demo workbook', () => {
  const rows = (def: { demo: Array<Record<string, unknown>> }, today: string) =>
    def.demo.map((r, i) => ({ rowNumber: i + 2, values: resolveDemoRow(r as never, today, TZ) }));
  const today = '2026-11-23';

  it('gives both emails something to say', () => {
    const secretary = computeSecretaryReport({ rows: rows(secretaryLogSheet, today), now: at(today, '11:00'), tz: TZ });
    expect(secretary.total).toBe(6);
    expect(secretary.openCallbacks.length).toBeGreaterThan(0);
    expect(secretary.unparsed).toEqual([]);
    const head = computeHeadOfSalesReport({
      calls: rows(callsSheet, today), invoices: rows(invoicesSheet, today), managers: listValues('managers', true) as string[],
      settings: SETTINGS, funnel: FUNNEL, now: at(today, '19:45'), tz: TZ,
    });
    expect(head.missingCalls).toEqual(['Олег']);
    expect(head.overdue.map((i) => i.number)).toEqual(['С-101', 'С-103']);
    expect(head.earlierPayments.map((i) => i.number)).toEqual(['С-106', 'С-108']);
    expect(head.unparsed).toEqual([]);
    expect(renderSecretaryEmail(secretary, CTX).subject).toBe('Отчёт секретаря за 22.11.2026');
    expect(renderHeadOfSalesEmail(head, CTX).subject).toBe('Отчёт РОП за 23.11.2026');
  });
});
