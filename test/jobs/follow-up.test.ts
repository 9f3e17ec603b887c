// Issue 14 in the emulator, driven like production: the tick trigger's own firings as its creator, people's
// edits as simple triggers in LIMITED mode. What a manager, the secretary and the head of sales notice.
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { enableSchedule } from '../../src/jobs/schedule-admin';
import { markerKey, recipientMarkerKey } from '../../src/core/schedule';
import { columnLetter } from '../../src/core/header-map';
import { MOSCOW, toLocalDate } from '../../src/core/dates';
import { formatSetupReport } from '../../src/core/setup-report';
import { MAX_EMAIL_BYTES, utf8Bytes } from '../../src/core/reports';
import { fillDemoData } from '../../scripts/demo';
import { scheduleDriver } from '../support/schedule';
import { makeWorld, moscow } from '../support/env';

const A = templateByKey('analytics');
const colOf = (def: { columns: Array<{ key: string }> }, key: string) => def.columns.findIndex((c) => c.key === key) + 1;
const ADMIN = 'admin@example.com';
const MORNING = 'Кого дожать сегодня';

function world(at: string, opts: { demo?: boolean } = {}) {
  const w = makeWorld({ at });
  runSetup(w.ss);
  if (opts.demo !== false) fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
  else setSetting(w.ss, 'Email руководства', 'director@example.com');
  setSetting(w.ss, 'Email администратора', ADMIN);
  for (const person of ['manager@example.com', 'secretary@example.com']) w.ss.addEditor(person);
  enableSchedule(w.ss);
  const { fire, run, menu } = scheduleDriver(w);
  /** A person types; onEdit runs as them, as a simple trigger. */
  const type = (sheetName: string, a1: string, values: unknown[][], user = 'manager@example.com') => {
    const emu = w.env.world.getActive()!.getSheetByName(sheetName) as never;
    const e = w.env.world.userEdit(emu, a1, values, { user });
    w.env.beginExecution('simpleTrigger', { user });
    try { main.onEdit(e); } finally { w.env.endExecution(); }
  };
  const morning = () => w.env.mail.outbox.filter((m) => m.subject.startsWith(MORNING));
  const alerts = (re: RegExp) => w.env.mail.outbox.filter((m) => m.to === ADMIN && m.subject.startsWith('Продажи:') && re.test(`${m.subject}\n${m.body}`));
  return { ...w, fire, run, menu, type, morning, alerts };
}

function setSetting(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, name: string, value: string) {
  const sheet = ss.getSheetByName('Настройки')!;
  const names = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => r[0]);
  sheet.getRange(names.indexOf(name) + 1, 2).setValue(value);
}

