import { describe, expect, it } from 'vitest';
import { createContext } from '../../emulator/context';
import { createScriptApp, TRIGGER_ERRORS } from '../../emulator/services/script-app';
import { zonedParts } from '../../emulator/services/timezone';

const T0 = Date.UTC(2026, 10, 23, 9, 0); // Monday 12:00 in Moscow
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

const setup = (seed = 1) => {
  const ctx = createContext({ now: T0, seed, scriptTimeZone: 'Europe/Moscow' });
  return { ctx, ...createScriptApp(ctx) };
};

describe('ScriptApp triggers', () => {
  it('creates a clock trigger and lists it with its handler and type', () => {
    const { service } = setup();
    const t = service.newTrigger('tick').timeBased().everyMinutes(10).create();
    const [listed] = service.getProjectTriggers();
    expect(listed.getHandlerFunction()).toBe('tick');
    expect(listed.getEventType()).toBe(service.EventType.CLOCK);
    expect(listed.getTriggerSource()).toBe(service.TriggerSource.CLOCK);
    expect(listed.getUniqueId()).toBe(t.getUniqueId());
    expect(String(listed.getEventType())).toBe('CLOCK');
  });

  it('only accepts 1, 5, 10, 15 or 30 for everyMinutes', () => {
    const { service } = setup();
    for (const n of [1, 5, 10, 15, 30]) expect(() => service.newTrigger('f').timeBased().everyMinutes(n)).not.toThrow();
    expect(() => service.newTrigger('f').timeBased().everyMinutes(7)).toThrow(TRIGGER_ERRORS.everyMinutes);
  });

  it('creates spreadsheet triggers bound to the spreadsheet id', () => {
    const { service } = setup();
    const ss = { getId: () => 'sheet-1' } as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet;
    service.newTrigger('onEditInstalled').forSpreadsheet(ss).onEdit().create();
    service.newTrigger('other').forSpreadsheet('sheet-2').onOpen().create();
    const mine = service.getUserTriggers(ss);
    expect(mine).toHaveLength(1);
    expect(mine[0].getEventType()).toBe('ON_EDIT');
    expect(mine[0].getTriggerSourceId()).toBe('sheet-1');
  });

  it('refuses a 21st trigger', () => {
    const { service } = setup();
    for (let i = 0; i < 20; i++) service.newTrigger(`f${i}`).timeBased().everyHours(1).create();
    expect(() => service.newTrigger('f20').timeBased().everyHours(1).create()).toThrow(
      'This script has too many triggers. Triggers must be deleted from the script before more can be added.');
  });

  it('counts the limit per user', () => {
    const { ctx, service } = setup();
    for (let i = 0; i < 20; i++) service.newTrigger(`f${i}`).timeBased().everyHours(1).create();
    ctx.userEmail = 'someone-else@example.com';
    expect(() => service.newTrigger('theirs').timeBased().everyHours(1).create()).not.toThrow();
    expect(service.getProjectTriggers()).toHaveLength(1);
  });

  it('deletes a trigger', () => {
    const { service } = setup();
    const t = service.newTrigger('a').timeBased().everyDays(1).atHour(11).create();
    service.newTrigger('b').timeBased().everyDays(1).atHour(19).create();
    service.deleteTrigger(t);
    expect(service.getProjectTriggers().map((x) => x.getHandlerFunction())).toEqual(['b']);
  });

  it('counts builder calls as service calls', () => {
    const { ctx, service } = setup();
    service.newTrigger('a').timeBased().everyMinutes(5).create();
    expect(ctx.recorder.counts.get('ScriptApp.newTrigger')).toBe(1);
    expect(ctx.recorder.counts.get('ClockTriggerBuilder.create')).toBe(1);
  });
});

