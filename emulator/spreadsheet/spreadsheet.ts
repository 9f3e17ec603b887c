// Spreadsheet: the file (id, name, owner, sharing through its Drive ACL), its sheets, time zone and
// locale, and spreadsheet-wide protections. Every public method is counted as 'Spreadsheet.<method>'.
import type { EmulatorContext } from '../context';
import { FileAcl } from './acl';
import type { ProtectionTypeName } from './enums';
import type { EmuProtection } from './protection';
import { DEFAULT_COLS, DEFAULT_ROWS, EmuSheet } from './sheet';
import { ERR, EmuUser, emailOf } from './user';
import { type ParsedInput, instantFromWall, parseUserInput, wallMs } from './values';

type GSS = GoogleAppsScript.Spreadsheet.Spreadsheet;
type GSheet = GoogleAppsScript.Spreadsheet.Sheet;
type User = GoogleAppsScript.Base.User;

type Methods = 'addEditor' | 'addEditors' | 'addViewer' | 'addViewers' | 'deleteSheet' | 'getActiveSheet' | 'getDataRange'
  | 'getEditors' | 'getId' | 'getLastColumn' | 'getLastRow' | 'getName' | 'getNumSheets' | 'getOwner' | 'getProtections' | 'getRange'
  | 'getSheetById' | 'getSheetByName' | 'getSheets' | 'getSpreadsheetLocale' | 'getSpreadsheetTimeZone' | 'getUrl' | 'getViewers'
  | 'insertSheet' | 'removeEditor' | 'removeViewer' | 'rename' | 'setActiveSheet' | 'setSpreadsheetLocale' | 'setSpreadsheetTimeZone'
  | 'toast';

export interface Toast { message: string; title: string; timeoutSeconds: number | null }

/** "Up to 10 million cells" per spreadsheet, every sheet's grid counted, hidden sheets too.
 *  https://support.google.com/drive/answer/37603 */
export const MAX_CELLS_PER_SPREADSHEET = 10_000_000;
export const CELL_LIMIT_ERROR = `This action would increase the number of cells in the workbook above the limit of ${MAX_CELLS_PER_SPREADSHEET} cells.`;

/** Spreadsheet methods that change the file itself. */
const SPREADSHEET_WRITES = /^(insertSheet|deleteSheet|rename|setSpreadsheet|add|remove|moveActiveSheet|duplicateActiveSheet)/;

export class EmuSpreadsheet implements Pick<GSS, Methods> {
  sheets: EmuSheet[] = [];
  activeSheet: EmuSheet | null = null;
  protections: EmuProtection[] = [];
  readonly acl: FileAcl;
  locale = 'ru_RU';
  lastUpdated: number;
  readonly created: number;
  /** Harness: toasts shown to the user, oldest first. */
  readonly toasts: Toast[] = [];
  private chartSeq = 1;

  constructor(readonly ctx: EmulatorContext, readonly id: string, public name: string, owner: string, public timeZone: string) {
    this.acl = new FileAcl(owner.toLowerCase());
    this.created = this.lastUpdated = ctx.clock.now();
  }

  private c(m: string): void {
    this.ctx.recorder.call(`Spreadsheet.${m}`);
    // Changing the file (sheets, name, zone, locale, sharing) needs edit access, as in the UI; editors may
    // share by default (https://support.google.com/drive/answer/2494893).
    if (this.ctx.recorder.enabled && SPREADSHEET_WRITES.test(m) && !this.acl.canEdit(this.ctx.userEmail.toLowerCase())) {
      throw new Error(ERR.viewOnly);
    }
  }
  private self(): GSS { return this as unknown as GSS; }

  // ---- harness helpers (not counted) ---------------------------------------------------------
  touch(): void { this.lastUpdated = this.ctx.clock.now(); }
  nextChartId(): number { return this.chartSeq++; }
  url(): string { return `https://docs.google.com/spreadsheets/d/${this.id}/edit`; }
  parseInput(text: string): ParsedInput { return parseUserInput(text, this.locale, this.timeZone, this.ctx.clock.now()); }
  sheet(name: string): EmuSheet | undefined { return this.sheets.find((s) => s.name === name); }
  /** Harness: grid cells of every sheet (maxRows × maxColumns, empty or not), as Google counts the limit. */
  cellCount(): number { return this.sheets.reduce((n, s) => n + s.maxRows * s.maxCols, 0); }
  /** Refuses a change that would add `extra` grid cells past the spreadsheet's limit. */
  assertCellsFit(extra: number): void {
    if (extra > 0 && this.cellCount() + extra > MAX_CELLS_PER_SPREADSHEET) throw new Error(CELL_LIMIT_ERROR);
  }

