// «Счета».Статус is written by the script, so every status it changes is in «Журнал» (SPEC §3.2).
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import { onEdit } from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { runInvoiceStatuses } from '../../src/jobs/invoices';
import { flushJournalQueue } from '../../src/gas/journal-queue';
import { DEFAULT_SETTINGS } from '../../src/core/settings';
import { columnLetter } from '../../src/core/header-map';
import { MOSCOW } from '../../src/core/dates';
import { makeWorld, moscow } from '../support/env';

const I = templateByKey('invoices');
const colOf = (key: string) => I.columns.findIndex((c) => c.key === key) + 1;
const STATUS = columnLetter(colOf('status'));

function invoiceRow(values: Record<string, unknown>): unknown[] {
  const row: unknown[] = new Array(I.columns.length).fill('');
  for (const [k, v] of Object.entries(values)) row[colOf(k) - 1] = v;
  return row;
}

function world(at: string) {
  const w = makeWorld({ at });
  runSetup(w.ss);
  const sheet = w.ss.getSheetByName('Счета')!;
  const journal = () => w.ss.getSheetByName('Журнал')!.getDataRange().getValues().slice(1);
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'owner@example.com' });
  return { ...w, sheet, journal, clock };
}

describe('«Счета».Статус in «Журнал»', () => {
  it('the daily run logs an invoice turning «Просрочен», with the cell and old → new status', () => {
    const w = world('2026-11-23 06:00');
    w.sheet.getRange(2, 1, 1, I.columns.length).setValues([invoiceRow({ number: 'С-1', issueDate: moscow('2026-11-01 00:00'), amount: 1200, status: 'Выставлен' })]);
    const before = w.journal().length;
    const r = runInvoiceStatuses(w.ss, w.clock(), DEFAULT_SETTINGS);
    expect(r.changed).toBe(1);
    const logged = w.journal().slice(before);
    expect(logged.map((row) => row.slice(1))).toEqual([['owner@example.com', 'Счета', `${STATUS}2`, 'Выставлен', 'Просрочен', 'счета']]);
    // A second run changes nothing and logs nothing.
    runInvoiceStatuses(w.ss, w.clock(), DEFAULT_SETTINGS);
    expect(w.journal()).toHaveLength(before + 1);
  });

  it('a manager entering a payment gets the new status logged without a write to «Журнал» during the edit', () => {
    const w = world('2026-11-23 10:00');
    w.sheet.getRange(2, 1, 1, I.columns.length).setValues([invoiceRow({ number: 'С-1', issueDate: moscow('2026-11-20 00:00'), amount: 1200, status: 'Выставлен' })]);
    const before = w.journal().length;
    const emu = w.env.world.getActive()!.getSheetByName('Счета') as never;
    const e = w.env.world.userEdit(emu, `${columnLetter(colOf('paidAmount'))}2`, [[600]]);
    w.env.beginExecution('simpleTrigger');
    try { onEdit(e); } finally { w.env.endExecution(); }
    expect(w.sheet.getRange(`${STATUS}2`).getValue()).toBe('Частично');
    expect(w.journal()).toHaveLength(before); // queued: the edit stays cheap
    flushJournalQueue(w.ss, MOSCOW);
    const logged = w.journal().slice(before);
    expect(logged.map((row) => row.slice(2))).toEqual([['Счета', `${STATUS}2`, 'Выставлен', 'Частично', 'счета']]);
  });
});
