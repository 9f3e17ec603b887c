// What Google refuses, the emulator refuses: scopes, who runs what, permissions on script writes,
// execution time, daily trigger runtime, a person typing between two calls, ambiguous failures.
import { describe, expect, it } from 'vitest';
import { createGasEnvironment, type GasEnvironment } from '../../emulator/index';
import { EXECUTION_ERRORS } from '../../emulator/services/execution';
import type { EmuSpreadsheet } from '../../emulator/spreadsheet/index';

const T0 = Date.UTC(2026, 10, 23, 8, 0);
const scope = (s: string) => `https://www.googleapis.com/auth/${s}`;
const FULL = ['spreadsheets', 'script.container.ui', 'script.scriptapp', 'script.send_mail', 'userinfo.email'].map(scope);
const OWNER = 'owner@gmail.com';
const MANAGER = 'manager@gmail.com';

function world(oauthScopes = FULL, opts: { account?: 'consumer' | 'workspace' } = {}): { env: GasEnvironment; ss: EmuSpreadsheet; other: EmuSpreadsheet } {
  const env = createGasEnvironment({ manifest: { oauthScopes }, now: T0, userEmail: OWNER, ownerEmail: OWNER, account: opts.account });
  const ss = env.world.createSpreadsheet('Продажи', { owner: OWNER });
  ss.acl.addEditor(MANAGER);
  env.world.setActive(ss);
  const other = env.world.createSpreadsheet('Партнёр', { owner: OWNER });
  return { env, ss, other };
}

describe('authorization scopes', () => {
  it('refuses a method whose documented scopes the manifest does not grant, in Google\'s words', () => {
    const { env, other } = world([scope('spreadsheets.currentonly')]);
    expect(() => env.globals.SpreadsheetApp.openById(other.id)).toThrow(
      'You do not have permission to call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets',
    );
  });

  it('lets the bound spreadsheet be edited under spreadsheets.currentonly', () => {
    const { env } = world([scope('spreadsheets.currentonly')]);
    const sheet = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
    sheet.getRange('A1').setValue('ok');
    expect(sheet.getRange('A1').getValue()).toBe('ok');
  });

  it('refuses mail without script.send_mail and Drive without a drive scope', () => {
    const { env, other } = world([scope('spreadsheets')]);
    expect(() => env.globals.MailApp.sendEmail('a@example.com', 's', 'b')).toThrow(/permission to call MailApp\.sendEmail/);
    expect(() => env.globals.DriveApp.getFileById(other.id)).toThrow(/permission to call DriveApp\.getFileById.*drive/);
  });

  it('needs the manifest: an environment without oauthScopes is refused', () => {
    expect(() => createGasEnvironment({} as never)).toThrow(/manifest/);
  });
});

describe('who runs what', () => {
  it('a simple trigger runs in LIMITED mode: the bound sheet yes, mail, other files and triggers no', () => {
    const { env, other } = world();
    env.beginExecution('simpleTrigger', { user: MANAGER });
    const g = env.globals;
    g.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('B2').setValue('x');
    expect(() => g.MailApp.sendEmail('a@example.com', 's', 'b')).toThrow(/You do not have permission to call MailApp\.sendEmail/);
    expect(() => g.SpreadsheetApp.openById(other.id)).toThrow(/You do not have permission to call SpreadsheetApp\.openById/);
    expect(() => g.ScriptApp.getProjectTriggers()).toThrow(/You do not have permission to call ScriptApp\.getProjectTriggers/);
    expect(g.PropertiesService.getScriptProperties().getProperty('k')).toBeNull();
  });

  it('a menu item runs as the person who clicks, with full authorization', () => {
    const { env } = world();
    env.beginExecution('menu', { user: MANAGER });
    expect(env.globals.Session.getActiveUser().getEmail()).toBe(MANAGER);
    expect(env.globals.Session.getEffectiveUser().getEmail()).toBe(MANAGER);
  });

  it('an installable trigger runs as the user who created it, whoever is at the keyboard', () => {
    const { env } = world();
    env.beginExecution('menu', { user: MANAGER });
    env.globals.ScriptApp.newTrigger('onTick').timeBased().everyMinutes(5).create();
    env.endExecution();
    const trigger = env.triggers.list()[0];
    env.beginExecution('installableTrigger', { trigger });
    expect(env.globals.Session.getEffectiveUser().getEmail()).toBe(MANAGER);
    expect(env.globals.ScriptApp.getProjectTriggers()).toHaveLength(1);
    env.endExecution();
    // The owner does not see the manager's trigger among their own.
    expect(env.globals.ScriptApp.getProjectTriggers()).toHaveLength(0);
  });

  it('onEdit\'s e.user is empty for a consumer-account colleague and visible within a Workspace domain', () => {
    const consumer = world();
    const e1 = consumer.env.world.userEdit(consumer.ss.sheets[0], 'A1', [['1']], { user: MANAGER });
    expect(e1.user.getEmail()).toBe('');
    const ws = createGasEnvironment({ manifest: { oauthScopes: FULL }, now: T0, userEmail: 'boss@team.ru', account: 'workspace' });
    const ss = ws.world.createSpreadsheet('Продажи', { owner: 'boss@team.ru' });
    ss.acl.addEditor('anna@team.ru');
    const e2 = ws.world.userEdit(ss.sheets[0], 'A1', [['1']], { user: 'anna@team.ru' });
    expect(e2.user.getEmail()).toBe('anna@team.ru');
  });
});

