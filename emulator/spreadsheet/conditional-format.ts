// Conditional format rules (SpreadsheetApp.newConditionalFormatRule()). Stored, listed and saved;
// the emulator does not render them.
import type { ServiceRecorder } from '../recorder';
import { isDate } from '../support';
import type { BooleanCriteriaName } from './enums';
import type { Box } from './model';
import type { EmuSheet } from './sheet';
import { boxOfRange } from './protection';

type R = GoogleAppsScript.Spreadsheet.ConditionalFormatRule;
type B = GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder;
type BC = GoogleAppsScript.Spreadsheet.BooleanCondition;
type Range = GoogleAppsScript.Spreadsheet.Range;

export interface CfFormat { background: string | null; fontColor: string | null; bold: boolean | null; italic: boolean | null; strikethrough: boolean | null; underline: boolean | null }
export interface CfState { criteria: BooleanCriteriaName | null; args: unknown[]; format: CfFormat; ranges: Array<{ sheet: EmuSheet; box: Box }> }

const cloneArg = (a: unknown) => (isDate(a) ? new Date(a.getTime()) : Array.isArray(a) ? a.slice() : a);
function cloneState(s: CfState): CfState {
  return { criteria: s.criteria, args: s.args.map(cloneArg), format: { ...s.format }, ranges: s.ranges.map((r) => ({ sheet: r.sheet, box: { ...r.box } })) };
}

export class EmuBooleanCondition implements Pick<BC, 'getBackground' | 'getBold' | 'getCriteriaType' | 'getCriteriaValues' | 'getFontColor' | 'getItalic' | 'getStrikethrough' | 'getUnderline'> {
  constructor(private readonly rec: ServiceRecorder, private readonly s: CfState) {}
  private c(m: string) { this.rec.call(`BooleanCondition.${m}`); }
  getBackground(): string | null { this.c('getBackground'); return this.s.format.background; }
  getBold(): boolean | null { this.c('getBold'); return this.s.format.bold; }
  getCriteriaType(): GoogleAppsScript.Spreadsheet.BooleanCriteria { this.c('getCriteriaType'); return this.s.criteria as unknown as GoogleAppsScript.Spreadsheet.BooleanCriteria; }
  getCriteriaValues(): any[] { this.c('getCriteriaValues'); return this.s.args.map(cloneArg); }
  getFontColor(): string | null { this.c('getFontColor'); return this.s.format.fontColor; }
  getItalic(): boolean | null { this.c('getItalic'); return this.s.format.italic; }
  getStrikethrough(): boolean | null { this.c('getStrikethrough'); return this.s.format.strikethrough; }
  getUnderline(): boolean | null { this.c('getUnderline'); return this.s.format.underline; }
}

export class EmuConditionalFormatRule implements Pick<R, 'copy' | 'getBooleanCondition' | 'getGradientCondition' | 'getRanges'> {
  constructor(private readonly rec: ServiceRecorder, readonly state: CfState) {}
  copy(): B { this.rec.call('ConditionalFormatRule.copy'); return new EmuConditionalFormatRuleBuilder(this.rec, cloneState(this.state)) as unknown as B; }
  getBooleanCondition(): BC | null { this.rec.call('ConditionalFormatRule.getBooleanCondition'); return this.state.criteria ? new EmuBooleanCondition(this.rec, this.state) as unknown as BC : null; }
  getGradientCondition(): GoogleAppsScript.Spreadsheet.GradientCondition | null { this.rec.call('ConditionalFormatRule.getGradientCondition'); return null; }
  getRanges(): Range[] { this.rec.call('ConditionalFormatRule.getRanges'); return this.state.ranges.map((r) => r.sheet.rangeOf(r.box) as unknown as Range); }
}

type BuilderMethods = 'build' | 'copy' | 'getBooleanCondition' | 'getRanges' | 'setBackground' | 'setBold' | 'setFontColor' | 'setItalic'
  | 'setRanges' | 'setStrikethrough' | 'setUnderline' | 'whenCellEmpty' | 'whenCellNotEmpty' | 'whenFormulaSatisfied'
  | 'whenNumberBetween' | 'whenNumberEqualTo' | 'whenNumberGreaterThan' | 'whenNumberGreaterThanOrEqualTo' | 'whenNumberLessThan'
  | 'whenNumberLessThanOrEqualTo' | 'whenNumberNotBetween' | 'whenNumberNotEqualTo' | 'whenTextContains' | 'whenTextDoesNotContain'
  | 'whenTextEndsWith' | 'whenTextEqualTo' | 'whenTextStartsWith' | 'withCriteria';