  newSheetId(): number {
    if (this.sheets.length === 0) return 0;
    let id: number;
    do id = 1 + Math.floor(this.ctx.random() * 2_000_000_000); while (this.sheets.some((s) => s.sheetId === id));
    return id;
  }

  addSheet(name: string, index?: number, rows = DEFAULT_ROWS, cols = DEFAULT_COLS, sheetId?: number): EmuSheet {
    if (this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) throw new Error(ERR.sheetExists(name));
    this.assertCellsFit(rows * cols);
    const sh = new EmuSheet(this.ctx, this, name, sheetId ?? this.newSheetId(), rows, cols);
    const at = index === undefined ? this.sheets.length : Math.max(0, Math.min(index, this.sheets.length));
    this.sheets.splice(at, 0, sh);
    this.touch();
    return sh;
  }

  private nextSheetName(): string {
    for (let n = this.sheets.length + 1; ; n++) {
      const name = `Лист${n}`;
      if (!this.sheets.some((s) => s.name.toLowerCase() === name.toLowerCase())) return name;
    }
  }

  // ---- identity ------------------------------------------------------------------------------
  getId(): string { this.c('getId'); return this.id; }
  getName(): string { this.c('getName'); return this.name; }
  rename(newName: string): void { this.c('rename'); this.name = newName; this.touch(); }
  getUrl(): string { this.c('getUrl'); return this.url(); }
  getOwner(): User | null { this.c('getOwner'); return new EmuUser(this.acl.owner) as unknown as User; }

  // ---- sheets --------------------------------------------------------------------------------
  getSheets(): GSheet[] { this.c('getSheets'); return this.sheets.slice() as unknown as GSheet[]; }
  getNumSheets(): number { this.c('getNumSheets'); return this.sheets.length; }
  /** Exact (case-sensitive) name match. */
  getSheetByName(name: string): GSheet | null { this.c('getSheetByName'); return (this.sheet(name) ?? null) as unknown as GSheet | null; }
  getSheetById(id: number): GSheet | null { this.c('getSheetById'); return (this.sheets.find((s) => s.sheetId === id) ?? null) as unknown as GSheet | null; }
  insertSheet(a?: string | number | { template?: GSheet }, b?: number | { template?: GSheet }, _opts?: { template?: GSheet }): GSheet {
    this.c('insertSheet');
    const name = typeof a === 'string' ? a : this.nextSheetName();
    const index = typeof a === 'number' ? a : typeof b === 'number' ? b : undefined;
    const sh = this.addSheet(name, index);
    // The new sheet becomes the active one, as in the real service.
    this.activeSheet = sh;
    return sh as unknown as GSheet;
  }
  deleteSheet(sheet: GSheet): void {
    this.c('deleteSheet');
    const sh = sheet as unknown as EmuSheet;
    if (!this.sheets.includes(sh)) throw new Error(ERR.deletedObject);
    if (this.sheets.filter((s) => !s.hidden && s !== sh).length === 0) throw new Error(ERR.lastSheet);
    this.sheets = this.sheets.filter((s) => s !== sh);
    this.protections = this.protections.filter((p) => p.sheet !== sh);
    sh.deleted = true;
    if (this.activeSheet === sh) this.activeSheet = this.sheets.find((s) => !s.hidden) ?? null;
    this.touch();
  }
  getActiveSheet(): GSheet { this.c('getActiveSheet'); return this.active() as unknown as GSheet; }
  active(): EmuSheet {
    if (!this.activeSheet || this.activeSheet.deleted) this.activeSheet = this.sheets.find((s) => !s.hidden) ?? this.sheets[0];
    return this.activeSheet;
  }
  setActiveSheet(sheet: GSheet): GSheet {
    this.c('setActiveSheet');
    const sh = sheet as unknown as EmuSheet;
    this.activeSheet = sh;
    sh.hidden = false;
    return sheet;
  }
  getRange(a1: string): GoogleAppsScript.Spreadsheet.Range {
    this.c('getRange');
    const bang = a1.lastIndexOf('!');
    if (bang < 0) return this.active().rangeByA1(a1) as unknown as GoogleAppsScript.Spreadsheet.Range;
    let name = a1.slice(0, bang);
    if (name.startsWith("'") && name.endsWith("'")) name = name.slice(1, -1).replace(/''/g, "'");
    const sh = this.sheet(name);
    if (!sh) throw new Error('Range not found');
    return sh.rangeByA1(a1.slice(bang + 1)) as unknown as GoogleAppsScript.Spreadsheet.Range;
  }
  getDataRange(): GoogleAppsScript.Spreadsheet.Range { this.c('getDataRange'); return this.ctx.recorder.quiet(() => this.active().getDataRange()); }
  getLastRow(): number { this.c('getLastRow'); return this.active().store.lastContent().row; }
  getLastColumn(): number { this.c('getLastColumn'); return this.active().store.lastContent().col; }

