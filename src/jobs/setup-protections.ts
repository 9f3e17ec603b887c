// Protections: leadership-only sheets and columns are editable only by the leadership emails of
// «Настройки» and the owner. Columns and sheets the script computes get warning-only protection:
// edits run the script as the editing user, so a hard lock would also stop the script's own writes.
import { SHEET_TEMPLATES } from '../../sheets-templates';
import type { SheetDef } from '../../sheets-templates/schema';
import { mapHeaders } from '../core/header-map';
import { withRetry } from '../gas/retry';
import type { SetupReport } from '../core/setup-report';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Protection = GoogleAppsScript.Spreadsheet.Protection;

export interface ProtectionPolicy { leadership: string[]; owner: string; prefix: string }

export function applyProtections(sheetByKey: Map<string, Sheet>, policy: ProtectionPolicy, report: SetupReport): void {
  if (policy.leadership.length === 0) {
    report.warnings.push('В «Настройках» не указаны emails руководства: защищённые листы и колонки сможет менять только владелец таблицы.');
  }
  for (const def of SHEET_TEMPLATES) {
    const sheet = sheetByKey.get(def.key);
    if (!sheet) continue;
    if (def.protect !== 'everyone') protectSheet(sheet, def, policy, report);
    else if (def.kind === 'table') protectColumns(sheet, def, policy, report);
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

function protectSheet(sheet: Sheet, def: SheetDef, policy: ProtectionPolicy, report: SetupReport): void {
  const all = withRetry(() => sheet.getProtections(SpreadsheetApp.ProtectionType.SHEET));
  const description = `${policy.prefix}лист «${def.name}»`;
  const existing = all.filter((p) => ours(p, policy.prefix));
  let protection = existing[0];
  if (!protection) {
    const orphan = unnamed(all)[0];
    if (orphan) withRetry(() => orphan.setDescription(description));
    protection = orphan ?? createProtection(() => sheet.protect(), description);
  }
  enforce(protection, def.protect === 'script', policy, report);
}

function protectColumns(sheet: Sheet, def: SheetDef, policy: ProtectionPolicy, report: SetupReport): void {
  const guarded = def.columns.filter((c) => c.edit !== 'everyone');
  if (guarded.length === 0) return;
  const lastColumn = withRetry(() => sheet.getLastColumn());
  const map = mapHeaders(withRetry(() => sheet.getRange(def.headerRow, 1, 1, Math.max(1, lastColumn)).getValues()[0]), def.columns);
  const all = withRetry(() => sheet.getProtections(SpreadsheetApp.ProtectionType.RANGE));
  const existing = all.filter((p) => ours(p, policy.prefix));
  let orphans: Protection[] | null = null;
  const height = Math.max(1, sheet.getMaxRows() - def.headerRow);
  for (const column of guarded) {
    const i = map.index.get(column.key);
    if (i === undefined) continue;
    const description = `${policy.prefix}колонка «${column.header}»`;
    const range = sheet.getRange(def.headerRow + 1, i + 1, height, 1);
    let protection = existing.find((p) => p.getDescription() === description);
    if (!protection) {
      orphans ??= unnamed(all);
      const a1 = range.getA1Notation();
      const orphan = orphans.find((p) => p.getRange().getA1Notation() === a1);
      if (orphan) withRetry(() => orphan.setDescription(description));
      protection = orphan ?? createProtection(() => range.protect(), description);
    } else if (protection.getRange().getA1Notation() !== range.getA1Notation()) {
      protection.setRange(range);
      report.adjustments++;
    }
    enforce(protection, column.edit === 'script', policy, report);
  }
}

function enforce(p: Protection, warningOnly: boolean, policy: ProtectionPolicy, report: SetupReport): void {
  if (warningOnly) {
    if (!p.isWarningOnly()) { p.setWarningOnly(true); report.adjustments++; }
    return;
  }
  if (p.isWarningOnly()) { p.setWarningOnly(false); report.adjustments++; }
  if (p.canDomainEdit()) { p.setDomainEdit(false); report.adjustments++; }
  const wanted = new Set([...policy.leadership, policy.owner].filter(Boolean).map((e) => e.toLowerCase()));
  const current = p.getEditors().map((u) => u.getEmail().toLowerCase());
  const extra = current.filter((e) => !wanted.has(e) && e !== policy.owner.toLowerCase());
  const missing = [...wanted].filter((e) => !current.includes(e));
  if (extra.length) { p.removeEditors(extra); report.adjustments++; }
  if (missing.length) { p.addEditors(missing); report.adjustments++; }
}
