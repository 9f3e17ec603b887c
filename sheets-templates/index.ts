// Every sheet of the product, parsed through the zod schema at import: a broken template fails the
// tests and the build instead of a setup run on the team's spreadsheet.
import * as z from 'zod/mini';
import { headerKey } from '../src/core/text';
import { affiliatesSheet } from './affiliates';
import { analyticsSheet } from './analytics';
import { callsSheet } from './calls';
import { funnelSheet } from './funnel';
import { invoicesSheet } from './invoices';
import { journalSheet } from './journal';
import { LISTS, listByKey } from './lists';
import { managersSheet } from './managers';
import { partnersSheet } from './partners';
import { planPricesSheet } from './plans';
import { promoCodesSheet } from './promo-codes';
import { referenceListsSheet } from './reference-lists';
import { sheetDef, type SheetDef, type SheetDefInput } from './schema';
import { secretaryLogSheet } from './secretary-log';
import { settingsSheet } from './settings';

/** In the order the sheets should appear in the spreadsheet. */
const RAW_TEMPLATES = [
  analyticsSheet,
  funnelSheet,
  secretaryLogSheet,
  callsSheet,
  invoicesSheet,
  affiliatesSheet,
  managersSheet,
  promoCodesSheet,
  partnersSheet,
  planPricesSheet,
  referenceListsSheet,
  settingsSheet,
  journalSheet,
] as const satisfies readonly SheetDefInput[];

export type SheetKey = (typeof RAW_TEMPLATES)[number]['key'];

function parseTemplate(raw: SheetDefInput): SheetDef {
  const result = sheetDef.safeParse(raw);
  if (!result.success) throw new Error(`Sheet template «${raw.name}» is invalid:\n${z.prettifyError(result.error)}`);
  return result.data;
}

/** Problems between templates: lists and sheet columns a validation points at, unique names. */
export function crossTemplateProblems(templates: readonly SheetDef[]): string[] {
  const problems: string[] = [];
  const names = new Map<string, string>();
  const keys = new Set<string>();
  for (const t of templates) {
    if (keys.has(t.key)) problems.push(`sheet key ${t.key} is used twice`);
    keys.add(t.key);
    for (const n of [t.name, ...t.aliases]) {
      const other = names.get(headerKey(n));
      if (other !== undefined && other !== t.key) problems.push(`sheet name or alias «${n}» is used by ${other} and ${t.key}`);
      names.set(headerKey(n), t.key);
    }
  }
  for (const t of templates) {
    for (const c of t.columns) {
      const v = c.validation;
      if (v?.kind === 'list' && !listByKey(v.list)) problems.push(`${t.name}.${c.header}: unknown list ${v.list}`);
      const source = v?.kind === 'list' ? listByKey(v.list)?.source : undefined;
      if (source && !templates.find((s) => s.name === source.sheet)?.columns.some((tc) => tc.header === source.column)) {
        problems.push(`${t.name}.${c.header}: list ${v!.kind === 'list' ? v!.list : ''} points at a missing column ${source.sheet}.${source.column}`);
      }
      if (v?.kind === 'sheetColumn') {
        const target = templates.find((s) => s.name === v.sheet);
        if (!target) problems.push(`${t.name}.${c.header}: unknown sheet ${v.sheet}`);
        else if (!target.columns.some((tc) => tc.header === v.column)) problems.push(`${t.name}.${c.header}: no column ${v.column} on ${v.sheet}`);
      }
    }
  }
  return problems;
}

function parseAll(): SheetDef[] {
  const templates = RAW_TEMPLATES.map((t) => parseTemplate(t));
  const problems = crossTemplateProblems(templates);
  if (problems.length > 0) throw new Error(`Sheet templates are inconsistent:\n${problems.join('\n')}`);
  return templates;
}

export const SHEET_TEMPLATES: readonly SheetDef[] = parseAll();

const byKey = new Map<string, SheetDef>(SHEET_TEMPLATES.map((t) => [t.key, t]));

/** The template of a sheet by its stable key. */
export function templateByKey(key: SheetKey): SheetDef {
  const t = byKey.get(key);
  if (!t) throw new Error(`No sheet template ${key}`);
  return t;
}

/** The template whose name or alias matches (trimmed, case-insensitive, ё = е); undefined if none. */
export function templateByName(name: string): SheetDef | undefined {
  const wanted = headerKey(name);
  return SHEET_TEMPLATES.find((t) => headerKey(t.name) === wanted)
    ?? SHEET_TEMPLATES.find((t) => t.aliases.some((a) => headerKey(a) === wanted));
}

/** Header of a list's column on «Справочники»; undefined for an unknown list. */
export function listHeader(listKey: string): string | undefined {
  return listByKey(listKey)?.header;
}

export { LISTS, listByKey, listValues, REFUSAL_REASONS, YES, NO, SECRETARY_CALLBACK, type ListDef, type ListKey } from './lists';
export { STAGE_KEYS, type StageKey } from './analytics';
export { PROMO_CODES } from './promo-codes';
export { PARTNER_NAMES } from './partners';
export { INVOICE_STATUSES } from './invoices';
export { JOURNAL_SOURCES } from './journal';
export { FUNNEL_PERIODS, type FunnelPeriod } from './funnel';
export {
  numberFormatFor, resolveDemoValue, resolveDemoRow, demoWorkbookRows,
  type SheetDef, type ColumnDef, type ColumnType, type Validation, type DemoValue, type RelativeDate, type ResolvedValue,
} from './schema';
// Re-exported so callers can enumerate lists without a second import.
export const LIST_KEYS: readonly string[] = LISTS.map((l) => l.key);
