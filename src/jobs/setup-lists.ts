// Dropdowns fed by a list of «Справочники». A list that ships empty and is strict (the managers: their
// names are the team's) would reject every value on a fresh spreadsheet, so until it has a value its
// dropdowns accept anything with a note, and setup makes them strict on the first run after it is filled.
import { LISTS, SHEET_TEMPLATES, templateByKey, templateByName, type ListDef } from '../../sheets-templates';
import { headerKey } from '../core/text';
import { withRetry } from '../gas/retry';

type Range = GoogleAppsScript.Spreadsheet.Range;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const LISTS_SHEET = templateByKey('lists').name;

function openHelp(list: ListDef): string {
  if (list.source) return `Лист «${list.source.sheet}» пока пуст — впишите имя. Когда руководство заполнит лист «${list.source.sheet}», здесь можно будет выбрать только имя из него.`;
  return `Список «${list.header}» в «${LISTS_SHEET}» пока пуст — впишите имя. Когда руководство заполнит список, здесь можно будет выбрать только имя из него.`;
}

function isEmpty(range: Range): boolean {
  return withRetry(() => range.getValues()).every((r) => String(r[0] ?? '').trim() === '');
}

/** The dropdown rule of list `listKey` over `range` (its column on «Справочники»). */
export function listValidation(b: GoogleAppsScript.Spreadsheet.DataValidationBuilder, range: Range, listKey: string, strict: boolean): GoogleAppsScript.Spreadsheet.DataValidation {
  const list = LISTS.find((l) => l.key === listKey) as ListDef | undefined;
  const rule = b.requireValueInRange(range, true);
  if (strict && list?.openWhileEmpty && isEmpty(range)) return rule.setAllowInvalid(true).setHelpText(openHelp(list)).build();
  return rule.setAllowInvalid(!strict).build();
}

/** Columns and sheets with a strict dropdown of the list (where an empty list would reject every value). */
function strictUses(listKey: string): { columns: string[]; sheets: string[] } {
  const uses = SHEET_TEMPLATES.flatMap((t) => t.columns
    .filter((c) => c.validation?.kind === 'list' && c.validation.list === listKey && c.validation.strict)
    .map((c) => ({ sheet: t.name, column: c.header })));
  return { columns: [...new Set(uses.map((u) => u.column))], sheets: [...new Set(uses.map((u) => u.sheet))] };
}

/**
 * One warning per empty open-while-empty list, telling leadership to fill it: a list of «Справочники», or
 * one living on its own sheet (the managers: «Менеджеры»). `sheetByKey` / `headerRows`: the sheets setup placed.
 */
export function emptyListWarnings(sheetByKey: ReadonlyMap<string, Sheet>, headerRows: ReadonlyMap<string, number>): string[] {
  const out: string[] = [];
  for (const list of LISTS as readonly ListDef[]) {
    if (!list.openWhileEmpty) continue;
    const key = list.source ? templateByName(list.source.sheet)?.key : 'lists';
    const sheet = key ? sheetByKey.get(key) : undefined;
    const headerRow = key ? headerRows.get(key) : undefined;
    if (!sheet || headerRow === undefined) continue;
    const width = Math.max(1, withRetry(() => sheet.getLastColumn()));
    const height = Math.max(1, withRetry(() => sheet.getMaxRows()) - headerRow);
    const headers = withRetry(() => sheet.getRange(headerRow, 1, 1, width).getValues()[0]);
    const i = headers.findIndex((h) => headerKey(h) === headerKey(list.source?.column ?? list.header));
    if (i < 0 || !isEmpty(sheet.getRange(headerRow + 1, i + 1, height, 1))) continue;
    const uses = strictUses(list.key);
    const columns = uses.columns.map((n) => `«${n}»`).join(', ');
    const where = uses.sheets.map((n) => `«${n}»`).join(', ');
    const what = uses.columns.length === 1 ? 'колонке' : 'колонках';
    out.push(list.source
      ? `Лист «${list.source.sheet}» пуст, поэтому в ${what} ${columns} (${where}) пока можно вписать любое имя — Google только пометит его. `
        + `Руководство: впишите менеджеров (имя и email для утреннего письма) на лист «${list.source.sheet}» и снова запустите «Настроить таблицу» — после этого там можно будет выбрать только имя из списка.`
      : `Список «${list.header}» в «${LISTS_SHEET}» пуст, поэтому в ${what} ${columns} (${where}) пока можно вписать любое значение — Google только пометит его. `
        + `Руководство: заполните «${LISTS_SHEET}» → «${list.header}» и снова запустите «Настроить таблицу» — после этого там можно будет выбрать только значение из списка.`);
  }
  return out;
}
