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