describe('the morning email «Кого дожать сегодня»', () => {
  it('goes to each manager with an address at 10:00, once, with only their own leads and a link to each row', () => {
    const w = world('2026-11-24 05:00');
    w.run('2026-11-24 05:00', '2026-11-24 23:55');
    const sent = w.morning();
    expect(sent.map((m) => m.to).sort()).toEqual(['marina@example.com', 'svetlana@example.com']);
    for (const m of sent) {
      expect(m.sentAt).toBeGreaterThanOrEqual(moscow('2026-11-24 10:00').getTime());
      expect(m.sentAt).toBeLessThanOrEqual(moscow('2026-11-24 10:10').getTime());
      expect(utf8Bytes(m.htmlBody ?? '')).toBeLessThanOrEqual(MAX_EMAIL_BYTES);
    }
    const svetlana = sent.find((m) => m.to === 'svetlana@example.com')!;
    const marina = sent.find((m) => m.to === 'marina@example.com')!;
    expect(svetlana.subject).toBe('Кого дожать сегодня, 24.11.2026 — Светлана');
    // Вадим got the payment link two days ago; Марат is Марина's.
    expect(svetlana.body).toMatch(/• Вадим \(@vadim_store\) — Этап: Отправили ссылку и ждём оплату/);
    expect(svetlana.body).not.toContain('Марат');
    expect(marina.body).toContain('Марат');
    expect(marina.body).not.toContain('Вадим');
    const gid = w.ss.getSheetByName('Аналитика')!.getSheetId();
    expect(svetlana.htmlBody).toMatch(new RegExp(`href="https://docs\\.google\\.com/spreadsheets/d/[^"#]+/edit#gid=${gid}&amp;range=A\\d+"`));
    // Both markers of the day are final: nothing is due for the rest of the day.
    const props = PropertiesService.getScriptProperties();
    expect(JSON.parse(props.getProperty(markerKey('managersReport', '2026-11-24'))!).state).toBe('done');
    expect(JSON.parse(props.getProperty(recipientMarkerKey('managersReport', '2026-11-24', 'Марина <marina@example.com>'))!).state).toBe('done');
  });

  it('names a manager without an address in the 19:45 email instead', () => {
    const w = world('2026-11-24 19:00');
    w.run('2026-11-24 19:40', '2026-11-24 19:55');
    const rop = w.env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт РОП'));
    expect(rop).toHaveLength(1);
    expect(rop[0].body).toContain('Без адреса на листе «Менеджеры» — утреннее письмо «Кого дожать сегодня» им не уходит: Олег.');
    expect(w.morning().map((m) => m.to)).not.toContain('');
  });

  it('is never sent twice when the mail service times out after delivering; the other managers still get theirs', () => {
    const w = world('2026-11-24 09:00');
    w.run('2026-11-24 09:00', '2026-11-24 09:55');
    w.env.ctx.recorder.injectFault({ method: 'MailApp.sendEmail', nth: 1, phase: 'after', error: 'Service Gmail timed out' });
    w.run('2026-11-24 09:55', '2026-11-24 13:00');
    const byAddress = (to: string) => w.morning().filter((m) => m.to === to);
    expect(byAddress('svetlana@example.com')).toHaveLength(1); // delivered, then reported as failed
    expect(byAddress('marina@example.com')).toHaveLength(1);
    const alert = w.alerts(/не подтверждена/);
    expect(alert).toHaveLength(1);
    expect(alert[0].body).toMatch(/светлана <svetlana@example\.com>|svetlana@example\.com/i);
  });

  it('a 10:00 missed by every tick goes out later the same day marked late — and is not sent the next morning', () => {
    const w = world('2026-11-24 06:00');
    const outage = (t: number) => t >= moscow('2026-11-24 09:50').getTime() && t < moscow('2026-11-24 14:00').getTime();
    w.run('2026-11-24 06:00', '2026-11-24 15:00', outage);
    const late = w.morning();
    expect(late).toHaveLength(2);
    expect(late.every((m) => m.subject.endsWith('(с опозданием)') && m.sentAt >= moscow('2026-11-24 14:00').getTime())).toBe(true);
    expect(late[0].body).toMatch(/опоздани/);

    // A day whose ticks stopped before 10:00: the next morning brings that day's own list, not yesterday's.
    const next = world('2026-11-25 06:00');
    next.run('2026-11-25 06:00', '2026-11-25 09:00');
    next.run('2026-11-26 06:00', '2026-11-26 10:30');
    expect(next.morning().map((m) => m.subject.slice(0, 31))).toEqual(['Кого дожать сегодня, 26.11.2026', 'Кого дожать сегодня, 26.11.2026']);
    const told = next.alerts(/не отправлен/);
    expect(told).toHaveLength(1);
    expect(told[0].body).toMatch(/Письма менеджерам «Кого дожать сегодня» за 25\.11\.2026 \(должен был уйти 25\.11\.2026 10:00\)/);
  });

  it('can be previewed and sent from «Отчёты»; a second send the same day asks first', () => {
    const w = world('2026-11-24 09:30');
    w.menu(() => main.menuPreviewManagers());
    const dialog = w.env.ui.dialogs.at(-1)!;
    expect(dialog.title).toContain('Письма менеджерам «Кого дожать сегодня»');
    expect(dialog.html).toContain('Кому: svetlana@example.com');
    expect(dialog.html).toContain('Без адреса на листе «Менеджеры» — письмо не уйдёт: Олег.');
    w.menu(() => main.menuSendManagers());
    expect(w.morning()).toHaveLength(2);
    // The 10:00 tick counts them as the day's emails.
    w.run('2026-11-24 09:55', '2026-11-24 10:30');
    expect(w.morning()).toHaveLength(2);
    w.env.ui.respondNext('NO');
    w.menu(() => main.menuSendManagers());
    expect(w.env.ui.alerts.some((a) => /уже отправлены .* Отправить всем менеджерам ещё раз\?/.test(a.prompt))).toBe(true);
    expect(w.morning()).toHaveLength(2);
  });
});

