// Issue 15: the first run, as people do it, in the strict emulator with the built bundle (dist/Code.js)
// called the way Google calls it. An empty spreadsheet owned by the owner → the owner opens it (onOpen,
// the «Продажи» menu) → «Настроить таблицу» → the «Мастер настройки» dialog → its server function
// saves leadership, managers, recipients, times and currency → «Автоматизация ▸ Включить расписание» →
// a manager (another account, editor of the file) types the first lead into «Аналитика», each cell a
// simple onEdit run by her → the clock goes through the day and the installed tick fires where Google
// fires it → the first emails, once each. Every execution loads the bundle afresh, as Apps Script does.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../scripts/build.mjs';
import { createGasEnvironment, type GasEnvironment } from '../emulator/index';
import { loadBundle } from '../emulator/bundle';
import type { EmuSheet } from '../emulator/spreadsheet/sheet';
import type { EmuSpreadsheet } from '../emulator/spreadsheet/spreadsheet';
import type { SentMail } from '../emulator/services/mail';
import { projectManifest } from './support/manifest';
import { moscow } from './support/env';

const OWNER = 'owner@example.com';
const BOSS = 'boss@example.com';
const MARINA = 'marina@example.com';
const OLEG = 'oleg@example.com';
const TODAY = '23.11.2026';

let code = '';
beforeAll(async () => {
  await buildBundle();
  code = readFileSync('dist/Code.js', 'utf8');
}, 60_000);

type Kind = 'menu' | 'simpleTrigger' | 'installableTrigger';

/** One world for the whole walk: each `it` is the next step of the same first day. */
const w = (() => {
  let env: GasEnvironment;
  let ss: EmuSpreadsheet;
  return {
    get env() { return env; },
    get ss() { return ss; },
    create() {
      env = createGasEnvironment({ seed: 7, manifest: projectManifest(), userEmail: OWNER, now: moscow('2026-11-23 09:00').getTime() });
      ss = env.world.createSpreadsheet('Продажи', { owner: OWNER });
      env.world.setActive(ss);
      // The owner shares the file with the team before anything else (Google: «Предоставить доступ»).
      for (const email of [BOSS, MARINA, OLEG]) ss.acl.addEditor(email);
    },
  };
})();

/** Runs a top-level function of a freshly loaded bundle in one execution. */
function run(kind: Kind, who: { user?: string; trigger?: unknown }, fn: string, ...args: unknown[]): unknown {
  w.env.beginExecution(kind, who as never);
  try {
    return loadBundle(code, w.env).call(fn, ...args);
  } finally {
    w.env.endExecution();
  }
}

const click = (user: string, fn: string, ...args: unknown[]) => run('menu', { user }, fn, ...args);
const lastAlert = () => w.env.ui.alerts.at(-1)!;
const quiet = <T>(fn: () => T): T => w.env.ctx.recorder.quiet(fn);
const snapshot = () => JSON.stringify([w.env.world.serialize(), w.env.properties.serialize(), w.env.triggers.list(), w.env.mail.outbox.length]);

function sheet(name: string): EmuSheet {
  const s = w.ss.sheet(name);
  if (!s) throw new Error(`no sheet ${name}`);
  return s;
}

function rows(name: string): string[][] {
  const s = sheet(name);
  return s.rangeOf({ row: 1, col: 1, numRows: s.store.lastContent().row, numCols: s.store.lastContent().col }).peekDisplayValues();
}

const setting = (name: string) => rows('Настройки').find((r) => r[0] === name)?.[1];

/** The cells of «Аналитика» row `row`, by header, as a person sees them. */
function lead(row: number): Record<string, string> {
  const all = rows('Аналитика');
  return Object.fromEntries(all[0].map((h, i) => [h, all[row - 1]?.[i] ?? '']));
}

function columnOf(header: string): string {
  const i = rows('Аналитика')[0].indexOf(header);
  expect(i, header).toBeGreaterThanOrEqual(0);
  return String.fromCharCode(65 + i);
}

/** A person types one cell; Google then runs the simple onEdit as that person. */
function type(user: string, sheetName: string, a1: string, value: string): void {
  const event = w.env.world.userEdit(sheet(sheetName), a1, [[value]], { user });
  run('simpleTrigger', { user }, 'onEdit', event);
}

