import { describe, expect, it } from 'vitest';
import { invoiceStatus, readInvoice } from '../../src/core/reports';
import { d, invoice, TZ } from './fixtures';

const TODAY = '2026-11-23';
const status = (values: Parameters<typeof invoice>[0], overdueDays = 7) => invoiceStatus(invoice(values), TODAY, TZ, overdueDays);

describe('invoiceStatus', () => {
  it('leaves an empty row without a status', () => {
    expect(invoiceStatus({}, TODAY, TZ, 7)).toBe('');
    expect(invoiceStatus(invoice({ channel: '', status: 'Выставлен' }), TODAY, TZ, 7)).toBe('');
  });

  it('marks an invoice paid when the paid sum covers the amount, overpayment included', () => {
    expect(status({ issueDate: d('2026-11-01'), amount: 1000, paidAmount: 1000, paymentDate: d('2026-11-20') })).toBe('Оплачен');
    expect(status({ issueDate: d('2026-11-01'), amount: 1000, paidAmount: 1050 })).toBe('Оплачен');
    expect(status({ issueDate: d('2026-11-20'), amount: '1 200,50', paidAmount: '1200.5' })).toBe('Оплачен');
  });

  it('reads a payment date without a paid sum as paid in full', () => {
    expect(status({ issueDate: d('2026-11-01'), amount: 700, paymentDate: d('2026-11-22') })).toBe('Оплачен');
  });

  it('marks a partial payment «Частично», even on an old invoice', () => {
    expect(status({ issueDate: d('2026-11-22'), amount: 1200, paidAmount: 400 })).toBe('Частично');
    expect(status({ issueDate: d('2026-10-01'), amount: 1200, paidAmount: '0,01' })).toBe('Частично');
  });

  it('makes an unpaid invoice overdue only after more than N Moscow calendar days', () => {
    // Issued 16.11 → 7 days ago on 23.11: not yet; 15.11 → 8 days: overdue.
    expect(status({ issueDate: d('2026-11-16'), amount: 300 })).toBe('Выставлен');
    expect(status({ issueDate: d('2026-11-15'), amount: 300 })).toBe('Просрочен');
    expect(status({ issueDate: '15.11.2026', amount: '300' })).toBe('Просрочен');
    expect(status({ issueDate: d('2026-11-22'), amount: 300 }, 1)).toBe('Выставлен');
    expect(status({ issueDate: d('2026-11-21'), amount: 300 }, 1)).toBe('Просрочен');
    expect(status({ issueDate: d('2026-11-23'), amount: 300, paidAmount: 0 })).toBe('Выставлен');
  });

  it('gives no status when the amount is missing or unreadable', () => {
    expect(status({ number: 'С-1', issueDate: d('2026-11-01') })).toBe('');
    expect(status({ issueDate: d('2026-11-01'), amount: 'тысяча' })).toBe('');
    expect(status({ issueDate: d('2026-11-01'), amount: 100, paidAmount: 'половина' })).toBe('');
  });

  it('never makes an invoice without a readable issue date overdue', () => {
    expect(status({ issueDate: 'давно', amount: 100 })).toBe('Выставлен');
  });
});

describe('readInvoice', () => {
  it('names the unreadable cells of a row', () => {
    const r = readInvoice(invoice({ issueDate: 'вчера', amount: 'тысяча' }), 5, TODAY, TZ);
    expect(r.kind).toBe('bad');
    if (r.kind === 'bad') {
      expect(r.reason).toContain('«тысяча»');
      expect(r.reason).toContain('«вчера»');
    }
  });
});
