// One access-control list per Drive file, shared by Spreadsheet.addEditor… and DriveApp File.addEditor…
// A user is either a viewer or an editor: adding an editor promotes a viewer; adding as viewer someone
// who already edits has no effect (https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#addviewer(emailAddress)).
import type { DriveAccessName, DrivePermissionName } from './enums';

export class FileAcl {
  readonly editors = new Set<string>();
  readonly viewers = new Set<string>();
  trashed = false;
  sharingAccess: DriveAccessName = 'PRIVATE';
  sharingPermission: DrivePermissionName = 'NONE';
  constructor(public owner: string) {}

  addEditor(email: string): void {
    if (email === this.owner) return;
    this.viewers.delete(email);
    this.editors.add(email);
  }
  addViewer(email: string): void {
    if (email === this.owner || this.editors.has(email)) return;
    this.viewers.add(email);
  }
  removeEditor(email: string): void { this.editors.delete(email); }
  removeViewer(email: string): void { this.viewers.delete(email); }

  /** Editors as the services list them: the owner first, then the other editors. */
  editorList(): string[] { return [this.owner, ...[...this.editors].filter((e) => e !== this.owner)]; }
  viewerList(): string[] { return [...this.viewers]; }

  canEdit(email: string): boolean {
    return email === this.owner || this.editors.has(email)
      || (this.sharingPermission === 'EDIT' && (this.sharingAccess === 'ANYONE' || this.sharingAccess === 'ANYONE_WITH_LINK'
        || ((this.sharingAccess === 'DOMAIN' || this.sharingAccess === 'DOMAIN_WITH_LINK') && domainOf(email) === domainOf(this.owner))));
  }
}

export function domainOf(email: string): string { return email.split('@')[1] ?? ''; }
