// «Настроить таблицу» from the menu: who may run it is decided before anything changes — a run by
// someone who may not edit the protections would stop half-way (Protection.getEditors throws for them).
import { templateByName } from '../../sheets-templates';
import { isAuthority, setupNeedsOwnerFirst, setupRefusal, type Authority } from '../core/access';
import { formatSetupReport } from '../core/setup-report';
import { readAuthority } from '../gas/access';
import { withScriptLock } from '../gas/lock';
import { PROTECTION_PREFIX } from '../gas/protection';
import { withRetry } from '../gas/retry';
import { runSetup } from './setup';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Why the running user may not set the table up, in Russian; null when they may. Reads only. */
export function setupRefusalFor(ss: Spreadsheet): string | null {
  const a: Authority = readAuthority(ss);
  if (!isAuthority(a, a.me)) return setupRefusal(a);
  if (a.owner !== '' && a.me.trim().toLowerCase() === a.owner.trim().toLowerCase()) return null; // the owner may edit every protection
  const locked = lockedSheets(ss);
  return locked.length ? setupNeedsOwnerFirst(a, locked) : null;
}

/**
 * Sheets with a protection setup adjusts that the running user may not edit: ours, or an unnamed one on
 * a sheet setup protects (a run stopped before naming it; setup adopts it). The team's own are left alone.
 */
function lockedSheets(ss: Spreadsheet): string[] {
  const names = new Set<string>();
  for (const type of [SpreadsheetApp.ProtectionType.SHEET, SpreadsheetApp.ProtectionType.RANGE]) {
    for (const p of withRetry(() => ss.getProtections(type))) {
      const d = withRetry(() => p.getDescription());
      if (d !== '' && !d.startsWith(PROTECTION_PREFIX)) continue;
      const sheet = withRetry(() => p.getRange().getSheet().getName());
      if (d === '' && !setupProtects(sheet)) continue;
      if (!withRetry(() => p.canEdit())) names.add(sheet);
    }
  }
  return [...names];
}

function setupProtects(sheetName: string): boolean {
  const def = templateByName(sheetName);
  return def !== undefined && (def.protect !== 'everyone' || def.columns.some((c) => c.edit !== 'everyone'));
}

export function setupMessage(): string {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  return withScriptLock(() => setupRefusalFor(ss) ?? formatSetupReport(runSetup(ss)));
}
