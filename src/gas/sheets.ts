// Finding sheets by name: trimmed, case-insensitive, with aliases, so a renamed-by-a-space sheet
// is still found and never duplicated.
import { headerKey } from '../core/text';
import type { SheetDef } from '../../sheets-templates/schema';
import { templateByKey, type SheetKey } from '../../sheets-templates';

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
