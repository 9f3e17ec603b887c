// Data validation rules and their builder (SpreadsheetApp.newDataValidation()).
// https://developers.google.com/apps-script/reference/spreadsheet/data-validation-builder
// Script writes are never refused (Sheets only flags them); a person typing into a cell with a strict
// rule (allowInvalid=false) is refused — see checkUserValue, used by the harness userEdit.
import type { ServiceRecorder } from '../recorder';
import { isDate } from '../support';
import { DataValidationCriteria, type DataValidationCriteriaName } from './enums';
import { type CellValue, dateToSerial, isEmptyValue } from './values';

type GAS = typeof GoogleAppsScript.Spreadsheet;
type DV = GoogleAppsScript.Spreadsheet.DataValidation;
type DVB = GoogleAppsScript.Spreadsheet.DataValidationBuilder;
type Criteria = GoogleAppsScript.Spreadsheet.DataValidationCriteria;

/** What a VALUE_IN_RANGE rule needs from a range, without counting calls. */
export interface RangeSource { peekDisplayValues(): string[][] }

function cloneArg(a: unknown): unknown {
  if (Array.isArray(a)) return a.slice();
  if (isDate(a)) return new Date(a.getTime());
  return a;
}

interface RuleState { criteria: DataValidationCriteriaName | null; args: unknown[]; allowInvalid: boolean; helpText: string | null }

export class EmuDataValidation implements Pick<DV, 'copy' | 'getAllowInvalid' | 'getCriteriaType' | 'getCriteriaValues' | 'getHelpText'> {
  constructor(private readonly rec: ServiceRecorder, readonly state: Readonly<RuleState>) {}
  copy(): DVB { this.rec.call('DataValidation.copy'); return new EmuDataValidationBuilder(this.rec, { ...this.state, args: this.state.args.map(cloneArg) }) as unknown as DVB; }
  getAllowInvalid(): boolean { this.rec.call('DataValidation.getAllowInvalid'); return this.state.allowInvalid; }
  getCriteriaType(): Criteria { this.rec.call('DataValidation.getCriteriaType'); return this.state.criteria as unknown as Criteria; }
  getCriteriaValues(): any[] { this.rec.call('DataValidation.getCriteriaValues'); return this.state.args.map(cloneArg); }
  // Null when no help text was set, as the real rule returns.
  getHelpText(): string { this.rec.call('DataValidation.getHelpText'); return this.state.helpText as string; }
}

type BuilderMethods = 'build' | 'copy' | 'getAllowInvalid' | 'getCriteriaType' | 'getCriteriaValues' | 'getHelpText'
  | 'requireCheckbox' | 'requireDate' | 'requireDateAfter' | 'requireDateBefore' | 'requireDateBetween' | 'requireDateEqualTo'
  | 'requireDateNotBetween' | 'requireDateOnOrAfter' | 'requireDateOnOrBefore' | 'requireFormulaSatisfied'
  | 'requireNumberBetween' | 'requireNumberEqualTo' | 'requireNumberGreaterThan' | 'requireNumberGreaterThanOrEqualTo'
  | 'requireNumberLessThan' | 'requireNumberLessThanOrEqualTo' | 'requireNumberNotBetween' | 'requireNumberNotEqualTo'
  | 'requireTextContains' | 'requireTextDoesNotContain' | 'requireTextEqualTo' | 'requireTextIsEmail' | 'requireTextIsUrl'
  | 'requireValueInList' | 'requireValueInRange' | 'setAllowInvalid' | 'setHelpText' | 'withCriteria';