describe('permissions on every write', () => {
  function protectedWorld(warningOnly = false) {
    const w = world();
    const sheet = w.env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
    const p = sheet.getRange('A1:C3').protect();
    p.removeEditors([MANAGER]);
    if (warningOnly) p.setWarningOnly(true);
    return { ...w, sheet, p };
  }

  it('refuses a script write into a range protected from the user running it', () => {
    const { env, sheet } = protectedWorld();
    env.beginExecution('menu', { user: MANAGER });
    expect(() => sheet.getRange('B2').setValue('x')).toThrow('You are trying to edit a protected cell or object.');
    expect(sheet.getRange('B2').getValue()).toBe('');
    sheet.getRange('D4').setValue('free');
  });

  it('lets the owner and the protection\'s editors write', () => {
    const { sheet } = protectedWorld();
    sheet.getRange('B2').setValue('owner');
    expect(sheet.getRange('B2').getValue()).toBe('owner');
  });

  it('a warning-only protection stops nobody', () => {
    const { env, sheet } = protectedWorld(true);
    env.beginExecution('menu', { user: MANAGER });
    sheet.getRange('B2').setValue('x');
    expect(sheet.getRange('B2').getValue()).toBe('x');
  });

  it('Protection.getEditors and canDomainEdit throw for a user who may not edit it', () => {
    const { env, sheet } = protectedWorld();
    env.beginExecution('menu', { user: MANAGER });
    const p = sheet.getProtections(env.globals.SpreadsheetApp.ProtectionType.RANGE)[0];
    expect(() => p.getEditors()).toThrow('You do not have permission to perform that action.');
    expect(() => p.canDomainEdit()).toThrow();
    expect(p.canEdit()).toBe(false);
  });

  it('a sheet protection stops structural changes by others', () => {
    const { env } = world();
    const sheet = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
    sheet.protect().removeEditors([MANAGER]);
    env.beginExecution('menu', { user: MANAGER });
    expect(() => sheet.insertRowsAfter(1, 5)).toThrow(/protected/);
    expect(() => sheet.setName('x')).toThrow(/protected/);
  });

  it('a viewer cannot write at all', () => {
    const { env, ss } = world();
    ss.acl.addViewer('viewer@gmail.com');
    env.beginExecution('menu', { user: 'viewer@gmail.com' });
    expect(() => env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1').setValue(1)).toThrow('You do not have permission to edit this spreadsheet.');
  });
});

describe('time', () => {
  it('ends a simple trigger after 30 s of modelled time, and code cannot catch its way on', () => {
    const { env } = world();
    env.beginExecution('simpleTrigger', { user: OWNER });
    const range = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1');
    let calls = 0;
    let error = '';
    try { for (;;) { range.getValue(); calls++; } } catch (e) { error = (e as Error).message; }
    expect(error).toBe(EXECUTION_ERRORS.timeLimit);
    // ~7 ms a call: 30 s is about 4,300 calls.
    expect(calls).toBeGreaterThan(4000);
    expect(calls).toBeLessThan(4400);
    expect(() => range.getValue()).toThrow(EXECUTION_ERRORS.timeLimit);
  });

  it('gives a menu run 6 minutes', () => {
    const { env } = world();
    env.beginExecution('menu', { user: OWNER });
    const range = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1');
    for (let i = 0; i < 40_000; i++) range.getValue();
    expect(() => { for (let i = 0; i < 20_000; i++) range.getValue(); }).toThrow(EXECUTION_ERRORS.timeLimit);
  });

  it('stops the owner\'s triggers after 90 minutes of trigger runtime a day on a consumer account', () => {
    const { env } = world();
    env.globals.ScriptApp.newTrigger('onTick').timeBased().everyMinutes(5).create();
    const trigger = env.triggers.list()[0];
    const range = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1');
    // Runs of ~5.5 min each: the 17th crosses 90 min and is ended where it stands.
    let fullRuns = 0;
    let stoppedWith = '';
    for (let run = 0; run < 20 && !stoppedWith; run++) {
      env.beginExecution('installableTrigger', { trigger });
      try {
        for (let i = 0; i < 47_000; i++) range.getValue();
        fullRuns++;
      } catch (e) { stoppedWith = (e as Error).message; }
      env.endExecution();
      env.ctx.clock.advance(10 * 60_000);
    }
    expect(fullRuns).toBe(16);
    expect(stoppedWith).toBe(EXECUTION_ERRORS.dailyRuntime);
    env.beginExecution('installableTrigger', { trigger });
    expect(() => range.getValue()).toThrow(EXECUTION_ERRORS.dailyRuntime);
    env.endExecution();
    // Menu runs do not count against the trigger quota.
    env.beginExecution('menu', { user: OWNER });
    expect(() => range.getValue()).not.toThrow();
  });

  it('lets a Workspace owner run triggers past 90 minutes', () => {
    const { env } = world(FULL, { account: 'workspace' });
    env.globals.ScriptApp.newTrigger('onTick').timeBased().everyMinutes(5).create();
    const trigger = env.triggers.list()[0];
    const range = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1');
    for (let run = 0; run < 17; run++) {
      env.beginExecution('installableTrigger', { trigger });
      for (let i = 0; i < 47_000; i++) range.getValue();
      env.endExecution();
    }
    env.beginExecution('installableTrigger', { trigger });
    expect(() => range.getValue()).not.toThrow();
  });

  it('lets a person type between any two calls of a running execution', () => {
    const { env, ss } = world();
    const sheet = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
    const stop = env.ctx.recorder.onCall((method, n) => {
      if (method === 'Range.setValues' && n === 0) env.world.userEdit(ss.sheets[0], 'B1', [['typed']], { user: MANAGER });
    });
    const read = sheet.getRange('A1:B1').getValues();
    read[0][0] = 'script';
    sheet.getRange('A1:B1').setValues(read);
    stop();
    // The lost update a test must be able to see: the script wrote back the stale B1.
    expect(sheet.getRange('B1').getValue()).toBe('');
  });
});

describe('ambiguous failures', () => {
  it('a mail can be delivered and still report a failure', () => {
    const { env } = world();
    env.ctx.recorder.injectFault({ method: 'MailApp.sendEmail', nth: 1, phase: 'after', error: 'Service Gmail timed out' });
    expect(() => env.globals.MailApp.sendEmail('a@example.com', 's', 'b')).toThrow('Service Gmail timed out');
    expect(env.mail.outbox).toHaveLength(1);
  });

  it('a write can land and still report a failure', () => {
    const { env } = world();
    const range = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1');
    env.ctx.recorder.injectFault({ method: 'Range.setValue', nth: 1, phase: 'after', error: 'Service Spreadsheets timed out' });
    expect(() => range.setValue('landed')).toThrow('Service Spreadsheets timed out');
    expect(range.getValue()).toBe('landed');
  });
});

describe('rules pinned beside the main ones', () => {
  it('a method the scope table does not know is an emulator bug, never let through', () => {
    const { env } = world();
    expect(() => env.ctx.recorder.call('Spreadsheet.noSuchMethod')).toThrow(/not in the scope table/);
  });

  it('an after-the-work fault can only hit calls that report after their work', () => {
    const { env } = world();
    env.ctx.recorder.injectFault({ method: 'Range.getValue', nth: 1, phase: 'after', error: 'x' });
    expect(() => env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1').getValue()).toThrow(/cannot fail after its work/);
  });

  it('a viewer cannot add sheets, rename the file or share it', () => {
    const { env, ss } = world();
    ss.acl.addViewer('viewer@gmail.com');
    env.beginExecution('menu', { user: 'viewer@gmail.com' });
    const file = env.globals.SpreadsheetApp.getActiveSpreadsheet();
    expect(() => file.insertSheet('Новый')).toThrow('You do not have permission to edit this spreadsheet.');
    expect(() => file.rename('x')).toThrow('You do not have permission to edit this spreadsheet.');
    expect(() => file.addViewer('a@gmail.com')).toThrow('You do not have permission to edit this spreadsheet.');
  });

  it('Range.canEdit tells whether the effective user may write there', () => {
    const { env } = world();
    const sheet = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0];
    sheet.getRange('A1:A2').protect().removeEditors([MANAGER]);
    env.beginExecution('menu', { user: MANAGER });
    expect(sheet.getRange('A1').canEdit()).toBe(false);
    expect(sheet.getRange('B1').canEdit()).toBe(true);
  });

  it('time spent in Utilities.sleep counts against the execution limit', () => {
    const { env } = world();
    env.beginExecution('simpleTrigger', { user: OWNER });
    env.globals.Utilities.sleep(29_000);
    env.globals.Utilities.sleep(2_000);
    expect(() => env.globals.PropertiesService.getScriptProperties()).toThrow(EXECUTION_ERRORS.timeLimit);
  });

  it('the daily trigger runtime survives a save and a reload of the emulator state', () => {
    const { env } = world();
    env.globals.ScriptApp.newTrigger('onTick').timeBased().everyMinutes(5).create();
    const trigger = env.triggers.list()[0];
    env.beginExecution('installableTrigger', { trigger });
    const range = env.globals.SpreadsheetApp.getActiveSpreadsheet().getSheets()[0].getRange('A1');
    for (let i = 0; i < 10_000; i++) range.getValue();
    env.endExecution();
    const used = env.execution.runtimeUsed(OWNER, env.ctx.clock.now());
    expect(used).toBeGreaterThan(60_000);
    const next = createGasEnvironment({ manifest: { oauthScopes: FULL }, now: T0 + 60_000, userEmail: OWNER });
    next.loadState(JSON.parse(JSON.stringify(env.saveState({ spreadsheets: false }))));
    expect(next.execution.runtimeUsed(OWNER, next.ctx.clock.now())).toBe(used);
  });
});

