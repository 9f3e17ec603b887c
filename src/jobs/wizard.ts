// «Мастер настройки»: the dialog (from the menu, and after the first «Настроить таблицу» while nobody is
// named as leadership) and its server function. A submit is checked whole before anything is written;
// then «Настройки» and «Менеджеры» get only the cells that change, «Журнал» logs them, and the setup
// protections step names the new leadership. Re-running with the same answers writes nothing.
import { SHEET_TEMPLATES, templateByKey } from '../../sheets-templates';
import type { SheetDef } from '../../sheets-templates/schema';
import { isAuthority, type Authority } from '../core/access';
import { MOSCOW } from '../core/dates';
import { columnLetter } from '../core/header-map';
import type { JournalEntry } from '../core/journal';
import { formatRate } from '../core/reports/format';
import type { SetupReport } from '../core/setup-report';
import { SETTING_KEYS, SETTING_NAMES, type SettingKey } from '../core/settings';
import { headerKey } from '../core/text';
import {
  buildWizardForm, planManagerWrites, planSettingWrites, validateWizardAnswers, wizardText,
  type ManagerCell, type ManagerNow, type ManagerPlan, type SettingNow, type SettingWrite, type WizardForm,
} from '../core/wizard';
import { renderWizardHtml } from '../core/wizard-html';
import { flushJournalQueue } from '../gas/journal-queue';
import { withScriptLock } from '../gas/lock';
import { PROTECTION_PREFIX } from '../gas/protection';
import { withRetry } from '../gas/retry';
import { loadSettings, readSnapshot, saveSettingsSnapshot } from '../gas/settings';
import { findSheet, missingSheetMessage } from '../gas/sheets';
import { cell, cellWriter, HeaderPlacementError, readHeaders, readTable, rowObject, writeChanges, type CellValue, type Table, type TableChanges } from '../gas/table';
import { showHtmlDialog } from '../gas/ui';
import { applyProtections } from './setup-protections';
import { setupRefusalFor } from './setup-entry';

type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** What wizardSubmit answers the dialog (and the local runner): plain data, google.script.run carries it. */
export interface WizardResult {
  ok: boolean;
  /** Russian, each naming the field; empty when ok. */
  errors: string[];
  /** What was saved, in Russian; empty when not ok. */
  message: string;
}

const SETTINGS = templateByKey('settings');

/** The «Менеджеры» template; none in a version without it (the wizard then has no managers part). */
function managersDef(): SheetDef | null {
  return SHEET_TEMPLATES.find((t) => t.key === 'managers' && t.kind === 'table') ?? null;
}

const keyBySettingName = new Map<string, SettingKey>(SETTING_KEYS.map((k) => [headerKey(SETTING_NAMES[k]), k]));

interface WizardState {
  form: WizardForm;
  settingsTable: Table;
  settingsNow: Map<SettingKey, SettingNow>;
  managersTable: Table | null;
  managersNow: ManagerNow[];
}

function readTableOrProblem(ss: Spreadsheet, def: SheetDef): Table | string {
  const sheet = findSheet(ss, def);
  if (!sheet) return `${missingSheetMessage(ss, def.name)} Она создаст листы и откроет мастер.`;
  try {
    return readTable(sheet, def);
  } catch (error) {
    if (error instanceof HeaderPlacementError) return error.message;
    throw error;
  }
}

/** The current values behind the form, or why the wizard cannot work on this spreadsheet yet. */
function readState(ss: Spreadsheet): WizardState | { problem: string } {
  const settingsTable = readTableOrProblem(ss, SETTINGS);
  if (typeof settingsTable === 'string') return { problem: settingsTable };
  const settingsNow = new Map<SettingKey, SettingNow>();
  settingsTable.rows.forEach((row, rowIndex) => {
    const key = keyBySettingName.get(headerKey(cell(settingsTable, row, 'name')));
    // The first row of a name is the one in force (parseSettings reads it the same way).
    if (key && !settingsNow.has(key)) settingsNow.set(key, { rowIndex, raw: cell(settingsTable, row, 'value') });
  });
  const def = managersDef();
  let managersTable: Table | null = null;
  if (def) {
    const read = readTableOrProblem(ss, def);
    if (typeof read === 'string') return { problem: read };
    managersTable = read;
  }
  const managersNow: ManagerNow[] = managersTable ? managersTable.rows.map((row, rowIndex) => ({ rowIndex, values: rowObject(managersTable!, row) })) : [];
  const form = buildWizardForm({
    settings: new Map([...settingsNow].map(([k, v]) => [k, v.raw])),
    managersDef: def,
    managersSheet: managersTable?.sheet.getName(),
    managerRows: managersNow.map((m) => m.values),
  });
  return { form, settingsTable, settingsNow, managersTable, managersNow };
}

