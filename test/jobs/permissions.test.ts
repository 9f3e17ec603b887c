// Who may do what, under the strict emulator (every execution runs as a person, protections stop script
// writes of users who may not edit, Protection.getEditors throws for them): the schedule and setup are for
// the owner and leadership only; protections hold for everyone else, collaborators added later included;
// «Журнал» is written only in their runs while managers keep working; a fresh team can type its names.
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import * as main from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { runSweep } from '../../src/jobs/analytics';
import { formatSetupReport } from '../../src/core/setup-report';
import { columnLetter } from '../../src/core/header-map';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { ARCHIVE_SHEET } from '../../src/gas/journal';
import type { EmuSheet } from '../../emulator/spreadsheet/sheet';
import { makeWorld, moscow } from '../support/env';

const OWNER = 'owner@example.com';
const BOSS = 'boss@example.com';
const MANAGER = 'manager@example.com';
const A = templateByKey('analytics');
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;
const cellOf = (key: string, row: number) => `${columnLetter(colOf(key))}${row}`;

type GSS = GoogleAppsScript.Spreadsheet.Spreadsheet;

function setSetting(ss: GSS, name: string, value: string) {
  const sheet = ss.getSheetByName('Настройки')!;
  const names = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => r[0]);
  sheet.getRange(names.indexOf(name) + 1, 2).setValue(value);
}

/** A team: the owner, a head (an editor) and a manager (an editor); setup run by the owner unless told not to. */
function team(opts: { leadership?: boolean; setup?: boolean; at?: string } = {}) {
  const w = makeWorld({ at: opts.at ?? '2026-11-23 10:00' });
  const emu = w.env.world.getActive()!;
  emu.acl.addEditor(BOSS);
  emu.acl.addEditor(MANAGER);
  if (opts.setup !== false) {
    runSetup(w.ss);
    if (opts.leadership !== false) {
      setSetting(w.ss, 'Email руководства', BOSS);
      runSetup(w.ss);
    }
  }
  const sheet = (name: string) => emu.getSheetByName(name) as unknown as EmuSheet;
  /** A menu item clicked by `user`; the alert it showed. */
  const menuAs = (user: string, fn: () => void): string => {
    const shown = w.env.ui.alerts.length;
    w.env.beginExecution('menu', { user });
    try { fn(); } finally { w.env.endExecution(); }
    return w.env.ui.alerts.slice(shown).map((a) => a.prompt).join('\n');
  };
  /** `user` types into cells; the simple onEdit runs as them, in LIMITED mode. */
  const typeAs = (user: string, sheetName: string, a1: string, values: unknown[][]) => {
    const e = w.env.world.userEdit(sheet(sheetName) as never, a1, values, { user });
    w.env.beginExecution('simpleTrigger', { user });
    try { main.onEdit(e); } finally { w.env.endExecution(); }
  };
  /** A person's edit through the UI; the error text when refused, '' when it went through. */
  const tryEdit = (user: string, sheetName: string, a1: string, value: unknown): string => {
    try {
      w.env.world.userEdit(sheet(sheetName) as never, a1, [[value]], { user });
      return '';
    } catch (error) {
      return (error as Error).message;
    }
  };
  const snapshot = () => JSON.stringify([w.env.world.serialize(), w.env.properties.serialize(), w.env.triggers.list()]);
  const journalRows = () => w.env.ctx.recorder.quiet(() => {
    const j = w.ss.getSheetByName('Журнал')!;
    return j.getLastRow() > 1 ? j.getRange(2, 1, j.getLastRow() - 1, 7).getValues() : [];
  });
  const tick = () => {
    const record = w.env.triggers.list().find((t) => t.handler === 'onTick')!;
    w.env.beginExecution('installableTrigger', { trigger: record });
    try { main.onTick(); } finally { w.env.endExecution(); }
  };
  return { ...w, emu, sheet, menuAs, typeAs, tryEdit, snapshot, journalRows, tick };
}

