// A simulated week of the real schedule: the tick trigger fires where Apps Script would (anywhere in
// each 5-minute window), some runs are skipped, doubled, blocked by a concurrent run or failing —
// and each of the two emails still goes out exactly once a day, within 10 minutes of its slot.
import { describe, expect, it } from 'vitest';
import { runSetup } from '../../src/jobs/setup';
import { enableSchedule } from '../../src/jobs/schedule-admin';
import { tick } from '../../src/jobs/tick-entry';
import { addDays, MOSCOW, toLocalDate, zonedParts } from '../../src/core/dates';
import { fillDemoData } from '../../scripts/demo';
import { makeWorld, moscow } from '../support/env';
import { seededRandom } from '../../emulator/context';

const SLOTS = { secretary: { h: 11, m: 0, prefix: 'Отчёт секретаря за' }, rop: { h: 19, m: 45, prefix: 'Отчёт РОП за' } };

function week(seed: number) {
  const w = makeWorld({ at: '2026-11-23 00:00' });
  runSetup(w.ss);
  fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
  enableSchedule(w.ss);
  return w;
}

/** Runs one firing; returns what escaped the trigger (Apps Script logs it, the next tick retries). */
function runFiring(w: ReturnType<typeof week>, time: number): unknown {
  w.env.ctx.clock.set(time);
  w.env.beginExecution('installableTrigger', { origin: 'CLOCK' });
  try { tick(); return undefined; } catch (error) { return error; } finally { w.env.endExecution(); }
}

describe('the 11:00 and 19:45 emails over a simulated week', () => {
  it('go out exactly once a day, on time, despite skipped, doubled, concurrent and failing runs', () => {
    const w = week(1);
    const chance = seededRandom(42);
    const start = moscow('2026-11-23 00:00').getTime();
    const firings = w.env.triggers.dueBetween(start, start + 7 * 86_400_000).filter((f) => f.handler === 'onTick');
    expect(firings.length).toBeGreaterThan(7 * 280);
    let skippedLast = false;
    const failed = new Set<string>();
    const escaped: string[] = [];
    // Once each: the sheets time out through every retry of a run (nothing sent, the next tick sends);
    // the mail service refuses for a rate limit through every retry (likewise); and the mail service
    // times out after Gmail took the message — the one case where the email is not sent again.
    const faults: Array<{ day: string; hour: number; fault: Parameters<typeof w.env.ctx.recorder.injectFault>[0] }> = [
      { day: '2026-11-25', hour: 11, fault: { method: 'Range.getValues', error: 'Service Spreadsheets timed out while accessing document with id x', times: 4 } },
      { day: '2026-11-26', hour: 19, fault: { method: 'MailApp.sendEmail', error: 'Service invoked too many times in a short time: email', times: 4 } },
      { day: '2026-11-27', hour: 19, fault: { method: 'MailApp.sendEmail', nth: 1, phase: 'after', error: 'Service Gmail timed out' } },
    ];
    for (const f of firings) {
      const roll = chance();
      if (roll < 0.1 && !skippedLast) { skippedLast = true; continue; } // Apps Script skipped this run
      skippedLast = false;
      if (roll > 0.97) {
        // A concurrent run holds the lock through this one.
        w.env.locks.holdByOther('script', f.time + 20_000);
      }
      const p = zonedParts(f.time, MOSCOW);
      for (const x of faults) {
        const slotMinute = x.hour === 11 ? 0 : 45;
        if (!failed.has(x.day) && p.hour === x.hour && p.minute >= slotMinute && p.minute < slotMinute + 5 && toLocalDate(f.time, MOSCOW) === x.day) {
          failed.add(x.day);
          w.env.ctx.recorder.injectFault(x.fault);
        }
      }
      const thrown = runFiring(w, f.time);
      if (thrown) escaped.push(String((thrown as Error).message ?? thrown));
      if (roll > 0.9 && roll <= 0.97) runFiring(w, f.time + 1_000); // doubled
    }
    expect([...failed]).toEqual(faults.map((x) => x.day));
    expect(escaped.every((m) => /Spreadsheets timed out/.test(m)), escaped.join('; ')).toBe(true);
    // The ambiguous one was not resent: the admin was asked to check the mailbox instead.
    expect(w.env.mail.outbox.filter((m) => m.subject.includes('не подтверждена'))).toHaveLength(1);
    for (let d = 0; d < 7; d++) {
      const day = addDays('2026-11-23', d);
      for (const slot of Object.values(SLOTS)) {
        const coveredDay = slot === SLOTS.secretary ? addDays(day, -1) : day;
        const subject = `${slot.prefix} ${coveredDay.split('-').reverse().join('.')}`;
        const sent = w.env.mail.outbox.filter((m) => m.subject.startsWith(subject));
        expect(sent, subject).toHaveLength(1);
        const slotTime = moscow(`${day} ${slot.h}:${String(slot.m).padStart(2, '0')}`).getTime();
        expect(sent[0].sentAt, subject).toBeGreaterThanOrEqual(slotTime);
        expect(sent[0].sentAt - slotTime, subject).toBeLessThanOrEqual(10 * 60_000);
        expect(sent[0].subject).not.toContain('опоздан');
      }
    }
  });

  it('catches up a slot missed for hours the same day and says it is late', () => {
    const w = week(2);
    const from = moscow('2026-11-23 10:00').getTime();
    const firings = w.env.triggers.dueBetween(from, moscow('2026-11-23 16:00').getTime());
    for (const f of firings) if (f.time >= moscow('2026-11-23 14:00').getTime()) runFiring(w, f.time);
    const sent = w.env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря'));
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toContain('с опозданием');
    expect(sent[0].htmlBody).toMatch(/опоздани/);
  });

  it('does not resend an email whose sending was interrupted, and tells the admin', () => {
    const w = week(3);
    const props = PropertiesService.getScriptProperties();
    props.setProperty('sched:secretaryReport:2026-11-23', JSON.stringify({ state: 'sending', at: moscow('2026-11-23 11:01').getTime(), attempts: 1 }));
    for (const f of w.env.triggers.dueBetween(moscow('2026-11-23 11:00').getTime(), moscow('2026-11-23 12:00').getTime())) runFiring(w, f.time);
    expect(w.env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря'))).toHaveLength(0);
    const alerts = w.env.mail.outbox.filter((m) => m.subject.includes('не подтверждена'));
    expect(alerts).toHaveLength(1);
  });

  it('defers when the mail quota is too low and alerts the admin instead', () => {
    const w = week(4);
    w.env.ctx.clock.set(moscow('2026-11-23 11:02').getTime());
    w.env.mail.quota = 1; // the secretary report has two demo recipients
    runFiring(w, moscow('2026-11-23 11:02').getTime());
    expect(w.env.mail.outbox.filter((m) => m.subject.startsWith('Отчёт секретаря'))).toHaveLength(0);
    expect(w.env.mail.outbox.filter((m) => m.subject.includes('квоты'))).toHaveLength(1);
  });
});