export class EmuDataValidationBuilder implements Pick<DVB, BuilderMethods> {
  private state: RuleState;
  constructor(private readonly rec: ServiceRecorder, state?: RuleState) {
    // New rules allow invalid data unless setAllowInvalid(false) is called (documented default).
    this.state = state ?? { criteria: null, args: [], allowInvalid: true, helpText: null };
  }
  private set(method: string, criteria: DataValidationCriteriaName, args: unknown[]): DVB {
    this.rec.call(`DataValidationBuilder.${method}`);
    this.state.criteria = criteria;
    this.state.args = args.map(cloneArg);
    return this as unknown as DVB;
  }
  build(): DV {
    this.rec.call('DataValidationBuilder.build');
    if (!this.state.criteria) throw new Error('You must specify a criteria for the data validation rule.');
    return new EmuDataValidation(this.rec, { ...this.state, args: this.state.args.map(cloneArg) }) as unknown as DV;
  }
  copy(): DVB { this.rec.call('DataValidationBuilder.copy'); return new EmuDataValidationBuilder(this.rec, { ...this.state, args: this.state.args.map(cloneArg) }) as unknown as DVB; }
  getAllowInvalid(): boolean { this.rec.call('DataValidationBuilder.getAllowInvalid'); return this.state.allowInvalid; }
  getCriteriaType(): Criteria { this.rec.call('DataValidationBuilder.getCriteriaType'); return this.state.criteria as unknown as Criteria; }
  getCriteriaValues(): any[] { this.rec.call('DataValidationBuilder.getCriteriaValues'); return this.state.args.map(cloneArg); }
  getHelpText(): string | null { this.rec.call('DataValidationBuilder.getHelpText'); return this.state.helpText; }
  requireCheckbox(...args: unknown[]): DVB { return this.set('requireCheckbox', 'CHECKBOX', args.slice(0, 2)); }
  requireDate(): DVB { return this.set('requireDate', 'DATE_IS_VALID_DATE', []); }
  requireDateAfter(date: GoogleAppsScript.Base.Date): DVB { return this.set('requireDateAfter', 'DATE_AFTER', [date]); }
  requireDateBefore(date: GoogleAppsScript.Base.Date): DVB { return this.set('requireDateBefore', 'DATE_BEFORE', [date]); }
  requireDateBetween(a: GoogleAppsScript.Base.Date, b: GoogleAppsScript.Base.Date): DVB { return this.set('requireDateBetween', 'DATE_BETWEEN', [a, b]); }
  requireDateEqualTo(date: GoogleAppsScript.Base.Date): DVB { return this.set('requireDateEqualTo', 'DATE_EQUAL_TO', [date]); }
  requireDateNotBetween(a: GoogleAppsScript.Base.Date, b: GoogleAppsScript.Base.Date): DVB { return this.set('requireDateNotBetween', 'DATE_NOT_BETWEEN', [a, b]); }
  requireDateOnOrAfter(date: GoogleAppsScript.Base.Date): DVB { return this.set('requireDateOnOrAfter', 'DATE_ON_OR_AFTER', [date]); }
  requireDateOnOrBefore(date: GoogleAppsScript.Base.Date): DVB { return this.set('requireDateOnOrBefore', 'DATE_ON_OR_BEFORE', [date]); }
  requireFormulaSatisfied(formula: string): DVB { return this.set('requireFormulaSatisfied', 'CUSTOM_FORMULA', [formula]); }
  requireNumberBetween(a: number, b: number): DVB { return this.set('requireNumberBetween', 'NUMBER_BETWEEN', [a, b]); }
  requireNumberEqualTo(n: number): DVB { return this.set('requireNumberEqualTo', 'NUMBER_EQUAL_TO', [n]); }
  requireNumberGreaterThan(n: number): DVB { return this.set('requireNumberGreaterThan', 'NUMBER_GREATER_THAN', [n]); }
  requireNumberGreaterThanOrEqualTo(n: number): DVB { return this.set('requireNumberGreaterThanOrEqualTo', 'NUMBER_GREATER_THAN_OR_EQUAL_TO', [n]); }
  requireNumberLessThan(n: number): DVB { return this.set('requireNumberLessThan', 'NUMBER_LESS_THAN', [n]); }
  requireNumberLessThanOrEqualTo(n: number): DVB { return this.set('requireNumberLessThanOrEqualTo', 'NUMBER_LESS_THAN_OR_EQUAL_TO', [n]); }
  requireNumberNotBetween(a: number, b: number): DVB { return this.set('requireNumberNotBetween', 'NUMBER_NOT_BETWEEN', [a, b]); }
  requireNumberNotEqualTo(n: number): DVB { return this.set('requireNumberNotEqualTo', 'NUMBER_NOT_EQUAL_TO', [n]); }
  requireTextContains(t: string): DVB { return this.set('requireTextContains', 'TEXT_CONTAINS', [t]); }
  requireTextDoesNotContain(t: string): DVB { return this.set('requireTextDoesNotContain', 'TEXT_DOES_NOT_CONTAIN', [t]); }
  requireTextEqualTo(t: string): DVB { return this.set('requireTextEqualTo', 'TEXT_EQUAL_TO', [t]); }
  requireTextIsEmail(): DVB { return this.set('requireTextIsEmail', 'TEXT_IS_VALID_EMAIL', []); }
  requireTextIsUrl(): DVB { return this.set('requireTextIsUrl', 'TEXT_IS_VALID_URL', []); }
  // Criteria values are [list, showDropdown] / [range, showDropdown]; showDropdown defaults to true.
  requireValueInList(values: string[], showDropdown = true): DVB { return this.set('requireValueInList', 'VALUE_IN_LIST', [values.slice(), showDropdown]); }
  requireValueInRange(range: GoogleAppsScript.Spreadsheet.Range, showDropdown = true): DVB { return this.set('requireValueInRange', 'VALUE_IN_RANGE', [range, showDropdown]); }
  setAllowInvalid(allow: boolean): DVB { this.rec.call('DataValidationBuilder.setAllowInvalid'); this.state.allowInvalid = allow; return this as unknown as DVB; }
  setHelpText(text: string): DVB { this.rec.call('DataValidationBuilder.setHelpText'); this.state.helpText = text; return this as unknown as DVB; }
  withCriteria(criteria: Criteria, args: any[]): DVB { return this.set('withCriteria', String(criteria) as DataValidationCriteriaName, args); }
}

