// Bad input beyond the column catalogue: broken «Настройки», sheets renamed or deleted, headers removed
// or repeated, 50,000-character cells, emptied reference sheets, a spreadsheet in another time zone.
// Each must give a Russian message that names what is wrong and where, and lose nothing anyone typed.
import { afterAll, describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { MOSCOW, toLocalDate } from '../../src/core/dates';
import {
  a1, ADMIN, cellValue, colOf, demoWorld, fingerprint, firstDifference, mails, markDailyJobsDone, moscow, setSetting, Tally, useOnEdit,
  type RWorld,
} from './harness';

const tally = new Tally('bad-input');
afterAll(() => tally.write());
useOnEdit(main.onEdit);

const A = templateByKey('analytics');
const SECTION = 'Неверные данные';

function badInput(title: string, fn: () => void): void {
  it(title, () => {
    let ok = false;
    try { fn(); ok = true; } finally { tally.record(SECTION, title, ok); }
  });
}

const alertsOf = (w: RWorld, from = 0) => w.env.ui.alerts.slice(from).map((a) => a.prompt).join('\n');
const lastDialog = (w: RWorld) => (w.env.ui.dialogs.at(-1)?.html ?? '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
const sheetValues = (w: RWorld, name: string) => w.quiet(() => w.sheet(name).getDataRange().getValues());
const menu = (w: RWorld, fn: () => void) => w.exec('menu', fn);
function edit(w: RWorld, sheet: string, cell: string, values: unknown[][]): unknown {
  const e = w.env.world.userEdit(w.emu.getSheetByName(sheet) as never, cell, values);
  return w.exec('simpleTrigger', () => main.onEdit(e));
}

describe('«Настройки» with bad values', () => {
  badInput('испорченные «Настройки» (плохой email, 25:00, −3 дня): каждая ошибка названа, значения остаются, админ предупреждён', () => {
    const w = demoWorld('2026-11-23 19:46');
    setSetting(w, 'Email руководства', 'boss@, director@example.com');
    setSetting(w, 'Время отчёта РОП', '25:00');
    setSetting(w, 'Дней до Ожидания', '-3');
    setSetting(w, 'Получатели отчёта секретаря', 'office@example.com; not-an-email');
    const expected = [
      /«Email руководства» = «boss@, director@example\.com» — не похоже на email: «boss@»/,
      /«Время отчёта РОП» = «25:00» — нужно время в формате ЧЧ:ММ; действует значение по умолчанию «19:45»/,
      /«Дней до Ожидания» = «-3» — нужно целое число от 1 до 30; действует значение по умолчанию «3»/,
      /«Получатели отчёта секретаря» = «office@example\.com; not-an-email» — не похоже на email: «not-an-email»/,
    ];
    menu(w, () => main.menuSetup());
    for (const re of expected) expect(alertsOf(w)).toMatch(re);
    menu(w, () => main.menuCheck());
    for (const re of expected) expect(lastDialog(w)).toMatch(re);
    // The schedule tells the admin before anything goes out on a default nobody chose.
    w.exec('installableTrigger', () => main.onTick());
    const alert = w.env.mail.outbox.find((m) => m.to === ADMIN && m.subject.includes('Настройк'));
    for (const re of expected) expect(alert?.body).toMatch(re);
    // What was typed stays typed.
    const settings = sheetValues(w, 'Настройки').map((r) => String(r[1]));
    expect(settings).toEqual(expect.arrayContaining(['boss@, director@example.com', '25:00', '-3', 'office@example.com; not-an-email']));
  });

  badInput('лист «Настройки» удалён: «отправить сейчас» объясняет почему, расписание работает с последними настройками и пишет админу', () => {
    const w = demoWorld('2026-11-23 11:01');
    markDailyJobsDone(w);
    w.quiet(() => w.ss.deleteSheet(w.sheet('Настройки')));
    menu(w, () => main.menuPreviewSecretary());
    w.exec('installableTrigger', () => main.onTick());
    // The managers' 10:00 emails, not sent yet today, go out late with the same settings.
    expect(mails(w).reports).toEqual([
      'director@example.com,office@example.com | Отчёт секретаря за 22.11.2026',
      'marina@example.com | Кого дожать сегодня, 23.11.2026 — Марина (с опозданием)',
      'svetlana@example.com | Кого дожать сегодня, 23.11.2026 — Светлана (с опозданием)',
    ]);
    const alert = w.env.mail.outbox.find((m) => m.to === ADMIN && m.subject.includes('Настройк'));
    expect(alert?.body).toMatch(/Нет листа «Настройки»: действуют настройки, прочитанные последними/);
    w.setTime('2026-11-23 19:50');
    const from = w.env.ui.alerts.length;
    w.env.ui.respondNext('YES');
    menu(w, () => main.menuSendHeadOfSales());
    expect(alertsOf(w, from)).toMatch(/Не отправлено: нет получателей[^]*Нет листа «Настройки»/);
  });
});

describe('sheets renamed or deleted, headers removed or repeated', () => {
  badInput('«Аналитика» переименована: каждое меню называет найденный лист, данные в нём не тронуты', () => {
    const w = demoWorld();
    w.quiet(() => w.sheet(A.name).setName('Аналитика (старая)'));
    const before = fingerprint(w, { valuesOnly: true });
    for (const fn of [main.menuRecalc, main.menuSweep, main.menuFunnel, main.menuPartners, main.menuCheck]) {
      const from = w.env.ui.alerts.length;
      menu(w, () => fn());
      expect(alertsOf(w, from)).toMatch(/Нет листа «Аналитика»\. Есть лист «Аналитика \(старая\)» — если это он, верните ему имя «Аналитика»/);
    }
    const old = w.quiet(() => w.sheet('Аналитика (старая)').getRange(a1('stagePaid', 2)).getValue());
    expect(edit(w, 'Аналитика (старая)', a1('stagePaid', 2), [['+']])).toBeUndefined();
    expect(w.quiet(() => w.sheet('Аналитика (старая)').getRange(a1('stagePaid', 2)).getValue())).toBe('+');
    w.quiet(() => w.sheet('Аналитика (старая)').getRange(a1('stagePaid', 2)).setValue(old));
    expect(firstDifference(fingerprint(w, { valuesOnly: true }), before)).toBeNull(); // nothing but the typed «+»
    menu(w, () => main.menuSetup());
    expect(alertsOf(w)).toMatch(/Лист «Аналитика» не найден и создан заново, пустым\. Есть лист «Аналитика \(старая\)»/);
  });

  badInput('заголовок «Оплата» стёрт: пересчёт и правка ничего не пишут и называют колонку, «Настроить таблицу» её возвращает', () => {
    const w = demoWorld();
    w.quiet(() => w.sheet(A.name).getRange(1, colOf('stagePaid')).setValue(''));
    const before = fingerprint(w, { valuesOnly: true });
    const before2 = cellValue(w, 'stageNegotiation', 2);
    menu(w, () => main.menuRecalc());
    expect(alertsOf(w)).toMatch(/Не получилось: В листе «Аналитика» нет колонки «Оплата» — запустите «Настроить таблицу»[^]*Ничего не изменено/);
    expect(edit(w, A.name, a1('stageNegotiation', 2), [['x']])).toBeUndefined();
    expect(w.emu.toasts.at(-1)?.message).toMatch(/нет колонки «Оплата»/);
    expect(cellValue(w, 'stageNegotiation', 2)).toBe('x'); // kept as typed, not processed through a broken map
    menu(w, () => main.menuSweep());
    expect(alertsOf(w)).toMatch(/Не получилось: В листе «Аналитика» нет колонки «Оплата»/);
    w.quiet(() => w.sheet(A.name).getRange(a1('stageNegotiation', 2)).setValue(before2));
    expect(firstDifference(fingerprint(w, { valuesOnly: true }), before)).toBeNull(); // nothing but the typed «x»
    menu(w, () => main.menuCheck());
    expect(lastDialog(w)).toMatch(/нет колонки «Оплата»/);
    menu(w, () => main.menuSetup());
    expect(alertsOf(w)).toMatch(/добавлены колонки «Оплата»/);
  });

  badInput('две колонки «Промокод»: пересчёт отказывается и называет буквы колонок, диалог проверки тоже', () => {
    const w = demoWorld();
    w.quiet(() => w.sheet(A.name).getRange(1, colOf('name')).setValue('Промокод'));
    const before = fingerprint(w, { valuesOnly: true });
    menu(w, () => main.menuRecalc());
    expect(alertsOf(w)).toMatch(/колонка «Промокод» встречается 2 раза \(C, G\) — оставьте одну/);
    expect(firstDifference(fingerprint(w, { valuesOnly: true }), before)).toBeNull();
    menu(w, () => main.menuCheck());
    expect(lastDialog(w)).toMatch(/колонка «Промокод» встречается 2 раза \(C, G\)/);
  });
});

describe('extreme values and emptied reference sheets', () => {
  badInput('ячейка в 50 000 символов: правка, пересчёт, партнёры, отчёты и журнал работают, текст не обрезан', () => {
    const w = demoWorld();
    const big = `${'Ж'.repeat(49_980)} конец текста`;
    const row = w.quiet(() => sheetValues(w, A.name).findIndex((r) => r[colOf('partner') - 1] === 'Татьяна' && r[colOf('stagePaid') - 1] !== '') + 1);
    expect(edit(w, A.name, a1('name', row), [[big]])).toBeUndefined();
    expect(edit(w, A.name, a1('projectInfo', row), [[big]])).toBeUndefined();
    menu(w, () => main.menuRecalc());
    menu(w, () => main.menuPartners());
    w.setTime('2026-11-23 19:50');
    menu(w, () => main.menuSendHeadOfSales());
    expect(alertsOf(w)).not.toMatch(/Не получилось/);
    expect(cellValue(w, 'name', row)).toBe(big);
    const file = w.env.world.all().find((f) => f.name === 'Аффилейт — Татьяна')!;
    const rows = w.quiet(() => (file as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet).getSheets()[0].getDataRange().getValues());
    expect(rows.some((r) => r[1] === big && r[3] === big)).toBe(true);
    expect(w.env.mail.outbox.at(-1)!.htmlBody!.length).toBeLessThan(150_000);
  });

  badInput('«Промокоды» и «Тарифы» очищены: промокоды и партнёры в строках остаются, проблема названа с листом', () => {
    const w = demoWorld();
    const before = sheetValues(w, A.name);
    for (const name of ['Промокоды', 'Тарифы']) w.quiet(() => { const s = w.sheet(name); s.getRange(2, 1, s.getLastRow() - 1, s.getLastColumn()).clearContent(); });
    menu(w, () => main.menuRecalc());
    const after = sheetValues(w, A.name);
    for (const key of ['promoCode', 'partner', 'discountPercent', 'name', 'username', 'paidAmount']) {
      expect(after.map((r) => r[colOf(key) - 1]), key).toEqual(before.map((r) => r[colOf(key) - 1]));
    }
    expect(String(after[4][colOf('problems') - 1])).toMatch(/Промокод «prosto5» не найден в листе «Промокоды»/);
    menu(w, () => main.menuCheck());
    expect(lastDialog(w)).toMatch(/Лист «Промокоды» пуст/);
    expect(lastDialog(w)).toMatch(/Лист «Тарифы» пуст/);
  });

  badInput('таблица в другом часовом поясе: проверка и расписание предупреждают, «Настроить таблицу» возвращает Москву', () => {
    const w = demoWorld('2026-11-23 10:00');
    markDailyJobsDone(w);
    w.quiet(() => w.ss.setSpreadsheetTimeZone('Asia/Tokyo'));
    expect(edit(w, A.name, a1('stageNegotiation', 2), [['21.11.2026']])).toBeUndefined();
    menu(w, () => main.menuCheck());
    expect(lastDialog(w)).toMatch(/Часовой пояс таблицы — Asia\/Tokyo, а нужен Europe\/Moscow: введённые даты могут сдвинуться на день/);
    w.quiet(() => PropertiesService.getDocumentProperties().setProperty('funnel:stale', '1'));
    w.setTime('2026-11-23 10:05');
    w.exec('installableTrigger', () => main.onTick());
    expect(w.env.mail.outbox.find((m) => m.to === ADMIN)?.body).toMatch(/Часовой пояс таблицы — Asia\/Tokyo/);
    menu(w, () => main.menuSetup());
    expect(w.quiet(() => w.ss.getSpreadsheetTimeZone())).toBe(MOSCOW);
    expect(toLocalDate(moscow('2026-11-23 10:00'), MOSCOW)).toBe('2026-11-23');
  });
});