describe('«Подвисла с» in «Аналитика»', () => {
  it('is set by the 06:00 sweep, coloured, and cleared by the manager’s next stage mark without an extra write', () => {
    const w = world('2026-11-24 05:00', { demo: false });
    const sheet = w.ss.getSheetByName('Аналитика')!;
    const row = (values: Record<string, unknown>) => A.columns.map((c) => values[c.key] ?? '');
    const base = { firstContactDate: moscow('2026-11-10'), manager: 'Светлана', name: 'Пётр', trafficSource: 'Гугл' };
    sheet.getRange(2, 1, 2, A.columns.length).setValues([
      row({ ...base, username: '@petr_shop', stageNegotiation: moscow('2026-11-18') }),
      row({ ...base, username: '@fresh_lead', stageNegotiation: moscow('2026-11-23') }),
    ]);
    w.run('2026-11-24 05:55', '2026-11-24 06:10');
    const cell = (r: number) => sheet.getRange(`${columnLetter(colOf(A, 'stuckSince'))}${r}`);
    expect(toLocalDate(cell(2).getValue() as Date, MOSCOW)).toBe('2026-11-21');
    expect(cell(3).getValue()).toBe('');
    const rules = sheet.getConditionalFormatRules().filter((r) => r.getBooleanCondition()?.getBackground() === '#ffd8a8');
    expect(rules).toHaveLength(1);

    // The same stage mark on the stuck lead and on the fresh one costs the same Range calls.
    const cost = (r: number) => {
      w.env.ctx.recorder.reset();
      w.type('Аналитика', `${columnLetter(colOf(A, 'stageDeciding'))}${r}`, [['x']]);
      return w.env.ctx.recorder.rangeIo();
    };
    w.env.ctx.clock.set(moscow('2026-11-24 11:00').getTime());
    w.type('Аналитика', `${columnLetter(colOf(A, 'projectInfo'))}4`, [['разогрев кэша справочников']]);
    expect(cost(2)).toBe(cost(3));
    expect(cell(2).getValue()).toBe('');
  });
});

describe('«Аналитика» on edit: what is mandatory', () => {
  it('flags an empty «Менеджер» and «Источник трафика», and a Telegram nick another row already has', () => {
    const w = world('2026-11-24 12:00', { demo: false });
    const end = columnLetter(A.columns.length);
    const lead = (values: Record<string, unknown>) => A.columns.map((c) => values[c.key] ?? '');
    w.type('Аналитика', `A2:${end}2`, [lead({ firstContactDate: '24.11.2026', manager: 'Светлана', name: 'Первый', username: '@same_nick', trafficSource: 'Гугл' })]);
    w.type('Аналитика', `A3:${end}3`, [lead({ firstContactDate: '24.11.2026', name: 'Второй' })]);
    const problems = (r: number) => String(w.ss.getSheetByName('Аналитика')!.getRange(`${columnLetter(colOf(A, 'problems'))}${r}`).getValue());
    expect(problems(3)).toBe('Не указан менеджер; Не указан источник трафика');
    w.type('Аналитика', `${columnLetter(colOf(A, 'username'))}3`, [['t.me/Same_Nick']]);
    expect(problems(3)).toContain('Ник @Same_Nick уже есть в строке 2');
    w.type('Аналитика', `${columnLetter(colOf(A, 'username'))}3`, [['@other_nick']]);
    expect(problems(3)).not.toContain('уже есть');
  });
});

