// «Настройки» read in one call and parsed; a missing sheet yields the defaults plus a problem.
import { templateByKey } from '../../sheets-templates';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from '../core/settings';
import { MOSCOW } from '../core/dates';
import { findSheet } from './sheets';
import { cell, readTable } from './table';

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

export function loadSettings(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): { settings: Settings; problems: string[] } {
  return readSettings(findSheet(ss, templateByKey('settings')));
}
