// «Синхронизировать партнёров»: «Аналитика» → «Аффилейты» (the single source of truth) → one view-only
// spreadsheet per active partner. Reads each sheet once, computes in src/core/partners, writes only the
// changed master columns, one block per partner file, and logs every change to «Журнал». A fault with one
// partner is reported by name and the others still sync. Running it twice changes nothing.
import { templateByKey } from '../../sheets-templates';
import { numberFormatFor } from '../../sheets-templates/schema';
import type { CellValue } from '../core/analytics';
import { columnLetter } from '../core/header-map';
import { formatRuDate, MOSCOW, toLocalDate } from '../core/dates';
import type { JournalEntry } from '../core/journal';
import {
  ANALYTICS_LEAD_KEYS, assignRows, buildDirectory, buildPartnerBlock, collectLeads, MASTER_KEYS, partnerMsg, planMaster, PARTNER_FILE_KEYS,
  type AnalyticsLeadRow, type MasterRow, type MasterRowState, type PartnerEntry, type PartnerFileKey,
} from '../core/partners';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import { withCurrency } from '../core/text';
import { flushJournalQueue } from '../gas/journal-queue';
import {
  createPartnerFile, ensureViewOnly, forgetUnlinkedFile, openPartnerFile, openPartnerFileById, partnerSheet, rememberUnlinkedFile, spreadsheetUrl,
  unlinkedFile, UnlinkedFileError, writePartnerBlock, type OpenFailure, type PartnerFile, type PartnerFormats,
} from '../gas/partners';
import { errorMessage, withRetry } from '../gas/retry';
import { findSheet } from '../gas/sheets';
import { assertHeaders, cellWriter, hasColumns, readTable, rowObject, writeChanges, type Table, type TableChanges } from '../gas/table';
import type { JobClock } from './analytics';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

const ANALYTICS = templateByKey('analytics');
const AFFILIATES = templateByKey('affiliates');
const PARTNERS = templateByKey('partners');
const PROMO_CODES = templateByKey('promoCodes');
/** The «Промокоды» columns the sync reads (buildDirectory). */
const PROMO_KEYS = ['code', 'partner'] as const;

export type PartnerFileStatus = 'created' | 'updated' | 'unchanged' | 'failed' | 'inactive';

export interface PartnerFileReport {
  partner: string;
  status: PartnerFileStatus;
  rows: number;
  totalPaid: number;
  totalCommission: number;
  url: string;
}

export interface PartnerSyncReport {
  /** Paid leads attributed to a partner in «Аналитика». */
  leads: number;
  added: number;
  changedCells: number;
  withdrawn: number;
  handRows: number;
  skippedStale: number;
  partners: PartnerFileReport[];
  /** Everything a person should look at, in Russian, each naming the partner or row. */
  problems: string[];
  missingSheet?: string;
}

/**
 * Headers of the partner file: the master template's, minus «Партнёр» and the key; money columns name
 * the currency of «Настройки» («Оплата EUR»), as every other amount the product shows does.
 */
export function partnerFileHeaders(currency: string = DEFAULT_SETTINGS.currency): Record<PartnerFileKey, string> {
  const out = {} as Record<PartnerFileKey, string>;
  for (const k of PARTNER_FILE_KEYS) {
    const c = AFFILIATES.columns.find((x) => x.key === k)!;
    out[k] = c.type === 'money' ? withCurrency(c.header, currency) : c.header;
  }
  return out;
}

function partnerFileFormats(): PartnerFormats {
  const out: PartnerFormats = {};
  for (const k of PARTNER_FILE_KEYS) {
    const column = AFFILIATES.columns.find((c) => c.key === k)!;
    // A partner reads «15,0 %», not a bare 15 (the cell holds a number of percent, so no «%» format).
    const fmt = column.type === 'percent' ? `${numberFormatFor(column) ?? '0.0'}" %"` : numberFormatFor(column);
    // Text columns stay «Automatic»: strings are kept literal by partnerCell instead of a '@' format.
    if (fmt && fmt !== '@') out[k] = fmt;
  }
  return out;
}

function emptyReport(missing?: string): PartnerSyncReport {
  return { leads: 0, added: 0, changedCells: 0, withdrawn: 0, handRows: 0, skippedStale: 0, partners: [], problems: [], missingSheet: missing };
}

function tableOf(ss: Spreadsheet, def: typeof ANALYTICS, keys?: readonly string[]): Table | null {
  const sheet = findSheet(ss, def);
  return sheet ? readTable(sheet, def, keys) : null;
}

export interface PartnerSyncOptions {
  /** «Аналитика» as already read by the same run (the morning tick shares one read between its jobs). */
  analytics?: Table | null;
}

/**
 * The whole sync. The caller holds the script lock (the menu entry and the schedule's tick do);
 * `settings`: the currency the partner files' money headers name.
 */
