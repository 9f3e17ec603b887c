// Partner files over Drive and Sheets: find a partner's spreadsheet from its link, create it when
// missing, keep it shared view-only with the partner, and write its block in one call.
import { blockForWrite, blockMatches, PARTNER_FILE_SHEET, type PartnerFileKey } from '../core/partners';
import type { CellValue } from '../core/analytics';
import { errorMessage, isTransient, withRetry } from './retry';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type File = GoogleAppsScript.Drive.File;

export interface PartnerFile { ss: Spreadsheet; file: File; id: string; url: string }

/** Why a link does not lead to a usable partner file. */
export type OpenFailure = 'empty' | 'badLink' | 'missing' | 'trashed' | 'main';

/** The file id inside a Sheets/Drive link (or a bare id); null when the text is neither. */
export function fileIdFromLink(link: string): string | null {
  const text = link.trim();
  if (text === '') return null;
  const m = /\/d\/([A-Za-z0-9_-]{10,})/.exec(text) ?? /[?&]id=([A-Za-z0-9_-]{10,})/.exec(text);
  if (m) return m[1];
  return /^[A-Za-z0-9_-]{25,}$/.test(text) ? text : null;
}

/** Errors that mean the file is gone or out of reach; anything else fails the partner (and is retried). */
const NOT_THERE = /could be found|not found|is missing|deleted|does not exist|permission|access/i;
/** Errors that mean Drive refused the address itself. */
const BAD_EMAIL = /invalid|email|argument/i;

export function openPartnerFile(link: string, mainId: string): PartnerFile | OpenFailure {
  if (link.trim() === '') return 'empty';
  const id = fileIdFromLink(link);
  if (!id) return 'badLink';
  if (id === mainId) return 'main';
  let file: File;
  try {
    file = withRetry(() => DriveApp.getFileById(id));
  } catch (error) {
    if (isTransient(error) || !NOT_THERE.test(errorMessage(error))) throw error;
    return 'missing';
  }
  if (withRetry(() => file.isTrashed())) return 'trashed';
  let ss: Spreadsheet;
  try {
    ss = withRetry(() => SpreadsheetApp.openById(id));
  } catch (error) {
    if (isTransient(error) || !NOT_THERE.test(errorMessage(error))) throw error;
    return 'missing';
  }
  return { ss, file, id, url: withRetry(() => ss.getUrl()) };
}

/** Number formats of the partner file's value columns (text columns stay «Automatic»: see partnerCell). */
export type PartnerFormats = Partial<Record<PartnerFileKey, string>>;

/**
 * A new partner spreadsheet: one sheet «Клиенты», header frozen, number formats set. A failure after the
 * file exists moves it to the trash (best effort), so a retry never leaves a half-made file behind.
 */
export function createPartnerFile(title: string, formats: PartnerFormats, keys: readonly PartnerFileKey[]): PartnerFile {
  const ss = withRetry(() => SpreadsheetApp.create(title));
  let id = '';
  try {
    id = withRetry(() => ss.getId());
    const sheet = withRetry(() => ss.getSheets()[0]);
    withRetry(() => sheet.setName(PARTNER_FILE_SHEET));
    withRetry(() => sheet.setFrozenRows(1));
    formatRows(sheet, 2, withRetry(() => sheet.getMaxRows()) - 1, formats, keys);
    const file = withRetry(() => DriveApp.getFileById(id));
    return { ss, file, id, url: withRetry(() => ss.getUrl()) };
  } catch (error) {
    discardPartnerFile(id || null, ss);
    throw error;
  }
}

/** Moves a file the sync has just made (and not yet shared) to the trash; best effort. */
export function discardPartnerFile(id: string | null, ss?: Spreadsheet): void {
  try {
    const fileId = id ?? withRetry(() => ss!.getId());
    withRetry(() => DriveApp.getFileById(fileId).setTrashed(true));
  } catch {
    // The caller reports the original failure; an empty private file is all that can remain.
  }
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
  linkShared: boolean;
}

/**
 * View-only for the partner's emails: every editor other than the owner (and the account running the
 * sync, which must keep writing) becomes a viewer; missing partner emails are added as viewers.
 * Viewers that are not the partner's are reported, not removed (leadership may have added them).
 */
export function ensureViewOnly(file: File, emails: string[], runningAs: string): SharingOutcome {
  const out: SharingOutcome = { downgraded: [], added: [], badEmails: [], extraViewers: [], linkShared: false };
  const owner = lower(withRetry(() => file.getOwner())?.getEmail() ?? '');
  const self = lower(runningAs);
  const editors = withRetry(() => file.getEditors()).map((u) => lower(u.getEmail()));
  for (const email of editors) {
    if (email === owner || email === self || email === '') continue;
    withRetry(() => file.removeEditor(email));
    withRetry(() => file.addViewer(email));
    out.downgraded.push(email);
  }
  const viewers = new Set(withRetry(() => file.getViewers()).map((u) => lower(u.getEmail())));
  for (const d of out.downgraded) viewers.add(d);
  const wanted = new Set(emails.map(lower));
  for (const email of emails) {
    const e = lower(email);
    if (viewers.has(e) || e === owner || e === self) continue;
    try {
      withRetry(() => file.addViewer(email));
      viewers.add(e);
      out.added.push(email);
    } catch (error) {
      if (isTransient(error) || !BAD_EMAIL.test(errorMessage(error))) throw error;
      out.badEmails.push(email);
    }
  }
  out.extraViewers = [...viewers].filter((v) => !wanted.has(v) && !out.downgraded.includes(v));
  const access = String(withRetry(() => file.getSharingAccess()));
  out.linkShared = access !== 'PRIVATE';
  return out;
}

const lower = (s: string) => s.trim().toLowerCase();

export interface BlockWrite { written: boolean; cleared: boolean }

/**
 * Makes the partner sheet hold exactly `grid` from A1: one read; when different, one write of the block
 * and, when the old content was larger, one clear of what is left over.
 */
export function writePartnerBlock(ss: Spreadsheet, grid: CellValue[][], formats: PartnerFormats, keys: readonly PartnerFileKey[]): BlockWrite {
  const sheet = withRetry(() => ss.getSheetByName(PARTNER_FILE_SHEET)) ?? withRetry(() => ss.getSheets()[0]);
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

