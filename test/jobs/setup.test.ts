import { describe, expect, it } from 'vitest';
import { SHEET_TEMPLATES, templateByKey } from '../../sheets-templates';
import { runSetup } from '../../src/jobs/setup';
import { isWriteCall, makeWorld } from '../support/env';

describe('«Настроить таблицу»', () => {
  it('creates every sheet of the product on an empty spreadsheet', () => {
    const { ss } = makeWorld();
    const report = runSetup(ss);
    const names = ss.getSheets().map((s) => s.getName());
    for (const def of SHEET_TEMPLATES) expect(names).toContain(def.name);
    expect(report.createdSheets).toHaveLength(SHEET_TEMPLATES.length);
    const analytics = ss.getSheetByName('Аналитика')!;
    const headers = analytics.getRange(1, 1, 1, analytics.getLastColumn()).getValues()[0];
    expect(headers).toEqual(templateByKey('analytics').columns.map((c) => c.header));
    expect(analytics.getFrozenRows()).toBe(1);
    expect(ss.getSpreadsheetTimeZone()).toBe('Europe/Moscow');
  });

  it('fills the 13 promo codes and every dropdown list', () => {
    const { ss } = makeWorld();
    runSetup(ss);
    const promo = ss.getSheetByName('Промокоды')!;
    const codes = promo.getRange(2, 1, promo.getLastRow() - 1, 1).getValues().map((r) => r[0]);
    expect(codes).toHaveLength(13);
    expect(codes).toContain('STRIPE5%');
  });

  it('makes «Воронка» columns wide enough for stage names on a new sheet, and keeps widths someone chose later', () => {
    const { ss } = makeWorld();
    runSetup(ss);
    const funnel = ss.getSheetByName('Воронка')!;
    expect(funnel.getColumnWidth(1)).toBe(240);
    expect(funnel.getColumnWidth(2)).toBe(150);
    funnel.setColumnWidth(1, 180);
    runSetup(ss);
    expect(funnel.getColumnWidth(1)).toBe(180);
  });

  it('changes nothing when run a second time', () => {
    const { env, ss } = makeWorld();
    runSetup(ss);
    env.ctx.recorder.reset();
    const second = runSetup(ss);
    const writes = [...env.ctx.recorder.counts].filter(([m]) => isWriteCall(m));
    expect(writes).toEqual([]);
    expect(second.createdSheets).toEqual([]);
    expect(second.adjustments).toBe(0);
  });
});

describe('«Настроить таблицу» on a team’s existing table', () => {
  // The seed's own headers (seed 001 «Отчетность»), shuffled, with a column of the team's own.
  const SEED_HEADERS = ['Имя', 'Дата первого взаимодействия', 'Телеграм username', 'Источник трафика', 'Промокод', 'Интересующий план',
    'Дата подключения', 'Первичный контакт', 'Переговоры и отправка планов', 'Принимают решение', 'Отправили ссылку и ждём оплату',
    'Ожидание', 'Повторные переговоры', 'Оплата', 'Отказ', 'Заполнена ли анкета', 'Оплаченная сумма', 'Индивидуальный номер',
    'Причина отказа в случае не оплаты', 'Не обычный проект?', 'Что за проект?'];
  const ORDER = [3, 0, 1, 5, 4, 2, 6, 8, 7, 9, 10, 11, 12, 13, 14, 16, 15, 17, 18, 19, 20];

  function existingTable() {
    const w = makeWorld();
    const sheet = w.ss.insertSheet('Аналитика ');
    const headers = [...ORDER.map((i) => SEED_HEADERS[i]), 'Наша заметка'];
    const rows = Array.from({ length: 50 }, (_, r) => headers.map((h, c) => (h === 'Наша заметка' ? `заметка ${r}` : `${h} ${r}-${c}`)));
    sheet.getRange(1, 1, 1, headers.length).setValues([headers]);
    sheet.getRange(2, 1, 50, headers.length).setValues(rows);
    return { ...w, sheet, headers, rows };
  }

  it('keeps every header, row and the team’s own column in place and appends only the missing columns', () => {
    const { ss, sheet, headers, rows } = existingTable();
    const report = runSetup(ss);
    expect(ss.getSheets().filter((s) => s.getName().trim() === 'Аналитика')).toHaveLength(1);
    const after = sheet.getRange(1, 1, 51, sheet.getLastColumn()).getValues();
    expect(after[0].slice(0, headers.length)).toEqual(headers);
    expect(after.slice(1).map((r) => r.slice(0, headers.length))).toEqual(rows);
    const appended = after[0].slice(headers.length);
    expect(appended).toEqual(['Менеджер', 'Аккаунт', 'Партнёр', 'Скидка, %', 'Цена плана', 'Цена со скидкой', 'Текущий этап', 'Последний контакт', 'Проблемы', 'Обновлено', 'Подвисла с']);
    expect(report.addedColumns).toEqual([{ sheet: 'Аналитика', headers: appended }]);
  });

  it('changes nothing on a second run', () => {
    const { env, ss } = existingTable();
    runSetup(ss);
    env.ctx.recorder.reset();
    runSetup(ss);
    expect([...env.ctx.recorder.counts].filter(([m]) => isWriteCall(m))).toEqual([]);
  });
});

describe('protections and validation', () => {
  it('lets only leadership and the owner edit settings, and warns on computed columns', () => {
    const { env, ss } = makeWorld();
    runSetup(ss);
    const settings = ss.getSheetByName('Настройки')!;
    const names = settings.getRange(1, 1, settings.getLastRow(), 1).getValues().map((r) => r[0]);
    settings.getRange(names.indexOf('Email руководства') + 1, 2).setValue('boss@example.com');
    runSetup(ss);
    const protection = settings.getProtections(SpreadsheetApp.ProtectionType.SHEET)[0];
    expect(protection.getEditors().map((u) => u.getEmail()).sort()).toEqual(['boss@example.com', 'owner@example.com']);
    expect(protection.isWarningOnly()).toBe(false);
    ss.addEditor('manager@example.com');
    const emuSettings = env.world.getActive()!.getSheetByName('Настройки') as never;
    expect(() => env.world.userEdit(emuSettings, 'B2', [['x@example.com']], { user: 'manager@example.com' })).toThrow();
    const analytics = ss.getSheetByName('Аналитика')!;
    const computed = analytics.getProtections(SpreadsheetApp.ProtectionType.RANGE).map((p) => p.getDescription());
    expect(computed).toEqual(expect.arrayContaining(['Продажи: колонка «Проблемы»', 'Продажи: колонка «Текущий этап»']));
  });

  it('once «Менеджеры» is filled and setup re-run, rejects a manager name outside the list, and flags, not rejects, a text date', () => {
    const { env, ss } = makeWorld();
    runSetup(ss);
    const managers = ss.getSheetByName('Менеджеры')!;
    managers.getRange(2, 1).setValue('Светлана');
    runSetup(ss); // an empty list accepts any name (test/jobs/permissions.test.ts); a filled one is strict
    const emu = env.world.getActive()!.getSheetByName('Аналитика') as never;
    expect(() => env.world.userEdit(emu, 'B2', [['Кто-то']])).toThrow();
    env.world.userEdit(emu, 'B2', [['Светлана']]);
    env.world.userEdit(emu, 'A2', [['вчера']]);
    expect(ss.getSheetByName('Аналитика')!.getRange('A2').getValue()).toBe('вчера');
  });
});
