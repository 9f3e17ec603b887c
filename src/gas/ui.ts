// Menus and dialogs of the bound spreadsheet.
import { MENU, MENU_TITLE, type MenuEntry } from '../core/menu';

export function buildMenu(entries: MenuEntry[] = MENU): void {
  const ui = SpreadsheetApp.getUi();
  const menu = ui.createMenu(MENU_TITLE);
  for (const entry of entries) {
    if (entry === 'separator') menu.addSeparator();
    else if ('items' in entry) {
      const sub = ui.createMenu(entry.caption);
      for (const item of entry.items) sub.addItem(item.caption, item.handler);
      menu.addSubMenu(sub);
    } else menu.addItem(entry.caption, entry.handler);
  }
  menu.addToUi();
}

export function showHtmlDialog(html: string, title: string, width = 640, height = 480): void {
  const output = HtmlService.createHtmlOutput(html).setWidth(width).setHeight(height);
  SpreadsheetApp.getUi().showModalDialog(output, title);
}

import { errorMessage } from './retry';

export function alert(message: string, title = 'Продажи'): void {
  const ui = SpreadsheetApp.getUi();
  ui.alert(title, message, ui.ButtonSet.OK);
}

/** Runs a menu action; any failure reaches the user as a Russian alert instead of a stack trace. */
export function runFromMenu(title: string, action: () => string | void): void {
  let message: string | void;
  try {
    message = action();
  } catch (error) {
    alert(`Не получилось: ${errorMessage(error)}`, title);
    return;
  }
  if (message) alert(message, title);
}
