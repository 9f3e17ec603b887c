// The only module that exposes globals: every Apps Script entry point, each a one-line call into a
// job. The build turns each export into a top-level `function NAME(...args)` declaration.
import { buildMenu, showHtmlDialog } from './gas/ui';
import { renderHelpHtml } from './core/help';

/** Simple trigger: builds the «Продажи» menu when the spreadsheet opens. */
export function onOpen(): void {
  buildMenu();
}

/** Menu «Справка»: explains the sheet to a new user. */
export function menuHelp(): void {
  showHtmlDialog(renderHelpHtml(SpreadsheetApp.getActiveSpreadsheet().getName()), 'Справка', 640, 420);
}
