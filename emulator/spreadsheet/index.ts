// The SpreadsheetApp + DriveApp world: a registry of emulated spreadsheet files, the services the
// script sees, and harness entry points (create files, bind the active one, user edits, snapshots).
import type { EmulatorContext } from '../context';
import { EmuDriveApp } from '../drive';
import { isDate } from '../support';
import { cellA1 } from './a1';
import { EmuConditionalFormatRuleBuilder } from './conditional-format';
import * as E from './enums';
import type { EmuRange } from './range';
import { assertCellText, readCell } from './range';
import { restoreSpreadsheet, serializeSpreadsheet, type SpreadsheetJson } from './serialize';
import { DEFAULT_COLS, DEFAULT_ROWS, type EmuSheet } from './sheet';
import { CELL_LIMIT_ERROR, EmuSpreadsheet, MAX_CELLS_PER_SPREADSHEET } from './spreadsheet';
import { ERR, EmuUser } from './user';
import { visibleEmail } from '../services/session';
import { EmuDataValidationBuilder, satisfies } from './validation';
import { dateToSerial, storeRaw, type CellValue } from './values';

export { EmuSpreadsheet } from './spreadsheet';
export { EmuSheet } from './sheet';
export { EmuRange } from './range';
export { EmuProtection } from './protection';
export { EmuDataValidation, EmuDataValidationBuilder } from './validation';
export { EmuConditionalFormatRule, EmuConditionalFormatRuleBuilder } from './conditional-format';
export { EmuChart } from './chart';
export { EmuUser } from './user';
export { Charts, ChartType } from './enums';
export { formatDisplay } from './format';
export { parseUserInput } from './values';

type GSS = GoogleAppsScript.Spreadsheet.Spreadsheet;

export interface UserEditOptions {
  /** Who types (default ctx.userEmail). */
  user?: string;
  /** authMode put on the event (default 'LIMITED', as for the simple onEdit trigger). */
  authMode?: string;
}

export interface SpreadsheetWorld {
  SpreadsheetApp: GoogleAppsScript.Spreadsheet.SpreadsheetApp;
  DriveApp: GoogleAppsScript.Drive.DriveApp;
  /** Harness (not counted): create a spreadsheet file directly. */
  createSpreadsheet(name: string, opts?: { owner?: string; timeZone?: string; id?: string; locale?: string }): EmuSpreadsheet;
  /** Harness: the spreadsheet the script is bound to (getActiveSpreadsheet). */
  setActive(ss: EmuSpreadsheet): void;
  getActive(): EmuSpreadsheet | null;
  byId(id: string): EmuSpreadsheet | undefined;
  all(): EmuSpreadsheet[];
  /** Harness: delete a file for good as a user would (later openById / getFileById fail). */
  deleteFile(id: string): void;
  /** Harness: a person edits cells in the UI (see userEdit below). */
  userEdit(sheet: EmuSheet, a1: string, values: unknown[][], opts?: UserEditOptions): GoogleAppsScript.Events.SheetsOnEdit;
  /** Harness: JSON-able snapshot / restore of everything. */
  serialize(): unknown;
  restore(data: unknown): void;
  /** Harness: add an already-built spreadsheet (xlsx load) to the registry. */
  register(ss: EmuSpreadsheet): void;
  readonly ctx: EmulatorContext;
}

interface WorldJson { version: 1; active: string | null; files: SpreadsheetJson[] }

/** Locale of spreadsheets the harness creates (tests, local runner) unless they name one. */
export const HARNESS_LOCALE = 'ru_RU';
/** Locale of spreadsheets a script creates with SpreadsheetApp.create. */
export const NEW_FILE_LOCALE = 'en_US';

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The string Apps Script puts in e.value / e.oldValue for a stored value. */
function eventString(v: unknown, tz: string): string | undefined {
  if (v === undefined || v === '') return undefined;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  // Dates arrive as their serial number (days since 1899-12-30), a long-standing quirk of the event.
  if (isDate(v)) return String(dateToSerial(v.getTime(), tz));
  return String(v);
}

