// The daily emails when something around them goes wrong (issue 13, items 9, 10, 15, 16): a deleted
// «Настройки», a mistyped address among good ones, a mail service that times out after delivering,
// and a trigger outage across the evening slot. Driven like production: the tick trigger's own
// firings, run as its creator.
import { describe, expect, it } from 'vitest';
import * as main from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { enableSchedule } from '../../src/jobs/schedule-admin';
import { composeReport } from '../../src/jobs/reports';
import { loadSettings } from '../../src/gas/settings';
import { markerKey } from '../../src/core/schedule';
import { fillDemoData } from '../../scripts/demo';
import { scheduleDriver } from '../support/schedule';
import { makeWorld, moscow } from '../support/env';

const ADMIN = 'admin@example.com';

function world(at: string) {
  const w = makeWorld({ at });
  runSetup(w.ss);
  fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
  setSetting(w.ss, 'Email администратора', ADMIN);
  enableSchedule(w.ss);
  const { fire, run, menu } = scheduleDriver(w);
  const sent = (prefix: string) => w.env.mail.outbox.filter((m) => m.subject.startsWith(prefix));
  const alerts = (re: RegExp) => w.env.mail.outbox.filter((m) => m.to === ADMIN && m.subject.startsWith('Продажи:') && re.test(`${m.subject}\n${m.body}`));
  return { ...w, fire, run, menu, sent, alerts };
}

function setSetting(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, name: string, value: string) {
  const sheet = ss.getSheetByName('Настройки')!;
  const names = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => r[0]);
  sheet.getRange(names.indexOf(name) + 1, 2).setValue(value);
}

function settingValue(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, name: string): unknown {
  const rows = ss.getSheetByName('Настройки')!.getDataRange().getValues();
  return rows.find((r) => r[0] === name)?.[1];
}

describe('a deleted «Настройки» and «Настроить таблицу» (item 9)', () => {
  it('comes back with the last known recipients, says from which copy, and the 19:45 email still reaches them', () => {
    const w = world('2026-11-23 10:00');
    setSetting(w.ss, 'Получатели отчёта РОП', 'rop@firma.ru, director@example.com');
    w.run('2026-11-23 10:55', '2026-11-23 11:10'); // the 11:00 tick reads «Настройки» and keeps a copy
    w.ss.deleteSheet(w.ss.getSheetByName('Настройки')!);
    w.env.ctx.clock.set(moscow('2026-11-23 15:00').getTime());
    w.menu(() => main.menuSetup());
    const told = w.env.ui.alerts.at(-1)!.prompt;
    expect(told).toMatch(/«Настройки» был создан заново и заполнен из сохранённой копии настроек от 23\.11\.2026 \d\d:\d\d \(последние прочитанные значения\)/);
    expect(settingValue(w.ss, 'Получатели отчёта РОП')).toBe('rop@firma.ru, director@example.com');
    expect(settingValue(w.ss, 'Email администратора')).toBe(ADMIN);
    w.run('2026-11-23 19:40', '2026-11-23 20:00');
    const rop = w.sent('Отчёт РОП за 23.11.2026');
    expect(rop).toHaveLength(1);
    expect(rop[0].to).toBe('rop@firma.ru,director@example.com');
  });

  it('a sheet left with nothing but defaults never replaces the copy: the emails keep going and the admin is told what to re-enter', () => {
    const w = world('2026-11-23 10:00');
    w.run('2026-11-23 10:55', '2026-11-23 11:10');
    // Someone recreates the sheet by hand, or an old version of setup did: every value a default.
    w.ss.deleteSheet(w.ss.getSheetByName('Настройки')!);
    const blank = w.ss.insertSheet('Настройки');
    blank.getRange(1, 1, 1, 3).setValues([['Параметр', 'Значение', 'Описание']]);
    w.run('2026-11-23 19:40', '2026-11-23 20:00');
    expect(w.sent('Отчёт РОП за 23.11.2026').map((m) => m.to)).toEqual(['director@example.com']);
    const alert = w.alerts(/только значения по умолчанию/);
    expect(alert).toHaveLength(1);
    expect(alert[0].body).toMatch(/«Получатели отчёта РОП» — director@example\.com/);
    // The empty sheet did not replace the copy: deleted again, «Настроить таблицу» rebuilds it from the copy.
    w.ss.deleteSheet(w.ss.getSheetByName('Настройки')!);
    w.menu(() => main.menuSetup());
    expect(settingValue(w.ss, 'Получатели отчёта секретаря')).toBe('director@example.com, office@example.com');
  });

  it('keeps a copy larger than one property (Cyrillic addresses: 2 bytes a letter) and restores it whole', () => {
    const w = world('2026-11-23 05:00');
    const many = Array.from({ length: 70 }, (_, i) => `сотрудник.отдела.продаж.${i}@компания-пример.рф`);
    const leaders = Array.from({ length: 70 }, (_, i) => `руководитель.направления.${i}@компания-пример.рф`);
    setSetting(w.ss, 'Получатели отчёта РОП', many.join(', '));
    setSetting(w.ss, 'Получатели отчёта секретаря', leaders.join(', '));
    // Over 9 KB of UTF-8 in one JSON value, though under 9,216 characters.
    const json = JSON.stringify(loadSettings(w.ss).settings);
    expect(Buffer.byteLength(json)).toBeGreaterThan(9 * 1024);
    expect(json.length).toBeLessThan(9 * 1024);
    w.run('2026-11-23 06:00', '2026-11-23 06:15'); // the 06:00 tick reads «Настройки» and keeps a copy
    expect(w.alerts(/ошибка/)).toEqual([]);
    w.ss.deleteSheet(w.ss.getSheetByName('Настройки')!);
    w.menu(() => main.menuSetup());
    expect(settingValue(w.ss, 'Получатели отчёта РОП')).toBe(many.join(', '));
    expect(settingValue(w.ss, 'Получатели отчёта секретаря')).toBe(leaders.join(', '));
  });
});

