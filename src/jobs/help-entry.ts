// The menu and «Справка» with the times and day counts of «Настройки». onOpen is a simple trigger
// (LIMITED mode): reading the bound spreadsheet is allowed, so it reads «Настройки» once — a missing or
// unreadable sheet leaves the defaults, never a spreadsheet without its menu.
import { renderHelpHtml } from '../core/help';
import { menuEntries } from '../core/menu';
import { DEFAULT_SETTINGS, type Settings } from '../core/settings';
import { withRetry } from '../gas/retry';
import { loadSettings } from '../gas/settings';
import { buildMenu, showHtmlDialog } from '../gas/ui';

function settingsOrDefaults(ss: GoogleAppsScript.Spreadsheet.Spreadsheet | null): Settings {
  if (!ss) return DEFAULT_SETTINGS;
  try {
    return loadSettings(ss).settings;
  } catch {
    return DEFAULT_SETTINGS; // the menu matters more than the times in its captions
  }
}

/** onOpen: the «Продажи» menu, its report captions at the times «Настройки» says. */
export function openMenu(): void {
  let ss: GoogleAppsScript.Spreadsheet.Spreadsheet | null = null;
  try {
    ss = withRetry(() => SpreadsheetApp.getActiveSpreadsheet());
  } catch {
    // No spreadsheet to read: the default captions.
  }
  buildMenu(menuEntries(settingsOrDefaults(ss)));
}

/** Menu «Справка». */
export function helpDialog(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  showHtmlDialog(renderHelpHtml(ss.getName(), settingsOrDefaults(ss)), 'Справка', 760, 600);
}
