import { describe, expect, it } from 'vitest';
import { addDays, type LocalDate } from '../../src/core/dates';
import {
  computeHeadOfSalesReport, computeSecretaryReport, formatMoney, GMAIL_CLIP_BYTES, formatPercent, MAX_EMAIL_BYTES, renderHeadOfSalesEmail,
  renderSecretaryEmail, utf8Bytes, type RenderedEmail,
} from '../../src/core/reports';
import { at, callsRow, callsRows, contact, CTX, d, FUNNEL, invoice, invoiceRows, secretaryRows, SETTINGS, TZ } from './fixtures';

const IMG = '<img src=x onerror=alert(1)>';
const SCRIPT = '"><script>alert(1)</script>';
const EVIL = `${IMG} ${SCRIPT}`;

function expectSafe(email: RenderedEmail): void {
  expect(email.html).not.toContain('<img');
  expect(email.html).not.toContain('<script');
  expect(email.html).not.toMatch(/<[^>]*\sonerror=/i);
  expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  expect(email.html).toContain('&quot;&gt;&lt;script&gt;');
}

describe('escaping', () => {
  it('escapes every user string of the secretary summary', () => {
    const evilRow = (date: LocalDate, time: string, outcome: string) => contact(date, time, {
      channel: EVIL, client: EVIL, company: EVIL, contact: EVIL, city: EVIL, personType: EVIL, newClient: 'Да',
      request: EVIL, transferredTo: EVIL, outcome, comment: EVIL,
    });
    const rows = secretaryRows([
      evilRow('2026-11-22', '10:00', EVIL),
      evilRow('2026-11-22', '11:00', 'Перезвонить'),
      { dateTime: EVIL, client: EVIL },
    ]);
    const report = computeSecretaryReport({ rows, now: at('2026-11-23', '11:00'), tz: TZ, managers: [EVIL] });
    // Every field reaches the email: channel, outcome, transfer, callback and the unreadable date.
    expect(report.byChannel.some((c) => c.channel.includes('<img'))).toBe(true);
    expect(report.openCallbacks).toHaveLength(1);
    expect(report.unparsed).toHaveLength(1);
    const email = renderSecretaryEmail(report, CTX);
    expectSafe(email);
    expect(email.text).toContain(IMG); // the text part is plain text: shown as typed
  });

  it('escapes every user string of the head-of-sales summary', () => {
    const calls = callsRows([callsRow('2026-11-23', EVIL, 1, 1, 1, 1, EVIL), { ...callsRow('2026-11-23', 'Олег'), date: EVIL }]);
    const invoices = invoiceRows([
      invoice({ number: EVIL, issueDate: d('2026-11-23'), manager: EVIL, client: EVIL, channel: EVIL, amount: 100, paymentDate: d('2026-11-23'), paidAmount: 100 }),
      invoice({ number: EVIL, issueDate: d('2026-11-01'), manager: EVIL, client: EVIL, channel: EVIL, amount: 100 }),
      invoice({ number: EVIL, issueDate: d('2026-11-20'), manager: EVIL, client: EVIL, channel: EVIL, amount: 100, paymentDate: d('2026-11-23'), paidAmount: 50 }),
      invoice({ number: EVIL, issueDate: d('2026-11-20'), manager: EVIL, client: EVIL, amount: EVIL }),
    ]);
    const funnel = { ...FUNNEL, staleManagers: [{ manager: EVIL, lastUpdate: null, daysSince: null }] };
    const report = computeHeadOfSalesReport({
      calls, invoices, managers: [EVIL, 'Олег'], settings: SETTINGS, funnel, now: at('2026-11-23', '19:45'), tz: TZ,
    });
    expect(report.missingCalls).toEqual(['Олег']);
    expect(report.earlierPayments).toHaveLength(1);
    expect(report.overdue).toHaveLength(1);
    expect(report.unparsed).toHaveLength(2);
    const email = renderHeadOfSalesEmail(report, { ...CTX, currency: 'EUR' });
    expectSafe(email);
  });

  it('links only to a web address', () => {
    const report = computeSecretaryReport({ rows: [], now: at('2026-11-23', '11:00'), tz: TZ });
    for (const url of ['javascript:alert(1)', `https://x.example/${SCRIPT}`]) {
      const email = renderSecretaryEmail(report, { ...CTX, spreadsheetUrl: url });
      expect(email.html).not.toContain('href=');
      expect(email.html).not.toContain('<script');
    }
  });
});

