// «Мастер настройки» (issue 15 part 1) in the strict emulator: menu runs and the dialog's server
// function run as the clicking person, protections stop the writes of people who may not edit.
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import type { WizardResult } from '../../src/jobs/wizard';
import { makeWorld, isWriteCall } from '../support/env';

const OWNER = 'owner@example.com';
const BOSS = 'boss@example.com';
const MANAGER = 'manager@example.com';
const M = templateByKey('managers');

type GSS = GoogleAppsScript.Spreadsheet.Spreadsheet;

function team(opts: { setup?: boolean } = {}) {
  const w = makeWorld({ at: '2026-11-23 10:00' });
  const emu = w.env.world.getActive()!;
  emu.acl.addEditor(BOSS);
  emu.acl.addEditor(MANAGER);
  if (opts.setup !== false) runSetup(w.ss);
  const as = <T>(user: string, fn: () => T): T => {
    w.env.beginExecution('menu', { user });
    try { return fn(); } finally { w.env.endExecution(); }
  };
  const submit = (user: string, answers: unknown): WizardResult => as(user, () => main.wizardSubmit(answers));
  const quiet = <T>(fn: () => T): T => w.env.ctx.recorder.quiet(fn);
  const settingValue = (name: string) => quiet(() => w.ss.getSheetByName('Настройки')!.getDataRange().getValues().find((r) => r[0] === name)?.[1]);
  const managers = () => quiet(() => w.ss.getSheetByName(M.name)!.getDataRange().getValues().slice(1).filter((r) => r.some((v) => v !== '')));
  const snapshot = () => JSON.stringify([w.env.world.serialize(), w.env.properties.serialize()]);
  const alerts = () => w.env.ui.alerts.map((a) => a.prompt).join('\n');
  return { ...w, emu, as, submit, quiet, settingValue, managers, snapshot, alerts };
}

function setSetting(ss: GSS, name: string, value: string) {
  const sheet = ss.getSheetByName('Настройки')!;
  const names = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => r[0]);
  sheet.getRange(names.indexOf(name) + 1, 2).setValue(value);
}

/** A manager row as a person typed it on «Менеджеры», by column key. */
function typeManager(ss: GSS, row: number, values: Record<string, unknown>) {
  const sheet = ss.getSheetByName(M.name)!;
  for (const [key, value] of Object.entries(values)) sheet.getRange(row, M.columns.findIndex((c) => c.key === key) + 1).setValue(value);
}

const GOOD = {
  settings: { leadershipEmails: 'boss@example.com', headOfSalesRecipients: 'rop@example.com, boss@example.com', headOfSalesReportTime: '20:00', currency: 'usd', idleDays: '4' },
  managers: [
    { name: 'Марина', email: 'marina@example.com', commissionPercent: '7', commissionFixed: '50', active: 'Да' },
    { name: 'Олег', email: '', commissionPercent: '', commissionFixed: '', active: '' },
  ],
};