/** Why the running person may not save the wizard; null when they may (the owner or leadership). */
export function wizardRefusalFor(ss: Spreadsheet): string | null {
  const me = withRetry(() => Session.getActiveUser().getEmail()) ?? '';
  const owner = withRetry(() => ss.getOwner())?.getEmail() ?? '';
  const authority: Authority = { me, owner, leadership: loadSettings(ss).settings.leadershipEmails };
  if (!isAuthority(authority, me)) return wizardText.refusal(authority);
  // Leadership whom an earlier setup's protections leave out cannot write «Настройки» yet: setup says so.
  return setupRefusalFor(ss);
}

/** «5 %», «100 EUR»: what an empty commission cell of «Менеджеры» falls back to, for the form's hints. */
function columnDefaults(form: WizardForm, ss: Spreadsheet): Record<string, string> {
  const m = form.managers;
  if (!m) return {};
  const { settings } = loadSettings(ss);
  const out: Record<string, string> = {};
  for (const c of m.columns) {
    if (c.kind === 'percent') out[c.key] = `по умолчанию ${formatRate(settings.managerCommissionPercent)}`;
    else if (c.kind === 'number') out[c.key] = `по умолчанию ${String(settings.managerCommissionFixed).replace('.', ',')} ${settings.currency}`;
  }
  return out;
}

function showWizard(ss: Spreadsheet, form: WizardForm, intro: string): void {
  showHtmlDialog(renderWizardHtml(form, { intro, columnDefaults: columnDefaults(form, ss) }), wizardText.title, 820, 640);
}

/** Menu «Мастер настройки»: the dialog, or why it cannot open (a Russian alert). */
export function openWizard(): string | void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const refusal = wizardRefusalFor(ss);
  if (refusal) return refusal;
  const state = readState(ss);
  if ('problem' in state) return state.problem;
  showWizard(ss, state.form, wizardText.menuIntro);
}

/**
 * After «Настроить таблицу»: while «Настройки» names no leadership, the wizard opens by itself for the
 * person who may save it. Silent otherwise (the setup message has already said what happened).
 */
export function offerWizardAfterSetup(): void {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const { settings, missingSheet } = loadSettings(ss);
  if (missingSheet || settings.leadershipEmails.length > 0) return;
  if (wizardRefusalFor(ss)) return;
  const state = readState(ss);
  if ('problem' in state) return;
  showWizard(ss, state.form, wizardText.firstRunIntro);
}

/** The dialog's server function: checks who asks and every answer, then writes what changed. */
export function submitWizard(input: unknown): WizardResult {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const refusal = wizardRefusalFor(ss);
  if (refusal) return { ok: false, errors: [refusal], message: '' };
  return withScriptLock(() => {
    const state = readState(ss);
    if ('problem' in state) return { ok: false, errors: [state.problem], message: '' };
    const checked = validateWizardAnswers(input, state.form);
    if (!checked.ok) return { ok: false, errors: checked.errors, message: '' };
    const user = withRetry(() => Session.getActiveUser().getEmail()) ?? '';
    const journal: JournalEntry[] = [];
    const at = new Date();

    const settingWrites = planSettingWrites(checked.answers.settings, state.settingsNow);
    writeSettings(state.settingsTable, settingWrites, { at, user, journal });
    const m = state.form.managers;
    const plan: ManagerPlan = state.managersTable && m
      ? planManagerWrites(checked.answers.managers, state.managersNow, m.nameKey)
      : { updates: new Map(), appends: [], added: [], updated: [] };
    if (state.managersTable) writeManagers(state.managersTable, plan, { at, user, journal });
    if (journal.length) flushJournalQueue(ss, MOSCOW, journal);

    // Triggers read «Настройки» from the snapshot; script writes fire no onEdit to refresh it.
    const { settings } = loadSettings(ss);
    if (JSON.stringify(readSnapshot()) !== JSON.stringify(settings)) saveSettingsSnapshot(settings);
    const report = protect(ss, settings.leadershipEmails);

    const sheet = state.managersTable?.sheet.getName() ?? '';
    const lines = [
      settingWrites.length ? wizardText.settingsChanged(settingWrites.map((w) => w.name)) : wizardText.settingsSame,
      ...(state.managersTable ? [
        ...(plan.added.length ? [wizardText.managersAdded(sheet, plan.added)] : []),
        ...(plan.updated.length ? [wizardText.managersUpdated(sheet, plan.updated)] : []),
        ...(plan.added.length || plan.updated.length ? [] : [wizardText.managersSame(sheet)]),
      ] : []),
      ...(report.access?.length ? ['', ...report.access] : []),
      ...(report.warnings.length ? ['', 'Обратите внимание:', ...report.warnings.map((w) => `• ${w}`)] : []),
    ];
    return { ok: true, errors: [], message: lines.join('\n') };
  });
}

