// Dropdowns fed by a list of «Справочники». A list that ships empty and is strict (the managers: their
// names are the team's) would reject every value on a fresh spreadsheet, so until it has a value its
// dropdowns accept anything with a note, and setup makes them strict on the first run after it is filled.
import { LISTS, SHEET_TEMPLATES, templateByKey, type ListDef } from '../../sheets-templates';
import { headerKey } from '../core/text';
import { withRetry } from '../gas/retry';

type Range = GoogleAppsScript.Spreadsheet.Range;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

const LISTS_SHEET = templateByKey('lists').name;

function openHelp(list: ListDef): string {
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

/** One warning per empty open-while-empty list of «Справочники», telling leadership to fill it. */
export function emptyListWarnings(lists: Sheet | undefined, headerRow: number | undefined): string[] {
  if (!lists || headerRow === undefined) return [];
  const width = Math.max(1, withRetry(() => lists.getLastColumn()));
  const height = Math.max(1, withRetry(() => lists.getMaxRows()) - headerRow);
  const headers = withRetry(() => lists.getRange(headerRow, 1, 1, width).getValues()[0]);
  const out: string[] = [];
  for (const list of LISTS as readonly ListDef[]) {
    if (!list.openWhileEmpty) continue;
    const i = headers.findIndex((h) => headerKey(h) === headerKey(list.header));
    if (i < 0 || !isEmpty(lists.getRange(headerRow + 1, i + 1, height, 1))) continue;
    const uses = strictUses(list.key);
    const columns = uses.columns.map((n) => `«${n}»`).join(', ');
    const where = uses.sheets.map((n) => `«${n}»`).join(', ');
    out.push(`Список «${list.header}» в «${LISTS_SHEET}» пуст, поэтому в ${uses.columns.length === 1 ? 'колонке' : 'колонках'} ${columns} (${where}) пока можно вписать любое имя — Google только пометит его. `
      + `Руководство: впишите имена менеджеров в «${LISTS_SHEET}» → «${list.header}» и снова запустите «Настроить таблицу» — после этого там можно будет выбрать только имя из списка.`);
  }
  return out;
}