describe('«Мастер настройки» opens', () => {
  it('after the first «Настроить таблицу», while «Настройки» names no leadership — and not once it does', () => {
    const w = team({ setup: false });
    w.as(OWNER, () => main.menuSetup());
    expect(w.alerts()).toContain('Созданы листы');
    const dialog = w.env.ui.dialogs.at(-1)!;
    expect(dialog.title).toBe('Мастер настройки');
    expect(dialog.html).toContain('Таблица подготовлена');
    expect(dialog.html).toContain('wizardSubmit');
    expect(w.submit(OWNER, GOOD).ok).toBe(true);
    const shown = w.env.ui.dialogs.length;
    w.as(OWNER, () => main.menuSetup());
    expect(w.env.ui.dialogs.length).toBe(shown);
  });

  it('shows the current values of «Настройки» and «Менеджеры», escaped', () => {
    const w = team();
    w.quiet(() => {
      setSetting(w.ss, 'Email руководства', BOSS);
      setSetting(w.ss, 'Время отчёта секретаря', '10:30');
      setSetting(w.ss, 'Получатели отчёта РОП', 'rop@example.com');
      typeManager(w.ss, 2, { name: 'Марина <b>', email: 'marina@example.com', commissionPercent: 7, commissionFixed: 50, active: 'Да' });
    });
    runSetup(w.ss); // the boss into the protections
    w.as(BOSS, () => main.menuWizard());
    const html = w.env.ui.dialogs.at(-1)!.html;
    for (const shown of [`value="${BOSS}"`, 'value="10:30"', 'value="rop@example.com"', 'value="19:45"', 'value="EUR"', 'value="Марина &lt;b&gt;"', 'value="marina@example.com"', 'value="7"', 'value="50"']) {
      expect(html, shown).toContain(shown);
    }
    expect(html).not.toContain('Марина <b>');
    // Every column of «Менеджеры» a person fills is in the form, by its header.
    for (const c of M.columns.filter((x) => x.edit === 'everyone')) expect(html).toContain(`>${c.header}</th>`);
    expect(html).toContain('google.script.run');
    expect(html).toContain('.withSuccessHandler(');
    expect(html).toContain('.withFailureHandler(');
  });

  it('a manager is told who may, and no dialog opens', () => {
    const w = team();
    w.quiet(() => setSetting(w.ss, 'Email руководства', BOSS));
    w.as(MANAGER, () => main.menuWizard());
    expect(w.alerts()).toContain(`Сохранять «Мастер настройки» может только владелец таблицы (${OWNER}) или руководство`);
    expect(w.env.ui.dialogs).toEqual([]);
  });
});