interface WriteContext { at: Date; user: string; journal: JournalEntry[] }

/** Changed values in place (compare-and-set), missing setting rows appended with their description. */
function writeSettings(table: Table, writes: SettingWrite[], ctx: WriteContext): void {
  if (writes.length === 0) return;
  const changes: TableChanges = new Map();
  const appends: SettingWrite[] = [];
  const valueColumn = table.headers.index.get('value');
  for (const w of writes) {
    if (w.rowIndex === null) { appends.push(w); continue; }
    changes.set(w.rowIndex, { value: w.text });
    if (valueColumn !== undefined) ctx.journal.push({ at: ctx.at, user: ctx.user, sheet: table.def.name, cell: `${columnLetter(valueColumn + 1)}${table.firstRow + w.rowIndex}`, before: w.before, after: w.text, source: 'setup' });
  }
  if (changes.size) writeChanges(table, changes);
  const descriptions = new Map(templateByKey('settings').initial.map((r) => [headerKey(r.name), String(r.description ?? '')]));
  appendRows(table, appends.map((w) => ({ name: w.name, value: w.text, description: descriptions.get(headerKey(w.name)) ?? '' })), ctx);
}

function writeManagers(table: Table, plan: ManagerPlan, ctx: WriteContext): void {
  const changes: TableChanges = new Map();
  for (const [rowIndex, update] of plan.updates) {
    changes.set(rowIndex, update as Record<string, CellValue>);
    for (const [key, value] of Object.entries(update)) {
      const i = table.headers.index.get(key);
      if (i === undefined) continue;
      ctx.journal.push({ at: ctx.at, user: ctx.user, sheet: table.def.name, cell: `${columnLetter(i + 1)}${table.firstRow + rowIndex}`, before: table.rows[rowIndex][i], after: value, source: 'setup' });
    }
  }
  if (changes.size) writeChanges(table, changes);
  appendRows(table, plan.appends, ctx);
}

/** New rows below the last row of the sheet, in one write; columns the template lacks stay empty. */
function appendRows(table: Table, rows: Array<Record<string, ManagerCell>>, ctx: WriteContext): void {
  if (rows.length === 0) return;
  const sheet = table.sheet;
  const width = Math.max(1, withRetry(() => sheet.getLastColumn()), ...[...table.headers.index.values()].map((i) => i + 1));
  const first = Math.max(withRetry(() => sheet.getLastRow()), table.headerRow) + 1;
  const write = cellWriter(table.def, table.headers);
  const lines = rows.map((r) => {
    const line: unknown[] = new Array(width).fill('');
    for (const [key, value] of Object.entries(r)) {
      const i = table.headers.index.get(key);
      if (i !== undefined) line[i] = write(i, value);
    }
    return line;
  });
  const max = withRetry(() => sheet.getMaxRows());
  if (first + lines.length - 1 > max) sheet.insertRowsAfter(max, first + lines.length - 1 - max);
  withRetry(() => sheet.getRange(first, 1, lines.length, width).setValues(lines));
  rows.forEach((r, n) => {
    for (const [key, value] of Object.entries(r)) {
      const i = table.headers.index.get(key);
      if (i !== undefined && value !== '') ctx.journal.push({ at: ctx.at, user: ctx.user, sheet: table.def.name, cell: `${columnLetter(i + 1)}${first + n}`, before: '', after: value, source: 'setup' });
    }
  });
}

/** The protections step of «Настроить таблицу» over the sheets as they are, naming `leadership`. */
function protect(ss: Spreadsheet, leadership: string[]): SetupReport {
  const report: SetupReport = { createdSheets: [], addedColumns: [], addedRows: [], skippedSheets: [], warnings: [], adjustments: 0 };
  const sheets = withRetry(() => ss.getSheets());
  const placed = new Map<string, Sheet>();
  const headerRows = new Map<string, number>();
  for (const def of SHEET_TEMPLATES) {
    const sheet = findSheet(ss, def, sheets);
    if (!sheet) continue;
    if (def.kind === 'table') {
      const found = readHeaders(sheet, def);
      if (!found.ok) continue; // setup leaves such a sheet alone too
      headerRows.set(def.key, found.row);
    } else headerRows.set(def.key, def.headerRow);
    placed.set(def.key, sheet);
  }
  const owner = withRetry(() => ss.getOwner())?.getEmail() ?? '';
  applyProtections(placed, headerRows, { leadership, owner, prefix: PROTECTION_PREFIX }, report);
  return report;
}