  // ---- settings ------------------------------------------------------------------------------
  getSpreadsheetTimeZone(): string { this.c('getSpreadsheetTimeZone'); return this.timeZone; }
  /** Sheets keeps the wall-clock date/time of date cells when the zone changes (cells store serials),
   *  so the instants Apps Script reads shift. */
  setSpreadsheetTimeZone(tz: string): void {
    this.c('setSpreadsheetTimeZone');
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    this.changeTimeZone(tz);
  }
  changeTimeZone(tz: string): void {
    const old = this.timeZone;
    if (old === tz) return;
    for (const sh of this.sheets) {
      for (const row of sh.store.rows) {
        if (!row) continue;
        for (let c = 0; c < row.length; c++) {
          const v = row[c];
          if (typeof v === 'object' && v !== null) row[c] = new Date(instantFromWall(wallMs(v.getTime(), old), tz));
        }
      }
    }
    this.timeZone = tz;
    this.touch();
  }
  getSpreadsheetLocale(): string { this.c('getSpreadsheetLocale'); return this.locale; }
  setSpreadsheetLocale(locale: string): void { this.c('setSpreadsheetLocale'); this.locale = locale; this.touch(); }
  toast(msg: string, title = '', timeoutSeconds: number | null = 5): void {
    this.c('toast');
    this.toasts.push({ message: String(msg), title: String(title), timeoutSeconds });
  }

  // ---- sharing -------------------------------------------------------------------------------
  addEditor(user: string | User): GSS { this.c('addEditor'); this.acl.addEditor(emailOf(user)); return this.self(); }
  addEditors(emails: string[]): GSS { this.c('addEditors'); const list = emails.map(emailOf); for (const e of list) this.acl.addEditor(e); return this.self(); }
  addViewer(user: string | User): GSS { this.c('addViewer'); this.acl.addViewer(emailOf(user)); return this.self(); }
  addViewers(emails: string[]): GSS { this.c('addViewers'); const list = emails.map(emailOf); for (const e of list) this.acl.addViewer(e); return this.self(); }
  removeEditor(user: string | User): GSS { this.c('removeEditor'); this.acl.removeEditor(emailOf(user)); return this.self(); }
  removeViewer(user: string | User): GSS { this.c('removeViewer'); this.acl.removeViewer(emailOf(user)); return this.self(); }
  getEditors(): User[] { this.c('getEditors'); return this.acl.editorList().map((e) => new EmuUser(e)) as unknown as User[]; }
  getViewers(): User[] { this.c('getViewers'); return this.acl.viewerList().map((e) => new EmuUser(e)) as unknown as User[]; }

  getProtections(type: GoogleAppsScript.Spreadsheet.ProtectionType): GoogleAppsScript.Spreadsheet.Protection[] {
    this.c('getProtections');
    const t = String(type) as ProtectionTypeName;
    return this.protections.filter((p) => p.type === t) as unknown as GoogleAppsScript.Spreadsheet.Protection[];
  }
}