export function createSpreadsheetWorld(ctx: EmulatorContext, deps: { getUi(): GoogleAppsScript.Base.Ui }): SpreadsheetWorld {
  const files = new Map<string, EmuSpreadsheet>();
  let active: EmuSpreadsheet | null = null;
  const rec = ctx.recorder;

  // Ids are drawn from the seeded random, so a later run with the same seed must skip ids already
  // taken by files loaded from disk.
  const newId = () => {
    for (;;) {
      let id = '1';
      for (let i = 0; i < 43; i++) id += ID_CHARS[Math.floor(ctx.random() * ID_CHARS.length)];
      if (!files.has(id)) return id;
    }
  };

  const hasAccess = (ss: EmuSpreadsheet, user: string) => {
    const acl = ss.acl;
    return acl.canEdit(user) || acl.viewers.has(user) || acl.sharingAccess === 'ANYONE' || acl.sharingAccess === 'ANYONE_WITH_LINK'
      || ((acl.sharingAccess === 'DOMAIN' || acl.sharingAccess === 'DOMAIN_WITH_LINK') && user.split('@')[1] === acl.owner.split('@')[1]);
  };

  const open = (id: string): EmuSpreadsheet => {
    const ss = files.get(id);
    if (!ss || ss.acl.trashed || !hasAccess(ss, ctx.userEmail.toLowerCase())) throw new Error(ERR.missingDoc(id));
    return ss;
  };

  function createSpreadsheet(name: string, opts: { owner?: string; timeZone?: string; id?: string; locale?: string } = {}): EmuSpreadsheet {
    const id = opts.id ?? newId();
    if (files.has(id)) throw new Error(`Spreadsheet ${id} already exists`);
    const ss = new EmuSpreadsheet(ctx, id, name, opts.owner ?? ctx.ownerEmail, opts.timeZone ?? ctx.scriptTimeZone);
    ss.locale = opts.locale ?? HARNESS_LOCALE;
    ss.addSheet('Лист1');
    ss.activeSheet = ss.sheets[0];
    files.set(id, ss);
    return ss;
  }

  const activeSs = (): EmuSpreadsheet | null => (active && files.get(active.id) === active ? active : null);

  const app = {
    AutoFillSeries: Object.freeze({ DEFAULT_SERIES: 'DEFAULT_SERIES', ALTERNATE_SERIES: 'ALTERNATE_SERIES' }),
    BooleanCriteria: E.BooleanCriteria,
    BorderStyle: E.BorderStyle,
    CopyPasteType: E.CopyPasteType,
    DataValidationCriteria: E.DataValidationCriteria,
    Dimension: E.Dimension,
    Direction: E.Direction,
    InterpolationType: E.InterpolationType,
    ProtectionType: E.ProtectionType,
    RelativeDate: E.RelativeDate,
    SheetType: E.SheetType,
    WrapStrategy: E.WrapStrategy,
    getActiveSpreadsheet(): GSS { rec.call('SpreadsheetApp.getActiveSpreadsheet'); return activeSs() as unknown as GSS; },
    getActive(): GSS { rec.call('SpreadsheetApp.getActive'); return activeSs() as unknown as GSS; },
    getActiveSheet(): GoogleAppsScript.Spreadsheet.Sheet {
      rec.call('SpreadsheetApp.getActiveSheet');
      return (activeSs()?.active() ?? null) as unknown as GoogleAppsScript.Spreadsheet.Sheet;
    },
    getActiveRange(): GoogleAppsScript.Spreadsheet.Range {
      rec.call('SpreadsheetApp.getActiveRange');
      const sh = activeSs()?.active();
      return (sh?.activeBox ? sh.rangeOf(sh.activeBox) : sh ? sh.rangeOf({ row: 1, col: 1, numRows: 1, numCols: 1 }) : null) as unknown as GoogleAppsScript.Spreadsheet.Range;
    },
    setActiveSheet(sheet: GoogleAppsScript.Spreadsheet.Sheet): GoogleAppsScript.Spreadsheet.Sheet {
      rec.call('SpreadsheetApp.setActiveSheet');
      const sh = sheet as unknown as EmuSheet;
      sh.parent.activeSheet = sh;
      return sheet;
    },
    setActiveSpreadsheet(ss: GSS): void { rec.call('SpreadsheetApp.setActiveSpreadsheet'); active = ss as unknown as EmuSpreadsheet; },
    openById(id: string): GSS { rec.call('SpreadsheetApp.openById'); return open(String(id)) as unknown as GSS; },
    openByUrl(url: string): GSS {
      rec.call('SpreadsheetApp.openByUrl');
      const m = /\/d\/([A-Za-z0-9_-]+)/.exec(String(url));
      if (!m) throw new Error('Invalid argument: url');
      return open(m[1]) as unknown as GSS;
    },
    open(file: GoogleAppsScript.Drive.File): GSS { rec.call('SpreadsheetApp.open'); return open(file.getId()) as unknown as GSS; },
    create(name: string, rows?: number, columns?: number): GSS {
      rec.call('SpreadsheetApp.create');
      // A new file's locale follows the creator's account language; en_US is the stricter default here:
      // Russian-typed dates and numbers stay text until the script sets ru_RU itself.
      const r = rows || DEFAULT_ROWS;
      const c = columns || DEFAULT_COLS;
      if (r * c > MAX_CELLS_PER_SPREADSHEET) throw new Error(CELL_LIMIT_ERROR);
      const ss = createSpreadsheet(name, { owner: ctx.userEmail, locale: NEW_FILE_LOCALE });
      ss.sheets[0].maxRows = r;
      ss.sheets[0].maxCols = c;
      return ss as unknown as GSS;
    },
    flush(): void { rec.call('SpreadsheetApp.flush'); },
    getUi(): GoogleAppsScript.Base.Ui { rec.call('SpreadsheetApp.getUi'); return deps.getUi(); },
    newDataValidation(): GoogleAppsScript.Spreadsheet.DataValidationBuilder {
      rec.call('SpreadsheetApp.newDataValidation');
      return new EmuDataValidationBuilder(rec) as unknown as GoogleAppsScript.Spreadsheet.DataValidationBuilder;
    },
    newConditionalFormatRule(): GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder {
      rec.call('SpreadsheetApp.newConditionalFormatRule');
      return new EmuConditionalFormatRuleBuilder(rec) as unknown as GoogleAppsScript.Spreadsheet.ConditionalFormatRuleBuilder;
    },
  };

  const world: SpreadsheetWorld = {
    ctx,
    SpreadsheetApp: app as unknown as GoogleAppsScript.Spreadsheet.SpreadsheetApp,
    DriveApp: new EmuDriveApp(ctx, { find: (id) => files.get(id) }) as unknown as GoogleAppsScript.Drive.DriveApp,
    createSpreadsheet,
    setActive(ss) { active = ss; },
    getActive: () => activeSs(),
    byId: (id) => files.get(id),
    all: () => [...files.values()],
    deleteFile(id) {
      const ss = files.get(id);
      if (ss) { ss.acl.trashed = true; files.delete(id); }
      if (active?.id === id) active = null;
    },
    register(ss) {
      files.set(ss.id, ss);
    },

    /**
     * A person types into cells. Refused like the UI refuses (throws, cells unchanged): no edit access,
     * a protection the user is not an editor of (warning-only protections pass), or a value breaking a
     * strict validation rule (allowInvalid=false). Otherwise writes with user-entered parsing and returns
     * the onEdit event: value/oldValue only for a single cell, as strings, absent when empty
     * (https://developers.google.com/apps-script/guides/triggers/events#edit).
     */
    userEdit(sheet, a1, values, opts = {}) {
      return rec.quiet(() => {
        const ss = sheet.parent;
        const user = (opts.user ?? ctx.userEmail).toLowerCase();
        const range = sheet.rangeByA1(a1);
        if (values.length !== range.numRows) throw new Error(ERR.rowsMismatch(values.length, range.numRows));
        for (const row of values) if (row.length !== range.numCols) throw new Error(ERR.colsMismatch(row.length, range.numCols));
        if (!ss.acl.canEdit(user)) throw new Error(ERR.viewOnly);
        if (sheet.blockingProtection(range.box(), user)) throw new Error(ERR.protectedCell);

        // Validate everything before writing anything.
        const parsed: Array<Array<{ value: CellValue; formula?: string; autoFormat?: string; text?: string }>> = values.map((row, i) => row.map((input, j) => {
          const r = range.row - 1 + i;
          const c = range.col - 1 + j;
          const ex = sheet.store.extra(r, c);
          assertCellText(input);
          if (typeof input === 'string') {
            if (ex?.fmt === '@') return { value: input === '' ? undefined : input, text: input };
            return { ...ss.parseInput(input), text: input };
          }
          return { value: storeRaw(input) };
        }));
        parsed.forEach((row, i) => row.forEach((p, j) => {
          const r = range.row - 1 + i;
          const c = range.col - 1 + j;
          const dv = sheet.store.extra(r, c)?.dv;
          if (!dv || dv.state.allowInvalid || p.formula !== undefined) return;
          if (!satisfies(dv, p.value, ss.timeZone)) {
            const help = dv.state.helpText ? ` ${dv.state.helpText}` : '';
            throw new Error(ERR.invalidInput(cellA1(r + 1, c + 1)) + help);
          }
        }));

        const single = range.numRows === 1 && range.numCols === 1;
        const old = single ? readCell(sheet.store.value(range.row - 1, range.col - 1), sheet.store.extra(range.row - 1, range.col - 1), ss.timeZone) : undefined;
        sheet.store.touch();
        values.forEach((row, i) => row.forEach((input, j) => {
          const r = range.row - 1 + i;
          const c = range.col - 1 + j;
          const p = parsed[i][j];
          // A typed string goes through the same parsing as a script write; other inputs
          // (a checkbox click → boolean, a picked date → Date) are stored as they are.
          range.writeCell(r, c, typeof input === 'string' ? (p.text ?? input) : input);
        }));
        ss.touch();

        const event: Record<string, unknown> = {
          authMode: opts.authMode ?? 'LIMITED',
          range: sheet.rangeOf(range.box()),
          source: ss,
          // e.user: "the active user, if available (depending on a complex set of security restrictions)".
          user: new EmuUser(visibleEmail(ctx, user, String(opts.authMode ?? 'LIMITED'))),
          triggerUid: undefined,
        };
        if (single) {
          const now = readCell(sheet.store.value(range.row - 1, range.col - 1), sheet.store.extra(range.row - 1, range.col - 1), ss.timeZone);
          const value = eventString(now, ss.timeZone);
          const oldValue = eventString(old, ss.timeZone);
          if (value !== undefined) event.value = value;
          if (oldValue !== undefined) event.oldValue = oldValue;
        }
        return event as unknown as GoogleAppsScript.Events.SheetsOnEdit;
      });
    },

    serialize(): WorldJson {
      return { version: 1, active: active?.id ?? null, files: [...files.values()].map((s) => serializeSpreadsheet(s)) };
    },
    restore(data) {
      const j = data as WorldJson;
      if (!j || j.version !== 1 || !Array.isArray(j.files)) throw new Error('Unrecognised spreadsheet world snapshot');
      files.clear();
      for (const f of j.files) files.set(f.id, restoreSpreadsheet(ctx, f));
      active = j.active ? files.get(j.active) ?? null : null;
    },
  };
  return world;
}

export type { EmuRange as Range };
