// `--job edit`: a person's edits through the spreadsheet UI. Each `--set` is one typed cell, each
// `--paste` one multi-cell paste; the emulator applies it as Sheets would (access, protections, strict
// validation, typed-text parsing) and the bundle's simple onEdit then fires with Google's event object.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { GasEnvironment } from '../emulator/index';
import { countOf, WORDS } from '../src/core/plural';
import type { LoadedBundle } from '../emulator/bundle';
import { cellA1, columnToLetters, parseA1 } from '../emulator/spreadsheet/a1';
import { ERR } from '../emulator/spreadsheet/user';
import type { EmuSheet } from '../emulator/spreadsheet/sheet';
import type { EmuSpreadsheet } from '../emulator/spreadsheet/spreadsheet';
import { templateByName } from '../sheets-templates';
import { headerKey } from '../src/core/text';

export interface LocalEdit {
  kind: 'set' | 'paste';
  sheet: string;
  /** Top-left cell, e.g. "N5". */
  cell: string;
  /** What the person types (set) or pastes (paste: rows of cells). */
  values: string[][];
  /** The --tsv file of a paste, for the log. */
  source?: string;
}

/** A bad --set/--paste/--tsv value: the caller reports it as a usage error. */
export class EditSyntaxError extends Error {}

const CELL = /^[A-Za-z]{1,3}[1-9]\d{0,6}$/;

function sheetName(text: string): string {
  const t = text.trim();
  // Sheets quotes names with spaces or punctuation: 'Лист 1'!A1.
  return /^'.*'$/.test(t) ? t.slice(1, -1).replace(/''/g, "'") : t;
}

/** `Лист!A1=значение` → one typed cell. The first `!A1=` splits, so the value may hold anything. */
export function parseSet(text: string): LocalEdit {
  const m = /^(.+?)!([A-Za-z]{1,3}[1-9]\d{0,6})=([\s\S]*)$/.exec(text);
  if (!m || sheetName(m[1]) === '') throw new EditSyntaxError(`--set: «${text}» — нужно "Лист!A1=значение"`);
  return { kind: 'set', sheet: sheetName(m[1]), cell: m[2].toUpperCase(), values: [[m[3]]] };
}

/** `Лист!A1` → the top-left cell of a paste. */
export function parsePasteTarget(text: string): { sheet: string; cell: string } {
  const bang = text.lastIndexOf('!');
  const cell = bang < 0 ? '' : text.slice(bang + 1).trim();
  const sheet = bang < 0 ? '' : sheetName(text.slice(0, bang));
  if (sheet === '' || !CELL.test(cell)) throw new EditSyntaxError(`--paste: «${text}» — нужно "Лист!A1" (левая верхняя ячейка вставки)`);
  return { sheet, cell: cell.toUpperCase() };
}

/** Tab-separated rows as Sheets copies them (no quoting); ragged rows are padded with empty cells. */
export function parseTsv(text: string): string[][] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop(); // the trailing newline
  const rows = lines.map((l) => l.split('\t'));
  const width = Math.max(...rows.map((r) => r.length));
  return rows.map((r) => [...r, ...new Array<string>(width - r.length).fill('')]);
}

