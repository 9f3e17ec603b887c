// Setup for a spreadsheet made by an earlier version: the managers' names move from «Справочники» →
// «Менеджеры» to the new «Менеджеры» sheet (the one place for names, emails and commission), and the
// refusal reasons gain the distinctions of seed 002 they lacked. Values are only ever added.
import { REFUSAL_REASONS, templateByKey } from '../../sheets-templates';
import { headerKey } from '../core/text';
import type { SetupReport } from '../core/setup-report';
import { withRetry } from '../gas/retry';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/** Seed 002 keeps these apart from their neighbours («Нет денег» ≠ «Не устроила цена»): never missing. */
const SEED_REASONS: readonly string[] = ['Нет денег', 'Не устроила цена', 'Некорректные данные', 'Не оставлял заявку']
  .filter((r) => (REFUSAL_REASONS as readonly string[]).includes(r));

/** Header of the managers' column «Справочники» had before «Менеджеры» existed. */
const OLD_MANAGERS_HEADER = 'Менеджеры';

function columnValues(sheet: Sheet, headerRow: number, header: string): { column: number; values: string[] } | null {
  const width = Math.max(1, withRetry(() => sheet.getLastColumn()));
  const headers = withRetry(() => sheet.getRange(headerRow, 1, 1, width).getValues()[0]);
  const i = headers.findIndex((h) => headerKey(h) === headerKey(header));
  if (i < 0) return null;
  const height = withRetry(() => sheet.getLastRow()) - headerRow;
  const values = height > 0 ? withRetry(() => sheet.getRange(headerRow + 1, i + 1, height, 1).getValues()).map((r) => String(r[0] ?? '').trim()) : [];
  return { column: i + 1, values };
}

function ensureRows(sheet: Sheet, lastNeeded: number): void {
  const max = withRetry(() => sheet.getMaxRows());
  if (lastNeeded > max) sheet.insertRowsAfter(max, lastNeeded - max);
}

export function upgradeManagersAndReasons(sheetByKey: ReadonlyMap<string, Sheet>, headerRows: ReadonlyMap<string, number>, report: SetupReport): void {
  const lists = sheetByKey.get('lists');
  const listsRow = headerRows.get('lists');
  if (!lists || listsRow === undefined || report.createdSheets.includes(templateByKey('lists').name)) return;
  moveManagerNames(lists, listsRow, sheetByKey, headerRows, report);
  addSeedReasons(lists, listsRow, report);
}

function moveManagerNames(lists: Sheet, listsRow: number, sheetByKey: ReadonlyMap<string, Sheet>, headerRows: ReadonlyMap<string, number>, report: SetupReport): void {
  const def = templateByKey('managers');
  const managers = sheetByKey.get('managers');
  const managersRow = headerRows.get('managers');
  // Only into a «Менеджеры» made by this run: an existing one is leadership's.
  if (!managers || managersRow === undefined || !report.createdSheets.includes(def.name)) return;
  const old = columnValues(lists, listsRow, OLD_MANAGERS_HEADER);
  if (!old) return;
  const seen = new Set<string>();
  const names = old.values.filter((n) => n !== '' && !seen.has(headerKey(n)) && seen.add(headerKey(n)));
  if (names.length === 0) return;
  const nameColumn = def.columns.findIndex((c) => c.key === 'name') + 1;
  ensureRows(managers, managersRow + names.length);
  withRetry(() => managers.getRange(managersRow + 1, nameColumn, names.length, 1).setValues(names.map((n) => [n])));
  (report.changes ??= []).push(`Имена менеджеров (${names.length}) перенесены из «${lists.getName()}» → «${OLD_MANAGERS_HEADER}» на новый лист «${def.name}»: теперь выпадающие списки «Менеджер» берутся оттуда. `
    + `Впишите на листе «${def.name}» email каждого — туда в утро уходит письмо «Кого дожать сегодня». Колонка «${OLD_MANAGERS_HEADER}» в «${lists.getName()}» больше не используется.`);
}

function addSeedReasons(lists: Sheet, listsRow: number, report: SetupReport): void {
  const header = templateByKey('lists').columns.find((c) => c.key === 'refusalReasons')?.header;
  const current = header ? columnValues(lists, listsRow, header) : null;
  if (!current) return;
  const have = new Set(current.values.filter(Boolean).map(headerKey));
  const missing = SEED_REASONS.filter((r) => !have.has(headerKey(r)));
  if (missing.length === 0) return;
  let last = current.values.length;
  while (last > 0 && current.values[last - 1] === '') last--;
  const first = listsRow + 1 + last;
  ensureRows(lists, first + missing.length - 1);
  withRetry(() => lists.getRange(first, current.column, missing.length, 1).setValues(missing.map((r) => [r])));
  (report.changes ??= []).push(`В «${lists.getName()}» → «${header}» добавлены причины отказа: ${missing.map((r) => `«${r}»`).join(', ')} (по регламенту «Нет денег» и «Не устроила цена» — разные причины). Прежние значения в строках сохранены и учитываются как есть.`);
}