export function runPartnerSync(ss: Spreadsheet, clock: JobClock, settings?: Settings, opts: PartnerSyncOptions = {}): PartnerSyncReport {
  // Only the «Аналитика» columns a lead needs, or the morning tick's shared read of them.
  const analytics = opts.analytics && hasColumns(opts.analytics, ANALYTICS_LEAD_KEYS)
    ? opts.analytics
    : tableOf(ss, ANALYTICS, ANALYTICS_LEAD_KEYS);
  if (!analytics) return emptyReport(ANALYTICS.name);
  const master = tableOf(ss, AFFILIATES);
  if (!master) return emptyReport(AFFILIATES.name);
  const partnersTable = tableOf(ss, PARTNERS);
  if (!partnersTable) return emptyReport(PARTNERS.name);
  const promoTable = tableOf(ss, PROMO_CODES);

  // Before anything is written anywhere: a missing or repeated header of a column the sync reads or writes
  // would blank names in «Аффилейты» and every partner file. The same check and message as the recalculation.
  assertHeaders(analytics, ANALYTICS_LEAD_KEYS);
  assertHeaders(master, MASTER_KEYS);
  assertHeaders(partnersTable);
  if (promoTable) assertHeaders(promoTable, PROMO_KEYS);

  const report = emptyReport();

  const today = toLocalDate(clock.now, MOSCOW);
  const entries: JournalEntry[] = [];
  const log = (sheet: string, cell: string, before: unknown, after: unknown) =>
    entries.push({ at: clock.now, user: clock.user, sheet, cell, before, after, source: 'sync' });

  // ---- pure: who is whose, and the master diff
  const partnerRows = partnersTable.rows.map((r) => rowObject(partnersTable, r));
  const promoRows = promoTable ? promoTable.rows.map((r) => rowObject(promoTable, r)) : [];
  const dir = buildDirectory(partnerRows, promoRows);
  const leadRows: AnalyticsLeadRow[] = analytics.rows.map((values, i) => {
    const r = rowObject(analytics, values);
    return {
      rowNumber: analytics.firstRow + i, name: r.name, username: r.username, promoCode: r.promoCode, partner: r.partner,
      stagePaid: r.stagePaid, paidAmount: r.paidAmount, individualNumber: r.individualNumber, projectInfo: r.projectInfo,
    };
  });
  const leads = collectLeads(leadRows, dir, MOSCOW, today);
  report.leads = leads.leads.length;
  report.problems.push(...dir.problems, ...leads.problems);

  const keyCol = master.headers.index.get('individualNumber')!;
  const keyNotes = master.rows.length > 0
    ? (withRetry(() => master.sheet.getRange(master.firstRow, keyCol + 1, master.rows.length, 1).getNotes()) as string[][]).map((r) => r[0] ?? '')
    : [];
  const masterRows = master.rows.map((r) => rowObject(master, r) as MasterRow);
  const plan = planMaster({ rows: masterRows, keyNotes, firstRow: master.firstRow }, leads.byKey, leads.leads, dir, formatRuDate(today));
  report.problems.push(...plan.problems);
  report.withdrawn = plan.counts.withdrawn;
  report.handRows = plan.counts.handRows;

  // ---- master writes: changed columns (compare-and-set), key-cell notes, appended rows
  const changes: TableChanges = new Map();
  for (const [index, update] of plan.updates) {
    changes.set(index, update as Record<string, CellValue>);
    for (const [key, value] of Object.entries(update)) {
      const col = master.headers.index.get(key);
      if (col === undefined) continue;
      log(AFFILIATES.name, `${columnLetter(col + 1)}${master.firstRow + index}`, master.rows[index][col] ?? '', value);
    }
  }
  const written = writeChanges(master, changes);
  report.changedCells = written.cellsChanged;
  report.skippedStale = written.skippedStale;
  if (written.skippedStale > 0) report.problems.push(partnerMsg.staleCells(written.skippedStale));

  if (plan.notes.size > 0) {
    const indexes = [...plan.notes.keys()].sort((a, b) => a - b);
    const first = indexes[0];
    const last = indexes[indexes.length - 1];
    const span = keyNotes.slice(first, last + 1).map((n, i) => [plan.notes.get(first + i) ?? n]);
    withRetry(() => master.sheet.getRange(master.firstRow + first, keyCol + 1, span.length, 1).setNotes(span));
    for (const i of indexes) log(AFFILIATES.name, `${columnLetter(keyCol + 1)}${master.firstRow + i}`, `заметка: ${keyNotes[i]}`, `заметка: ${plan.notes.get(i)}`);
  }

  const appendedAt = appendRows(master, plan.appends);
  report.added = plan.appends.length;
  plan.appends.forEach((row, i) => {
    const rowNumber = appendedAt + i;
    log(AFFILIATES.name, `A${rowNumber}:${columnLetter(Math.max(master.headers.width, 1))}${rowNumber}`, '', `${row.name || row.telegram} (${row.individualNumber}) → ${row.partner}`);
  });

  // ---- partner files, each on its own: a fault is reported by name and the next partner goes on
  const states: MasterRowState[] = master.rows.map((values, i) => ({
    row: rowObject(master, values) as MasterRow, rowNumber: master.firstRow + i, withdrawn: plan.withdrawn.has(i),
  }));
  plan.appends.forEach((row, i) => states.push({ row, rowNumber: appendedAt + i, withdrawn: false }));
  const assignment = assignRows(states, dir);
  report.problems.push(...assignment.problems);

  const headers = partnerFileHeaders(settings?.currency);
  const formats = partnerFileFormats();
  const partnerChanges: TableChanges = new Map();
  const usedFiles = new Map<string, string>();
  const mainId = withRetry(() => ss.getId());
  let self = '';
  try { self = withRetry(() => Session.getEffectiveUser().getEmail()); } catch { /* unknown: nobody is spared */ }
  const ordered = [...dir.partners.values()].sort((a, b) => a.index - b.index);
  for (const partner of ordered) {
    const rows = assignment.byPartner.get(partner.key) ?? [];
    const block = buildPartnerBlock(rows, headers);
    const base: PartnerFileReport = { partner: partner.name, status: 'inactive', rows: block.rows, totalPaid: block.totalPaid, totalCommission: block.totalCommission, url: partner.sheetUrl };
    if (!partner.active) { report.partners.push(base); continue; }
    try {
      const saveLink = (url: string) => {
        // Written at once, before the file is shared or filled: the next run finds this file, never makes another.
        const col = partnersTable.headers.index.get('sheetUrl')!;
        log(PARTNERS.name, `${columnLetter(col + 1)}${partnersTable.firstRow + partner.index}`, partnersTable.rows[partner.index][col] ?? '', url);
        writeChanges(partnersTable, new Map([[partner.index, { sheetUrl: url }]]));
      };
      base.status = syncPartnerFile(partner, block.grid, { mainId, self, usedFiles, formats, problems: report.problems, log, saveLink }, (url) => { base.url = url; });
    } catch (error) {
      base.status = 'failed';
      report.problems.push(partnerMsg.partnerFailed(partner.name, errorMessage(error)));
    }
    // A file created before a later step failed keeps its link, so the next run does not create another.
    const update: Record<string, CellValue> = {};
    if (base.url !== partner.sheetUrl) update.sheetUrl = base.url;
    const lastSyncCol = partnersTable.headers.index.get('lastSync');
    const neverSynced = lastSyncCol !== undefined && (partnersTable.rows[partner.index]?.[lastSyncCol] ?? '') === '';
    if (base.status === 'created' || base.status === 'updated' || (base.status === 'unchanged' && neverSynced)) update.lastSync = clock.now;
    if (Object.keys(update).length > 0) partnerChanges.set(partner.index, update);
    report.partners.push(base);
  }
  for (const [index, update] of partnerChanges) {
    for (const [key, value] of Object.entries(update)) {
      const col = partnersTable.headers.index.get(key);
      if (col === undefined || partnersTable.rows[index][col] === value) continue; // a link saved at creation
      log(PARTNERS.name, `${columnLetter(col + 1)}${partnersTable.firstRow + index}`, partnersTable.rows[index][col] ?? '', value);
    }
  }
  writeChanges(partnersTable, partnerChanges);
  flushJournalQueue(ss, MOSCOW, entries);
  return report;
}

