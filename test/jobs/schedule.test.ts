import { describe, expect, it } from 'vitest';
import { runSetup } from '../../src/jobs/setup';
import { disableSchedule, enableSchedule } from '../../src/jobs/schedule-admin';
import { runTick, type Runners } from '../../src/jobs/scheduler';
import { markerKey } from '../../src/core/schedule';
import { makeWorld, moscow } from '../support/env';

function world(at = '2026-11-23 05:00') {
  const w = makeWorld({ at });
  runSetup(w.ss);
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'owner@example.com' });
  const setTime = (t: string) => w.env.ctx.clock.set(moscow(t).getTime());
  return { ...w, clock, setTime };
}

function setSetting(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, name: string, value: string) {
  const sheet = ss.getSheetByName('Настройки')!;
  const names = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => r[0]);
  sheet.getRange(names.indexOf(name) + 1, 2).setValue(value);
}

describe('«Автоматизация ▸ Включить расписание»', () => {
  it('installs exactly one tick trigger however often it is clicked, and names the owner', () => {
    const { ss } = world();
    const first = enableSchedule(ss);
    const second = enableSchedule(ss);
    expect(ScriptApp.getProjectTriggers().filter((t) => t.getHandlerFunction() === 'onTick')).toHaveLength(1);
    expect(first).toContain('owner@example.com');
    expect(second).toContain('уже включено');
    expect(disableSchedule()).toContain('отключено');
    expect(ScriptApp.getProjectTriggers()).toHaveLength(0);
  });

  it('warns when the spreadsheet is not in Moscow time', () => {
    const { ss } = world();
    ss.setSpreadsheetTimeZone('Europe/London');
    expect(enableSchedule(ss)).toMatch(/Часовой пояс таблицы — Europe\/London/);
  });
});

describe('the tick', () => {
  it('runs a daily job once per Moscow day even when ticks are doubled', () => {
    const { ss, clock, setTime } = world();
    let runs = 0;
    const runners: Runners = { sweep: () => { runs++; return 'ok'; } };
    for (const t of ['2026-11-23 05:55', '2026-11-23 06:02', '2026-11-23 06:02', '2026-11-23 06:07', '2026-11-23 23:59']) {
      setTime(t);
      runTick(() => ss, runners, clock());
    }
    expect(runs).toBe(1);
    setTime('2026-11-24 06:01');
    runTick(() => ss, runners, clock());
    expect(runs).toBe(2);
  });

  it('reads no sheet when nothing is due', () => {
    const { env, ss, clock, setTime } = world();
    const runners: Runners = { sweep: () => 'ok' };
    setTime('2026-11-23 06:01');
    runTick(() => ss, runners, clock());
    setTime('2026-11-23 07:00');
    env.ctx.recorder.reset();
    const report = runTick(() => ss, runners, clock());
    expect(report.readSheets).toBe(false);
    expect(env.ctx.recorder.total((m) => /^(Spreadsheet|Sheet|Range|SpreadsheetApp)\./.test(m))).toBe(0);
  });

  it('retries a failed job on the next tick and alerts the admin once', () => {
    const { env, ss, clock, setTime } = world();
    setSetting(ss, 'Email администратора', 'admin@example.com');
    let calls = 0;
    const runners: Runners = { sweep: () => { calls++; if (calls < 3) throw new Error('Service Spreadsheets timed out'); return 'ok'; } };
    for (const t of ['2026-11-23 06:01', '2026-11-23 06:06', '2026-11-23 06:11', '2026-11-23 06:16']) {
      setTime(t);
      runTick(() => ss, runners, clock());
    }
    expect(calls).toBe(3);
    const alerts = env.mail.outbox.filter((m) => /ошибка/.test(m.subject));
    expect(alerts).toHaveLength(1);
    const marker = JSON.parse(PropertiesService.getScriptProperties().getProperty(markerKey('sweep', '2026-11-23'))!);
    expect(marker.state).toBe('done');
  });

  it('skips quietly when another run holds the lock', () => {
    const { env, ss, clock, setTime } = world();
    setTime('2026-11-23 06:01');
    env.locks.holdByOther('script', env.ctx.clock.now() + 60_000);
    let runs = 0;
    const report = runTick(() => ss, { sweep: () => { runs++; return 'ok'; } }, clock());
    expect(report.skipped).toBe('lock busy');
    expect(runs).toBe(0);
  });
});

describe('a job that keeps failing', () => {
  function failingAllDay() {
    const w = world('2026-11-23 05:00');
    let sweeps = 0;
    let emails = 0;
    const order: string[] = [];
    const runners: Runners = {
      sweep: () => { sweeps++; order.push('sweep'); throw new Error('В листе «Аналитика» два столбца «Партнёр»'); },
      secretaryReport: () => { emails++; order.push('email'); return null; },
    };
    return { ...w, runners, order, counts: () => ({ sweeps, emails }) };
  }

  it('is retried less and less often instead of re-reading the sheets every 5 minutes all day', () => {
    const { ss, clock, setTime, runners, counts } = failingAllDay();
    const sweepTimes: string[] = [];
    for (let m = 6 * 60 + 1; m < 24 * 60; m += 5) {
      const t = `2026-11-23 ${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
      setTime(t);
      const before = counts().sweeps;
      runTick(() => ss, runners, clock());
      if (counts().sweeps > before) sweepTimes.push(t.slice(11));
    }
    // 5, 10, 20, 40 … minutes apart: 8 runs instead of one on each of the 215 ticks.
    expect(sweepTimes).toEqual(['06:01', '06:06', '06:16', '06:36', '07:16', '08:36', '11:16', '16:36']);
    const marker = JSON.parse(PropertiesService.getScriptProperties().getProperty(markerKey('sweep', '2026-11-23'))!);
    expect(marker).toMatchObject({ state: 'failed', attempts: 8 });
  });

  it('does not hold up the 11:00 email: the email runs first in the tick', () => {
    const { ss, clock, setTime, runners, order } = failingAllDay();
    setTime('2026-11-23 06:01');
    runTick(() => ss, runners, clock());
    // A sweep retry falls due in the same tick as the 11:00 email.
    PropertiesService.getScriptProperties().setProperty(markerKey('sweep', '2026-11-23'), JSON.stringify({ state: 'failed', at: moscow('2026-11-23 10:55').getTime(), attempts: 1 }));
    order.length = 0;
    setTime('2026-11-23 11:01');
    runTick(() => ss, runners, clock());
    expect(order).toEqual(['email', 'sweep']);
  });

  it('retries a failed email on the very next tick, then backs off too', () => {
    const { ss, clock, setTime } = world('2026-11-23 10:00');
    let calls = 0;
    const runners: Runners = { secretaryReport: () => { calls++; throw new Error('Service timed out: MailApp'); } };
    for (const t of ['11:04', '11:06', '11:09', '11:11', '11:14', '11:16']) {
      setTime(`2026-11-23 ${t}`);
      runTick(() => ss, runners, clock());
    }
    // 11:04 fails → 11:06 (next tick window) fails → due again from 11:15.
    expect(calls).toBe(3);
  });
});