describe('«Отчёт секретаря»: times of a new row', () => {
  const S = templateByKey('secretaryLog');
  const cellOf = (key: string, r: number) => `${columnLetter(colOf(S, key))}${r}`;

  it('stamps date and time on a new row left without them, never over what the secretary typed', () => {
    const w = world('2026-11-24 09:00', { demo: false });
    const sheet = w.ss.getSheetByName('Отчёт секретаря')!;
    w.env.ctx.clock.set(moscow('2026-11-24 09:17').getTime());
    w.type('Отчёт секретаря', cellOf('client', 2), [['Ирина Маслова']], 'secretary@example.com');
    expect(sheet.getRange(cellOf('dateTime', 2)).getValue()).toEqual(moscow('2026-11-24 09:17'));
    w.type('Отчёт секретаря', cellOf('dateTime', 3), [['24.11.2026 08:05']], 'secretary@example.com');
    w.env.ctx.clock.set(moscow('2026-11-24 09:30').getTime());
    w.type('Отчёт секретаря', cellOf('client', 3), [['Олег Ткачёв']], 'secretary@example.com');
    expect(sheet.getRange(cellOf('dateTime', 3)).getValue()).toEqual(moscow('2026-11-24 08:05'));
  });

  it('turns an «x» in «Перезвонили в» into the time, and the 11:00 email shows how fast clients were answered', () => {
    const w = world('2026-11-23 10:00', { demo: false });
    const secretary = 'secretary@example.com';
    w.env.ctx.clock.set(moscow('2026-11-23 10:00').getTime());
    w.type('Отчёт секретаря', `A2:${cellOf('outcome', 2)}`, [[
      '23.11.2026 10:00', 'Заявка с сайта', 'Мария', '', 'maria@example.com', '', '', 'Да', 'Тариф', 'Марина', '', 'Заявка оформлена',
    ]], secretary);
    w.env.ctx.clock.set(moscow('2026-11-23 10:07').getTime());
    w.type('Отчёт секретаря', cellOf('calledBackAt', 2), [['x']], secretary);
    expect(w.ss.getSheetByName('Отчёт секретаря')!.getRange(cellOf('calledBackAt', 2)).getValue()).toEqual(moscow('2026-11-23 10:07'));
    w.type('Отчёт секретаря', `A3:${cellOf('outcome', 3)}`, [[
      '23.11.2026 15:00', 'Входящий звонок', 'Денис', '', '+7 999 000-00-00', '', '', 'Нет', 'Счёт', 'Олег', '15:06', 'Консультация',
    ]], secretary);
    w.type('Отчёт секретаря', cellOf('calledBackAt', 3), [['15:40']], secretary);
    w.run('2026-11-24 10:55', '2026-11-24 11:10');
    const email = w.env.mail.outbox.find((m) => m.subject.startsWith('Отчёт секретаря за 23.11.2026'))!;
    expect(email.body).toContain('Перезвонили клиенту: 1 из 2 за 10\u202fмин; медиана 23,5\u202fмин');
    expect(email.body).toContain('Перевели на менеджера: 0 из 1 за 2\u202fмин; медиана 6\u202fмин');
    expect(email.body).toMatch(/• 15:00 \(строка 3\) — Клиент: Денис; Менеджер: Олег; Что: перезвон \(Входящий звонок\); Ждал: 40\u202fмин/);
  });
});

