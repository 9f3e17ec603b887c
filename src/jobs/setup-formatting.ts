// Conditional formatting setup applies: a row with problems, a row in «Ожидание», a paid row.
import type { SheetDef } from '../../sheets-templates/schema';
import { columnLetter, type HeaderMap } from '../core/header-map';

type Rule = GoogleAppsScript.Spreadsheet.ConditionalFormatRule;

export const ROW_COLORS = { problem: '#fde7e9', waiting: '#fff4ce', paid: '#e6f4ea' } as const;
/** «Подвисла с» colours its own cell (a row colour would hide the problem, paid and waiting ones). */
export const STUCK_COLOR = '#ffd8a8';
const OUR_FORMULA = /^=\$[A-Z]{1,3}\d+(<>""|="Ожидание")$/;
const OUR_COLORS = new Set<string>([...Object.values(ROW_COLORS), STUCK_COLOR]);

export function conditionalRulesFor(def: SheetDef, map: HeaderMap, sheet: GoogleAppsScript.Spreadsheet.Sheet, headerRow: number): { rules: Rule[]; isOurs: (r: Rule) => boolean } | null {
  if (def.key !== 'analytics') return null;
  const first = headerRow + 1;
  const ref = (key: string) => {
    const i = map.index.get(key);
    return i === undefined ? null : `$${columnLetter(i + 1)}${first}`;
  };
  const width = Math.max(sheet.getLastColumn(), map.width);
  const rows = sheet.getRange(first, 1, Math.max(1, sheet.getMaxRows() - headerRow), width);
  const specs: Array<[string | null, string, string]> = [
    [ref('problems'), '<>""', ROW_COLORS.problem],
    [ref('stagePaid'), '<>""', ROW_COLORS.paid],
    [ref('currentStage'), '="Ожидание"', ROW_COLORS.waiting],
  ];
  const rules = specs
    .filter(([cell]) => cell !== null)
    .map(([cell, test, color]) => SpreadsheetApp.newConditionalFormatRule()
      .whenFormulaSatisfied(`=${cell}${test}`)
      .setBackground(color)
      .setRanges([rows])
      .build());
  // First, so it wins over the row colours on its own cell.
  const stuck = map.index.get('stuckSince');
  if (stuck !== undefined) {
    rules.unshift(SpreadsheetApp.newConditionalFormatRule()
      .whenFormulaSatisfied(`=${ref('stuckSince')}<>""`)
      .setBackground(STUCK_COLOR)
      .setRanges([sheet.getRange(first, stuck + 1, Math.max(1, sheet.getMaxRows() - headerRow), 1)])
      .build());
  }
  const isOurs = (r: Rule) => {
    const c = r.getBooleanCondition();
    if (!c) return false;
    const formula = String(c.getCriteriaValues()[0] ?? '');
    return OUR_FORMULA.test(formula) && OUR_COLORS.has(String(c.getBackground()));
  };
  return { rules, isOurs };
}
