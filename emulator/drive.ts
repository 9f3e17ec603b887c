// DriveApp over the emulated spreadsheets: one File per spreadsheet, sharing the spreadsheet's ACL.
import type { EmulatorContext } from './context';
import { DriveAccess, DrivePermission, type DriveAccessName, type DrivePermissionName } from './spreadsheet/enums';
import type { EmuSpreadsheet } from './spreadsheet/spreadsheet';
import { ERR, EmuUser, emailOf } from './spreadsheet/user';

type GFile = GoogleAppsScript.Drive.File;
type GUser = GoogleAppsScript.Drive.User;
type BaseUser = GoogleAppsScript.Base.User;

type Methods = 'addEditor' | 'addEditors' | 'addViewer' | 'addViewers' | 'getAccess' | 'getDateCreated' | 'getEditors' | 'getId'
  | 'getLastUpdated' | 'getMimeType' | 'getName' | 'getOwner' | 'getSharingAccess' | 'getSharingPermission' | 'getUrl' | 'getViewers'
  | 'isTrashed' | 'removeEditor' | 'removeViewer' | 'setName' | 'setSharing' | 'setTrashed';

export class EmuFile implements Pick<GFile, Methods> {
  constructor(private readonly ctx: EmulatorContext, readonly ss: EmuSpreadsheet) {}
  private c(m: string): void { this.ctx.recorder.call(`File.${m}`); }
  private self(): GFile { return this as unknown as GFile; }
  private get acl() { return this.ss.acl; }

  getId(): string { this.c('getId'); return this.ss.id; }
  getName(): string { this.c('getName'); return this.ss.name; }
  setName(name: string): GFile { this.c('setName'); this.ss.name = name; this.ss.touch(); return this.self(); }
  getUrl(): string { this.c('getUrl'); return `${this.ss.url()}?usp=drivesdk`; }
  getMimeType(): string { this.c('getMimeType'); return 'application/vnd.google-apps.spreadsheet'; }
  getOwner(): GUser { this.c('getOwner'); return new EmuUser(this.acl.owner) as unknown as GUser; }
  getDateCreated(): GoogleAppsScript.Base.Date { this.c('getDateCreated'); return new Date(this.ss.created); }
  getLastUpdated(): GoogleAppsScript.Base.Date { this.c('getLastUpdated'); return new Date(this.ss.lastUpdated); }

  addEditor(user: string | BaseUser): GFile { this.c('addEditor'); this.acl.addEditor(emailOf(user)); return this.self(); }
  addEditors(emails: string[]): GFile { this.c('addEditors'); const l = emails.map(emailOf); for (const e of l) this.acl.addEditor(e); return this.self(); }
  addViewer(user: string | BaseUser): GFile { this.c('addViewer'); this.acl.addViewer(emailOf(user)); return this.self(); }
  addViewers(emails: string[]): GFile { this.c('addViewers'); const l = emails.map(emailOf); for (const e of l) this.acl.addViewer(e); return this.self(); }
  removeEditor(user: string | BaseUser): GFile { this.c('removeEditor'); this.acl.removeEditor(emailOf(user)); return this.self(); }
  removeViewer(user: string | BaseUser): GFile { this.c('removeViewer'); this.acl.removeViewer(emailOf(user)); return this.self(); }
  getEditors(): GUser[] { this.c('getEditors'); return this.acl.editorList().map((e) => new EmuUser(e)) as unknown as GUser[]; }
  getViewers(): GUser[] { this.c('getViewers'); return this.acl.viewerList().map((e) => new EmuUser(e)) as unknown as GUser[]; }
  getAccess(user: string | BaseUser): GoogleAppsScript.Drive.Permission {
    this.c('getAccess');
    const e = emailOf(user);
    const p: DrivePermissionName = e === this.acl.owner ? 'OWNER' : this.acl.editors.has(e) ? 'EDIT' : this.acl.viewers.has(e) ? 'VIEW' : 'NONE';
    return p as unknown as GoogleAppsScript.Drive.Permission;
  }

  isTrashed(): boolean { this.c('isTrashed'); return this.acl.trashed; }
  setTrashed(trashed: boolean): GFile { this.c('setTrashed'); this.acl.trashed = trashed; this.ss.touch(); return this.self(); }
  getSharingAccess(): GoogleAppsScript.Drive.Access { this.c('getSharingAccess'); return this.acl.sharingAccess as unknown as GoogleAppsScript.Drive.Access; }
  getSharingPermission(): GoogleAppsScript.Drive.Permission { this.c('getSharingPermission'); return this.acl.sharingPermission as unknown as GoogleAppsScript.Drive.Permission; }
  setSharing(access: GoogleAppsScript.Drive.Access, permission: GoogleAppsScript.Drive.Permission): GFile {
    this.c('setSharing');
    const a = String(access) as DriveAccessName;
    const p = String(permission) as DrivePermissionName;
    if (!(a in DriveAccess) || !(p in DrivePermission)) throw new Error('Invalid argument: permission');
    this.acl.sharingAccess = a;
    this.acl.sharingPermission = a === 'PRIVATE' ? 'NONE' : p;
    return this.self();
  }
}

export interface DriveFiles {
  /** Live (not permanently deleted) spreadsheet by id. */
  find(id: string): EmuSpreadsheet | undefined;
}

export class EmuDriveApp implements Pick<GoogleAppsScript.Drive.DriveApp, 'getFileById'> {
  readonly Access = DriveAccess as unknown as typeof GoogleAppsScript.Drive.Access;
  readonly Permission = DrivePermission as unknown as typeof GoogleAppsScript.Drive.Permission;
  constructor(private readonly ctx: EmulatorContext, private readonly files: DriveFiles) {}

  /** A trashed file is still returned (isTrashed() is true, and setTrashed(false) restores it);
   *  a deleted or unknown id throws. */
  getFileById(id: string): GFile {
    this.ctx.recorder.call('DriveApp.getFileById');
    const ss = this.files.find(String(id));
    if (!ss) throw new Error(ERR.missingFile);
    return new EmuFile(this.ctx, ss) as unknown as GFile;
  }
}
