// Hard protections of the product. "Until the script actually changes the list of editors … the
// permissions mirror those of the spreadsheet itself" (Range.protect() / Sheet.protect() reference): a
// new protection lets in every editor of the file, including ones added later. Naming the editors and
// turning domain edit off is what makes it hold.
import { withRetry } from './retry';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Protection = GoogleAppsScript.Spreadsheet.Protection;

/** Description prefix of every protection the product owns. */
export const PROTECTION_PREFIX = 'Продажи: ';

/**
 * Gives `p` exactly `editors` as its own list (plus the owner and the running user, whom Google always
 * keeps) and no domain edit. Adding makes the list explicit — a snapshot of the file's editors — so the
 * others are removed after (the Protection reference's own example does the same).
 */
export function pinProtection(p: Protection, editors: string[]): void {
  const wanted = editors.map((e) => e.toLowerCase());
  withRetry(() => p.addEditors(wanted));
  const extra = withRetry(() => p.getEditors()).map((u) => u.getEmail().toLowerCase()).filter((e) => !wanted.includes(e));
  if (extra.length) withRetry(() => p.removeEditors(extra));
  withRetry(() => p.setDomainEdit(false));
}

/**
 * Whether the running user may write the whole sheet. A script writes with its user's rights, so an
 * execution of a manager must not try to write a sheet only the owner and leadership may edit.
 */
export function mayEditSheet(sheet: Sheet): boolean {
  const list = withRetry(() => sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET));
  return list.every((p) => withRetry(() => p.canEdit()));
}

/**
 * Protects `target` exactly like `model`'s hard sheet protection (a sheet the script creates next to a
 * protected one, e.g. the journal archive). Nothing when `model` has none: setup protects both later.
 */
export function protectLike(model: Sheet, target: Sheet, description: string): void {
  const source = withRetry(() => model.getProtections(SpreadsheetApp.ProtectionType.SHEET)).find((p) => !p.isWarningOnly());
  if (!source) return;
  const editors = withRetry(() => source.getEditors()).map((u) => u.getEmail());
  const p = withRetry(() => target.protect());
  withRetry(() => p.setDescription(description));
  pinProtection(p, editors);
}
