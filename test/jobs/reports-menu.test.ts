// Menu «Отчёты»: preview in a dialog, send now, and the question before a second send the same day.
import { describe, expect, it } from 'vitest';
import { runSetup } from '../../src/jobs/setup';
import { menuPreviewHeadOfSales, menuSendSecretary } from '../../src/main';
import { fillDemoData } from '../../scripts/demo';
import { makeWorld } from '../support/env';

function world() {
  const w = makeWorld({ at: '2026-11-23 12:00' });
  runSetup(w.ss);
  fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
  w.env.beginExecution('menu');
  return w;
}

describe('«Отчёты» menu', () => {
  it('previews the head-of-sales email in a dialog with its subject and recipients, sending nothing', () => {
    const { env } = world();
    menuPreviewHeadOfSales();
    expect(env.mail.outbox).toHaveLength(0);
    const dialog = env.ui.dialogs.at(-1)!;
    expect(dialog.html).toContain('Отчёт РОП за 23.11.2026');
    expect(dialog.html).toContain('director@example.com');
  });

  it('sends the secretary email now, and asks before sending it a second time the same day', () => {
    const { env } = world();
    menuSendSecretary();
    expect(env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря за 22.11.2026'))).toHaveLength(1);
    env.ui.respondNext('NO' as never);
    menuSendSecretary();
    expect(env.ui.alerts.some((a) => /уже отправлен сегодня/.test(a.prompt))).toBe(true);
    expect(env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря'))).toHaveLength(1);
    env.ui.respondNext('YES' as never);
    menuSendSecretary();
    expect(env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря'))).toHaveLength(2);
  });

  it('counts a manual send as the day’s email, so the 11:00 tick does not send it again', async () => {
    const { env, ss } = world();
    menuSendSecretary();
    env.endExecution();
    const { runTick } = await import('../../src/jobs/scheduler');
    const { RUNNERS } = await import('../../src/jobs/tick-entry');
    env.ctx.clock.set(env.ctx.clock.now() + 60 * 60_000);
    runTick(() => ss, RUNNERS, { now: new Date(env.ctx.clock.now()), random: Math.random, user: '' });
    expect(env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря'))).toHaveLength(1);
  });
});

describe('a report whose log sheet is gone', () => {
  it('is not sent as an empty day: the user is told which sheet is missing', () => {
    const { env, ss } = world();
    ss.deleteSheet(ss.getSheetByName('Отчёт секретаря')!);
    menuSendSecretary();
    expect(env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря'))).toHaveLength(0);
    expect(env.ui.alerts.at(-1)!.prompt).toContain('нет листа «Отчёт секретаря»');
  });
});
