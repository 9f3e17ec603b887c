// The shape of a sheet definition. Every sheet of the product is described once, as data, and
// setup, the local workbook and the row readers all read these definitions.
// zod/mini, not the classic `zod`: its functions tree-shake, while the classic class API drags the whole
// library (~800 KB) into the bundle Apps Script parses on every run. `import * as z`, not `{ z }`: the
// named `z` is a ready-made namespace object that keeps every export alive.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import { addDays, localDateTimeToDate, type LocalDate } from '../src/core/dates';

// Classic zod registers its English messages itself; zod/mini leaves issues without a text.
z.config(en());

// `z.number().check(z.int())` rather than the `z.int()` schema: it is what classic `.int()` did, so a
// wrong type still reads «expected number».
const IDENT = /^[a-z][A-Za-z0-9]*$/;
const A1 = /^[A-Z]{1,3}[1-9]\d*$/;

export const columnType = z.enum([
  'text',      // free text
  'date',      // a calendar date (Moscow), shown dd.MM.yyyy
  'datetime',  // a moment, shown dd.MM.yyyy HH:mm
  'number',    // a plain number
  'money',     // an amount, shown with two decimals
  'percent',   // a percentage stored as a number of percent (5 = 5 %)
  'integer',   // a count
  'checkbox',  // TRUE / FALSE
  'email',     // one or more emails separated by commas
  'url',       // a link
]);
export type ColumnType = z.infer<typeof columnType>;

/** Who may edit the column's cells once setup protects the sheet. */
export const editRole = z.enum([
  'everyone',   // managers, secretary, РОП
  'leadership', // leadership emails from Настройки and the owner
  'script',     // computed by the script, also on a manager's edit (onEdit runs as them): warning-only
  'system',     // written only by the script in runs of the owner or leadership (schedule, their menu
                // runs); edits of managers reach it through a queue: protected like 'leadership'
]);
export type EditRole = z.infer<typeof editRole>;

export const validation = z.discriminatedUnion('kind', [
  /** Dropdown fed by a named list on the Справочники sheet; strict rejects other input. */
  z.object({ kind: z.literal('list'), list: z.string(), strict: z._default(z.boolean(), true) }),
  /** Dropdown of a column of another sheet (e.g. partners, promo codes). */
  z.object({ kind: z.literal('sheetColumn'), sheet: z.string(), column: z.string(), strict: z._default(z.boolean(), true) }),
  /** Fixed short list written into the rule (Да/Нет style answers only). */
  z.object({ kind: z.literal('values'), values: z.array(z.string()).check(z.minLength(1)), strict: z._default(z.boolean(), true) }),
  z.object({ kind: z.literal('date') }),
  z.object({ kind: z.literal('number'), min: z.optional(z.number()), max: z.optional(z.number()), strict: z._default(z.boolean(), false) }),
  z.object({ kind: z.literal('checkbox') }),
]);
export type Validation = z.infer<typeof validation>;

export const columnDef = z.object({
  /** Stable identifier used by code; never shown. */
  key: z.string().check(z.regex(IDENT)),
  /** Header text as shown in the sheet. */
  header: z.string().check(z.minLength(1)),
  /** Other header texts that mean the same column (older tables, typos). */
  aliases: z._default(z.array(z.string()), []),
  type: columnType,
  validation: z.optional(validation),
  /** Sheets number format pattern; derived from type when omitted (see numberFormatFor). */
  numberFormat: z.optional(z.string()),
  width: z._default(z.number().check(z.int(), z.positive()), 140),
  edit: z._default(editRole, 'everyone'),
  /** One-line hint put in the header note. */
  note: z.optional(z.string()),
});
export type ColumnDef = z.infer<typeof columnDef>;

/** A plain cell value as written by setup: '' / null leave the cell empty. */
export const cellValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
export type CellValue = z.infer<typeof cellValue>;

/**
 * A date relative to the day the local workbook is created, so the demo never goes stale:
 * `{ relDays: -3 }` is midnight three Moscow days ago, `{ relDays: -1, time: '10:15' }` yesterday 10:15.
 */
