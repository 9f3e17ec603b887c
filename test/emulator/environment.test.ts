import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createGasEnvironment } from '../../emulator/index';
import { loadBundle } from '../../emulator/bundle';
import { loadStateFile, saveStateFile, statePathFor } from '../../emulator/state';

const T0 = Date.UTC(2026, 10, 23, 8, 0); // 11:00 in Moscow
/** A manifest granting what these emulator tests exercise. */
const MANIFEST = {
  timeZone: 'Europe/Moscow',
  oauthScopes: ['spreadsheets', 'script.container.ui', 'script.scriptapp', 'script.send_mail', 'userinfo.email']
    .map((s) => `https://www.googleapis.com/auth/${s}`),
};

const TINY_BUNDLE = `
"use strict";
var app = (() => {
  const MENU = [{ caption: 'Справка', handler: 'menuHelp' }];
  function buildMenu() {
    const menu = SpreadsheetApp.getUi().createMenu('Продажи');
    for (const item of MENU) menu.addItem(item.caption, item.handler);
    menu.addToUi();
  }
  return {
    onOpen: () => buildMenu(),
    menuHelp: () => SpreadsheetApp.getUi().alert('Справка'),
    stamp: () => Utilities.formatDate(new Date(), Session.getScriptTimeZone(), 'yyyy-MM-dd HH:mm'),
    remember: (k, v) => PropertiesService.getScriptProperties().setProperty(k, v),
    shout: (s) => s.toUpperCase(),
  };
})();
function onOpen(e) { return app.onOpen(e); }
function menuHelp() { return app.menuHelp(); }
function stamp() { return app.stamp(); }
function remember(k, v) { return app.remember(k, v); }
function shout(s) { return app.shout(s); }
const notAFunction = 1;
`;

describe('createGasEnvironment', () => {
  it('exposes every service as a global', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    for (const name of ['SpreadsheetApp', 'DriveApp', 'Session', 'Utilities', 'PropertiesService', 'CacheService', 'LockService',
      'ScriptApp', 'MailApp', 'HtmlService', 'Logger', 'Charts', 'console', 'Date']) {
      expect(env.globals, name).toHaveProperty(name);
    }
  });

  it('gives scripts a Date that reads the virtual clock', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    const D = env.globals.Date;
    expect(new D().getTime()).toBe(T0);
    expect(D.now()).toBe(T0);
    env.ctx.clock.advance(60_000);
    expect(new D().getTime()).toBe(T0 + 60_000);
    expect(new D(2026, 0, 1) instanceof Date).toBe(true);
    expect(new D(0).getTime()).toBe(0);
    expect(typeof D()).toBe('string');
  });

  it('install() swaps the globals and Date in, and the undo puts them back', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    const HostDate = Date;
    const target = globalThis as unknown as Record<string, unknown>;
    const undo = env.install();
    try {
      expect(target.MailApp).toBe(env.globals.MailApp);
      expect(new Date().getTime()).toBe(T0);
    } finally {
      undo();
    }
    expect(globalThis.Date).toBe(HostDate);
    expect('MailApp' in globalThis).toBe(false);
  });

  it('releases locks a finished execution forgot', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    env.beginExecution('installableTrigger');
    env.globals.LockService.getScriptLock().waitLock(1000);
    env.endExecution();
    env.beginExecution('menu');
    expect(env.globals.LockService.getScriptLock().tryLock(0)).toBe(true);
  });

  it('shows no UI to a time-driven trigger', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    env.beginExecution('installableTrigger');
    expect(() => env.globals.SpreadsheetApp.getUi()).toThrow('Cannot call SpreadsheetApp.getUi() from this context.');
    env.beginExecution('menu');
    expect(() => env.globals.SpreadsheetApp.getUi().alert('ok')).not.toThrow();
  });

  it('hides the active user from a simple trigger run by someone other than the owner (consumer accounts)', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0, userEmail: 'owner@example.com' });
    env.beginExecution('simpleTrigger', { user: 'manager@gmail.com' });
    expect(env.globals.Session.getActiveUser().getEmail()).toBe('');
    expect(env.globals.Session.getEffectiveUser().getEmail()).toBe('');
    env.beginExecution('simpleTrigger', { user: 'owner@example.com' });
    expect(env.globals.Session.getActiveUser().getEmail()).toBe('owner@example.com');
    env.beginExecution('menu', { user: 'manager@gmail.com' });
    expect(env.globals.Session.getActiveUser().getEmail()).toBe('manager@gmail.com');
  });

  it('saves and restores properties, triggers and the mail quota', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0, mailQuota: 10 });
    env.globals.PropertiesService.getScriptProperties().setProperty('lastReport', '2026-11-23');
    env.globals.ScriptApp.newTrigger('tick').timeBased().everyMinutes(5).create();
    env.globals.MailApp.sendEmail('a@example.com, b@example.com', 'S', 'B');
    const saved = JSON.parse(JSON.stringify(env.saveState({ spreadsheets: false })));

    const next = createGasEnvironment({ manifest: MANIFEST, now: T0 + 3_600_000, mailQuota: 10 });
    next.loadState(saved);
    expect(next.globals.PropertiesService.getScriptProperties().getProperty('lastReport')).toBe('2026-11-23');
    expect(next.globals.ScriptApp.getProjectTriggers().map((t) => t.getHandlerFunction())).toEqual(['tick']);
    expect(next.globals.MailApp.getRemainingDailyQuota()).toBe(8);
    expect(next.triggers.dueBetween(T0 + 3_600_000, T0 + 2 * 3_600_000)).toHaveLength(12);
  });
});