describe('dueBetween', () => {
  it('an everyMinutes(10) trigger fires once in each 10-minute window', () => {
    const { service, triggers } = setup();
    service.newTrigger('tick').timeBased().everyMinutes(10).create();
    const firings = triggers.dueBetween(T0, T0 + 2 * HOUR);
    expect(firings).toHaveLength(12);
    const windows = firings.map((f) => Math.floor(f.time / 600_000));
    expect(new Set(windows).size).toBe(12);
    expect(firings.every((f) => f.handler === 'tick')).toBe(true);
    // Not all at the start of their window: the offset is random.
    expect(firings.some((f) => f.time % 600_000 !== 0)).toBe(true);
  });

  it('is reproducible for a seed and stable across overlapping queries', () => {
    const a = setup(3), b = setup(3);
    a.service.newTrigger('tick').timeBased().everyMinutes(5).create();
    b.service.newTrigger('tick').timeBased().everyMinutes(5).create();
    const fa = a.triggers.dueBetween(T0, T0 + HOUR).map((f) => f.time);
    expect(b.triggers.dueBetween(T0, T0 + HOUR).map((f) => f.time)).toEqual(fa);
    const firstHalf = a.triggers.dueBetween(T0, T0 + HOUR / 2).map((f) => f.time);
    expect(fa.slice(0, firstHalf.length)).toEqual(firstHalf);
  });

  it('fires an atHour trigger somewhere inside that hour of the trigger zone, once a day', () => {
    const { service, triggers } = setup();
    service.newTrigger('morning').timeBased().everyDays(1).atHour(11).create();
    const firings = triggers.dueBetween(T0, T0 + 5 * DAY);
    expect(firings).toHaveLength(5);
    for (const f of firings) expect(zonedParts(f.time, 'Europe/Moscow').hour).toBe(11);
    expect(new Set(firings.map((f) => zonedParts(f.time, 'Europe/Moscow').minute)).size).toBeGreaterThan(1);
  });

  it('lands a nearMinute trigger within 15 minutes of the minute', () => {
    const { service, triggers } = setup();
    service.newTrigger('evening').timeBased().everyDays(1).atHour(19).nearMinute(45).inTimezone('Europe/Moscow').create();
    const firings = triggers.dueBetween(T0, T0 + 10 * DAY);
    expect(firings).toHaveLength(10);
    for (const f of firings) {
      const p = zonedParts(f.time, 'Europe/Moscow');
      const minutes = p.hour * 60 + p.minute;
      expect(Math.abs(minutes - (19 * 60 + 45))).toBeLessThanOrEqual(15);
    }
  });

  it('honours inTimezone for the hour', () => {
    const { service, triggers } = setup();
    service.newTrigger('la').timeBased().everyDays(1).atHour(9).inTimezone('America/Los_Angeles').create();
    for (const f of triggers.dueBetween(T0, T0 + 3 * DAY)) expect(zonedParts(f.time, 'America/Los_Angeles').hour).toBe(9);
  });

  it('fires a weekly trigger only on its weekday', () => {
    const { service, triggers } = setup();
    service.newTrigger('weekly').timeBased().onWeekDay(service.WeekDay.FRIDAY).atHour(10).create();
    const firings = triggers.dueBetween(T0, T0 + 21 * DAY);
    expect(firings).toHaveLength(3);
    for (const f of firings) expect(zonedParts(f.time, 'Europe/Moscow').weekday).toBe(5);
  });

  it('fires a one-off trigger once, not before its time', () => {
    const { service, triggers } = setup();
    service.newTrigger('later').timeBased().after(30 * 60_000).create();
    service.newTrigger('at').timeBased().at(new Date(T0 + 2 * HOUR)).create();
    const firings = triggers.dueBetween(T0, T0 + DAY);
    expect(firings.map((f) => f.handler)).toEqual(['later', 'at']);
    expect(firings[0].time).toBeGreaterThanOrEqual(T0 + 30 * 60_000);
    expect(firings[1].time).toBe(T0 + 2 * HOUR);
  });

  it('never fires before the trigger was created', () => {
    const { service, triggers } = setup();
    service.newTrigger('tick').timeBased().everyMinutes(30).create();
    expect(triggers.dueBetween(T0 - DAY, T0)).toEqual([]);
  });

  it('passes a clock event object with the trigger id', () => {
    const { service, triggers } = setup();
    const t = service.newTrigger('tick').timeBased().everyHours(1).create();
    const [f] = triggers.dueBetween(T0, T0 + HOUR);
    expect(f.triggerUid).toBe(t.getUniqueId());
    expect(f.event.triggerUid).toBe(t.getUniqueId());
    expect(f.event.authMode).toBe('FULL');
    expect(f.event.timezone).toBe('UTC');
    expect(f.event.hour).toBe(new Date(f.time).getUTCHours());
  });

  it('ignores spreadsheet triggers', () => {
    const { service, triggers } = setup();
    service.newTrigger('e').forSpreadsheet('x').onEdit().create();
    expect(triggers.dueBetween(T0, T0 + DAY)).toEqual([]);
  });
});