const PROTECTED = /protected cell or object/;

describe('«Автоматизация ▸ Включить расписание» (issue 13 item 2)', () => {
  it('a manager cannot turn the schedule on: they are told who can, and nothing is installed', () => {
    const w = team();
    const text = w.menuAs(MANAGER, main.menuScheduleOn);
    expect(text).toContain(`Включить расписание может только владелец таблицы (${OWNER}) или руководство из «Настройки» → «Email руководства» (${BOSS})`);
    expect(text).toContain(`Вы вошли как ${MANAGER}`);
    expect(w.env.triggers.list()).toEqual([]);
    expect(w.env.properties.serialize().script['schedule:owner']).toBeUndefined();
  });

  it('with no leadership named yet, only the owner can turn it on', () => {
    const w = team({ leadership: false });
    expect(w.menuAs(BOSS, main.menuScheduleOn)).toContain(`только владелец таблицы (${OWNER}) — в «Настройки» → «Email руководства» пока никто не указан`);
    expect(w.env.triggers.list()).toEqual([]);
    w.menuAs(OWNER, main.menuScheduleOn);
    expect(w.env.triggers.list().map((t) => t.owner)).toEqual([OWNER]);
  });

  it('leadership can turn it on, and the ticks then run as them', () => {
    const w = team();
    expect(w.menuAs(BOSS, main.menuScheduleOn)).toContain(`Триггеры работают от имени: ${BOSS}`);
    expect(w.env.triggers.list().map((t) => [t.handler, t.owner])).toEqual([['onTick', BOSS]]);
  });

  it('«Статус» warns when the schedule runs as someone who is neither the owner nor leadership', () => {
    const w = team();
    // Switched on by a manager before only leadership could.
    w.env.beginExecution('menu', { user: MANAGER });
    ScriptApp.newTrigger('onTick').timeBased().everyMinutes(5).create();
    PropertiesService.getScriptProperties().setProperty('schedule:owner', MANAGER);
    w.env.endExecution();
    w.menuAs(OWNER, main.menuScheduleStatus);
    const html = w.env.ui.dialogs.at(-1)!.html;
    expect(html).toContain(`Расписание работает от имени ${MANAGER}, а это не владелец таблицы и не руководство`);
    expect(html).toContain('Отключить расписание');
    // Run as leadership: no such warning.
    const ok = team();
    ok.menuAs(BOSS, main.menuScheduleOn);
    ok.menuAs(OWNER, main.menuScheduleStatus);
    expect(ok.env.ui.dialogs.at(-1)!.html).not.toContain('не владелец таблицы и не руководство');
  });
});

describe('«Настроить таблицу» run by someone who may not (issue 13 item 3)', () => {
  it('a manager is refused up front, in Russian, and nothing in the spreadsheet changes', () => {
    const w = team();
    const before = w.snapshot();
    const text = w.menuAs(MANAGER, main.menuSetup);
    expect(text).toContain(`«Настроить таблицу» может запускать только владелец таблицы (${OWNER}) или руководство из «Настройки» → «Email руководства» (${BOSS})`);
    expect(text).toContain('Ничего не изменено');
    expect(text).not.toMatch(/permission|Не получилось/);
    expect(w.snapshot()).toBe(before);
  });

  it('on a fresh spreadsheet (no leadership yet) only the owner may: a manager creates no sheet', () => {
    const w = team({ setup: false });
    const text = w.menuAs(MANAGER, main.menuSetup);
    expect(text).toContain(`может запускать только владелец таблицы (${OWNER}) — в «Настройки» → «Email руководства» пока никто не указан`);
    expect(w.ss.getSheets().map((s) => s.getName())).toEqual(['Лист1']);
    expect(w.menuAs(OWNER, main.menuSetup)).toContain('Созданы листы');
  });

  it('leadership whom the protections do not list yet is sent to the owner first, with nothing changed; after that they may run it', () => {
    const w = team({ leadership: false });
    setSetting(w.ss, 'Email руководства', BOSS); // written down, setup not run again yet
    const before = w.snapshot();
    const text = w.menuAs(BOSS, main.menuSetup);
    expect(text).toContain('Пусть владелец таблицы один раз запустит «Настроить таблицу»');
    expect(text).toContain('«Настройки»');
    expect(w.snapshot()).toBe(before);
    w.menuAs(OWNER, main.menuSetup);
    expect(w.menuAs(BOSS, main.menuSetup)).toContain('Кто что может менять');
  });
});

