import { describe, expect, it } from 'vitest';
import { createContext } from '../../emulator/context';
import { FAULTS } from '../../emulator/recorder';
import { ExecutionState } from '../../emulator/services/execution';
import { createUtilities, formatDateInZone } from '../../emulator/services/utilities';
import { createSession } from '../../emulator/services/session';
import { createPropertiesService, PROPERTY_ERRORS } from '../../emulator/services/properties';
import { createCacheService, CACHE_ERRORS } from '../../emulator/services/cache';
import { createLockService, LOCK_TIMEOUT_ERROR } from '../../emulator/services/lock';

const T0 = Date.UTC(2026, 10, 23, 9, 0); // 12:00 in Moscow

describe('Utilities', () => {
  describe('formatDate', () => {
    const ctx = createContext({ now: T0 });
    const u = createUtilities(ctx);
    const d = new Date(Date.UTC(2026, 0, 5, 21, 7, 9, 45)); // Tue 6 Jan 2026 00:07:09.045 in Moscow

    it('uses the zone it is given, not the machine\'s', () => {
      expect(u.formatDate(d, 'Europe/Moscow', 'yyyy-MM-dd HH:mm:ss')).toBe('2026-01-06 00:07:09');
      expect(u.formatDate(d, 'America/Los_Angeles', 'yyyy-MM-dd HH:mm')).toBe('2026-01-05 13:07');
      expect(u.formatDate(d, 'UTC', 'yyyy-MM-dd HH:mm')).toBe('2026-01-05 21:07');
    });

    it('renders names, 12-hour clock, milliseconds and offsets like SimpleDateFormat', () => {
      expect(u.formatDate(d, 'Europe/Moscow', 'EEE, d MMM yy')).toBe('Tue, 6 Jan 26');
      expect(u.formatDate(d, 'Europe/Moscow', 'EEEE d MMMM')).toBe('Tuesday 6 January');
      expect(u.formatDate(d, 'Europe/Moscow', 'h:mm a / hh / H / SSS')).toBe('12:07 AM / 12 / 0 / 045');
      expect(u.formatDate(d, 'Europe/Moscow', 'Z XXX')).toBe('+0300 +03:00');
      expect(u.formatDate(d, 'America/Los_Angeles', 'Z XXX')).toBe('-0800 -08:00');
      expect(u.formatDate(d, 'UTC', 'XXX')).toBe('Z');
      expect(u.formatDate(d, 'Europe/Moscow', 'M/d')).toBe('1/6');
    });

    it('keeps quoted text literal and turns two quotes into one', () => {
      expect(u.formatDate(d, 'Europe/Moscow', "dd.MM.yyyy 'at' HH:mm")).toBe('06.01.2026 at 00:07');
      expect(u.formatDate(d, 'Europe/Moscow', "HH'h''s' ''")).toBe("00h's '");
    });

    it('follows daylight saving time in the given zone', () => {
      const summer = new Date(Date.UTC(2026, 6, 1, 12, 0));
      expect(u.formatDate(summer, 'America/Los_Angeles', 'HH:mm Z')).toBe('05:00 -0700');
    });

    it('rejects a string where a Date is required, with the V8 wording', () => {
      expect(() => u.formatDate('2026-01-01' as unknown as Date, 'UTC', 'yyyy')).toThrow(
        "The parameters (String,String,String) don't match the method signature for Utilities.formatDate.");
    });

    it('accepts a Date from another realm', async () => {
      const vm = await import('node:vm');
      const foreign = vm.runInNewContext('new Date(Date.UTC(2026, 0, 1))') as Date;
      expect(u.formatDate(foreign, 'UTC', 'yyyy-MM-dd')).toBe('2026-01-01');
    });

    it('counts each call', () => {
      const before = ctx.recorder.counts.get('Utilities.formatDate') ?? 0;
      u.formatDate(d, 'UTC', 'yyyy');
      expect(ctx.recorder.counts.get('Utilities.formatDate')).toBe(before + 1);
    });

    it('treats GMT offsets as fixed zones', () => {
      expect(formatDateInZone(d.getTime(), 'GMT+3', 'HH:mm')).toBe('00:07');
      expect(formatDateInZone(d.getTime(), 'GMT', 'HH:mm')).toBe('21:07');
    });
  });

  describe('sleep', () => {
    it('moves the virtual clock instead of waiting', () => {
      const ctx = createContext({ now: T0 });
      createUtilities(ctx).sleep(120_000);
      expect(ctx.clock.now()).toBe(T0 + 120_000);
    });

    it('refuses more than five minutes', () => {
      const ctx = createContext({ now: T0 });
      expect(() => createUtilities(ctx).sleep(300_001)).toThrow(/milliseconds/);
      expect(ctx.clock.now()).toBe(T0);
    });
  });

  describe('getUuid', () => {
    it('returns RFC 4122 version 4 ids, reproducible from the seed', () => {
      const a = createUtilities(createContext({ seed: 7 }));
      const b = createUtilities(createContext({ seed: 7 }));
      const id = a.getUuid();
      expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(b.getUuid()).toBe(id);
      expect(a.getUuid()).not.toBe(id);
    });
  });

  describe('base64 and blobs', () => {
    it('round-trips UTF-8 text through signed Java bytes', () => {
      const u = createUtilities(createContext());
      const encoded = u.base64Encode('Привет');
      const bytes = u.base64Decode(encoded);
      expect(bytes.some((b) => b < 0)).toBe(true);
      expect(u.newBlob(bytes, 'text/plain', 'a.txt').getDataAsString()).toBe('Привет');
    });

    it('formats strings like Java String.format', () => {
      const u = createUtilities(createContext());
      expect(u.formatString('%s: %d (%.1f%%)', 'Лиды', 12, 33.333)).toBe('Лиды: 12 (33.3%)');
    });
  });
});

