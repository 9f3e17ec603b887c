// Internal cell storage shared by Sheet and Range: values as dense row arrays (the hot path), and
// per-cell extras (formula, note, format, validation, style) in a sparse structure beside them.
import type { EmuDataValidation } from './validation';
import type { CellValue } from './values';

export interface CellExtra {
  /** Formula text as written ('=SUM(A1:A3)'); the value array then holds its (emulated) result. */
  f?: string;
  note?: string;
  /** Number format pattern (Sheets syntax). */
  fmt?: string;
  dv?: EmuDataValidation;
  bg?: string;
  fc?: string;
  fw?: 'bold';
  fst?: 'italic';
  fsz?: number;
  ha?: string;
  va?: string;
  wrap?: boolean;
}

export type ExtraKey = keyof CellExtra;

/** A rectangle of cells, 1-based. */
export interface Box { row: number; col: number; numRows: number; numCols: number }

export const FORMAT_KEYS: ExtraKey[] = ['fmt', 'bg', 'fc', 'fw', 'fst', 'fsz', 'ha', 'va', 'wrap'];

export class CellStore {
  /** rows[r][c], 0-based; missing rows/cells are empty. */
  rows: CellValue[][] = [];
  extras: (Array<CellExtra | undefined> | undefined)[] = [];
  private version = 0;
  private cachedLast: { v: number; row: number; col: number } | null = null;

  touch(): void { this.version++; }

  value(r: number, c: number): CellValue {
    const row = this.rows[r];
    return row === undefined ? undefined : row[c];
  }

  setValue(r: number, c: number, v: CellValue): void {
    let row = this.rows[r];
    if (row === undefined) {
      if (v === undefined) return;
      if (this.rows.length < r) this.rows.length = r;
      row = this.rows[r] = [];
    }
    row[c] = v;
  }

  extra(r: number, c: number): CellExtra | undefined {
    const row = this.extras[r];
    return row === undefined ? undefined : row[c];
  }

  ensureExtra(r: number, c: number): CellExtra {
    let row = this.extras[r];
    if (row === undefined) {
      if (this.extras.length < r) this.extras.length = r;
      row = this.extras[r] = [];
    }
    let e = row[c];
    if (e === undefined) e = row[c] = {};
    return e;
  }

  setExtra<K extends ExtraKey>(r: number, c: number, key: K, v: CellExtra[K] | undefined): void {
    if (v === undefined) {
      const e = this.extra(r, c);
      if (!e) return;
      delete e[key];
      if (Object.keys(e).length === 0) this.extras[r]![c] = undefined;
      return;
    }
    this.ensureExtra(r, c)[key] = v;
  }

  /** Last row and column (1-based) holding a value or formula; 0 when empty. */
  lastContent(): { row: number; col: number } {
    if (this.cachedLast && this.cachedLast.v === this.version) return this.cachedLast;
    let lastRow = 0;
    let lastCol = 0;
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r];
      if (row === undefined) continue;
      for (let c = row.length - 1; c >= 0; c--) {
        const v = row[c];
        if (v !== undefined && v !== '') {
          lastRow = r + 1;
          if (c + 1 > lastCol) lastCol = c + 1;
          break;
        }
      }
    }
    this.cachedLast = { v: this.version, row: lastRow, col: lastCol };
    return this.cachedLast;
  }

  insertRows(at: number, n: number): void {
    insertHoles(this.rows, at, n);
    insertHoles(this.extras, at, n);
    this.touch();
  }

  deleteRows(at: number, n: number): void {
    this.rows.splice(at, n);
    this.extras.splice(at, n);
    this.touch();
  }

  insertCols(at: number, n: number): void {
    for (const row of this.rows) if (row) insertHoles(row, at, n);
    for (const row of this.extras) if (row) insertHoles(row, at, n);
    this.touch();
  }

  deleteCols(at: number, n: number): void {
    for (const row of this.rows) if (row) row.splice(at, n);
    for (const row of this.extras) if (row) row.splice(at, n);
    this.touch();
  }
}

/** Inserts n empty slots before index `at` (no-op past the end); safe for very large n. */
function insertHoles(arr: unknown[], at: number, n: number): void {
  const len = arr.length;
  if (at >= len) return;
  arr.length = len + n;
  arr.copyWithin(at + n, at, len);
  for (let i = at; i < at + n; i++) arr[i] = undefined;
}

/** New [start, length] of a 1-based interval after inserting n lines before line `at`. */
export function shiftOnInsert(start: number, len: number, at: number, n: number): [number, number] {
  if (at <= start) return [start + n, len];
  if (at < start + len) return [start, len + n];
  return [start, len];
}

/** New [start, length] after deleting lines at..at+n-1, or null when nothing is left. */
export function shiftOnDelete(start: number, len: number, at: number, n: number): [number, number] | null {
  const end = start + len - 1;
  const delEnd = at + n - 1;
  if (delEnd < start) return [start - n, len];
  if (at > end) return [start, len];
  const overlap = Math.min(end, delEnd) - Math.max(start, at) + 1;
  const newLen = len - overlap;
  if (newLen <= 0) return null;
  return [Math.min(start, at), newLen];
}
