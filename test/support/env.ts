// Test harness: a fresh emulated Apps Script world with the bound spreadsheet active and the
// services installed as globals, so src/ code runs exactly as it would in Apps Script.
import { afterEach } from 'vitest';
import { createGasEnvironment, type GasEnvironment, type GasEnvironmentOptions } from '../../emulator/index';
import { localDateTimeToDate, MOSCOW } from '../../src/core/dates';
import { projectManifest } from './manifest';

let uninstall: (() => void) | null = null;

afterEach(() => {
  uninstall?.();
  uninstall = null;
});

export interface TestWorld {
  env: GasEnvironment;
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet;
}

/** `at` is Moscow wall-clock time 'YYYY-MM-DD HH:MM'. */
export function moscow(at: string): Date {
  const [d, t = '00:00'] = at.split(' ');
  const [h, m] = t.split(':').map(Number);
  return localDateTimeToDate(d, MOSCOW, h, m);
}

export function makeWorld(opts: Partial<GasEnvironmentOptions> & { at?: string; name?: string } = {}): TestWorld {
  const env = createGasEnvironment({ seed: 7, manifest: projectManifest(), ...opts, now: opts.at ? moscow(opts.at).getTime() : opts.now ?? moscow('2026-11-23 10:00').getTime() });
  const ss = env.world.createSpreadsheet(opts.name ?? 'Продажи', { owner: env.ctx.ownerEmail });
  env.world.setActive(ss);
  uninstall?.();
  uninstall = env.install();
  return { env, ss: ss as unknown as GoogleAppsScript.Spreadsheet.Spreadsheet };
}

/** Service calls that change something (for idempotence: a repeat run must make none). */
export function isWriteCall(method: string): boolean {
  const name = method.split('.').pop() ?? '';
  return /^(set|insert|append|delete|remove|add|clear|hide|show|protect|rename|create|update|merge|activate)/.test(name)
    && !method.startsWith('SpreadsheetApp.new') && !/Builder\./.test(method);
}