describe('a recipients cell with one bad address (item 10)', () => {
  it('still sends the 11:00 email to the good addresses, «Name <address>» included, and tells the admin which text is wrong', () => {
    const w = world('2026-11-23 10:00');
    setSetting(w.ss, 'Получатели отчёта секретаря', 'Секретарь <office@firma.ru>; rop@firma\ndirector@example.com');
    w.run('2026-11-23 10:55', '2026-11-23 11:10');
    const sent = w.sent('Отчёт секретаря за 22.11.2026');
    expect(sent).toHaveLength(1);
    expect(sent[0].to).toBe('office@firma.ru,director@example.com');
    const alert = w.alerts(/Настройк/);
    expect(alert).toHaveLength(1);
    expect(alert[0].body).toMatch(/«Получатели отчёта секретаря» = «[^»]*» — не похоже на email: «rop@firma»; пропущено, действуют остальные адреса: office@firma\.ru, director@example\.com/);
  });
});

describe('a mail service that times out after delivering (item 15)', () => {
  it('sends the 19:45 email once, never again that day, and asks the admin to check the mailbox', () => {
    const w = world('2026-11-23 18:00');
    w.run('2026-11-23 18:00', '2026-11-23 19:40'); // the day's other jobs (and the late 11:00 email)
    w.env.ctx.recorder.injectFault({ method: 'MailApp.sendEmail', nth: 1, phase: 'after', error: 'Service Gmail timed out' });
    w.run('2026-11-23 19:40', '2026-11-24 00:00');
    expect(w.sent('Отчёт РОП')).toHaveLength(1);
    const alert = w.alerts(/не подтверждена/);
    expect(alert).toHaveLength(1);
    expect(alert[0].body).toMatch(/Service Gmail timed out/);
    expect(alert[0].body).toMatch(/Продажи → Отчёты → Отправить … сейчас/);
    const marker = JSON.parse(PropertiesService.getScriptProperties().getProperty(markerKey('headOfSalesReport', '2026-11-23'))!);
    expect(marker.state).toBe('sending');
    // Nor the next morning: an email that may have gone out is not «missed».
    w.run('2026-11-24 00:00', '2026-11-24 12:30');
    expect(w.sent('Отчёт РОП за 23.11.2026')).toHaveLength(1);
    expect(w.alerts(/^Продажи: отчёты? не отправлен/)).toHaveLength(0);
  });

  it('«Отправить сейчас» says the outcome is unknown and asks before a second send', () => {
    const w = world('2026-11-23 12:00');
    w.env.ctx.recorder.injectFault({ method: 'MailApp.sendEmail', nth: 1, phase: 'after', error: 'Service error: Gmail' });
    w.menu(() => main.menuSendSecretary());
    expect(w.env.ui.alerts.at(-1)!.prompt).toMatch(/Отправка не подтверждена: сервис почты ответил «Service error: Gmail», а письмо могло уже уйти/);
    w.env.ui.respondNext('NO');
    w.menu(() => main.menuSendSecretary());
    expect(w.env.ui.alerts.some((a) => /не подтверждена: письмо могло уйти\. Проверьте почту получателей\. Отправить его ещё раз\?/.test(a.prompt))).toBe(true);
    expect(w.sent('Отчёт секретаря')).toHaveLength(1);
  });

  it('still retries a clear refusal, which sent nothing', () => {
    const w = world('2026-11-23 10:00');
    w.env.ctx.recorder.injectFault({ method: 'MailApp.sendEmail', nth: 1, error: 'Service invoked too many times in a short time: email. Try Utilities.sleep(1000) between calls.' });
    w.run('2026-11-23 10:55', '2026-11-23 11:10');
    expect(w.sent('Отчёт секретаря')).toHaveLength(1);
    expect(w.alerts(/не подтверждена/)).toHaveLength(0);
  });
});

