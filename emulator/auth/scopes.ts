// OAuth scopes Google documents per Apps Script method (generated table, see README.md here) and the
// check whether a manifest's grant satisfies them.
import table from './scopes.json';

const SCOPES: Readonly<Record<string, readonly string[]>> = table;

const AUTH = 'https://www.googleapis.com/auth/';

/**
 * Broader scope -> narrower scopes it includes. Google's OAuth scope list describes each broader scope
 * as covering the narrower one's access (all spreadsheets vs. only the bound one, all Drive files vs.
 * read-only or app-created ones), so a method documented under the narrower scope also runs under
 * the broader one. Kept explicit: a scope absent here is satisfied only by itself.
 */
const IMPLIES: Readonly<Record<string, readonly string[]>> = {
  [`${AUTH}spreadsheets`]: [`${AUTH}spreadsheets.currentonly`, `${AUTH}spreadsheets.readonly`],
  [`${AUTH}documents`]: [`${AUTH}documents.currentonly`],
  [`${AUTH}presentations`]: [`${AUTH}presentations.currentonly`],
  [`${AUTH}forms`]: [`${AUTH}forms.currentonly`],
  [`${AUTH}drive`]: [`${AUTH}drive.readonly`, `${AUTH}drive.file`],
  // Full Gmail access includes sending mail as the user, which is all script.send_mail allows.
  'https://mail.google.com/': [`${AUTH}script.send_mail`],
};

/** Scopes Google lists for `Interface.method` (any one suffices); [] = none needed; undefined = not in the table. */
export function requiredScopes(method: string): readonly string[] | undefined {
  return Object.prototype.hasOwnProperty.call(SCOPES, method) ? SCOPES[method] : undefined;
}

/** True when nothing is required or any required scope is granted, directly or through a broader scope. */
export function isGranted(required: readonly string[], granted: ReadonlySet<string>): boolean {
  if (required.length === 0) return true;
  return required.some((scope) => granted.has(scope) || [...granted].some((g) => IMPLIES[g]?.includes(scope) ?? false));
}

/**
 * The exception text Google shows when the manifest lacks the scope. One scope is printed bare
 * ("…call SpreadsheetApp.openById. Required permissions: https://www.googleapis.com/auth/spreadsheets");
 * alternatives as "(A || B)" with the narrower scope first, as in Google's
 * "(https://www.googleapis.com/auth/drive.readonly || https://www.googleapis.com/auth/drive)".
 */
export function permissionError(method: string, required: readonly string[]): string {
  const implied = (s: string) => required.some((g) => IMPLIES[g]?.includes(s) ?? false);
  const ordered = [...required.filter(implied), ...required.filter((s) => !implied(s))];
  const list = ordered.length === 1 ? ordered[0]! : `(${ordered.join(' || ')})`;
  return `You do not have permission to call ${method}. Required permissions: ${list}`;
}