describe('email format', () => {
  const secretary = renderSecretaryEmail(computeSecretaryReport({
    rows: secretaryRows([contact('2026-11-22', '10:00', { outcome: 'Перезвонить' })]), now: at('2026-11-23', '11:00'), tz: TZ,
  }), CTX);
  const head = renderHeadOfSalesEmail(computeHeadOfSalesReport({
    calls: callsRows([callsRow('2026-11-23', 'Олег', 1)]),
    invoices: invoiceRows([invoice({ issueDate: d('2026-11-23'), manager: 'Олег', amount: 1200.5 })]),
    managers: ['Олег'], settings: SETTINGS, funnel: FUNNEL, now: at('2026-11-23', '19:45'), tz: TZ,
  }), CTX);

  it('uses inline styles only, phone-width tables and no images', () => {
    for (const { html } of [secretary, head]) {
      expect(html).not.toMatch(/<style|<link|<img|<script|class=/i);
      expect(html).toContain('max-width:600px');
      expect(html).toContain('border-collapse:collapse');
      expect(html).toContain('<meta charset="utf-8">');
    }
  });

  it('closes every tag it opens', () => {
    for (const { html } of [secretary, head]) {
      const stack: string[] = [];
      for (const [, closing, name] of html.matchAll(/<(\/?)([a-z0-9]+)[^>]*>/gi)) {
        if (['meta', 'br'].includes(name.toLowerCase())) continue;
        if (closing) expect(stack.pop()).toBe(name);
        else stack.push(name);
      }
      expect(stack).toEqual([]);
    }
  });

  it('links to the spreadsheet in both parts', () => {
    for (const { html, text } of [secretary, head]) {
      expect(html).toContain(`href="${CTX.spreadsheetUrl}"`);
      expect(text).toContain(`Открыть таблицу: ${CTX.spreadsheetUrl}`);
    }
  });

  it('formats money and percentages the Russian way, with thin spaces', () => {
    expect(formatMoney(1200.5, 'EUR')).toBe('1\u202f200,50\u202fEUR');
    expect(formatMoney(1234567, 'RUB')).toBe('1\u202f234\u202f567,00\u202fRUB');
    expect(formatMoney(0.1 + 0.2, 'EUR')).toBe('0,30\u202fEUR');
    expect(formatPercent(25)).toBe('25,0\u202f%');
    expect(formatPercent(100 / 3)).toBe('33,3\u202f%');
    expect(formatPercent(null)).toBe('—');
    expect(head.text).toContain('1\u202f200,50\u202fEUR');
  });

  it('marks a caught-up email as late in the subject and at the top', () => {
    const report = computeSecretaryReport({ rows: [], now: at('2026-11-23', '13:25'), tz: TZ });
    const late = renderSecretaryEmail(report, { ...CTX, late: { minutes: 145 } });
    expect(late.subject).toBe('Отчёт секретаря за 22.11.2026 (с опозданием)');
    expect(late.text.split('\n')[3]).toBe('(!) Письмо отправлено с опозданием на 2\u202fч 25\u202fмин: в назначенное время отправить не получилось. Данные — на момент отправки.');
    expect(late.html.indexOf('с опозданием на')).toBeLessThan(late.html.indexOf('<h2'));
    expect(late.html.indexOf('с опозданием на')).toBeGreaterThan(0);
  });
});

describe('subject dates from UTC instants', () => {
  const subjects = (utc: number) => {
    const now = new Date(utc);
    const s = renderSecretaryEmail(computeSecretaryReport({ rows: [], now, tz: TZ }), CTX).subject;
    const h = renderHeadOfSalesEmail(computeHeadOfSalesReport({
      calls: [], invoices: [], managers: [], settings: SETTINGS, funnel: null, now, tz: TZ,
    }), CTX).subject;
    return [s, h];
  };

  it('at 00:01 Moscow (21:01 UTC the evening before) a new day has begun', () => {
    expect(subjects(Date.UTC(2026, 10, 22, 21, 1))).toEqual(['Отчёт секретаря за 22.11.2026', 'Отчёт РОП за 23.11.2026']);
  });

  it('at 23:59 Moscow (20:59 UTC) it is still the same day', () => {
    expect(subjects(Date.UTC(2026, 10, 23, 20, 59))).toEqual(['Отчёт секретаря за 22.11.2026', 'Отчёт РОП за 23.11.2026']);
    expect(subjects(Date.UTC(2026, 10, 22, 20, 59))).toEqual(['Отчёт секретаря за 21.11.2026', 'Отчёт РОП за 22.11.2026']);
  });

  it('crosses a month and a year boundary', () => {
    expect(subjects(Date.UTC(2026, 11, 31, 21, 1))).toEqual(['Отчёт секретаря за 31.12.2026', 'Отчёт РОП за 01.01.2027']);
  });
});