/** Appends rows under the last row with content (read again now, so nothing typed meanwhile is hit). */
function appendRows(table: Table, rows: MasterRow[]): number {
  const sheet = table.sheet;
  const lastRow = Math.max(withRetry(() => sheet.getLastRow()), table.headerRow);
  if (rows.length === 0) return lastRow + 1;
  const width = Math.max(table.headers.width, ...MASTER_KEYS.map((k) => (table.headers.index.get(k) ?? 0) + 1));
  const write = cellWriter(table.def, table.headers);
  const out = rows.map((row) => {
    const line: unknown[] = new Array(width).fill('');
    for (const k of MASTER_KEYS) {
      const i = table.headers.index.get(k);
      if (i !== undefined) line[i] = write(i, row[k]);
    }
    return line;
  });
  const maxRows = withRetry(() => sheet.getMaxRows());
  if (lastRow + out.length > maxRows) withRetry(() => sheet.insertRowsAfter(maxRows, lastRow + out.length - maxRows));
  withRetry(() => sheet.getRange(lastRow + 1, 1, out.length, width).setValues(out));
  return lastRow + 1;
}

const FAILURE_MESSAGE: Record<Exclude<OpenFailure, 'empty'>, (partner: string, link: string) => string> = {
  badLink: (p, link) => partnerMsg.fileBadLink(p, link),
  missing: (p) => partnerMsg.fileMissing(p),
  main: (p) => partnerMsg.fileIsMain(p),
};

