// Partner files over the Spreadsheet service alone: find a partner's spreadsheet from its link, create it
// when missing, keep it shared view-only with the partner, and write its block in one call. Sharing uses
// the Spreadsheet class's own methods (addViewer, removeEditor, getEditors, getViewers, getOwner), which
// Google documents under the `spreadsheets` scope; DriveApp would need the full `drive` scope — access to
// every file in the owner's Drive — so it is not used. Without it the script cannot see the trash, move a
// file there, or read link sharing (README, «Permissions»).
import { blockForWrite, blockMatches, PARTNER_FILE_SHEET, type PartnerFileKey } from '../core/partners';
import type { CellValue } from '../core/analytics';
import { errorMessage, isTransient, withRetry } from './retry';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

export interface PartnerFile { ss: Spreadsheet; id: string; url: string }

/** Why a link does not lead to a usable partner file (a trashed file cannot be told from a deleted one). */
export type OpenFailure = 'empty' | 'badLink' | 'missing' | 'main';

/** The file id inside a Sheets/Drive link (or a bare id); null when the text is neither. */
export function fileIdFromLink(link: string): string | null {
  const text = link.trim();
  if (text === '') return null;
  const m = /\/d\/([A-Za-z0-9_-]{10,})/.exec(text) ?? /[?&]id=([A-Za-z0-9_-]{10,})/.exec(text);
  if (m) return m[1];
  return /^[A-Za-z0-9_-]{25,}$/.test(text) ? text : null;
}

/** The address Google gives a spreadsheet with this id (what Spreadsheet.getUrl returns). */
export const spreadsheetUrl = (id: string) => `https://docs.google.com/spreadsheets/d/${id}/edit`;

/** Errors that mean the file is gone or out of reach; anything else fails the partner (and is retried). */
const NOT_THERE = /could be found|not found|is missing|deleted|does not exist|permission|access/i;
/** Errors that mean Google refused the address itself. */
const BAD_EMAIL = /invalid|email|argument/i;

export function openPartnerFile(link: string, mainId: string): PartnerFile | OpenFailure {
  if (link.trim() === '') return 'empty';
  const id = fileIdFromLink(link);
  if (!id) return 'badLink';
  if (id === mainId) return 'main';
  return openPartnerFileById(id);
}

/**
 * The spreadsheet with this id. A deleted file, a file in the trash and a file the running account may
 * not open all fail the same way («Document … is missing (perhaps it was deleted, or you don't have read
 * access?)»): 'missing'.
 */
export function openPartnerFileById(id: string): PartnerFile | 'missing' {
  let ss: Spreadsheet;
  try {
    ss = withRetry(() => SpreadsheetApp.openById(id));
  } catch (error) {
    if (isTransient(error) || !NOT_THERE.test(errorMessage(error))) throw error;
    return 'missing';
  }
  return { ss, id, url: withRetry(() => ss.getUrl()) };
}

/** Number formats of the partner file's value columns (text columns stay «Automatic»: see partnerCell). */
export type PartnerFormats = Partial<Record<PartnerFileKey, string>>;

/**
 * A file the sync created and could not finish linking: `id` is null when even that could not be read
 * (then only the title names it).
 */
export class UnlinkedFileError extends Error {
  constructor(message: string, readonly title: string, readonly id: string | null) { super(message); }
}

/**
 * A new, empty partner spreadsheet. Its layout is left to partnerSheet, after the caller has stored the
 * link: a run stopped halfway then leaves a linked file the next run completes, never a second file (a
 * file cannot be moved to the trash without Drive access). A failure after the file exists throws
 * UnlinkedFileError with its id when it can be read, so the caller can remember it.
 */
export function createPartnerFile(title: string): PartnerFile {
  const ss = withRetry(() => SpreadsheetApp.create(title));
  let id: string | null = null;
  try {
    id = withRetry(() => ss.getId());
    return { ss, id, url: withRetry(() => ss.getUrl()) };
  } catch (error) {
    if (id === null) {
      try { id = withRetry(() => ss.getId()); } catch { /* named by its title only */ }
    }
    throw new UnlinkedFileError(errorMessage(error), title, id);
  }
}

/** Document property holding the id of a partner file created but not yet linked in «Партнёры». */
const UNLINKED_PREFIX = 'partners:unlinked:';

/** Remembers a file this run created but could not link, for the next run to reuse; false when it could not. */
export function rememberUnlinkedFile(partnerKey: string, id: string): boolean {
  try {
    withRetry(() => PropertiesService.getDocumentProperties().setProperty(UNLINKED_PREFIX + partnerKey, id));
    return true;
  } catch {
    return false;
  }
}

/** The id of a file an earlier run created for this partner but could not link; null when none. */
export function unlinkedFile(partnerKey: string): string | null {
  return withRetry(() => PropertiesService.getDocumentProperties().getProperty(UNLINKED_PREFIX + partnerKey));
}

/** Forgets the unlinked file once its link is stored; best effort (a stale entry only offers the linked file again). */
export function forgetUnlinkedFile(partnerKey: string): void {
  try {
    withRetry(() => PropertiesService.getDocumentProperties().deleteProperty(UNLINKED_PREFIX + partnerKey));
  } catch {
    // Harmless: the entry names this partner's own file.
  }
}