describe('a trigger outage across the 19:45 slot (item 16)', () => {
  const outage = (from: string, to: string) => (t: number) => t >= moscow(from).getTime() && t < moscow(to).getTime();

  it('the first tick after it sends yesterday’s 19:45 email marked late, with yesterday’s figures', () => {
    const w = world('2026-11-23 00:00');
    // Марина's calls of the 24th, typed the next morning: not part of the 23rd.
    const calls = w.ss.getSheetByName('Звонки')!;
    calls.getRange(calls.getLastRow() + 1, 1, 1, 6).setValues([[moscow('2026-11-24 00:00'), 'Марина', 863, 1, 0, 0]]);
    w.run('2026-11-23 00:00', '2026-11-24 01:30', outage('2026-11-23 19:20', '2026-11-24 01:00'));
    const late = w.sent('Отчёт РОП');
    expect(late.map((m) => m.subject)).toEqual(['Отчёт РОП за 23.11.2026 (с опозданием)']);
    expect(late[0].sentAt).toBeGreaterThanOrEqual(moscow('2026-11-24 01:00').getTime());
    expect(late[0].sentAt).toBeLessThan(moscow('2026-11-24 01:10').getTime());
    expect(late[0].body).toMatch(/должно было уйти 23\.11\.2026 19:45/);
    expect(late[0].body).not.toContain('863');
    // Exactly what 19:45 would have shown, apart from the late notice and the time it was made.
    const onTime = w.env.ctx.recorder.quiet(() => composeReport('headOfSalesReport', w.ss, loadSettings(w.ss).settings, moscow('2026-11-23 19:45')));
    const figures = (text: string) => text.split('\n').filter((l) => l.trim() !== '' && !/опоздани|Сформировано/.test(l)).join('\n');
    expect(figures(late[0].body)).toBe(figures(onTime.text));
    // The rest of the morning sends nothing more, and nobody is alerted about it.
    w.run('2026-11-24 01:30', '2026-11-24 10:50');
    expect(w.sent('Отчёт РОП')).toHaveLength(1);
    expect(w.alerts(/^Продажи: отчёты? не отправлен/)).toHaveLength(0);
  });

  it('an outage from before 11:00 catches up both: the 11:00 one still reports on the day before', () => {
    const w = world('2026-11-23 00:00');
    w.run('2026-11-23 00:00', '2026-11-24 01:30', outage('2026-11-23 10:50', '2026-11-24 01:00'));
    expect(w.env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт')).map((m) => m.subject).sort()).toEqual([
      'Отчёт РОП за 23.11.2026 (с опозданием)',
      'Отчёт секретаря за 22.11.2026 (с опозданием)',
    ]);
  });

  it('too old by noon: the admin is told which email did not go out, once, and nothing stale is sent', () => {
    const w = world('2026-11-23 00:00');
    w.run('2026-11-23 00:00', '2026-11-24 14:00', outage('2026-11-23 19:20', '2026-11-24 12:30'));
    expect(w.sent('Отчёт РОП за 23.11.2026')).toHaveLength(0);
    const alert = w.alerts(/^Продажи: отчёты? не отправлен/);
    expect(alert).toHaveLength(1);
    expect(alert[0].body).toMatch(/Отчёт РОП за 23\.11\.2026 \(должен был уйти 23\.11\.2026 19:45\) — после этого времени расписание не запускалось/);
    // Today's emails are not affected.
    expect(w.sent('Отчёт секретаря за 23.11.2026')).toHaveLength(1);
  });

  it('a schedule switched on this morning does not send yesterday’s emails it was never running for', () => {
    const w = world('2026-11-24 08:00');
    w.run('2026-11-24 08:00', '2026-11-24 10:30');
    expect(w.env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт'))).toEqual([]);
    expect(w.alerts(/^Продажи: отчёты? не отправлен/)).toHaveLength(0);
  });

  it('a whole day without a single tick is reported too, never silently dropped', () => {
    const w = world('2026-11-23 00:00');
    w.run('2026-11-23 00:00', '2026-11-25 12:30', outage('2026-11-23 19:20', '2026-11-25 09:00'));
    const alert = w.alerts(/^Продажи: отчёты? не отправлен/);
    expect(alert).toHaveLength(1);
    for (const line of [
      /Отчёт РОП за 23\.11\.2026 \(должен был уйти 23\.11\.2026 19:45\)/,
      /Отчёт секретаря за 23\.11\.2026 \(должен был уйти 24\.11\.2026 11:00\) — в этот день расписание не запускалось ни разу/,
      /Отчёт РОП за 24\.11\.2026 \(должен был уйти 24\.11\.2026 19:45\) — в этот день расписание не запускалось ни разу/,
    ]) expect(alert[0].body).toMatch(line);
    expect(w.sent('Отчёт секретаря за 24.11.2026')).toHaveLength(1); // the 25th's own 11:00 email
  });
});
