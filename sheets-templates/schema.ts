// The shape of a sheet definition. Every sheet of the product is described once, as data, and
// setup, the local workbook and the row readers all read these definitions.
import { z } from 'zod';

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
  'script',     // computed by the script; protected, leadership may still fix it
]);

export const validation = z.discriminatedUnion('kind', [
  /** Dropdown fed by a named list on the Справочники sheet; strict rejects other input. */
  z.object({ kind: z.literal('list'), list: z.string(), strict: z.boolean().default(true) }),
  /** Dropdown of a column of another sheet (e.g. partners, promo codes). */
  z.object({ kind: z.literal('sheetColumn'), sheet: z.string(), column: z.string(), strict: z.boolean().default(true) }),
  /** Fixed short list written into the rule (Да/Нет style answers only). */
  z.object({ kind: z.literal('values'), values: z.array(z.string()).min(1), strict: z.boolean().default(true) }),
  z.object({ kind: z.literal('date') }),
  z.object({ kind: z.literal('number'), min: z.number().optional(), strict: z.boolean().default(false) }),
  z.object({ kind: z.literal('checkbox') }),
]);
export type Validation = z.infer<typeof validation>;

export const columnDef = z.object({
  /** Stable identifier used by code; never shown. */
  key: z.string().regex(/^[a-z][A-Za-z0-9]*$/),
  /** Header text as shown in the sheet. */
  header: z.string().min(1),
  /** Other header texts that mean the same column (older tables, typos). */
  aliases: z.array(z.string()).default([]),
  type: columnType,
  validation: validation.optional(),
  /** Sheets number format pattern; derived from type when omitted. */
  numberFormat: z.string().optional(),
  width: z.number().int().positive().default(140),
  edit: editRole.default('everyone'),
  /** One-line hint put in the header note. */
  note: z.string().optional(),
});
export type ColumnDef = z.infer<typeof columnDef>;

export const sheetDef = z.object({
  key: z.string(),
  name: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  /** 'table': header row + data rows; 'dashboard': free layout written by a job. */
  kind: z.enum(['table', 'dashboard']).default('table'),
  headerRow: z.number().int().positive().default(1),
  columns: z.array(columnDef),
  /** Whole-sheet protection: who may edit anything on it. */
  protect: editRole.default('everyone'),
  hidden: z.boolean().default(false),
  frozenColumns: z.number().int().min(0).default(0),
  /** Rows for a fresh local workbook, keyed by column key. */
  demo: z.array(z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()]))).default([]),
}).superRefine((s, ctx) => {
  const seen = new Set<string>();
  for (const c of s.columns) {
    for (const h of [c.header, ...c.aliases].map((x) => x.trim().toLowerCase())) {
      if (seen.has(h)) ctx.addIssue({ code: 'custom', message: `${s.name}: header or alias «${h}» is used twice` });
      seen.add(h);
    }
  }
  const keys = new Set(s.columns.map((c) => c.key));
  if (keys.size !== s.columns.length) ctx.addIssue({ code: 'custom', message: `${s.name}: duplicate column key` });
  for (const row of s.demo) for (const k of Object.keys(row)) {
    if (!keys.has(k)) ctx.addIssue({ code: 'custom', message: `${s.name}: demo row uses unknown column key ${k}` });
  }
});
export type SheetDef = z.infer<typeof sheetDef>;