describe('«Счета»: a payment entered late reaches the next 19:45 email', () => {
  it('stamps «Оплата внесена» when a payment is typed and lists a payment dated yesterday as «внесено с опозданием»', () => {
    const w = world('2026-11-23 19:00', { demo: false });
    const I = templateByKey('invoices');
    const cellOf = (key: string, r: number) => `${columnLetter(colOf(I, key))}${r}`;
    const sheet = w.ss.getSheetByName('Счета')!;
    sheet.getRange(2, 1, 1, 6).setValues([['С-1', moscow('2026-11-20'), 'Олег', 'ИП Громова', 'Заявка', 550]]);
    w.run('2026-11-23 19:40', '2026-11-23 19:55');
    expect(w.env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт РОП за 23.11.2026'))).toHaveLength(1);
    // Paid on the 23rd, typed the next morning.
    w.env.ctx.clock.set(moscow('2026-11-24 09:20').getTime());
    w.type('Счета', cellOf('paymentDate', 2), [['23.11.2026']]);
    w.type('Счета', cellOf('paidAmount', 2), [['550']]);
    expect(sheet.getRange(cellOf('paymentEnteredAt', 2)).getValue()).toEqual(moscow('2026-11-24 09:20'));
    expect(sheet.getRange(cellOf('status', 2)).getValue()).toBe('Оплачен');
    w.run('2026-11-24 19:40', '2026-11-24 19:55');
    const rop = w.env.mail.outbox.find((m) => m.subject.startsWith('Отчёт РОП за 24.11.2026'))!;
    expect(rop.body).toContain('Внесено с опозданием: 1 на 550,00\u202fEUR');
    expect(rop.body).toContain('• С-1 (строка 2) — Дата оплаты: 23.11.2026; Внесено: 24.11.2026 09:20; Менеджер: Олег; Оплачено: 550,00\u202fEUR');
  });
});

describe('«Менеджеры»: one place for names, emails and commission', () => {
  it('setup creates it, takes over the names an older «Справочники» held, and the dropdowns read it', () => {
    const w = makeWorld({ at: '2026-11-24 12:00' });
    // «Справочники» as an earlier version made it: the managers' column first, the reasons of that time.
    const old = w.ss.insertSheet('Справочники');
    const headers = ['Менеджеры', ...templateByKey('lists').columns.map((c) => c.header)];
    const reasonsCol = headers.indexOf('Причины отказа') + 1;
    old.getRange(1, 1, 1, headers.length).setValues([headers]);
    old.getRange(2, 1, 2, 1).setValues([['Светлана'], ['Олег']]);
    old.getRange(2, reasonsCol, 2, 1).setValues([['Дорого / не устроила цена'], ['Дубль']]);
    const text = formatSetupReport(runSetup(w.ss));
    const managers = w.ss.getSheetByName('Менеджеры')!;
    expect(managers.getRange(1, 1, 3, 1).getValues().map((r) => r[0])).toEqual(['Менеджер', 'Светлана', 'Олег']);
    expect(text).toContain('Имена менеджеров (2) перенесены из «Справочники» → «Менеджеры» на новый лист «Менеджеры»');
    // The seed's distinct reasons join the team's list; their own values stay.
    const reasons = old.getRange(2, reasonsCol, old.getLastRow() - 1, 1).getValues().map((r) => r[0]);
    expect(reasons).toEqual(['Дорого / не устроила цена', 'Дубль', 'Нет денег', 'Не устроила цена', 'Некорректные данные', 'Не оставлял заявку']);
    const rule = w.ss.getSheetByName('Аналитика')!.getRange(`${columnLetter(colOf(A, 'manager'))}2`).getDataValidation()!;
    expect(rule.getAllowInvalid()).toBe(false);
    expect((rule.getCriteriaValues()[0] as GoogleAppsScript.Spreadsheet.Range).getSheet().getName()).toBe('Менеджеры');
    // Nothing moves twice.
    runSetup(w.ss);
    expect(managers.getLastRow()).toBe(3);
  });
});