/** Every firing of the installed tick in [from, to) (Moscow), each run as its creator; `twice`: Google doubled it. */
function ticks(from: string, to: string, twice: (time: number) => boolean = () => false): number {
  let n = 0;
  for (const f of w.env.triggers.dueBetween(moscow(from).getTime(), moscow(to).getTime())) {
    const trigger = w.env.triggers.list().find((t) => t.uid === f.triggerUid)!;
    for (const time of twice(f.time) ? [f.time, f.time + 1_000] : [f.time]) {
      w.env.ctx.clock.set(time);
      run('installableTrigger', { trigger }, f.handler, f.event);
      n++;
    }
  }
  return n;
}

/** Non-breaking and narrow spaces (before «%», in «1 200») as plain ones, for readable expectations. */
const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');
const moscowTime = (ms: number) => new Date(ms).toLocaleTimeString('ru-RU', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit' });
const within10 = (m: SentMail, slot: string) => {
  expect(m.sentAt, m.subject).toBeGreaterThanOrEqual(moscow(`2026-11-23 ${slot}`).getTime());
  expect(m.sentAt - moscow(`2026-11-23 ${slot}`).getTime(), m.subject).toBeLessThanOrEqual(10 * 60_000);
};

const ANSWERS = {
  settings: {
    leadershipEmails: BOSS,
    secretaryRecipients: 'office@example.com',
    headOfSalesRecipients: `rop@example.com, ${BOSS}`,
    adminEmails: 'admin@example.com',
    managersReportTime: '10:00',
    secretaryReportTime: '11:00',
    headOfSalesReportTime: '19:45',
    currency: 'usd',
  },
  managers: [
    { name: 'Марина', email: MARINA, commissionPercent: '7', commissionFixed: '', active: 'Да' },
    { name: 'Олег', email: OLEG, commissionPercent: '', commissionFixed: '', active: 'Да' },
  ],
};

describe('the first run: empty spreadsheet → wizard → a manager\'s first edit → the first emails', () => {
  it('the owner opens the empty spreadsheet: onOpen adds the «Продажи» menu', () => {
    w.create();
    expect(w.ss.sheets.map((s) => s.name)).toEqual(['Лист1']);
    run('simpleTrigger', { user: OWNER }, 'onOpen', { source: w.ss });
    expect(w.env.ui.menus.map((m) => m.caption)).toEqual(['Продажи']);
    const items = w.env.ui.menus[0].items as Array<{ caption?: string; functionName?: string; items?: Array<{ caption: string; functionName: string }> }>;
    expect(items.find((i) => i.caption === 'Настроить таблицу')?.functionName).toBe('menuSetup');
    expect(items.find((i) => i.caption === 'Мастер настройки')?.functionName).toBe('menuWizard');
    expect(items.find((i) => i.caption === 'Автоматизация')?.items?.find((i) => i.caption === 'Включить расписание')?.functionName).toBe('menuScheduleOn');
    // Nothing was created just by opening it.
    expect(w.ss.sheets.map((s) => s.name)).toEqual(['Лист1']);
  });

  it('a manager clicking «Настроить таблицу» first is refused in Russian, and nothing changes', () => {
    const before = snapshot();
    click(MARINA, 'menuSetup');
    const refusal = lastAlert();
    expect(refusal.title).toBe('Настроить таблицу');
    expect(refusal.prompt).toBe(`«Настроить таблицу» может запускать только владелец таблицы (${OWNER}) — в «Настройки» → «Email руководства» пока никто не указан. `
      + `Вы вошли как ${MARINA}. Настройка меняет защиту листов, поэтому её запускает владелец или руководство. Ничего не изменено.`);
    expect(w.env.ui.dialogs).toEqual([]);
    expect(snapshot()).toBe(before);
  });

  it('the owner runs «Настроить таблицу»: the sheets appear and the «Мастер настройки» dialog opens', () => {
    click(OWNER, 'menuSetup');
    const report = lastAlert();
    expect(report.title).toBe('Настроить таблицу');
    expect(report.prompt).toMatch(/^Созданы листы: Аналитика, Воронка, Отчёт секретаря, Звонки, Счета, Аффилейты, Менеджеры, Промокоды, Партнёры, Тарифы, Справочники, Настройки, Журнал\./);
    expect(report.prompt).toContain('Удалён пустой лист «Лист1»');
    expect(report.prompt).toContain('Лист «Менеджеры» пуст');
    expect(w.ss.sheets.map((s) => s.name)).toEqual(expect.arrayContaining(['Аналитика', 'Менеджеры', 'Настройки', 'Журнал']));
    expect(w.ss.sheet('Лист1')).toBeUndefined();
    // The wizard opens by itself: nobody is named as leadership yet.
    expect(w.env.ui.dialogs).toHaveLength(1);
    const dialog = w.env.ui.dialogs[0];
    expect(dialog.title).toBe('Мастер настройки');
    expect(dialog.html).toContain('google.script.run');
    expect(dialog.html).toContain('.wizardSubmit(collect())');
    // Every answer this walk gives has its field in the form.
    for (const key of Object.keys(ANSWERS.settings)) expect(dialog.html, key).toContain(`name="s:${key}"`);
    for (const key of Object.keys(ANSWERS.managers[0])) expect(dialog.html, key).toContain(`data-key="${key}"`);
    expect(dialog.html).toContain('value="19:45"');
    expect(dialog.html).toContain('value="EUR"');
    // Empty «Настройки»: no leadership, the defaults.
    expect(setting('Email руководства')).toBe('');
    expect(rows('Менеджеры').slice(1).filter((r) => r.some((v) => v !== ''))).toEqual([]);
  });

  it('the dialog\'s «Сохранить» (wizardSubmit as the owner) fills «Настройки» and «Менеджеры» and protects them', () => {
    const result = click(OWNER, 'wizardSubmit', ANSWERS) as { ok: boolean; errors: string[]; message: string };
    expect(result.errors).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.message).toContain('«Настройки»: 5 параметров изменено — «Email руководства», «Получатели отчёта секретаря», «Получатели отчёта РОП», «Email администратора», «Валюта».');
    expect(result.message).toContain('«Менеджеры»: 2 менеджера добавлены — «Марина», «Олег».');
    expect(result.message).toContain(`только владелец таблицы (${OWNER}) и руководство (${BOSS})`);

    expect(setting('Email руководства')).toBe(BOSS);
    expect(setting('Получатели отчёта секретаря')).toBe('office@example.com');
    expect(setting('Получатели отчёта РОП')).toBe(`rop@example.com, ${BOSS}`);
    expect(setting('Email администратора')).toBe('admin@example.com');
    expect(setting('Время писем менеджерам')).toBe('10:00');
    expect(setting('Время отчёта секретаря')).toBe('11:00');
    expect(setting('Время отчёта РОП')).toBe('19:45');
    expect(setting('Валюта')).toBe('USD');
    const managers = rows('Менеджеры');
    expect(managers[0]).toEqual(['Менеджер', 'Email', 'Комиссия, %', 'Комиссия, фикс.', 'Активен']);
    expect(managers.slice(1).filter((r) => r[0] !== '').map((r) => [r[0], r[1], r[4]])).toEqual([['Марина', MARINA, 'Да'], ['Олег', OLEG, 'Да']]);
    expect(managers[1][2]).toMatch(/^7/);

    // The protections name the new leadership: the boss and the owner, nobody else.
    quiet(() => {
      const SHEET = w.env.globals.SpreadsheetApp.ProtectionType.SHEET;
      for (const name of ['Настройки', 'Менеджеры']) {
        const p = (w.ss as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet).getSheetByName(name)!.getProtections(SHEET)[0];
        expect(p.getEditors().map((u) => u.getEmail()).sort(), name).toEqual([BOSS, OWNER]);
      }
    });
    // A manager cannot type into them; the boss can.
    expect(() => w.env.world.userEdit(sheet('Настройки'), 'B2', [['x@example.com']], { user: MARINA })).toThrow(/protected/i);
    expect(setting('Получатели отчёта секретаря')).toBe('office@example.com');
    expect(() => w.env.world.userEdit(sheet('Менеджеры'), 'A4', [['Я']], { user: OLEG })).toThrow(/protected/i);
  });

  it('a manager trying «Настроить таблицу» now is refused in Russian and nothing changes', () => {
    const before = snapshot();
    const dialogs = w.env.ui.dialogs.length;
    click(MARINA, 'menuSetup');
    expect(lastAlert().prompt).toContain(`«Настроить таблицу» может запускать только владелец таблицы (${OWNER}) или руководство`);
    expect(lastAlert().prompt).toContain(BOSS);
    expect(lastAlert().prompt).toContain(`Вы вошли как ${MARINA}`);
    expect(lastAlert().prompt).toContain('Ничего не изменено.');
    expect(w.env.ui.dialogs).toHaveLength(dialogs);
    // Nor may she save the wizard's answers through its server function.
    const r = click(MARINA, 'wizardSubmit', { settings: { leadershipEmails: MARINA } }) as { ok: boolean; errors: string[] };
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toContain('Ничего не изменено');
    expect(snapshot()).toBe(before);
  });

  it('the owner enables the schedule: one 5-minute tick trigger, run as the owner', () => {
    click(OWNER, 'menuScheduleOn');
    expect(lastAlert().title).toBe('Расписание');
    expect(lastAlert().prompt).toBe(`Расписание включено: проверка раз в 5 минут.\nТриггеры работают от имени: ${OWNER}. Письма уходят с этого адреса.`);
    const triggers = w.env.triggers.list();
    expect(triggers.map((t) => [t.handler, t.eventType, t.owner, t.clock?.everyMinutes])).toEqual([['onTick', 'CLOCK', OWNER, 5]]);
    // Clicked again: still one.
    click(OWNER, 'menuScheduleOn');
    expect(lastAlert().prompt).toContain('уже включено');
    expect(w.env.triggers.list()).toHaveLength(1);
  });

  it('Марина types her first lead into «Аналитика», cell by cell; onEdit fills the computed cells', () => {
    w.env.ctx.clock.set(moscow('2026-11-23 09:40').getTime());
    const headers = rows('Аналитика')[0];
    expect(headers.slice(0, 6)).toEqual(['Дата первого взаимодействия', 'Менеджер', 'Имя', 'Телеграм username', 'Аккаунт', 'Источник трафика']);
    const at = (h: string) => `${columnOf(h)}2`;

    type(MARINA, 'Аналитика', at('Дата первого взаимодействия'), TODAY);
    // A half-typed row is flagged in Russian, nothing is deleted.
    expect(lead(2)['Проблемы']).toBe('Не указано имя; Не указан менеджер; Не указан источник трафика');
    expect(lead(2)['Обновлено']).toBe(`${TODAY} 09:40`);
    type(MARINA, 'Аналитика', at('Менеджер'), 'Марина');
    type(MARINA, 'Аналитика', at('Имя'), 'Иван Петров');
    type(MARINA, 'Аналитика', at('Телеграм username'), '@ivan_petrov');
    expect(lead(2)['Проблемы']).toBe('Не указан источник трафика');
    type(MARINA, 'Аналитика', at('Источник трафика'), 'Гугл');
    expect(lead(2)['Проблемы']).toBe('');
    w.env.ctx.clock.set(moscow('2026-11-23 09:42').getTime());
    type(MARINA, 'Аналитика', at('Первичный контакт'), '+');

    const row = lead(2);
    expect(row['Дата первого взаимодействия']).toBe(TODAY);
    expect(row['Менеджер']).toBe('Марина');
    expect(row['Имя']).toBe('Иван Петров');
    expect(row['Телеграм username']).toBe('@ivan_petrov');
    expect(row['Источник трафика']).toBe('Гугл');
    // The «+» became today's Moscow date, a real date in the cell.
    expect(row['Первичный контакт']).toBe(TODAY);
    const mark = sheet('Аналитика').rangeByA1(at('Первичный контакт')).peekValues()[0][0];
    expect(mark).toBeInstanceOf(Date);
    expect((mark as Date).getTime()).toBe(moscow('2026-11-23 00:00').getTime());
    expect(row['Текущий этап']).toBe('Первичный контакт');
    expect(row['Последний контакт']).toBe(TODAY);
    expect(row['Проблемы']).toBe('');
    expect(row['Обновлено']).toBe(`${TODAY} 09:42`);
    // The individual number comes with «Оплата»: not yet.
    expect(row['Индивидуальный номер']).toBe('');
    expect(row['Оплата']).toBe('');
    expect(row['Подвисла с']).toBe('');
    // Only row 2 was touched.
    expect(rows('Аналитика').slice(2).every((r) => r.every((v) => v === ''))).toBe(true);
  });

  it('the day goes by: the tick sends the morning email to each manager at 10:00, the secretary summary at 11:00, the РОП summary at 19:45', () => {
    expect(w.env.mail.outbox).toEqual([]);
    // Google sometimes runs a trigger twice: every firing in the 10 minutes after a slot is doubled.
    const slots = ['10:00', '11:00', '19:45'].map((t) => moscow(`2026-11-23 ${t}`).getTime());
    const fired = ticks('2026-11-23 09:42', '2026-11-23 20:00', (t) => slots.some((s) => t >= s && t < s + 10 * 60_000));
    expect(fired).toBeGreaterThan(120);
    const mails = w.env.mail.outbox;
    expect(mails.map((m) => [moscowTime(m.sentAt), m.to, m.subject])).toEqual([
      [expect.stringMatching(/^10:0\d$/), MARINA, `Кого дожать сегодня, ${TODAY} — Марина`],
      [expect.stringMatching(/^10:0\d$/), OLEG, `Кого дожать сегодня, ${TODAY} — Олег`],
      [expect.stringMatching(/^11:0\d$/), 'office@example.com', 'Отчёт секретаря за 22.11.2026'],
      [expect.stringMatching(/^19:(4[5-9]|5\d)$/), `rop@example.com,${BOSS}`, `Отчёт РОП за ${TODAY}`],
    ]);
    for (const m of mails) {
      expect(m.from, m.subject).toBe(OWNER);
      expect(m.cc, m.subject).toBe('');
      expect(m.htmlBody, m.subject).toMatch(/^<!DOCTYPE html>|<html|<div|<table/i);
      expect(Buffer.byteLength(m.htmlBody ?? '', 'utf8'), m.subject).toBeLessThanOrEqual(150 * 1024);
      expect(m.body, m.subject).toContain('Открыть таблицу: https://docs.google.com/spreadsheets/d/');
      expect(m.body, m.subject).toMatch(/Сформировано автоматически 23\.11\.2026 \d\d:\d\d \(время московское\)\./);
    }
    const [marina, oleg, secretary, rop] = mails.map((m) => ({ ...m, body: spaces(m.body) }));
    within10(marina, '10:00');
    within10(oleg, '10:00');
    within10(secretary, '11:00');
    within10(rop, '19:45');
    // Марина's lead is fresh: nothing to chase yet, and the email says so in Russian.
    expect(marina.body).toContain('Кого дожать сегодня — Марина');
    expect(marina.body).toContain('Сегодня дожимать некого');
    expect(oleg.body).toContain('Кого дожать сегодня — Олег');
    // Yesterday nobody logged anything: said explicitly.
    expect(secretary.body).toContain('(!) Внимание: за 22.11.2026 в «Отчёте секретаря» нет ни одной записи.');
    expect(secretary.body).toContain('Всего обращений за день: 0');
    // The evening summary counts Марина's lead, in the currency the wizard set.
    expect(rop.body).toContain('Новых лидов сегодня: 1');
    // Олег was added by the wizard this morning: on the table's first day nobody is «ни разу» stale.
    expect(rop.body).not.toContain('(ни разу)');
    expect(rop.body).toContain('Конверсия лидов за 30 дней: 0,0 % (0 из 1)');
    expect(rop.body).toMatch(/• Марина — Сегодня: 1 → 0 \(0,0 %\); 30 дней: 1 → 0/);
    expect(rop.body).toMatch(/• Олег — Сегодня: 0 → 0;/);
    expect(rop.body).toContain('Выставлено счетов: 0 на 0,00 USD');
    expect(rop.body).toContain('Ставка: 7 %');
    expect(rop.body).toContain('(!) Не заполнили «Звонки» к 19:30: Марина, Олег.');
    expect(rop.htmlBody).toContain('Марина');
    // The daily partner sync made each seeded partner's own file; with no address in «Партнёры» and no
    // paid lead, none is shared with anybody and none holds a row.
    const partnerFiles = w.env.world.all().filter((x) => x !== w.ss);
    expect(partnerFiles.length).toBeGreaterThan(0);
    for (const f of partnerFiles) {
      expect(f.name).toMatch(/^Аффилейт — /);
      expect([f.acl.viewerList(), f.acl.editorList()], f.name).toEqual([[], [OWNER]]);
    }
    // No failure alert went to the admin.
    expect(mails.filter((m) => m.to.includes('admin@example.com'))).toEqual([]);
  });

  it('running the ticks again — the rest of the evening, each firing doubled — sends nothing twice', () => {
    const sent = w.env.mail.outbox.length;
    const fired = ticks('2026-11-23 20:00', '2026-11-24 00:00', () => true);
    expect(fired).toBeGreaterThan(90);
    expect(w.env.mail.outbox).toHaveLength(sent);
    // The manager's edits reached «Журнал» through the schedule (onEdit could not write the protected log).
    const journal = rows('Журнал');
    expect(journal.some((r) => r.includes('Аналитика') && r.includes('Иван Петров'))).toBe(true);
  });
});
