// «Синхронизировать партнёров» from the menu writes leadership-only data («Партнёры», «% affiliate»):
// a manager hears in Russian who may run it, and a protection refusal from Google is explained in Russian.
import { runSetup } from '../../src/jobs/setup';
import { describe, expect, it } from 'vitest';
import { menuPartners } from '../../src/main';
import { ERR } from '../../emulator/spreadsheet/user';
import { partnerWorld, type PartnerWorld } from './world';
import { moscow } from '../support/env';

function setSetting(w: PartnerWorld, name: string, value: string) {
  const sheet = w.ss.getSheetByName('Настройки')!;
  const names = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => r[0]);
  sheet.getRange(names.indexOf(name) + 1, 2).setValue(value);
}

function clickAs(w: PartnerWorld, user: string): string {
  w.env.beginExecution('menu', { user });
  try { menuPartners(); } finally { w.env.endExecution(); }
  return w.env.ui.alerts.at(-1)?.prompt ?? '';
}

function world(): PartnerWorld {
  const w = partnerWorld();
  setSetting(w, 'Email руководства', 'director@example.com');
  w.addLeads([{ name: 'Ирина', username: '@irina_shop', promoCode: 'prosto5', stagePaid: moscow('2026-11-20 00:00'), paidAmount: 400, individualNumber: '417ia902' }]);
  return w;
}

describe('«Синхронизировать партнёров» run by someone outside leadership', () => {
  it('refuses in Russian, says who may run it and why, and changes nothing', () => {
    const w = world();
    const before = w.env.ctx.recorder.total((m) => m === 'SpreadsheetApp.create');
    const text = clickAs(w, 'manager@example.com');
    expect(text).toMatch(/руководство \(список «Email руководства» в «Настройках»\) или владелец таблицы/);
    expect(text).toMatch(/«Партнёры».*«% affiliate»/);
    expect(text).toContain('manager@example.com');
    expect(w.masterRows()).toEqual([]);
    expect(w.env.ctx.recorder.total((m) => m === 'SpreadsheetApp.create')).toBe(before);
  });

  it('runs for a leadership member and for the owner', () => {
    const w = world();
    // Leadership as README's deployment steps make them: editors of the file, named in «Настройки»,
    // protections refreshed by «Настроить таблицу».
    w.ss.addEditor('director@example.com');
    runSetup(w.ss);
    expect(clickAs(w, 'Director@example.com')).toMatch(/Оплаченных лидов партнёров: 1/);
    expect(clickAs(w, 'owner@example.com')).toMatch(/Оплаченных лидов партнёров: 1/);
  });

  it('explains Google’s protection refusal in Russian, naming the protected sheet and column', () => {
    const w = world();
    // Leadership listed in «Настройки» but the protections were not updated since («Настроить таблицу»).
    w.env.ctx.recorder.injectFault({ method: 'Range.setValues', error: ERR.protectedCell });
    const text = clickAs(w, 'director@example.com');
    expect(text).toMatch(/^Не получилось: Google не дал изменить защищённые данные: лист «Партнёры» и столбец «% affiliate» листа «Аффилейты»/);
    expect(text).toMatch(/запустите «Настроить таблицу»/);
    expect(text).not.toMatch(/You are trying/);
  });
});