describe('size cap with 5,000-row logs', () => {
  const TODAY: LocalDate = '2026-11-23';
  const long = (i: number) => `${EVIL} ${'Длинный текст, который секретарь вставил целиком из письма клиента. '.repeat(20)} №${i}`;

  it('keeps the secretary email under 150 KB and says how many were left out', () => {
    const rows = [];
    for (let i = 0; i < 5000; i++) {
      const day = addDays(TODAY, -1 - (i % 3));
      rows.push(contact(day, `${String(8 + (i % 12)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`, {
        channel: i % 7 === 0 ? `Канал ${i}` : 'Входящий звонок', client: long(i), company: long(i), contact: `+7 900 ${String(i).padStart(7, '0')}`,
        request: long(i), comment: long(i), transferredTo: `Менеджер ${i % 300}`, outcome: i % 2 ? 'Перезвонить' : 'Консультация', newClient: 'Да',
      }));
    }
    for (let i = 0; i < 5000; i++) rows.push({ dateTime: `не дата ${long(i)}`, client: long(i) });
    const report = computeSecretaryReport({ rows: secretaryRows(rows), now: at(TODAY, '11:00'), tz: TZ });
    expect(report.openCallbacks.length).toBe(2500);
    expect(report.unparsed.length).toBe(5000);
    const email = renderSecretaryEmail(report, CTX);
    expect(utf8Bytes(email.html)).toBeLessThanOrEqual(GMAIL_CLIP_BYTES); // below MAX_EMAIL_BYTES too
    expect(utf8Bytes(email.text)).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(email.html).toMatch(/… и ещё \d+/);
    expect(email.text).toContain('Открытых «Перезвонить»: 2500.');
    expectSafe(email);
    console.info(`secretary email from 10,000 rows: html ${utf8Bytes(email.html)} B, text ${utf8Bytes(email.text)} B`);
  });

  it('keeps the head-of-sales email under 150 KB and says how many were left out', () => {
    const calls = [];
    const invoices = [];
    for (let i = 0; i < 5000; i++) {
      calls.push(callsRow(addDays(TODAY, -(i % 10)), `Менеджер ${i % 400} ${long(i).slice(0, 60)}`, i % 9, i % 11, i % 3, i % 5, long(i)));
      const issued = addDays(TODAY, -(i % 40));
      invoices.push(invoice({
        number: `С-${i}`, issueDate: d(issued), manager: `Менеджер ${i % 400} ${long(i).slice(0, 60)}`, client: long(i), channel: i % 5 === 0 ? `Канал ${i}` : 'Заявка',
        amount: 1000 + i, paymentDate: i % 3 === 0 ? d(TODAY) : '', paidAmount: i % 3 === 0 ? (i % 2 ? 500 : 1000 + i) : '',
      }));
    }
    for (let i = 0; i < 5000; i++) invoices.push(invoice({ number: long(i), issueDate: d(TODAY), amount: `много ${i}` }));
    const funnel = { ...FUNNEL, staleManagers: Array.from({ length: 5000 }, (_, i) => ({ manager: long(i), lastUpdate: null, daysSince: i })) };
    const report = computeHeadOfSalesReport({
      calls: callsRows(calls), invoices: invoiceRows(invoices), managers: [], settings: SETTINGS, funnel, now: at(TODAY, '19:45'), tz: TZ,
    });
    expect(report.overdue.length).toBeGreaterThan(1000);
    expect(report.earlierPayments.length).toBeGreaterThan(1000);
    const email = renderHeadOfSalesEmail(report, CTX);
    expect(utf8Bytes(email.html)).toBeLessThanOrEqual(GMAIL_CLIP_BYTES); // below MAX_EMAIL_BYTES too
    expect(utf8Bytes(email.text)).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    expect(email.html).toMatch(/… и ещё \d+/);
    expectSafe(email);
    console.info(`head-of-sales email from 15,000 rows: html ${utf8Bytes(email.html)} B, text ${utf8Bytes(email.text)} B`);
  });
});