export function isValidationRule(v: unknown): v is EmuDataValidation {
  return v instanceof EmuDataValidation;
}

function num(v: unknown): number { return typeof v === 'number' ? v : Number(v); }

/** True when `value` (as stored after parsing what the user typed) satisfies the rule. */
export function satisfies(rule: EmuDataValidation, value: CellValue, tz: string): boolean {
  if (isEmptyValue(value)) return true;
  const { criteria, args } = rule.state;
  const day = (d: unknown) => Math.floor(dateToSerial(isDate(d) ? d.getTime() : num(d), tz));
  const isNum = typeof value === 'number';
  const text = typeof value === 'string' ? value : String(value);
  switch (criteria) {
    case 'VALUE_IN_LIST': {
      const shown = typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : text;
      return (args[0] as unknown[]).some((x) => String(x) === shown);
    }
    case 'VALUE_IN_RANGE': {
      const src = args[0] as unknown as RangeSource;
      const shown = typeof value === 'boolean' ? (value ? 'TRUE' : 'FALSE') : text;
      return src.peekDisplayValues().some((row) => row.includes(shown));
    }
    case 'CHECKBOX':
      if (args.length === 0) return typeof value === 'boolean';
      return args.some((a) => String(a) === text);
    case 'DATE_IS_VALID_DATE': return isDate(value);
    case 'DATE_AFTER': return isDate(value) && day(value) > day(args[0]);
    case 'DATE_BEFORE': return isDate(value) && day(value) < day(args[0]);
    case 'DATE_ON_OR_AFTER': return isDate(value) && day(value) >= day(args[0]);
    case 'DATE_ON_OR_BEFORE': return isDate(value) && day(value) <= day(args[0]);
    case 'DATE_EQUAL_TO': return isDate(value) && day(value) === day(args[0]);
    case 'DATE_BETWEEN': return isDate(value) && day(value) >= day(args[0]) && day(value) <= day(args[1]);
    case 'DATE_NOT_BETWEEN': return isDate(value) && (day(value) < day(args[0]) || day(value) > day(args[1]));
    case 'NUMBER_BETWEEN': return isNum && value >= num(args[0]) && value <= num(args[1]);
    case 'NUMBER_NOT_BETWEEN': return isNum && (value < num(args[0]) || value > num(args[1]));
    case 'NUMBER_EQUAL_TO': return isNum && value === num(args[0]);
    case 'NUMBER_NOT_EQUAL_TO': return isNum && value !== num(args[0]);
    case 'NUMBER_GREATER_THAN': return isNum && value > num(args[0]);
    case 'NUMBER_GREATER_THAN_OR_EQUAL_TO': return isNum && value >= num(args[0]);
    case 'NUMBER_LESS_THAN': return isNum && value < num(args[0]);
    case 'NUMBER_LESS_THAN_OR_EQUAL_TO': return isNum && value <= num(args[0]);
    case 'TEXT_CONTAINS': return text.includes(String(args[0]));
    case 'TEXT_DOES_NOT_CONTAIN': return !text.includes(String(args[0]));
    case 'TEXT_EQUAL_TO': return text === String(args[0]);
    case 'TEXT_IS_VALID_EMAIL': return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
    case 'TEXT_IS_VALID_URL': return /^(https?:\/\/)?[^\s.]+\.[^\s]+$/i.test(text);
    // The emulator does not evaluate formulas: custom-formula rules accept everything.
    case 'CUSTOM_FORMULA': return true;
    default: return true;
  }
}

export { DataValidationCriteria };
export type { GAS };