export class EmuConditionalFormatRuleBuilder implements Pick<B, BuilderMethods> {
  private s: CfState;
  constructor(private readonly rec: ServiceRecorder, s?: CfState) {
    this.s = s ?? { criteria: null, args: [], format: { background: null, fontColor: null, bold: null, italic: null, strikethrough: null, underline: null }, ranges: [] };
  }
  private c(m: string): B { this.rec.call(`ConditionalFormatRuleBuilder.${m}`); return this as unknown as B; }
  private when(m: string, criteria: BooleanCriteriaName, args: unknown[]): B { this.s.criteria = criteria; this.s.args = args.map(cloneArg); return this.c(m); }
  build(): R { this.rec.call('ConditionalFormatRuleBuilder.build'); return new EmuConditionalFormatRule(this.rec, cloneState(this.s)) as unknown as R; }
  copy(): B { this.rec.call('ConditionalFormatRuleBuilder.copy'); return new EmuConditionalFormatRuleBuilder(this.rec, cloneState(this.s)) as unknown as B; }
  getBooleanCondition(): BC | null { this.rec.call('ConditionalFormatRuleBuilder.getBooleanCondition'); return this.s.criteria ? new EmuBooleanCondition(this.rec, this.s) as unknown as BC : null; }
  getRanges(): Range[] { this.rec.call('ConditionalFormatRuleBuilder.getRanges'); return this.s.ranges.map((r) => r.sheet.rangeOf(r.box) as unknown as Range); }
  setBackground(color: string | null): B { this.s.format.background = color; return this.c('setBackground'); }
  setBold(bold: boolean | null): B { this.s.format.bold = bold; return this.c('setBold'); }
  setFontColor(color: string | null): B { this.s.format.fontColor = color; return this.c('setFontColor'); }
  setItalic(v: boolean | null): B { this.s.format.italic = v; return this.c('setItalic'); }
  setStrikethrough(v: boolean | null): B { this.s.format.strikethrough = v; return this.c('setStrikethrough'); }
  setUnderline(v: boolean | null): B { this.s.format.underline = v; return this.c('setUnderline'); }
  setRanges(ranges: Range[]): B {
    this.s.ranges = ranges.map((r) => ({ sheet: (r as unknown as { sheet: EmuSheet }).sheet, box: boxOfRange(r) }));
    return this.c('setRanges');
  }
  whenCellEmpty(): B { return this.when('whenCellEmpty', 'CELL_EMPTY', []); }
  whenCellNotEmpty(): B { return this.when('whenCellNotEmpty', 'CELL_NOT_EMPTY', []); }
  whenFormulaSatisfied(f: string): B { return this.when('whenFormulaSatisfied', 'CUSTOM_FORMULA', [f]); }
  whenNumberBetween(a: number, b: number): B { return this.when('whenNumberBetween', 'NUMBER_BETWEEN', [a, b]); }
  whenNumberEqualTo(n: number): B { return this.when('whenNumberEqualTo', 'NUMBER_EQUAL_TO', [n]); }
  whenNumberGreaterThan(n: number): B { return this.when('whenNumberGreaterThan', 'NUMBER_GREATER_THAN', [n]); }
  whenNumberGreaterThanOrEqualTo(n: number): B { return this.when('whenNumberGreaterThanOrEqualTo', 'NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]); }
  whenNumberLessThan(n: number): B { return this.when('whenNumberLessThan', 'NUMBER_LESS_THAN', [n]); }
  whenNumberLessThanOrEqualTo(n: number): B { return this.when('whenNumberLessThanOrEqualTo', 'NUMBER_LESS_THAN_OR_EQUAL_TO', [n]); }
  whenNumberNotBetween(a: number, b: number): B { return this.when('whenNumberNotBetween', 'NUMBER_NOT_BETWEEN', [a, b]); }
  whenNumberNotEqualTo(n: number): B { return this.when('whenNumberNotEqualTo', 'NUMBER_NOT_EQUAL_TO', [n]); }
  whenTextContains(t: string): B { return this.when('whenTextContains', 'TEXT_CONTAINS', [t]); }
  whenTextDoesNotContain(t: string): B { return this.when('whenTextDoesNotContain', 'TEXT_DOES_NOT_CONTAIN', [t]); }
  whenTextEndsWith(t: string): B { return this.when('whenTextEndsWith', 'TEXT_ENDS_WITH', [t]); }
  whenTextEqualTo(t: string): B { return this.when('whenTextEqualTo', 'TEXT_EQUAL_TO', [t]); }
  whenTextStartsWith(t: string): B { return this.when('whenTextStartsWith', 'TEXT_STARTS_WITH', [t]); }
  withCriteria(criteria: GoogleAppsScript.Spreadsheet.BooleanCriteria, args: any[]): B { return this.when('withCriteria', String(criteria) as BooleanCriteriaName, args); }
}