describe('«Мастер настройки» saves', () => {
  it('writes «Настройки» and «Менеджеры», logs it, and the protections name the new leadership', () => {
    const w = team();
    const r = w.submit(OWNER, GOOD);
    expect(r.errors).toEqual([]);
    expect(r.ok).toBe(true);
    expect(w.settingValue('Email руководства')).toBe(BOSS);
    expect(w.settingValue('Получатели отчёта РОП')).toBe('rop@example.com, boss@example.com');
    expect(w.settingValue('Время отчёта РОП')).toBe('20:00');
    expect(w.settingValue('Валюта')).toBe('USD');
    expect(String(w.settingValue('Дней до Ожидания'))).toBe('4');
    const rows = w.managers();
    const col = (key: string) => M.columns.findIndex((c) => c.key === key);
    expect(rows.map((r) => r[col('name')])).toEqual(['Марина', 'Олег']);
    expect(rows[0][col('email')]).toBe('marina@example.com');
    expect(Number(rows[0][col('commissionPercent')])).toBe(7);
    expect(Number(rows[0][col('commissionFixed')])).toBe(50);
    expect(rows[0][col('active')]).toBe('Да');
    for (const name of ['Настройки', M.name]) {
      const p = w.quiet(() => w.ss.getSheetByName(name)!.getProtections(SpreadsheetApp.ProtectionType.SHEET)[0]);
      expect(w.quiet(() => p.getEditors().map((u) => u.getEmail()).sort()), name).toEqual([BOSS, OWNER]);
    }
    expect(r.message).toContain('«Настройки»: 5 параметров изменено');
    expect(r.message).toContain(`«${M.name}»: 2 менеджера добавлены — «Марина», «Олег».`);
    expect(r.message).toContain(`руководство (${BOSS})`);
    const journal = w.quiet(() => w.ss.getSheetByName('Журнал')!.getDataRange().getValues().slice(1));
    expect(journal.filter((j) => j[6] === 'настройка' && j[2] === 'Настройки').map((j) => j[5])).toContain(BOSS);
    expect(journal.some((j) => j[2] === M.name && j[5] === 'Марина')).toBe(true);
    // The boss may now use it too; the menu shows the new time.
    expect(w.submit(BOSS, { settings: { secretaryReportTime: '10:15' } }).ok).toBe(true);
    w.env.beginExecution('simpleTrigger', { user: BOSS });
    main.onOpen();
    w.env.endExecution();
    const reports = w.env.ui.menus[0].items.find((i) => 'items' in i && i.caption === 'Отчёты') as { items: Array<{ caption: string }> };
    expect(reports.items.map((i) => i.caption)).toEqual(expect.arrayContaining(['Предпросмотр: отчёт секретаря (10:15)', 'Предпросмотр: отчёт РОП (20:00)']));
  });

  it('updates a manager matched by name, appends new ones, and keeps rows and columns typed in the sheet', () => {
    const w = team();
    w.quiet(() => {
      typeManager(w.ss, 2, { name: 'Светлана', email: 'sveta@example.com', active: 'Да' });
      typeManager(w.ss, 3, { name: 'марина ', email: 'old@example.com', commissionPercent: 5 });
      // A column of the team's own, right of the template's.
      const sheet = w.ss.getSheetByName(M.name)!;
      if (sheet.getMaxColumns() <= M.columns.length) sheet.insertColumnsAfter(sheet.getMaxColumns(), 1);
      sheet.getRange(1, M.columns.length + 1).setValue('Телефон');
      sheet.getRange(3, M.columns.length + 1).setValue('+7 916 000-00-00');
    });
    const r = w.submit(OWNER, { settings: { leadershipEmails: BOSS }, managers: [{ name: 'Марина', email: 'marina@example.com', commissionPercent: 7 }, { name: 'Олег' }] });
    expect(r.ok).toBe(true);
    expect(r.message).toContain('1 менеджер добавлен — «Олег»');
    expect(r.message).toContain('1 менеджер обновлён — «Марина»');
    const rows = w.managers();
    const col = (key: string) => M.columns.findIndex((c) => c.key === key);
    expect(rows.map((x) => x[col('name')])).toEqual(['Светлана', 'марина ', 'Олег']);
    expect(rows[0][col('email')]).toBe('sveta@example.com');
    expect(rows[1][col('email')]).toBe('marina@example.com');
    expect(Number(rows[1][col('commissionPercent')])).toBe(7);
    expect(rows[1][M.columns.length]).toBe('+7 916 000-00-00');
  });

  it('invalid answers come back in Russian, each naming the field, and nothing is written', () => {
    const w = team();
    const before = w.snapshot();
    const r = w.submit(OWNER, {
      settings: { leadershipEmails: 'boss@', headOfSalesReportTime: '25:00', currency: 'евро!', idleDays: '0' },
      managers: [{ name: 'Марина', email: 'marina@', commissionPercent: '150', active: 'может быть' }, { name: '', email: 'x@example.com' }, { name: 'МАРИНА' }],
    });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual(expect.arrayContaining([
      'Email руководства: «boss@» — не похоже на email',
      'Время отчёта РОП: «25:00» — нужно время в формате ЧЧ:ММ',
      'Валюта: «евро!» — нужен трёхбуквенный код валюты, например EUR',
      'Дней до Ожидания: «0» — нужно целое число от 1 до 30',
      'Email (менеджер «Марина»): «marina@» — не похоже на email',
      'Комиссия, % (менеджер «Марина»): «150» — нужно число от 0 до 100',
      'Активен (менеджер «Марина»): «может быть» — нужно одно из: «Да», «Нет»',
      'Менеджер: не указано имя в строке 2 списка менеджеров — строку без имени сохранить нельзя',
      'Менеджер: «МАРИНА» указан несколько раз — оставьте одну строку',
    ]));
    expect(w.snapshot()).toBe(before);
    // A file written by hand for the local runner: unknown fields and a missing leadership are named too.
    const shape = w.submit(OWNER, { settings: { leadershipEmail: BOSS }, managers: [{ nam: 'Олег' }] });
    expect(shape.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^Настройки: неизвестные поля «leadershipEmail» \(есть: leadershipEmails, /), expect.stringMatching(/^Менеджер: неизвестные поля «nam»/)]));
    expect(w.submit(OWNER, { settings: { leadershipEmails: '' } }).errors).toEqual([expect.stringMatching(/^Email руководства: укажите хотя бы один адрес/)]);
    expect(w.submit(OWNER, 'не объект').errors).toEqual(['Ответы мастера: нужен объект']);
    expect(w.snapshot()).toBe(before);
  });

  it('a manager cannot submit: a Russian refusal and nothing changes', () => {
    const w = team();
    w.submit(OWNER, GOOD);
    const before = w.snapshot();
    const r = w.submit(MANAGER, { settings: { leadershipEmails: MANAGER }, managers: [{ name: 'Я' }] });
    expect(r.ok).toBe(false);
    expect(r.errors[0]).toContain(`Сохранять «Мастер настройки» может только владелец таблицы (${OWNER}) или руководство из «Настройки» → «Email руководства» (${BOSS})`);
    expect(r.errors[0]).toContain(`Вы вошли как ${MANAGER}`);
    expect(r.errors[0]).toContain('Ничего не изменено');
    expect(w.snapshot()).toBe(before);
  });

  it('re-running with the same answers changes nothing', () => {
    const w = team();
    expect(w.submit(OWNER, GOOD).ok).toBe(true);
    const before = w.snapshot();
    w.env.ctx.recorder.reset();
    const again = w.submit(OWNER, GOOD);
    expect(again.ok).toBe(true);
    expect([...w.env.ctx.recorder.counts.keys()].filter(isWriteCall)).toEqual([]);
    expect(w.snapshot()).toBe(before);
    expect(again.message).toContain('«Настройки»: всё как было.');
    expect(again.message).toContain(`«${M.name}»: без изменений.`);
    // The same values written differently are the same values.
    expect(w.submit(OWNER, { settings: { headOfSalesRecipients: 'rop@example.com;boss@example.com', headOfSalesReportTime: '20:00' } }).message).toContain('«Настройки»: всё как было.');
  });
});