describe('protections hold for everyone but the owner and leadership (issue 13 item 4)', () => {
  function ourProtections(ss: GSS) {
    return ss.getSheets().flatMap((s) => [...s.getProtections(SpreadsheetApp.ProtectionType.SHEET), ...s.getProtections(SpreadsheetApp.ProtectionType.RANGE)])
      .filter((p) => p.getDescription().startsWith('Продажи: ') && !p.isWarningOnly());
  }

  it('a collaborator added after setup cannot edit leadership data, even when «Настройки» names no leadership', () => {
    const w = makeWorld(); // only the owner at setup time
    runSetup(w.ss);
    w.ss.addEditor('late@example.com');
    const emu = w.env.world.getActive()!;
    const edit = (name: string, a1: string) => () => w.env.world.userEdit(emu.getSheetByName(name) as never, a1, [['x']], { user: 'late@example.com' });
    expect(edit('Настройки', 'B2')).toThrow(PROTECTED);
    expect(edit('Справочники', 'A2')).toThrow(PROTECTED);
    expect(edit('Промокоды', 'C2')).toThrow(PROTECTED);
    expect(edit('Аффилейты', `${columnLetter(templateByKey('affiliates').columns.findIndex((c) => c.key === 'affiliatePercent') + 1)}2`)).toThrow(PROTECTED);
    expect(edit('Журнал', 'A2')).toThrow(PROTECTED);
    // Everything else stays open.
    expect(edit('Аналитика', 'C2')).not.toThrow();
  });

  it('every hard protection lists exactly the owner and leadership, with domain edit off — also for the domain and later editors', () => {
    const w = team();
    w.emu.acl.sharingAccess = 'DOMAIN';
    w.emu.acl.sharingPermission = 'EDIT';
    runSetup(w.ss);
    const list = ourProtections(w.ss);
    expect(list.length).toBeGreaterThanOrEqual(7);
    for (const p of list) {
      expect(p.getEditors().map((u) => u.getEmail()).sort(), p.getDescription()).toEqual([BOSS, OWNER]);
      expect(p.canDomainEdit(), p.getDescription()).toBe(false);
    }
    w.ss.addEditor('late@example.com');
    for (const who of [MANAGER, 'late@example.com', 'colleague@example.com']) {
      expect(w.tryEdit(who, 'Настройки', 'B2', 'x'), who).toMatch(PROTECTED);
    }
    expect(w.tryEdit(BOSS, 'Настройки', 'C3', 'заметка')).toBe('');
  });

  it('the setup message says who can edit what, naming the addresses, and tells leadership to fill «Менеджеры»', () => {
    const w = team();
    const text = formatSetupReport(runSetup(w.ss));
    expect(text).toContain('Кто что может менять:');
    expect(text).toMatch(new RegExp(`листы «Менеджеры», «Промокоды», «Партнёры», «Тарифы», «Справочники», «Настройки» и колонку «% affiliate» \\(лист «Аффилейты»\\) — только владелец таблицы \\(${OWNER}\\) и руководство \\(${BOSS}\\)`));
    expect(text).toContain(`«Журнал», «${ARCHIVE_SHEET}»`.split(',')[0]);
    expect(text).toMatch(/«Журнал».*пишет только скрипт, от имени владельца или руководства/);
    expect(text).toMatch(/«Аналитика»: «Скидка, %», «Цена плана», «Цена со скидкой», «Текущий этап», «Проблемы», «Обновлено».*вручную может любой редактор таблицы, Google переспросит/);
    expect(text).toContain('впишите менеджеров (имя и email для утреннего письма) на лист «Менеджеры» и снова запустите «Настроить таблицу»');
    const solo = makeWorld();
    expect(formatSetupReport(runSetup(solo.ss))).toContain(`только владелец таблицы (${OWNER}); руководство в «Настройки» → «Email руководства» не указано`);
  });

  it('a manager’s stage mark fills every computed cell of «Аналитика» while onEdit runs as the manager', () => {
    const w = team();
    w.ss.getSheetByName('Тарифы')!.getRange('B2').setValue(350); // Personal
    const row = A.columns.map((c) => ({ firstContactDate: '20.11.2026', manager: 'Светлана', name: 'Иван', username: '@ab', trafficSource: 'Партнёр', promoCode: 'prosto5', plan: 'Personal' } as Record<string, string>)[c.key] ?? '');
    w.typeAs(MANAGER, 'Аналитика', `A2:${columnLetter(A.columns.length)}2`, [row]);
    w.typeAs(MANAGER, 'Аналитика', cellOf('stageNegotiation', 2), [['x']]);
    const get = (key: string) => w.ss.getSheetByName('Аналитика')!.getRange(cellOf(key, 2)).getValue();
    const computed = A.columns.filter((c) => c.edit === 'script').map((c) => c.key);
    expect(computed).toEqual(['discountPercent', 'planPrice', 'discountedPrice', 'currentStage', 'problems', 'updatedAt', 'stuckSince']);
    // «Подвисла с» stays empty: the stage has just moved.
    for (const key of [...computed.filter((k) => k !== 'stuckSince'), 'partner', 'lastContact']) expect(get(key), key).not.toBe('');
    expect(get('stuckSince')).toBe('');
    expect(get('currentStage')).toBe('Переговоры и отправка планов');
    expect(get('discountedPrice')).toBeCloseTo(332.5);
    expect(String(get('problems'))).toMatch(/ab/); // the malformed nick, kept and explained
  });

  it('«Журнал» takes no write from a manager: their edits wait in the queue and the owner’s tick writes them', () => {
    const w = team();
    w.menuAs(OWNER, main.menuScheduleOn);
    expect(w.tryEdit(MANAGER, 'Журнал', 'A2', 'подделка')).toMatch(PROTECTED);
    const logged = w.journalRows().length;
    const row = A.columns.map((c) => ({ firstContactDate: '20.11.2026', name: 'Ольга', stageFirstContact: 'x' } as Record<string, string>)[c.key] ?? '');
    // Enough edits to fill more than one 8 KB part of the queue.
    for (let r = 2; r < 40; r++) w.typeAs(MANAGER, 'Аналитика', `A${r}:${columnLetter(A.columns.length)}${r}`, [row]);
    expect(w.journalRows()).toHaveLength(logged);
    const queue = Object.keys(w.env.properties.serialize().document).filter((k) => k.startsWith('journal:queue'));
    expect(queue.length).toBeGreaterThan(1);
    w.tick();
    const rows = w.journalRows();
    for (let r = 2; r < 40; r++) expect(rows.some((x) => x[3] === `A${r}:${columnLetter(A.columns.length)}${r}` && x[6] === 'правка'), `A${r}`).toBe(true);
    expect(Object.keys(w.env.properties.serialize().document).filter((k) => k.startsWith('journal:queue'))).toEqual([]);
  });

  it('a manager’s «Отметить «Ожидание» сейчас» works; its log waits for the owner, and only the owner’s run archives', () => {
    const w = team({ at: '2026-11-23 09:00' });
    const sheet = w.ss.getSheetByName('Аналитика')!;
    sheet.getRange(2, 1, 1, A.columns.length).setValues([A.columns.map((c) => ({ firstContactDate: moscow('2026-11-10'), name: 'Старый', stageFirstContact: moscow('2026-11-10') } as Record<string, unknown>)[c.key] ?? '')]);
    const journal = w.ss.getSheetByName('Журнал')!;
    const old = Array.from({ length: 1200 }, (_, i) => [new Date(0), 'm@example.com', 'Аналитика', `A${i + 2}`, '', `запись ${i}`, 'правка']);
    journal.insertRowsAfter(journal.getMaxRows(), 1200);
    journal.getRange(2, 1, old.length, 7).setValues(old);
    setSetting(w.ss, 'Размер журнала, строк', '1000');
    const text = w.menuAs(MANAGER, main.menuSweep);
    expect(text).toContain('Проверено лидов: 1');
    expect(sheet.getRange(cellOf('currentStage', 2)).getValue()).toBe('Ожидание');
    expect(w.journalRows()).toHaveLength(1200); // not written, not archived by the manager
    expect(w.ss.getSheetByName(ARCHIVE_SHEET)).toBeNull();
    runSweep(w.ss, { now: new Date(w.env.ctx.clock.now()), random: Math.random, user: OWNER }, { ...DEFAULT_SETTINGS, journalMaxRows: 1000 });
    expect(w.journalRows().some((r) => r[3] === cellOf('stageWaiting', 2) && r[6] === 'ожидание')).toBe(true);
    expect(w.ss.getSheetByName(ARCHIVE_SHEET)).not.toBeNull();
    expect(w.tryEdit(MANAGER, ARCHIVE_SHEET, 'A2', 'подделка')).toMatch(PROTECTED);
    expect(w.tryEdit(MANAGER, 'Журнал', 'A2', 'подделка')).toMatch(PROTECTED);
    // Setup keeps the archive locked to the same people.
    runSetup(w.ss);
    const p = w.ss.getSheetByName(ARCHIVE_SHEET)!.getProtections(SpreadsheetApp.ProtectionType.SHEET)[0];
    expect(p.getEditors().map((u) => u.getEmail()).sort()).toEqual([BOSS, OWNER]);
  });
});

