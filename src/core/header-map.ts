// Maps a sheet's header row to template columns by header text (trimmed, case-insensitive, aliases),
// never by position: teams insert and reorder columns.
import { headerKey } from './text';
import { jobText } from './messages';
import type { ColumnDef, SheetDef } from '../../sheets-templates/schema';

export interface HeaderMap {
  /** 0-based column index of each template column found. */
  index: Map<string, number>;
  /** Template columns with no header in the sheet. */
  missing: ColumnDef[];
  /** Headers matching a template column more than once (the first is used). */
  duplicates: Array<{ column: ColumnDef; indexes: number[] }>;
  /** Number of header cells read. */
  width: number;
}

export function mapHeaders(headers: unknown[], columns: ColumnDef[]): HeaderMap {
  const byText = new Map<string, number[]>();
  headers.forEach((h, i) => {
    const k = headerKey(h);
    if (!k) return;
    const list = byText.get(k);
    if (list) list.push(i); else byText.set(k, [i]);
  });
  const index = new Map<string, number>();
  const missing: ColumnDef[] = [];
  const duplicates: HeaderMap['duplicates'] = [];
  for (const column of columns) {
    const found: number[] = [];
    for (const text of [column.header, ...column.aliases]) {
      for (const i of byText.get(headerKey(text)) ?? []) if (!found.includes(i)) found.push(i);
    }
    found.sort((a, b) => a - b);
    if (found.length === 0) missing.push(column);
    else {
      index.set(column.key, found[0]);
      if (found.length > 1) duplicates.push({ column, indexes: found });
    }
  }
  return { index, missing, duplicates, width: headers.length };
}

/** Rows searched for the header row: teams put a title (often merged) and notes above their headers. */
export const HEADER_SCAN_ROWS = 10;

/**
 * Fewest template columns a row must name to be the header row: 3, or half (rounded up) of a smaller
 * template — 2 for «Тарифы» and «Настройки», so «План» and «Цена» alone are still recognised.
 */
export function minimumHeaders(columnCount: number): number {
  return Math.min(3, Math.ceil(columnCount / 2));
}

export type HeaderPlacement =
  | { ok: true; /** 1-based sheet row of the headers. */ row: number; map: HeaderMap }
  | { ok: false; problem: string };

/**
 * The one rule for where a sheet's headers are (setup and every job use it): among the first
 * HEADER_SCAN_ROWS rows, the one row that names at least minimumHeaders template columns (header or
 * alias). A data row may hold a header word or two («Оплата» as the current stage, «Партнёр» as the
 * source), but two rows that each name that many are two header sets (say one left in a title row):
 * nobody can tell which is meant, so none is taken. A sheet with no content at all gets the template's row.
 * `top`: the sheet's first rows as read (row 1 first); `lastRow`: its last row with content.
 */
export function placeHeaders(top: readonly unknown[][], def: Pick<SheetDef, 'name' | 'columns' | 'headerRow'>, lastRow: number, width: number): HeaderPlacement {
  if (lastRow <= 0) return { ok: true, row: def.headerRow, map: mapHeaders(new Array<unknown>(Math.max(0, width)).fill(''), def.columns) };
  const scored = top.slice(0, HEADER_SCAN_ROWS).map((cells, i) => {
    const map = mapHeaders(cells as unknown[], def.columns);
    return { row: i + 1, map, score: def.columns.length - map.missing.length };
  });
  const ranked = [...scored].sort((a, b) => b.score - a.score || a.row - b.row);
  const [best, second] = ranked;
  const minimum = minimumHeaders(def.columns.length);
  if (!best || best.score < minimum) {
    const shown = def.columns.slice(0, 6).map((c) => `«${c.header}»`).join(', ');
    const more = def.columns.length > 6 ? ` и ещё ${def.columns.length - 6}` : '';
    const found = best && best.score > 0 ? ` (больше всего — ${best.score} — в строке ${best.row})` : '';
    return {
      ok: false,
      problem: `Лист «${def.name}»: не найдена строка заголовков — ${jobText.firstRows(HEADER_SCAN_ROWS)} не узнаются ${jobText.atLeastHeaders(minimum)}${found}. `
        + `Ожидаются ${shown}${more}. Верните заголовки (например, через «Файл → История версий») и запустите «Настроить таблицу». В листе ничего не изменено.`,
    };
  }
  if (second && second.score >= minimum) {
    const [a, b] = [best, second].sort((x, y) => x.row - y.row);
    return {
      ok: false,
      problem: `Лист «${def.name}»: непонятно, какая строка — заголовки: строка ${a.row} (узнано заголовков: ${a.score}) или строка ${b.row} (узнано: ${b.score}). `
        + 'Оставьте заголовки шаблона только в одной строке и запустите «Настроить таблицу». В листе ничего не изменено.',
    };
  }
  return { ok: true, row: best.row, map: best.map };
}

/**
 * Headers (of `keys`, or of every column) that are missing or repeated, as Russian sentences naming the
 * sheet and the columns; a job must not write through such a header map.
 */
export function headerProblems(map: HeaderMap, sheetName: string, keys?: readonly string[]): string[] {
  const wanted = keys ? new Set<string>(keys) : null;
  const out: string[] = [];
  for (const c of map.missing) {
    if (!wanted || wanted.has(c.key)) out.push(`В листе «${sheetName}» нет колонки «${c.header}» — запустите «Настроить таблицу» (она добавит колонку).`);
  }
  for (const d of map.duplicates) {
    if (!wanted || wanted.has(d.column.key)) {
      out.push(`В листе «${sheetName}» колонка «${d.column.header}» ${jobText.repeatedTimes(d.indexes.length)} (${d.indexes.map((i) => columnLetter(i + 1)).join(', ')}) — оставьте одну, остальные переименуйте.`);
    }
  }
  return out;
}

/** Spreadsheet column letters for a 1-based column number. */
export function columnLetter(column: number): string {
  let n = column;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

/** 1-based row and column of an A1 cell address such as 'B1'. */
export function parseA1(cell: string): { row: number; column: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(cell);
  if (!m) throw new Error(`bad A1 cell ${cell}`);
  let column = 0;
  for (const ch of m[1]) column = column * 26 + (ch.charCodeAt(0) - 64);
  return { row: Number(m[2]), column };
}
