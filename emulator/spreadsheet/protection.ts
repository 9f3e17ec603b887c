// Protected ranges and sheets. A new protection mirrors the spreadsheet's editors until the script
// changes its editor list or domain setting; neither the owner nor the current user can be removed
// (https://developers.google.com/apps-script/reference/spreadsheet/range#protect(),
//  https://developers.google.com/apps-script/reference/spreadsheet/protection#removeEditor(String)).
import type { EmulatorContext } from '../context';
import { domainOf } from './acl';
import type { ProtectionTypeName } from './enums';
import type { Box } from './model';
import type { EmuSheet } from './sheet';
import { ERR, EmuUser, emailOf } from './user';

type P = GoogleAppsScript.Spreadsheet.Protection;
type Methods = 'addEditor' | 'addEditors' | 'canDomainEdit' | 'canEdit' | 'getDescription' | 'getEditors' | 'getProtectionType'
  | 'getRange' | 'getRangeName' | 'getUnprotectedRanges' | 'isWarningOnly' | 'remove' | 'removeEditor' | 'removeEditors'
  | 'setDescription' | 'setDomainEdit' | 'setRange' | 'setRangeName' | 'setUnprotectedRanges' | 'setWarningOnly';

const EDITOR_ONLY = /^(getEditors|canDomainEdit|add|remove|set)/;

export class EmuProtection implements Pick<P, Methods> {
  description = '';
  warningOnly = false;
  /** null: mirrors the spreadsheet's editors (the protection does not restrict yet). */
  editors: Set<string> | null = null;
  /** null: mirrors the file's domain sharing. */
  domainEdit: boolean | null = null;
  unprotected: Box[] = [];
  rangeName: string | null = null;
  removed = false;

  constructor(private readonly ctx: EmulatorContext, readonly sheet: EmuSheet, readonly type: ProtectionTypeName, public box: Box | null) {}

  private c(m: string): void {
    this.ctx.recorder.call(`Protection.${m}`);
    // "Throws an exception if the user does not have permission to edit the protected range or sheet"
    // (getEditors, canDomainEdit, and every change: https://developers.google.com/apps-script/reference/spreadsheet/protection#getEditors()).
    if (this.ctx.recorder.enabled && EDITOR_ONLY.test(m) && !this.userMayEdit(this.ctx.userEmail.toLowerCase())) {
      throw new Error(ERR.protectionDenied);
    }
  }
  private get acl() { return this.sheet.parent.acl; }

  private materialise(): Set<string> {
    if (!this.editors) this.editors = new Set(this.acl.editorList());
    return this.editors;
  }

  /** Who may edit the protected cells (harness and canEdit), owner always included. */
  editorEmails(): string[] {
    const list = this.editors ? [...this.editors] : this.acl.editorList();
    return [this.acl.owner, ...list.filter((e) => e !== this.acl.owner)];
  }

  domainCanEdit(): boolean {
    if (this.domainEdit !== null) return this.domainEdit;
    return (this.acl.sharingAccess === 'DOMAIN' || this.acl.sharingAccess === 'DOMAIN_WITH_LINK') && this.acl.sharingPermission === 'EDIT';
  }

  userMayEdit(email: string): boolean {
    if (this.removed || this.warningOnly) return true;
    if (email === this.acl.owner) return true;
    if (this.editorEmails().includes(email)) return true;
    return this.domainCanEdit() && domainOf(email) === domainOf(this.acl.owner);
  }

  /** True when the protection covers cell (row, col), 1-based. */
  covers(row: number, col: number): boolean {
    const inBox = (b: Box) => row >= b.row && row < b.row + b.numRows && col >= b.col && col < b.col + b.numCols;
    if (this.type === 'SHEET') return !this.unprotected.some(inBox);
    return this.box !== null && inBox(this.box);
  }

  addEditor(user: string | GoogleAppsScript.Base.User): P { this.c('addEditor'); this.materialise().add(emailOf(user)); return this as unknown as P; }
  addEditors(emails: string[]): P { this.c('addEditors'); const s = this.materialise(); for (const e of emails) s.add(emailOf(e)); return this as unknown as P; }
  removeEditor(user: string | GoogleAppsScript.Base.User): P { this.c('removeEditor'); this.drop([user]); return this as unknown as P; }
  removeEditors(users: string[] | GoogleAppsScript.Base.User[]): P { this.c('removeEditors'); this.drop(users); return this as unknown as P; }
  private drop(users: Array<string | GoogleAppsScript.Base.User>): void {
    const s = this.materialise();
    for (const u of users) {
      const e = emailOf(u);
      if (e === this.acl.owner || e === this.ctx.userEmail.toLowerCase()) continue;
      s.delete(e);
    }
  }
  canDomainEdit(): boolean { this.c('canDomainEdit'); return this.domainCanEdit(); }
  canEdit(): boolean { this.c('canEdit'); return this.userMayEdit(this.ctx.userEmail.toLowerCase()) || this.warningOnly; }
  getDescription(): string { this.c('getDescription'); return this.description; }
  getEditors(): GoogleAppsScript.Base.User[] { this.c('getEditors'); return this.editorEmails().map((e) => new EmuUser(e)); }
  getProtectionType(): GoogleAppsScript.Spreadsheet.ProtectionType { this.c('getProtectionType'); return this.type as unknown as GoogleAppsScript.Spreadsheet.ProtectionType; }
  getRange(): GoogleAppsScript.Spreadsheet.Range {
    this.c('getRange');
    const b = this.box ?? { row: 1, col: 1, numRows: this.sheet.maxRows, numCols: this.sheet.maxCols };
    return this.sheet.rangeOf(b) as unknown as GoogleAppsScript.Spreadsheet.Range;
  }
  getRangeName(): string | null { this.c('getRangeName'); return this.rangeName; }
  getUnprotectedRanges(): GoogleAppsScript.Spreadsheet.Range[] { this.c('getUnprotectedRanges'); return this.unprotected.map((b) => this.sheet.rangeOf(b) as unknown as GoogleAppsScript.Spreadsheet.Range); }
  isWarningOnly(): boolean { this.c('isWarningOnly'); return this.warningOnly; }
  remove(): void { this.c('remove'); this.removed = true; this.sheet.parent.protections = this.sheet.parent.protections.filter((p) => p !== this); }
  setDescription(d: string): P { this.c('setDescription'); this.description = d; return this as unknown as P; }
  setDomainEdit(editable: boolean): P { this.c('setDomainEdit'); this.materialise(); this.domainEdit = editable; return this as unknown as P; }
  setRange(range: GoogleAppsScript.Spreadsheet.Range): P { this.c('setRange'); this.box = boxOfRange(range); return this as unknown as P; }
  setRangeName(name: string): P { this.c('setRangeName'); this.rangeName = name; return this as unknown as P; }
  setUnprotectedRanges(ranges: GoogleAppsScript.Spreadsheet.Range[]): P {
    this.c('setUnprotectedRanges');
    if (this.type !== 'SHEET') throw new Error('Unprotected ranges can only be set on a sheet protection.');
    this.unprotected = ranges.map(boxOfRange);
    return this as unknown as P;
  }
  setWarningOnly(w: boolean): P { this.c('setWarningOnly'); this.warningOnly = w; if (!w) this.materialise(); return this as unknown as P; }
}

export function boxOfRange(range: GoogleAppsScript.Spreadsheet.Range): Box {
  const r = range as unknown as { box(): Box };
  return { ...r.box() };
}
