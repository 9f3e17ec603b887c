import { describe, expect, it } from 'vitest';
import { createContext } from '../../emulator/context';
import { ExecutionState } from '../../emulator/services/execution';
import { createMailApp, MAIL_ERRORS } from '../../emulator/services/mail';
import { createHtmlService } from '../../emulator/services/html';
import { createUi, UI_CONTEXT_ERROR } from '../../emulator/services/ui';
import { createLogger, LogSink } from '../../emulator/services/logger';
import { createUtilities } from '../../emulator/services/utilities';

const T0 = Date.UTC(2026, 10, 23, 8, 0); // 11:00 in Moscow

describe('MailApp', () => {
  it('sends with recipient, subject and body', () => {
    const mail = createMailApp(createContext({ now: T0 }));
    mail.sendEmail('boss@example.com', 'Отчёт', 'Текст');
    expect(mail.outbox).toHaveLength(1);
    expect(mail.outbox[0]).toMatchObject({ to: 'boss@example.com', subject: 'Отчёт', body: 'Текст', htmlBody: null, sentAt: T0 });
  });

  it('takes options, the message object and the replyTo overload', () => {
    const mail = createMailApp(createContext({ now: T0 }));
    mail.sendEmail('a@example.com', 'S', 'B', { htmlBody: '<b>B</b>', name: 'Продажи', cc: 'c@example.com', bcc: 'd@example.com', replyTo: 'r@example.com' });
    mail.sendEmail({ to: 'e@example.com', subject: 'S2', body: 'B2', htmlBody: '<i>B2</i>' });
    mail.sendEmail('f@example.com', 'reply@example.com', 'S3', 'B3');
    expect(mail.outbox[0]).toMatchObject({ cc: 'c@example.com', bcc: 'd@example.com', name: 'Продажи', htmlBody: '<b>B</b>', replyTo: 'r@example.com' });
    expect(mail.outbox[1]).toMatchObject({ to: 'e@example.com', htmlBody: '<i>B2</i>' });
    expect(mail.outbox[2]).toMatchObject({ to: 'f@example.com', replyTo: 'reply@example.com', subject: 'S3', body: 'B3' });
  });

  it('charges the quota per recipient', () => {
    const mail = createMailApp(createContext({ now: T0 }), 100);
    mail.sendEmail('a@example.com, b@example.com', 'S', 'B', { cc: 'c@example.com', bcc: 'd@example.com' });
    expect(mail.getRemainingDailyQuota()).toBe(96);
  });

  it('a spent mail quota throws the real error', () => {
    const mail = createMailApp(createContext({ now: T0 }), 2);
    mail.sendEmail('a@example.com, b@example.com', 'S', 'B');
    expect(mail.getRemainingDailyQuota()).toBe(0);
    expect(() => mail.sendEmail('c@example.com', 'S', 'B')).toThrow('Service invoked too many times for one day: email.');
    expect(mail.outbox).toHaveLength(1);
  });

  it('gives the quota back 24 hours after the first send', () => {
    const ctx = createContext({ now: T0 });
    const mail = createMailApp(ctx, 3);
    mail.sendEmail('a@example.com', 'S', 'B');
    ctx.clock.advance(12 * 3_600_000);
    mail.sendEmail('b@example.com, c@example.com', 'S', 'B');
    expect(mail.getRemainingDailyQuota()).toBe(0);
    ctx.clock.advance(12 * 3_600_000);
    expect(mail.getRemainingDailyQuota()).toBe(3);
  });

  it('refuses an invalid address and a message without recipients', () => {
    const mail = createMailApp(createContext());
    expect(() => mail.sendEmail('not-an-address', 'S', 'B')).toThrow('Invalid email: not-an-address');
    expect(() => mail.sendEmail({ subject: 'S', body: 'B' })).toThrow(MAIL_ERRORS.noRecipient);
    expect(mail.outbox).toHaveLength(0);
  });

  it('fails where a fault is injected, sending nothing', () => {
    const ctx = createContext();
    const mail = createMailApp(ctx);
    ctx.recorder.injectFault({ method: 'MailApp.sendEmail', nth: 1, error: 'Service unavailable: Gmail' });
    expect(() => mail.sendEmail('a@example.com', 'S', 'B')).toThrow('Service unavailable: Gmail');
    expect(mail.outbox).toHaveLength(0);
    expect(mail.getRemainingDailyQuota()).toBe(100);
  });

  it('exports a multipart/alternative .eml with encoded subject and UTF-8 bodies', () => {
    const ctx = createContext({ now: T0, userEmail: 'owner@example.com' });
    const mail = createMailApp(ctx);
    const subject = 'Сводка отдела продаж за 23.11.2026 — длинная тема письма, чтобы проверить перенос';
    mail.sendEmail('boss@example.com', subject, 'Всего лидов: 5', { htmlBody: '<p>Всего лидов: <b>5</b></p>', name: 'Отдел продаж' });
    const eml = mail.toEml(mail.outbox[0]);
    const [head, ...rest] = eml.split('\r\n\r\n');
    expect(head).toMatch(/^From: =\?UTF-8\?B\?[^?]+\?= <owner@example\.com>$/m);
    expect(head).toMatch(/^To: boss@example\.com$/m);
    expect(head).toMatch(/^Date: Mon, 23 Nov 2026 11:00:00 \+0300$/m);
    expect(head).toMatch(/^Content-Type: multipart\/alternative; boundary="/m);
    for (const line of head.split('\r\n')) expect(line.length).toBeLessThanOrEqual(998);
    // The folded encoded-words decode back to the subject.
    const subjectHeader = /^Subject: ([\s\S]*?)\r\n(?=\S)/m.exec(head)![1];
    const decoded = [...subjectHeader.matchAll(/=\?UTF-8\?B\?([^?]+)\?=/g)].map((m) => Buffer.from(m[1], 'base64').toString('utf8')).join('');
    expect(decoded).toBe(subject);
    for (const w of subjectHeader.match(/=\?[^ ]+\?=/g)!) expect(w.length).toBeLessThanOrEqual(75);
    const body = rest.join('\r\n\r\n');
    expect(body).toContain('Content-Type: text/plain; charset="UTF-8"');
    expect(body).toContain('Content-Type: text/html; charset="UTF-8"');
    const parts = [...body.matchAll(/Content-Transfer-Encoding: base64\r\n\r\n([A-Za-z0-9+/=\r\n]+?)\r\n--/g)].map((m) => Buffer.from(m[1].replace(/\r\n/g, ''), 'base64').toString('utf8'));
    expect(parts).toEqual(['Всего лидов: 5', '<p>Всего лидов: <b>5</b></p>']);
  });

  it('puts attachments in a multipart/mixed message', () => {
    const ctx = createContext({ now: T0 });
    const mail = createMailApp(ctx);
    const blob = createUtilities(ctx).newBlob('a;b\n1;2', 'text/csv', 'report.csv');
    mail.sendEmail('a@example.com', 'S', 'B', { attachments: [blob] });
    const eml = mail.toEml(mail.outbox[0]);
    expect(eml).toMatch(/Content-Type: multipart\/mixed/);
    expect(eml).toContain('Content-Disposition: attachment; filename="report.csv"');
  });
});

describe('HtmlService', () => {
  it('builds an output with title, size and appended content', () => {
    const html = createHtmlService(createContext());
    const out = html.createHtmlOutput('<p>a</p>').setTitle('Проверка').setWidth(640).setHeight(480).append('<p>b</p>').appendUntrusted('<script>');
    expect(out.getContent()).toBe('<p>a</p><p>b</p>&lt;script&gt;');
    expect(out.getTitle()).toBe('Проверка');
    expect([out.getWidth(), out.getHeight()]).toEqual([640, 480]);
    out.setContent('x');
    expect(out.getContent()).toBe('x');
  });

  it('evaluates scriptlets with pushed variables, escaping printed values', () => {
    const html = createHtmlService(createContext());
    const t = html.createTemplate('<ul><? for (const p of problems) { ?><li><?= p ?></li><? } ?></ul><?!= raw ?>');
    t.problems = ['<b>', 'ok & fine'];
    t.raw = '<hr>';
    expect(t.evaluate().getContent()).toBe('<ul><li>&lt;b&gt;</li><li>ok &amp; fine</li></ul><hr>');
  });

  it('lets scriptlets reach the script globals', () => {
    const html = createHtmlService(createContext());
    html.templateScope = { greet: (n: string) => `Привет, ${n}` };
    const t = html.createTemplate('<?= greet(name) ?>');
    t.name = 'Анна';
    expect(t.evaluate().getContent()).toBe('Привет, Анна');
  });

  it('exposes the sandbox and frame enums', () => {
    const html = createHtmlService(createContext());
    expect(String(html.SandboxMode.IFRAME)).toBe('IFRAME');
    expect(String(html.XFrameOptionsMode.ALLOWALL)).toBe('ALLOWALL');
  });
});

describe('Ui', () => {
  const setup = () => {
    const ctx = createContext({ now: T0 });
    const execution = new ExecutionState(T0);
    execution.begin('menu', T0);
    return { ctx, execution, ui: createUi(ctx, execution), html: createHtmlService(ctx) };
  };

  it('installs a menu with items, separators and submenus', () => {
    const { ui } = setup();
    const sub = ui.createMenu('Отчёты').addItem('Превью', 'menuPreview');
    ui.createMenu('Продажи').addItem('Настроить', 'menuSetup').addSeparator().addSubMenu(sub).addToUi();
    expect(ui.menus).toEqual([{ caption: 'Продажи', items: [
      { caption: 'Настроить', functionName: 'menuSetup' }, { separator: true },
      { caption: 'Отчёты', items: [{ caption: 'Превью', functionName: 'menuPreview' }] },
    ] }]);
  });

  it('answers alerts OK/YES by default and with scripted answers', () => {
    const { ui } = setup();
    expect(ui.alert('Готово')).toBe(ui.Button.OK);
    expect(ui.alert('Заголовок', 'Отправить?', ui.ButtonSet.YES_NO)).toBe(ui.Button.YES);
    ui.respondNext('NO');
    expect(ui.alert('Заголовок', 'Отправить?', ui.ButtonSet.YES_NO)).toBe(ui.Button.NO);
    expect(ui.alerts.map((a) => a.prompt)).toEqual(['Готово', 'Отправить?', 'Отправить?']);
  });

  it('returns scripted prompt text', () => {
    const { ui } = setup();
    ui.respondNext('PROMO10');
    const r = ui.prompt('Код?');
    expect(r.getResponseText()).toBe('PROMO10');
    expect(r.getSelectedButton()).toBe(ui.Button.OK);
  });

  it('records dialogs with their html and title', () => {
    const { ui, html } = setup();
    ui.showModalDialog(html.createHtmlOutput('<p>x</p>').setWidth(640), 'Проблемы');
    ui.showSidebar(html.createHtmlOutput('<p>s</p>').setTitle('Справка'));
    expect(ui.dialogs.map((d) => [d.kind, d.title, d.html, d.width])).toEqual([
      ['modal', 'Проблемы', '<p>x</p>', 640], ['sidebar', 'Справка', '<p>s</p>', null]]);
  });

  it('lets a simple trigger build menus but not show alerts', () => {
    const { ui, execution } = setup();
    execution.begin('simpleTrigger', T0);
    expect(() => ui.forScript().createMenu('Продажи').addItem('a', 'b').addToUi()).not.toThrow();
    expect(() => ui.alert('x')).toThrow(UI_CONTEXT_ERROR);
  });

  it('has no UI at all in a time-driven trigger', () => {
    const { ui, execution } = setup();
    execution.begin('installableTrigger', T0);
    expect(() => ui.forScript()).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
  });
});

describe('Logger', () => {
  it('keeps log lines and formats like Java', () => {
    const ctx = createContext();
    const sink = new LogSink(ctx);
    const logger = createLogger(ctx, sink);
    logger.log('Лидов: %s', 5);
    logger.log({ a: 1 });
    expect(logger.getLog()).toBe('Лидов: 5\n{"a":1}');
    expect(sink.lines.map((l) => l.text)).toEqual(['Лидов: 5', '{"a":1}']);
    expect(ctx.recorder.counts.get('Logger.log')).toBe(2);
  });
});
