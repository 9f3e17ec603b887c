// Protections. Leadership-only sheets and columns, and the sheets only the script writes («Журнал» and
// its archive), are editable by exactly the owner and the leadership emails of «Настройки»: every other
// editor is removed, domain edit is off, and the editor list is explicit — a protection Google creates
// mirrors the file's editors, so it would let in anyone added later. Columns the script computes on a
// manager's edit get warning-only protection: `onEdit` runs as the manager, and a hard lock would stop
// the script's own writes there.
import { SHEET_TEMPLATES } from '../../sheets-templates';
import type { EditRole } from '../../sheets-templates/schema';
import type { SheetDef } from '../../sheets-templates/schema';
import { mapHeaders } from '../core/header-map';
import { authorityEmails, describeAccess, emptyAccessSummary, type AccessSummary } from '../core/access';
import { withRetry } from '../gas/retry';
import { ARCHIVE_SHEET } from '../gas/journal';
import { pinProtection } from '../gas/protection';
import type { SetupReport } from '../core/setup-report';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Protection = GoogleAppsScript.Spreadsheet.Protection;

export interface ProtectionPolicy { leadership: string[]; owner: string; prefix: string }

/**
 * Protections whose editor list this product has set (sheet id : sheet or column key). Google cannot
 * tell an explicit list from a mirrored one when they hold the same people, so the first run names the
 * editors of each protection once; later runs compare and change only what differs.
 */
const PINNED_KEY = 'setup:pinnedProtections';

interface Run {
  policy: ProtectionPolicy;
  wanted: string[];
  report: SetupReport;
  pinned: Set<string>;
  newlyPinned: string[];
  access: AccessSummary;
}

/** `sheetByKey`: only sheets setup may change; `headerRows`: their header rows (readHeaders). */
export function applyProtections(sheetByKey: Map<string, Sheet>, headerRows: ReadonlyMap<string, number>, policy: ProtectionPolicy, report: SetupReport): void {
  let wanted = authorityEmails(policy);
  // A file Google names no owner for, with no leadership yet: the person running setup keeps it.
  if (wanted.length === 0) wanted = [withRetry(() => Session.getEffectiveUser().getEmail()).toLowerCase()].filter(Boolean);
  if (policy.leadership.length === 0) {
    report.warnings.push(`В «Настройки» → «Email руководства» никто не указан: защищённые листы и колонки может менять только владелец таблицы (${policy.owner || 'адрес Google не сообщает'}). Впишите адреса руководства и снова запустите «Настроить таблицу».`);
  }
  const props = PropertiesService.getDocumentProperties();
  const stored = withRetry(() => props.getProperty(PINNED_KEY));
  const run: Run = { policy, wanted, report, pinned: new Set(parsePinned(stored)), newlyPinned: [], access: emptyAccessSummary() };
  for (const def of SHEET_TEMPLATES) {
    const sheet = sheetByKey.get(def.key);
    if (!sheet) continue;
    if (def.protect !== 'everyone') protectSheet(sheet, def.name, def.protect, run);
    else if (def.kind === 'table') protectColumns(sheet, def, headerRows.get(def.key) ?? def.headerRow, run);
  }
  // The journal archive is created by the daily sweep, not by a template; it is the log's history.
  const any = sheetByKey.values().next().value as Sheet | undefined;
  const archive = any ? withRetry(() => any.getParent().getSheetByName(ARCHIVE_SHEET)) : null;
  if (archive) protectSheet(archive, ARCHIVE_SHEET, 'system', run);
  if (run.newlyPinned.length) withRetry(() => props.setProperty(PINNED_KEY, JSON.stringify([...run.pinned, ...run.newlyPinned])));
  report.access = describeAccess(run.access, policy);
}

/** A damaged marker only means every protection is named again. */
function parsePinned(stored: string | null): string[] {
  try {
    const list = stored ? (JSON.parse(stored) as unknown) : [];
    return Array.isArray(list) ? list.map(String) : [];
  } catch {
    return [];
  }
}

function ours(p: Protection, prefix: string): boolean {
  return p.getDescription().startsWith(prefix);
}

/**
 * A new protection named ours. Created and named in two retried steps; a run stopped between them
 * leaves an unnamed protection, which the next run adopts (see `unnamed`) instead of adding another.
 */
