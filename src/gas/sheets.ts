// Finding sheets by name: trimmed, case-insensitive, with aliases, so a renamed-by-a-space sheet
// is still found and never duplicated.
import { headerKey } from '../core/text';
import { MOSCOW } from '../core/dates';
import { withRetry } from './retry';
import type { SheetDef } from '../../sheets-templates/schema';
import { SHEET_TEMPLATES, templateByKey, type SheetKey } from '../../sheets-templates';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export function findSheet(ss: Spreadsheet, def: Pick<SheetDef, 'name' | 'aliases'>, sheets?: Sheet[]): Sheet | null {
  const exact = sheets ? sheets.find((s) => s.getName() === def.name) : ss.getSheetByName(def.name);
  if (exact) return exact;
  const wanted = new Set([def.name, ...def.aliases].map(headerKey));
  for (const sheet of sheets ?? ss.getSheets()) {
    if (wanted.has(headerKey(sheet.getName()))) return sheet;
  }
  return null;
}

/** Whether a sheet name is the template sheet `key` (name or alias, trimmed, case-insensitive). */
export function isTemplateSheet(name: string, key: SheetKey): boolean {
  const def = templateByKey(key);
  const wanted = headerKey(name);
  return [def.name, ...def.aliases].some((n) => headerKey(n) === wanted);
}

/**
 * Other sheets whose names contain the template's name or the other way round («Аналитика (старая)»):
 * when the template's sheet is missing, it was most likely renamed.
 */
export function similarSheetNames(ss: Spreadsheet, def: Pick<SheetDef, 'name' | 'aliases'>, sheets?: Sheet[]): string[] {
  const wanted = [def.name, ...def.aliases].map(headerKey).filter((k) => k.length >= 4);
  return (sheets ?? ss.getSheets()).map((s) => s.getName()).filter((n) => {
    const k = headerKey(n);
    return k.length >= 4 && wanted.some((w) => k !== w && (k.includes(w) || w.includes(k)));
  });
}

/** What a person reads when a sheet a job needs is missing: rename it back, or let setup create it. */
export function missingSheetMessage(ss: Spreadsheet, name: string): string {
  const def = SHEET_TEMPLATES.find((t) => t.name === name) ?? { name, aliases: [] };
  const similar = similarSheetNames(ss, def);
  if (similar.length === 0) return `Нет листа «${name}». Запустите «Настроить таблицу».`;
  return `Нет листа «${name}». Есть лист ${similar.map((n) => `«${n}»`).join(', ')} — если это он, верните ему имя «${name}» (данные в нём не тронуты). «Настроить таблицу» создала бы новый пустой лист.`;
}

/** The spreadsheet zone problem, if any: dates typed in another zone can shift by a day. */
export function spreadsheetZoneProblem(ss: GoogleAppsScript.Spreadsheet.Spreadsheet): string | null {
  const zone = withRetry(() => ss.getSpreadsheetTimeZone());
  return zone === MOSCOW ? null : `Часовой пояс таблицы — ${zone}, а нужен ${MOSCOW}: введённые даты могут сдвинуться на день. Запустите «Настроить таблицу» (она исправит пояс).`;
}