interface FileContext {
  mainId: string;
  /** The account running the sync: it must keep edit access to the files it writes. */
  self: string;
  usedFiles: Map<string, string>;
  formats: PartnerFormats;
  problems: string[];
  log: (sheet: string, cell: string, before: unknown, after: unknown) => void;
  /** Stores the link of a file just created in «Партнёры». */
  saveLink: (url: string) => void;
}

function syncPartnerFile(partner: PartnerEntry, grid: CellValue[][], ctx: FileContext, onFile: (url: string) => void): PartnerFileStatus {
  const { mainId, usedFiles, formats, problems, log } = ctx;
  const title = partnerMsg.partnerFileName(partner.name);
  let opened = openPartnerFile(partner.sheetUrl, mainId);
  if (typeof opened !== 'string' && usedFiles.has(opened.id)) {
    // Two partners pointing at one file would show one partner's clients to the other.
    problems.push(partnerMsg.fileShared(partner.name, usedFiles.get(opened.id)!));
    opened = 'empty';
  } else if (typeof opened === 'string' && opened !== 'empty') {
    problems.push(FAILURE_MESSAGE[opened](partner.name, partner.sheetUrl));
  }
  const created = typeof opened === 'string';
  const file: PartnerFile = typeof opened === 'string' ? newPartnerFile(partner, title, ctx) : opened;
  usedFiles.set(file.id, partner.name);
  onFile(file.url);

  // Before sharing: a file whose first run stopped halfway is completed here, not shown half-made.
  const sheet = partnerSheet(file.ss, formats, PARTNER_FILE_KEYS);
  if (partner.emails.length === 0) problems.push(partnerMsg.noEmails(partner.name));
  const sharing = ensureViewOnly(file.ss, partner.emails, ctx.self);
  for (const email of sharing.downgraded) {
    problems.push(partnerMsg.editorDowngraded(partner.name, email));
    log(title, 'доступ', `${email}: редактор`, `${email}: просмотр`);
  }
  for (const email of sharing.added) log(title, 'доступ', '', `${email}: просмотр`);
  for (const email of sharing.badEmails) problems.push(partnerMsg.badPartnerEmail(partner.name, email));
  if (sharing.extraViewers.length > 0) problems.push(partnerMsg.extraViewers(partner.name, sharing.extraViewers));

  const write = writePartnerBlock(sheet, grid, formats, PARTNER_FILE_KEYS);
  if (write.written) log(title, `A1:${columnLetter(grid[0].length)}${grid.length}`, '', `клиентов: ${grid.length - 3}`);
  const changed = created || write.written || sharing.downgraded.length > 0 || sharing.added.length > 0;
  return created ? 'created' : changed ? 'updated' : 'unchanged';
}

/**
 * The partner's new file, its link stored in «Партнёры» at once (before it is laid out, shared or filled),
 * so the next run finds this file and never makes another. The app cannot move a file to the trash (that
 * needs Drive access to every file), so a file it made but could not link is remembered and reused by the
 * next run; when even that fails, the report names the file for leadership to delete.
 */
function newPartnerFile(partner: PartnerEntry, title: string, ctx: FileContext): PartnerFile {
  const remembered = unlinkedFile(partner.key);
  let file: PartnerFile | 'missing' = remembered ? openPartnerFileById(remembered) : 'missing';
  if (file !== 'missing' && (file.id === ctx.mainId || ctx.usedFiles.has(file.id))) file = 'missing';
  const fresh = file === 'missing';
  if (file === 'missing') {
    try {
      file = createPartnerFile(title);
    } catch (error) {
      if (error instanceof UnlinkedFileError) keepUnlinked(partner, title, error.id, ctx.problems);
      throw error;
    }
  }
  try {
    ctx.saveLink(file.url);
  } catch (error) {
    if (fresh) keepUnlinked(partner, title, file.id, ctx.problems); // a reused file is still remembered
    throw error;
  }
  if (remembered) forgetUnlinkedFile(partner.key);
  ctx.log(title, 'файл', '', `создан: ${file.url}`);
  return file;
}

/** A file this run made but could not link: remembered for the next run, or named for leadership to delete. */
function keepUnlinked(partner: PartnerEntry, title: string, id: string | null, problems: string[]): void {
  if (id !== null && rememberUnlinkedFile(partner.key, id)) return;
  problems.push(partnerMsg.unlinkedFile(partner.name, title, id === null ? null : spreadsheetUrl(id)));
}
