// «Настройки» read in one call and parsed; a missing sheet yields the defaults plus a problem.
import { templateByKey } from '../../sheets-templates';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../core/settings';
import { MOSCOW } from '../core/dates';
import { findSheet } from './sheets';
import { cell, readTable } from './table';
import { withRetry } from './retry';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export function readSettings(sheet: Sheet | null): { settings: Settings; problems: string[] } {
  const def = templateByKey('settings');
  if (!sheet) return { settings: { ...DEFAULT_SETTINGS }, problems: [`Нет листа «${def.name}»: действуют настройки по умолчанию. Запустите «Настроить таблицу».`] };
  const table = readTable(sheet, def);
  const rows = table.rows
    .map((r) => ({ name: String(cell(table, r, 'name') ?? '').trim(), value: cell(table, r, 'value') }))
    .filter((r) => r.name !== '');
  return parseSettings(rows, MOSCOW);
}

/** `missingSheet`: there is no «Настройки» at all (the defaults are then a guess, not a choice). */
export function loadSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): { settings: Settings; problems: string[]; missingSheet: boolean } {
  const sheet = findSheet(ss, templateByKey('settings'));
  return { ...readSettings(sheet), missingSheet: sheet === null };
}

const SNAPSHOT_KEY = 'settings:snapshot';

/** Settings saved by the last job that read «Настройки», so triggers need no sheet read. */
export function saveSettingsSnapshot(settings: Settings): void {
  withRetry(() => PropertiesService.getScriptProperties().setProperty(SNAPSHOT_KEY, JSON.stringify(settings)));
}

export function parseSnapshot(raw: string | null | undefined): Settings | null {
  if (!raw) return null;
  try {
    return { ...DEFAULT_SETTINGS, ...(JSON.parse(raw) as Settings) };
  } catch {
    return null;
  }
}

export const SETTINGS_SNAPSHOT_KEY = SNAPSHOT_KEY;

/** The snapshot when there is one, otherwise «Настройки» read (and the snapshot saved). */
export function currentSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): Settings {
  const hit = parseSnapshot(withRetry(() => PropertiesService.getScriptProperties().getProperty(SNAPSHOT_KEY)));
  if (hit) return hit;
  const { settings } = loadSettings(ss);
  saveSettingsSnapshot(settings);
  return settings;
}