/**
 * The partner file's sheet «Клиенты». A file whose first run stopped halfway (or whose sheet someone
 * renamed) has none: its first sheet gets the frozen header and the number formats, and the name last,
 * so a layout interrupted again is redone by the next run.
 */
export function partnerSheet(ss: Spreadsheet, formats: PartnerFormats, keys: readonly PartnerFileKey[]): Sheet {
  const named = withRetry(() => ss.getSheetByName(PARTNER_FILE_SHEET));
  if (named) return named;
  const sheet = withRetry(() => ss.getSheets()[0]);
  withRetry(() => sheet.setFrozenRows(1));
  formatRows(sheet, 2, withRetry(() => sheet.getMaxRows()) - 1, formats, keys);
  withRetry(() => sheet.setName(PARTNER_FILE_SHEET));
  return sheet;
}

function formatRows(sheet: Sheet, from: number, count: number, formats: PartnerFormats, keys: readonly PartnerFileKey[]): void {
  if (count <= 0) return;
  keys.forEach((k, i) => {
    const fmt = formats[k];
    if (fmt) withRetry(() => sheet.getRange(from, i + 1, count, 1).setNumberFormat(fmt));
  });
}

export interface SharingOutcome {
  downgraded: string[];
  added: string[];
  badEmails: string[];
  extraViewers: string[];
}

/**
 * View-only for the partner's emails: every editor other than the owner (and the account running the
 * sync, which must keep writing) becomes a viewer; missing partner emails are added as viewers.
 * Viewers that are not the partner's are reported, not removed (leadership may have added them).
 * Link sharing («Все, у кого есть ссылка») is a Drive setting the Spreadsheet service cannot read: the
 * README asks leadership to keep partner files «Доступ ограничен».
 */
export function ensureViewOnly(ss: Spreadsheet, emails: string[], runningAs: string): SharingOutcome {
  const out: SharingOutcome = { downgraded: [], added: [], badEmails: [], extraViewers: [] };
  const owner = lower(withRetry(() => ss.getOwner())?.getEmail() ?? '');
  const self = lower(runningAs);
  const editors = withRetry(() => ss.getEditors()).map((u) => lower(u.getEmail()));
  for (const email of editors) {
    if (email === owner || email === self || email === '') continue;
    // Google: removeEditor "also removes the user from the list of viewers" — so the viewer is added after it.
    withRetry(() => ss.removeEditor(email));
    withRetry(() => ss.addViewer(email));
    out.downgraded.push(email);
  }
  const viewers = new Set(withRetry(() => ss.getViewers()).map((u) => lower(u.getEmail())));
  for (const d of out.downgraded) viewers.add(d);
  const wanted = new Set(emails.map(lower));
  for (const email of emails) {
    const e = lower(email);
    if (viewers.has(e) || e === owner || e === self) continue;
    try {
      withRetry(() => ss.addViewer(email));
      viewers.add(e);
      out.added.push(email);
    } catch (error) {
      if (isTransient(error) || !BAD_EMAIL.test(errorMessage(error))) throw error;
      out.badEmails.push(email);
    }
  }
  out.extraViewers = [...viewers].filter((v) => !wanted.has(v) && !out.downgraded.includes(v));
  return out;
}

const lower = (s: string) => s.trim().toLowerCase();

export interface BlockWrite { written: boolean; cleared: boolean }

/**
 * Makes the partner sheet hold exactly `grid` from A1: one read; when different, one write of the block
 * and, when the old content was larger, one clear of what is left over.
 */
export function writePartnerBlock(sheet: Sheet, grid: CellValue[][], formats: PartnerFormats, keys: readonly PartnerFileKey[]): BlockWrite {
  const lastRow = withRetry(() => sheet.getLastRow());
  const lastCol = withRetry(() => sheet.getLastColumn());
  const current = lastRow > 0 && lastCol > 0 ? (withRetry(() => sheet.getRange(1, 1, lastRow, lastCol).getValues()) as unknown[][]) : [];
  if (blockMatches(current, grid)) return { written: false, cleared: false };
  const height = grid.length;
  const width = grid[0].length;
  const maxRows = withRetry(() => sheet.getMaxRows());
  if (height > maxRows) {
    withRetry(() => sheet.insertRowsAfter(maxRows, height - maxRows));
    formatRows(sheet, maxRows + 1, height - maxRows, formats, keys);
  }
  const maxCols = withRetry(() => sheet.getMaxColumns());
  if (width > maxCols) withRetry(() => sheet.insertColumnsAfter(maxCols, width - maxCols));
  const values = blockForWrite(grid);
  withRetry(() => sheet.getRange(1, 1, height, width).setValues(values));
  let cleared = false;
  if (lastRow > height) {
    withRetry(() => sheet.getRange(height + 1, 1, lastRow - height, Math.max(lastCol, width)).clearContent());
    cleared = true;
  }
  if (lastCol > width) {
    withRetry(() => sheet.getRange(1, width + 1, Math.min(lastRow, height), lastCol - width).clearContent());
    cleared = true;
  }
  return { written: true, cleared };
}