describe('a fresh team can type its managers’ names (issue 13 item 5)', () => {
  const header = (sheet: string, title: string) => {
    const s = templateByKey(sheet === 'Звонки' ? 'calls' : sheet === 'Счета' ? 'invoices' : 'analytics');
    return columnLetter(s.columns.findIndex((c) => c.header === title) + 1);
  };

  it('while «Менеджеры» is empty, a manager’s name is accepted with a hint in «Аналитика», «Звонки» and «Счета»', () => {
    const w = team();
    for (const sheet of ['Аналитика', 'Звонки', 'Счета']) {
      expect(w.tryEdit(MANAGER, sheet, `${header(sheet, 'Менеджер')}2`, 'Светлана'), sheet).toBe('');
      const rule = w.ss.getSheetByName(sheet)!.getRange(`${header(sheet, 'Менеджер')}2`).getDataValidation()!;
      expect(rule.getAllowInvalid(), sheet).toBe(true);
      expect(rule.getHelpText(), sheet).toContain('Лист «Менеджеры» пока пуст');
    }
    expect(w.ss.getSheetByName('Аналитика')!.getRange(`${header('Аналитика', 'Менеджер')}2`).getValue()).toBe('Светлана');
  });

  it('once leadership fills «Менеджеры» and runs setup, the dropdowns become strict and the hint goes', () => {
    const w = team();
    w.ss.getSheetByName('Менеджеры')!.getRange('A2:A3').setValues([['Светлана'], ['Олег']]);
    const text = formatSetupReport(runSetup(w.ss));
    expect(text).not.toContain('впишите менеджеров');
    expect(w.tryEdit(MANAGER, 'Аналитика', `${header('Аналитика', 'Менеджер')}2`, 'Кто-то')).toMatch(/violates the data validation|data validation/i);
    expect(w.tryEdit(MANAGER, 'Счета', `${header('Счета', 'Менеджер')}2`, 'Олег')).toBe('');
  });
});
