// Maps a sheet's header row to template columns by header text (trimmed, case-insensitive, aliases),
// never by position: teams insert and reorder columns.
import { headerKey } from './text';
import type { ColumnDef } from '../../sheets-templates/schema';

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