function createProtection(make: () => Protection, description: string): Protection {
  const p = withRetry(make);
  withRetry(() => p.setDescription(description));
  return p;
}

function unnamed(list: Protection[]): Protection[] {
  return list.filter((p) => p.getDescription() === '');
}

function protectSheet(sheet: Sheet, name: string, role: EditRole, run: Run): void {
  const all = withRetry(() => sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET));
  const description = `${run.policy.prefix}лист «${name}»`;
  const existing = all.filter((p) => ours(p, run.policy.prefix));
  let protection = existing[0];
  let fresh = false;
  if (!protection) {
    const orphan = unnamed(all)[0];
    if (orphan) withRetry(() => orphan.setDescription(description));
    protection = orphan ?? createProtection(() => sheet.protect(), description);
    fresh = true;
  }
  enforce(protection, role, `${sheet.getSheetId()}:sheet`, fresh, run);
  if (role === 'leadership') run.access.leadershipSheets.push(name);
  else if (role === 'system') run.access.systemSheets.push(name);
}

function protectColumns(sheet: Sheet, def: SheetDef, headerRow: number, run: Run): void {
  const guarded = def.columns.filter((c) => c.edit !== 'everyone');
  if (guarded.length === 0) return;
  const { policy, report } = run;
  const lastColumn = withRetry(() => sheet.getLastColumn());
  const map = mapHeaders(withRetry(() => sheet.getRange(headerRow, 1, 1, Math.max(1, lastColumn)).getValues()[0]), def.columns);
  const all = withRetry(() => sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE));
  const existing = all.filter((p) => ours(p, policy.prefix));
  let orphans: Protection[] | null = null;
  const height = Math.max(1, sheet.getMaxRows() - headerRow);
  const warned: string[] = [];
  for (const column of guarded) {
    const i = map.index.get(column.key);
    if (i === undefined) continue;
    const description = `${policy.prefix}колонка «${column.header}»`;
    const range = sheet.getRange(headerRow + 1, i + 1, height, 1);
    let protection = existing.find((p) => p.getDescription() === description);
    let fresh = false;
    if (!protection) {
      orphans ??= unnamed(all);
      const a1 = range.getA1Notation();
      const orphan = orphans.find((p) => p.getRange().getA1Notation() === a1);
      if (orphan) withRetry(() => orphan.setDescription(description));
      protection = orphan ?? createProtection(() => range.protect(), description);
      fresh = true;
    } else if (protection.getRange().getA1Notation() !== range.getA1Notation()) {
      protection.setRange(range);
      report.adjustments++;
    }
    enforce(protection, column.edit, `${sheet.getSheetId()}:${column.key}`, fresh, run);
    if (column.edit === 'script') warned.push(`«${column.header}»`);
    else run.access.leadershipColumns.push(`«${column.header}» (лист «${def.name}»)`);
  }
  if (warned.length) run.access.warnedColumns.push(`«${def.name}»: ${warned.join(', ')}`);
}

function enforce(p: Protection, role: EditRole, key: string, fresh: boolean, run: Run): void {
  const { report, wanted } = run;
  if (role === 'script') {
    if (!p.isWarningOnly()) { p.setWarningOnly(true); report.adjustments++; }
    return;
  }
  if (p.isWarningOnly()) { p.setWarningOnly(false); report.adjustments++; }
  if (fresh || !run.pinned.has(key)) {
    // Names the editors once: from now on the list is the protection's own, not the file's.
    pinProtection(p, wanted);
    report.adjustments++;
    if (!run.pinned.has(key)) run.newlyPinned.push(key);
  } else if (p.canDomainEdit()) {
    p.setDomainEdit(false);
    report.adjustments++;
  }
  const current = p.getEditors().map((u) => u.getEmail().toLowerCase());
  // Google keeps the owner and the running user in every protection; leadership runs setup, so both are wanted.
  const extra = current.filter((e) => !wanted.includes(e));
  const missing = wanted.filter((e) => !current.includes(e));
  if (extra.length) { p.removeEditors(extra); report.adjustments++; }
  if (missing.length) { p.addEditors(missing); report.adjustments++; }
}