describe('Session', () => {
  it('reports the user and the script time zone', () => {
    const ctx = createContext({ userEmail: 'manager@example.com', scriptTimeZone: 'Europe/Moscow' });
    const s = createSession(ctx);
    expect(s.getActiveUser().getEmail()).toBe('manager@example.com');
    expect(s.getEffectiveUser().getEmail()).toBe('manager@example.com');
    expect(s.getScriptTimeZone()).toBe('Europe/Moscow');
  });

  it('can hide the active user, as for another user\'s simple trigger', () => {
    const ctx = createContext({ userEmail: 'owner@example.com' });
    const s = createSession(ctx);
    s.activeUserEmail = '';
    expect(s.getActiveUser().getEmail()).toBe('');
    expect(s.getEffectiveUser().getEmail()).toBe('owner@example.com');
  });

  it('gives a stable temporary key that is not the email', () => {
    const s = createSession(createContext({ userEmail: 'a@example.com' }));
    const k = s.getTemporaryActiveUserKey();
    expect(k).toBe(s.getTemporaryActiveUserKey());
    expect(k).not.toContain('a@example.com');
  });
});

describe('PropertiesService', () => {
  it('returns null for a missing key and strings for everything stored', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    expect(p.getProperty('missing')).toBeNull();
    p.setProperty('n', 42 as unknown as string);
    expect(p.getProperty('n')).toBe('42');
  });

  it('keeps the three stores apart', () => {
    const svc = createPropertiesService(createContext());
    svc.getScriptProperties().setProperty('k', 'script');
    svc.getUserProperties().setProperty('k', 'user');
    expect(svc.getDocumentProperties().getProperty('k')).toBeNull();
    expect(svc.getScriptProperties().getProperty('k')).toBe('script');
  });

  it('sets several at once and can delete all others', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    p.setProperties({ a: '1', b: '2' });
    p.setProperties({ c: '3' }, true);
    expect(p.getKeys()).toEqual(['c']);
    expect(p.getProperties()).toEqual({ c: '3' });
  });

  it('hands out a copy, not a live view', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    p.setProperty('a', '1');
    const copy = p.getProperties();
    copy.a = 'changed';
    expect(p.getProperty('a')).toBe('1');
  });

  it('deletes one or all', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    p.setProperties({ a: '1', b: '2' });
    p.deleteProperty('a');
    expect(p.getKeys()).toEqual(['b']);
    p.deleteAllProperties();
    expect(p.getKeys()).toEqual([]);
  });

  it('refuses a value over 9 KB', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    expect(() => p.setProperty('big', 'x'.repeat(9 * 1024 + 1))).toThrow(PROPERTY_ERRORS.valueTooLarge);
    expect(p.getProperty('big')).toBeNull();
  });

  it('refuses to grow a store past 500 KB, with the real message', () => {
    const p = createPropertiesService(createContext()).getScriptProperties();
    for (let i = 0; i < 56; i++) p.setProperty(`k${i}`, 'x'.repeat(9000));
    expect(() => p.setProperty('k56', 'x'.repeat(9000))).toThrow(
      'You have exceeded the property storage quota. Please remove some properties and try again.');
  });

  it('fails where a fault is injected', () => {
    const ctx = createContext();
    const p = createPropertiesService(ctx).getScriptProperties();
    ctx.recorder.injectFault({ method: 'Properties.setProperty', nth: 2, error: 'Service unavailable' });
    p.setProperty('a', '1');
    expect(() => p.setProperty('b', '2')).toThrow('Service unavailable');
    expect(p.getProperty('b')).toBeNull();
  });
});