export const relativeDate = z.strictObject({
  relDays: z.number().check(z.int()),
  time: z.optional(z.string().check(z.regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time must be HH:MM'))),
});
export type RelativeDate = z.infer<typeof relativeDate>;

export const demoValue = z.union([cellValue, relativeDate]);
export type DemoValue = z.infer<typeof demoValue>;

/** A control cell of a dashboard (e.g. the period selector); stays editable by everyone. */
export const dashboardControl = z.object({
  key: z.string().check(z.regex(IDENT)),
  label: z.string().check(z.minLength(1)),
  /** A1 address of the label and of the value cell. */
  labelCell: z.string().check(z.regex(A1)),
  cell: z.string().check(z.regex(A1)),
  values: z.array(z.string()).check(z.minLength(1)),
  default: z.string(),
  note: z.optional(z.string()),
}).check(z.refine((c) => c.values.includes(c.default), { message: 'control default must be one of its values' }));
export type DashboardControl = z.infer<typeof dashboardControl>;

export const sheetDef = z.object({
  key: z.string().check(z.regex(IDENT)),
  name: z.string().check(z.minLength(1)),
  aliases: z._default(z.array(z.string()), []),
  /** 'table': header row + data rows; 'dashboard': free layout written by a job. */
  kind: z._default(z.enum(['table', 'dashboard']), 'table'),
  headerRow: z._default(z.number().check(z.int(), z.positive()), 1),
  columns: z.array(columnDef),
  /** Dashboard only: cells a user sets (the job reads them, never overwrites them). */
  controls: z._default(z.array(dashboardControl), []),
  /** Whole-sheet protection: who may edit anything on it (column `edit` roles narrow it further). */
  protect: z._default(editRole, 'everyone'),
  hidden: z._default(z.boolean(), false),
  frozenColumns: z._default(z.number().check(z.int(), z.minimum(0)), 0),
  /** One-line description of the sheet (help dialog, README). */
  description: z.optional(z.string()),
  /**
   * Real content setup writes into a freshly created sheet of a real spreadsheet (promo codes,
   * reference lists, default settings). Never written into a sheet that already exists.
   */
  initial: z._default(z.array(z.record(z.string(), cellValue)), []),
  /**
   * Column that identifies an initial row (settings: the name). Setup appends the initial rows whose
   * key is missing from an existing sheet, so a setting added in a later version appears by itself.
   * Without it, initial rows are written only into a freshly created sheet.
   */
  initialRowKey: z.optional(z.string()),
  /**
   * Rows for the local demo workbook only (fake leads, example emails). When a sheet has demo rows
   * they replace its `initial` rows there; otherwise the demo workbook gets the `initial` rows.
   */
  demo: z._default(z.array(z.record(z.string(), demoValue)), []),
}).check(z.superRefine((s, ctx) => {
  // Headers match trimmed, case-insensitively and with ё = е, so two columns must differ under that
  // folding (an alias that only spells ё as е is harmless within its own column).
  const seen = new Map<string, string>();
  for (const c of s.columns) {
    for (const h of new Set([c.header, ...c.aliases].map((x) => x.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ')))) {
      if (seen.has(h)) ctx.addIssue({ code: 'custom', message: `${s.name}: header or alias «${h}» is used by ${seen.get(h)} and ${c.key}` });
      seen.set(h, c.key);
    }
  }
  const keys = new Set(s.columns.map((c) => c.key));
  if (keys.size !== s.columns.length) ctx.addIssue({ code: 'custom', message: `${s.name}: duplicate column key` });
  for (const [label, rows] of [['initial', s.initial], ['demo', s.demo]] as const) {
    for (const row of rows) for (const k of Object.keys(row)) {
      if (!keys.has(k)) ctx.addIssue({ code: 'custom', message: `${s.name}: ${label} row uses unknown column key ${k}` });
    }
  }
  if (s.initialRowKey !== undefined && !keys.has(s.initialRowKey)) {
    ctx.addIssue({ code: 'custom', message: `${s.name}: initialRowKey ${s.initialRowKey} is not a column key` });
  }
  if (s.kind === 'dashboard' && s.columns.length > 0) {
    ctx.addIssue({ code: 'custom', message: `${s.name}: a dashboard has no table columns` });
  }
  if (s.kind === 'table' && s.columns.length === 0) {
    ctx.addIssue({ code: 'custom', message: `${s.name}: a table needs columns` });
  }
  if (s.kind === 'table' && s.controls.length > 0) {
    ctx.addIssue({ code: 'custom', message: `${s.name}: controls are for dashboards` });
  }
}));
export type SheetDef = z.infer<typeof sheetDef>;
/** What a template file writes; defaults are filled in by parsing. */
export type SheetDefInput = z.input<typeof sheetDef>;

/** Number formats for a ru-RU spreadsheet (Sheets shows the locale's separators). */
const FORMAT_BY_TYPE: Record<ColumnType, string | undefined> = {
  // Plain text keeps '+7 916…', '21.11' and nicks exactly as typed instead of numbers, dates or formulas.
  text: '@',
  email: '@',
  url: '@',
  date: 'dd.MM.yyyy',
  datetime: 'dd.MM.yyyy HH:mm',
  money: '#,##0.00',
  number: '#,##0.00',
  percent: '0',
  integer: '0',
  checkbox: undefined, // the checkbox rule renders the cell
};

/** The number format setup applies to a column; undefined leaves the cell's format alone. */
export function numberFormatFor(column: Pick<ColumnDef, 'type' | 'numberFormat'>): string | undefined {
  return column.numberFormat ?? FORMAT_BY_TYPE[column.type];
}

export type ResolvedValue = string | number | boolean | Date;

/**
 * Turns a demo value into what goes into the cell: relative dates become the instant of that Moscow
 * (or `tz`) wall-clock time — midnight for a date — counted from `today`; null becomes ''.
 */
export function resolveDemoValue(value: DemoValue, today: LocalDate, tz: string): ResolvedValue {
  if (value === null || value === undefined) return '';
  if (typeof value !== 'object') return value;
  const [hour, minute] = value.time ? value.time.split(':').map(Number) : [0, 0];
  return localDateTimeToDate(addDays(today, value.relDays), tz, hour, minute);
}

/** A demo row with every value resolved, keyed by column key. */
export function resolveDemoRow(row: Record<string, DemoValue>, today: LocalDate, tz: string): Record<string, ResolvedValue> {
  const out: Record<string, ResolvedValue> = {};
  for (const [k, v] of Object.entries(row)) out[k] = resolveDemoValue(v, today, tz);
  return out;
}

/** Rows the local demo workbook gets for a sheet, resolved against `today`. */
export function demoWorkbookRows(sheet: SheetDef, today: LocalDate, tz: string): Array<Record<string, ResolvedValue>> {
  const rows: Array<Record<string, DemoValue>> = sheet.demo.length > 0 ? sheet.demo : sheet.initial;
  return rows.map((r) => resolveDemoRow(r, today, tz));
}
