import { describe, expect, it } from 'vitest';
import { computeSecretaryReport, renderSecretaryEmail } from '../../src/core/reports';
import { at, contact, CTX, secretaryRows, TZ } from './fixtures';

// Sent on Monday 23.11.2026 at 11:00: covers Sunday 22.11, compared with Saturday 21.11.
const MONDAY_11 = at('2026-11-23', '11:00');

const LOG = secretaryRows([
  // Saturday
  contact('2026-11-21', '10:00', { client: 'Анна', newClient: 'Да', outcome: 'Заявка оформлена', transferredTo: 'Светлана' }),
  contact('2026-11-21', '12:00', { channel: 'Заявка с сайта', client: 'Борис' }),
  // Sunday
  contact('2026-11-22', '09:00', { client: 'Вера', contact: '+7 916 111-22-33', newClient: 'Да', outcome: 'Заявка оформлена', transferredTo: 'Светлана' }),
  contact('2026-11-22', '10:00', { client: 'Глеб', contact: '8 (926) 555-44-33', newClient: 'Да', outcome: 'Перезвонить', transferredTo: 'Олег' }),
  contact('2026-11-22', '11:00', { channel: 'Заявка с сайта', client: 'Дина', newClient: 'Да', transferredTo: 'Марина' }),
  contact('2026-11-22', '12:00', { channel: 'Входящее письмо', client: 'Егор', outcome: 'Спам' }),
  contact('2026-11-22', '13:00', { channel: 'Заявка с сайта', client: 'Жанна', newClient: 'да', outcome: 'Заявка оформлена', transferredTo: 'светлана ' }),
  // Typed as text instead of a date-time cell.
  { ...contact('2026-11-22', '00:00', { channel: 'Звонок на консультацию', client: 'Кира' }), dateTime: '22.11.2026 16:30' },
  // Monday morning: Глеб calls back under another name, same phone → his «Перезвонить» is closed.
  contact('2026-11-23', '09:30', { client: 'Глеб Иванов', contact: '+7 926 555 44 33' }),
  // Older callbacks: Зоя still waits; Игорь got a later contact (same name, another case).
  contact('2026-11-18', '15:00', { client: 'Зоя', contact: 'zoya@example.com', outcome: 'Перезвонить', transferredTo: 'Марина', request: 'Тариф Pro' }),
  contact('2026-11-19', '10:00', { client: 'Игорь', contact: 'igor@example.com', outcome: 'Перезвонить' }),
  contact('2026-11-20', '10:00', { client: 'игорь' }),
  // Not understood, and an empty row.
  { dateTime: 'вчера', client: 'Кто-то' },
  {},
]);

describe('computeSecretaryReport', () => {
  const report = computeSecretaryReport({ rows: LOG, now: MONDAY_11, tz: TZ, managers: ['Светлана', 'Марина', 'Олег'] });

  it("covers the previous Moscow day: Monday's report is about Sunday, compared with Saturday", () => {
    expect(report.day).toBe('2026-11-22');
    expect(report.previousDay).toBe('2026-11-21');
    expect(report.total).toBe(6);
    expect(report.previousTotal).toBe(2);
    expect(report.noRows).toBe(false);
  });

  it('counts contacts by channel with the change against the day before', () => {
    expect(report.byChannel).toEqual([
      { channel: 'Входящий звонок', count: 2, previousCount: 1, delta: 1 },
      { channel: 'Заявка с сайта', count: 2, previousCount: 1, delta: 1 },
      { channel: 'Входящее письмо', count: 1, previousCount: 0, delta: 1 },
      { channel: 'Звонок на консультацию', count: 1, previousCount: 0, delta: 1 },
    ]);
  });

  it('counts new clients and how many of them became requests', () => {
    expect(report.newClients).toBe(4);
    expect(report.newClientRequests).toBe(2);
    expect(report.newClientRequestPercent).toBe(50);
  });

  it('counts transfers per manager whatever the case and spacing of the name', () => {
    expect(report.transfers).toEqual([
      { manager: 'Светлана', count: 2, requests: 2 },
      { manager: 'Марина', count: 1, requests: 0 },
      { manager: 'Олег', count: 1, requests: 0 },
    ]);
    expect(report.notTransferred).toBe(2);
  });

  it('keeps a «Перезвонить» open until a later row for the same phone, email or name', () => {
    expect(report.openCallbacks.map((c) => [c.client, c.date, c.ageDays, c.manager])).toEqual([['Зоя', '2026-11-18', 5, 'Марина']]);
  });

  it('lists a row it cannot read with its sheet row number', () => {
    expect(report.unparsed).toHaveLength(1);
    expect(report.unparsed[0]).toMatchObject({ sheet: 'Отчёт секретаря', rowNumber: 14 });
    expect(report.unparsed[0].reason).toContain('«вчера»');
  });

  it('renders the summary a reader expects', () => {
    const email = renderSecretaryEmail(report, CTX);
    expect(email.subject).toBe('Отчёт секретаря за 22.11.2026');
    expect(email.text).toContain('Отчёт секретаря за 22.11.2026, воскресенье');
    expect(email.text).toContain('• Входящий звонок — За день: 2; Накануне: 1; Изменение: +1');
    expect(email.text).toContain('Новых клиентов: 4, из них оформили заявку: 2 (50,0\u202f%).');
    expect(email.text).toContain('• Светлана — Передано: 2; Из них заявок: 2');
    expect(email.text).toContain('18.11.2026 15:00 (ждёт 5\u202fдней)');
    expect(email.text).toContain('«Отчёт секретаря», строка 14');
    expect(email.text).not.toContain('Внимание');
    expect(email.html).toContain('Зоя');
  });
});

describe('secretary summary of a day with no rows', () => {
  const rows = secretaryRows([
    contact('2026-11-20', '10:00', { client: 'Анна' }),
    contact('2026-11-20', '11:00', { client: 'Борис', channel: 'Входящее письмо' }),
  ]);
  const report = computeSecretaryReport({ rows, now: at('2026-11-22', '11:00'), tz: TZ });

  it('says plainly that the log is empty for the day', () => {
    expect(report.noRows).toBe(true);
    const email = renderSecretaryEmail(report, CTX);
    expect(email.text).toContain('Внимание: за 21.11.2026 в «Отчёте секретаря» нет ни одной записи.');
    expect(email.html).toContain('Внимание: за 21.11.2026');
  });

  it('still shows the drop against the day before', () => {
    expect(report.previousTotal).toBe(2);
    const email = renderSecretaryEmail(report, CTX);
    expect(email.text).toContain('Накануне, 20.11.2026: 2 (изменение \u22122)');
    expect(email.text).toContain('• Входящее письмо — За день: 0; Накануне: 1; Изменение: \u22121');
  });

  it('does not treat an empty log as an error', () => {
    const empty = computeSecretaryReport({ rows: [], now: at('2026-11-22', '11:00'), tz: TZ });
    expect(empty.noRows).toBe(true);
    expect(empty.newClientRequestPercent).toBeNull();
    expect(renderSecretaryEmail(empty, CTX).text).toContain('Новых клиентов за день не было.');
  });
});

describe('secretary summary day boundaries', () => {
  it('puts a contact at 23:59 Moscow into its own day and 00:01 into the next', () => {
    const rows = secretaryRows([
      contact('2026-11-22', '23:59', { client: 'Поздний' }),
      contact('2026-11-23', '00:01', { client: 'Ранний' }),
    ]);
    const report = computeSecretaryReport({ rows, now: at('2026-11-23', '11:00'), tz: TZ });
    expect(report.total).toBe(1);
    expect(report.previousTotal).toBe(0);
  });
});