describe('CacheService', () => {
  it('forgets a value once its time is up on the virtual clock', () => {
    const ctx = createContext({ now: T0 });
    const c = createCacheService(ctx).getScriptCache();
    c.put('k', 'v', 60);
    ctx.clock.advance(59_000);
    expect(c.get('k')).toBe('v');
    ctx.clock.advance(1_000);
    expect(c.get('k')).toBeNull();
  });

  it('keeps values 10 minutes by default', () => {
    const ctx = createContext({ now: T0 });
    const c = createCacheService(ctx).getScriptCache();
    c.put('k', 'v');
    ctx.clock.advance(599_000);
    expect(c.get('k')).toBe('v');
    ctx.clock.advance(1_000);
    expect(c.get('k')).toBeNull();
  });

  it('never keeps anything longer than 6 hours', () => {
    const ctx = createContext({ now: T0 });
    const c = createCacheService(ctx).getScriptCache();
    c.put('k', 'v', 100_000);
    ctx.clock.advance(21_600_000);
    expect(c.get('k')).toBeNull();
  });

  it('reads and writes several keys, leaving out missing ones', () => {
    const c = createCacheService(createContext()).getUserCache();
    c.putAll({ a: '1', b: '2' });
    expect(c.getAll(['a', 'b', 'z'])).toEqual({ a: '1', b: '2' });
    c.removeAll(['a']);
    c.remove('b');
    expect(c.getAll(['a', 'b'])).toEqual({});
  });

  it('refuses keys over 250 characters and values over 100 KB', () => {
    const c = createCacheService(createContext()).getScriptCache();
    expect(() => c.put('k'.repeat(251), 'v')).toThrow(CACHE_ERRORS.keyTooLarge);
    expect(() => c.put('k', 'v'.repeat(100 * 1024 + 1))).toThrow(CACHE_ERRORS.valueTooLarge);
  });
});

describe('LockService', () => {
  const setup = () => {
    const ctx = createContext({ now: T0 });
    const execution = new ExecutionState(T0);
    execution.begin('installableTrigger', T0);
    const { service, locks } = createLockService(ctx, execution);
    return { ctx, execution, service, locks };
  };

  it('acquires a free lock at once', () => {
    const { ctx, service } = setup();
    const lock = service.getScriptLock();
    expect(lock.hasLock()).toBe(false);
    expect(lock.tryLock(1000)).toBe(true);
    expect(lock.hasLock()).toBe(true);
    expect(ctx.clock.now()).toBe(T0);
  });

  it('waitLock gives up after the timeout when another execution holds the lock', () => {
    const { ctx, service, locks } = setup();
    locks.holdByOther('script', T0 + 60_000);
    const lock = service.getScriptLock();
    expect(() => lock.waitLock(30_000)).toThrow(LOCK_TIMEOUT_ERROR);
    expect(lock.hasLock()).toBe(false);
    expect(ctx.clock.now()).toBe(T0 + 30_000);
  });

  it('tryLock waits for another execution that lets go in time', () => {
    const { ctx, service, locks } = setup();
    locks.holdByOther('script', T0 + 10_000);
    const lock = service.getScriptLock();
    expect(lock.tryLock(30_000)).toBe(true);
    expect(ctx.clock.now()).toBe(T0 + 10_000);
  });

  it('tryLock returns false instead of throwing', () => {
    const { service, locks } = setup();
    locks.holdByOther('document', T0 + 60_000);
    expect(service.getDocumentLock().tryLock(0)).toBe(false);
    expect(service.getScriptLock().tryLock(0)).toBe(true);
  });

  it('a lock not released is released when the execution ends', () => {
    const { ctx, execution, service, locks } = setup();
    service.getScriptLock().waitLock(1000);
    expect(locks.isHeld('script')).toBe(true);
    locks.endExecution();
    expect(locks.isHeld('script')).toBe(false);
    execution.begin('installableTrigger', ctx.clock.now());
    expect(service.getScriptLock().tryLock(0)).toBe(true);
  });

  it('releaseLock frees it for the next execution', () => {
    const { service, locks } = setup();
    const lock = service.getScriptLock();
    lock.waitLock(1000);
    lock.releaseLock();
    expect(lock.hasLock()).toBe(false);
    expect(locks.isHeld('script')).toBe(false);
  });

  it('turns an injected fault into the real time-out', () => {
    const { ctx, service } = setup();
    ctx.recorder.injectFault({ method: 'Lock.waitLock', nth: 1, error: FAULTS.lockTimeout });
    expect(() => service.getScriptLock().waitLock(1000)).toThrow(LOCK_TIMEOUT_ERROR);
  });
});