export function readTsv(file: string): string[][] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new EditSyntaxError(`--tsv: не удалось прочитать ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (text.trim() === '') throw new EditSyntaxError(`--tsv: ${file} пуст — вставлять нечего`);
  return parseTsv(text);
}

/**
 * Google's refusal of a UI edit, in Russian, then Google's own text in parentheses (what a search or a
 * bug report needs).
 */
export function refusalText(message: string): string {
  const google = `(Google: «${message}»)`;
  const invalid = /^There was a problem\. The data you entered in cell (\S+) violates the data validation rules set on this cell\.\s*([\s\S]*)$/.exec(message);
  const russian = message === ERR.protectedCell
    ? 'ячейка защищена: такие листы и колонки меняют только руководство (emails в «Настройках») и владелец таблицы.'
    : message === ERR.viewOnly ? 'у этого человека нет права редактировать таблицу.'
      : message === ERR.outside ? 'ячейки за пределами листа.'
        : invalid ? `значение в ${invalid[1]} не проходит проверку данных ячейки (например, его нет в выпадающем списке).${invalid[2] ? ` Подсказка: ${invalid[2]}` : ''}`
          : null;
  return russian === null ? `не применена: ${message}` : `${russian}\n  ${google}`;
}

/** The range a paste of `values` at `cell` covers, e.g. "A5:D7". */
export function pasteRange(cell: string, values: string[][]): string {
  const ref = parseA1(cell)!;
  const last = cellA1(ref.startRow! + values.length - 1, ref.startCol! + values[0].length - 1);
  return values.length === 1 && values[0].length === 1 ? cell : `${cell}:${last}`;
}

function findSheet(ss: EmuSpreadsheet, name: string): EmuSheet | undefined {
  return ss.sheets.find((s) => s.name === name) ?? ss.sheets.find((s) => headerKey(s.name) === headerKey(name));
}

/** The «Проблемы» column (1-based) of a sheet whose template has one, found by its header text. */
function problemsColumn(sheet: EmuSheet): number | undefined {
  const header = templateByName(sheet.name)?.columns.find((c) => c.key === 'problems')?.header;
  if (!header) return undefined;
  const top = sheet.rangeByA1(`A1:${columnToLetters(sheet.maxCols)}${Math.min(10, sheet.maxRows)}`).peekValues();
  for (const row of top) {
    const i = row.findIndex((v) => headerKey(v) === headerKey(header));
    if (i >= 0) return i + 1;
  }
  return undefined;
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
const quote = (text: string) => (text.length > 60 ? `«${text.slice(0, 57)}…»` : `«${text}»`);

/** Applies the edits in order as `user`; returns how many were refused or failed in onEdit. */
export function runEdits(env: GasEnvironment, bundle: LoadedBundle, edits: LocalEdit[], user: string, log: (line: string) => void): number {
  const ss = env.world.getActive();
  if (!ss) throw new Error('no active spreadsheet');
  let failed = 0;
  for (const edit of edits) {
    const target = edit.kind === 'set' ? `${edit.sheet}!${edit.cell}` : `${edit.sheet}!${pasteRange(edit.cell, edit.values)}`;
    log(edit.kind === 'set'
      ? `✎ ${user}: ${target} ← ${quote(edit.values[0][0])}`
      : `✎ ${user}: вставка в ${target} (${edit.values.length} × ${edit.values[0].length}) из ${basename(edit.source ?? '')}`);
    const sheet = findSheet(ss, edit.sheet);
    if (!sheet) {
      log(`  ✗ Правка отклонена: в таблице нет листа «${edit.sheet}». Листы: ${ss.sheets.filter((s) => !s.hidden).map((s) => s.name).join(', ')}`);
      failed++;
      continue;
    }
    const a1 = pasteRange(edit.cell, edit.values);
    let event: GoogleAppsScript.Events.SheetsOnEdit;
    try {
      event = env.world.userEdit(sheet, a1, edit.values, { user });
    } catch (error) {
      log(indent(`✗ Правка отклонена, таблица не изменена: ${refusalText((error as Error).message)}`));
      failed++;
      continue;
    }
    if (!runOnEdit(env, bundle, event, user, log)) failed++;
    report(sheet, a1, log);
  }
  return failed;
}

/** The simple trigger, as Google fires it after the edit: as the person, LIMITED, 30 s. */
function runOnEdit(env: GasEnvironment, bundle: LoadedBundle, event: GoogleAppsScript.Events.SheetsOnEdit, user: string, log: (line: string) => void): boolean {
  const ss = env.world.getActive()!;
  const before = env.ctx.recorder.total();
  const toasts = ss.toasts.length;
  const logged = env.logs.lines.length;
  let error: unknown;
  env.beginExecution('simpleTrigger', { user });
  try {
    bundle.call('onEdit', event);
  } catch (e) {
    error = e;
  } finally {
    env.endExecution();
  }
  log(`  ▶ onEdit (простой триггер): ${countOf(env.ctx.recorder.total() - before, WORDS.serviceCalls)}`);
  for (const t of ss.toasts.slice(toasts)) log(`  [уведомление${t.title ? ` «${t.title}»` : ''}] ${t.message}`);
  for (const l of env.logs.lines.slice(logged)) log(`  ${l.text}`);
  if (error !== undefined) {
    // On Google the edit stays and the error goes to the execution log; here it is shown.
    log(`  ✗ onEdit завершился ошибкой (введённое осталось в ячейке): ${(error as Error).message ?? String(error)}`);
    return false;
  }
  return true;
}

/** What the person sees afterwards: the edited cells and the «Проблемы» of their rows. */
function report(sheet: EmuSheet, a1: string, log: (line: string) => void): void {
  const range = sheet.rangeByA1(a1);
  const shown = range.peekDisplayValues();
  if (range.numRows === 1 && range.numCols === 1) log(`  ${sheet.name}!${a1} теперь: ${shown[0][0] === '' ? '(пусто)' : quote(shown[0][0])}`);
  const col = problemsColumn(sheet);
  if (col === undefined) return;
  for (let i = 0; i < range.numRows; i++) {
    const row = range.row + i;
    const problems = sheet.rangeByA1(cellA1(row, col)).peekDisplayValues()[0][0];
    log(`  Проблемы (строка ${row}): ${problems === '' ? 'нет' : problems}`);
  }
}