describe('with spreadsheets', () => {
  it('saveState carries the spreadsheets and loadState brings them back', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    env.world.setActive(env.world.createSpreadsheet('Продажи'));
    env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1').setValue('лид');
    const saved = JSON.parse(JSON.stringify(env.saveState()));

    const next = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    next.loadState(saved);
    expect(next.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1').getValue()).toBe('лид');
  });

  it('lets a bundle in node:vm write arrays and dates from its own realm', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    env.world.setActive(env.world.createSpreadsheet('Продажи'));
    const bundle = loadBundle(`
      function writeRow() {
        SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange(1, 1, 1, 3).setValues([['Анна', 3, new Date()]]);
      }`, env);
    env.beginExecution('menu');
    bundle.call('writeRow');
    const [row] = env.ctx.recorder.quiet(() => env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange(1, 1, 1, 3).getValues());
    expect(row[0]).toBe('Анна');
    expect(row[1]).toBe(3);
    expect(Object.prototype.toString.call(row[2])).toBe('[object Date]');
    expect((row[2] as Date).getTime()).toBe(T0);
  });
});

describe('state file', () => {
  const dirs: string[] = [];
  afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

  it('keeps script properties and quota between local runs, next to the workbook', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gas-state-'));
    dirs.push(dir);
    const workbook = path.join(dir, 'demo.xlsx');
    const first = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    first.globals.PropertiesService.getScriptProperties().setProperty('done:2026-11-23:report11', '1');
    first.globals.MailApp.sendEmail('a@example.com', 'S', 'B');
    const file = saveStateFile(first, workbook);
    expect(file).toBe(statePathFor(workbook));
    expect(path.dirname(file)).toBe(dir);
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).not.toHaveProperty('spreadsheets');

    const second = createGasEnvironment({ manifest: MANIFEST, now: T0 + 60_000 });
    expect(loadStateFile(second, workbook)).not.toBeNull();
    expect(second.globals.PropertiesService.getScriptProperties().getProperty('done:2026-11-23:report11')).toBe('1');
    expect(second.globals.MailApp.getRemainingDailyQuota()).toBe(99);
  });

  it('starts fresh when there is no saved state', () => {
    const env = createGasEnvironment({ manifest: MANIFEST });
    expect(loadStateFile(env, path.join(os.tmpdir(), 'no-such-dir-xyz', 'book.xlsx'))).toBeNull();
  });
});

describe('loadBundle', () => {
  it('loads a bundle without making a single service call', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    loadBundle(TINY_BUNDLE, env);
    expect(env.ctx.recorder.total()).toBe(0);
  });

  it('lists the top-level functions that are callable', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    const bundle = loadBundle(TINY_BUNDLE, env);
    expect(bundle.topLevelFunctions().sort()).toEqual(['menuHelp', 'onOpen', 'remember', 'shout', 'stamp']);
  });

  it('runs an entry point against the emulated services', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0 });
    const bundle = loadBundle(TINY_BUNDLE, env);
    env.beginExecution('simpleTrigger');
    bundle.call('onOpen', { authMode: 'LIMITED' });
    expect(env.ui.menus).toEqual([{ caption: 'Продажи', items: [{ caption: 'Справка', functionName: 'menuHelp' }] }]);
    env.beginExecution('menu');
    bundle.call('menuHelp');
    expect(env.ui.alerts.map((a) => a.prompt)).toEqual(['Справка']);
    bundle.call('remember', 'k', 'v');
    expect(env.properties.stores.script.snapshot()).toEqual({ k: 'v' });
  });

  it('gives the bundle the virtual time in the script zone', () => {
    const env = createGasEnvironment({ manifest: MANIFEST, now: T0, scriptTimeZone: 'Europe/Moscow' });
    const bundle = loadBundle(TINY_BUNDLE, env);
    expect(bundle.call('stamp')).toBe('2026-11-23 11:00');
  });

  it('throws the Apps Script message for a missing function', () => {
    const env = createGasEnvironment({ manifest: MANIFEST });
    const bundle = loadBundle(TINY_BUNDLE, env);
    expect(() => bundle.call('nope')).toThrow('Script function not found: nope');
    expect(() => bundle.call('notAFunction')).toThrow('Script function not found: notAFunction');
  });

  it('lets template scriptlets call the bundle\'s functions', () => {
    const env = createGasEnvironment({ manifest: MANIFEST });
    loadBundle(TINY_BUNDLE, env);
    const t = env.globals.HtmlService.createTemplate('<?= shout(name) ?>');
    t.name = 'ok';
    expect(t.evaluate().getContent()).toBe('OK');
  });
});