describe('npm start -- --job wizard --answers FILE.json', () => {
  it('runs the same server function on the local workbook: saves, says what it saved, and refuses bad answers with exit code 1', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { buildBundle } = await import('../../scripts/build.mjs');
    const { parseOptions, runLocal } = await import('../../scripts/local');
    const { loadWorkbook } = await import('../../emulator/xlsx');
    const { createGasEnvironment } = await import('../../emulator/index');
    const { projectManifest } = await import('../support/manifest');
    await buildBundle();
    const dir = mkdtempSync(join(tmpdir(), 'sales-wizard-'));
    const answers = join(dir, 'answers.json');
    const bad = join(dir, 'bad.json');
    writeFileSync(answers, JSON.stringify({ settings: { leadershipEmails: 'boss@firma.ru', headOfSalesReportTime: '20:00' }, managers: [{ name: 'Пётр', email: 'petr@firma.ru', commissionPercent: 6 }] }));
    writeFileSync(bad, JSON.stringify({ settings: { leadershipEmails: 'boss@' } }));
    const opts = (file: string, at: string) => parseOptions(['--workbook', join(dir, 'wb.xlsx'), '--outbox', join(dir, 'out'), '--partners', join(dir, 'p'), '--seed', '3', '--at', at, '--job', 'wizard', '--answers', file]);
    const lines: string[] = [];
    expect((await runLocal(opts(answers, '2026-11-23 10:00'), (l) => lines.push(l))).exitCode).toBe(0);
    expect(lines.join('\n')).toContain('«Настройки»: 2 параметра изменены — «Email руководства», «Время отчёта РОП».');
    expect(lines.join('\n')).toContain('1 менеджер добавлен — «Пётр»');
    const ss = await loadWorkbook(join(dir, 'wb.xlsx'), createGasEnvironment({ manifest: projectManifest() }).world);
    const settings = ss.getSheetByName('Настройки')!.getDataRange().getValues();
    expect(settings.find((r) => r[0] === 'Время отчёта РОП')?.[1]).toBe('20:00');
    expect(ss.getSheetByName(M.name)!.getDataRange().getValues().some((r) => r[0] === 'Пётр' && r[1] === 'petr@firma.ru')).toBe(true);
    const refused: string[] = [];
    expect((await runLocal(opts(bad, '2026-11-23 10:05'), (l) => refused.push(l))).exitCode).toBe(1);
    expect(refused.join('\n')).toContain('Email руководства: «boss@» — не похоже на email');
    expect(() => parseOptions(['--job', 'wizard'])).toThrow(/--answers/);
  });
});
