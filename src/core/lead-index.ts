// The 19:45 lead index (issue #16), pure part: a compact copy of the «Аналитика» values the head-of-sales
// email reads (RESULT_KEYS), one entry per lead, keyed by the row's «Обновлено». Identity by stamp, not
// by row number: inserted, deleted or sorted rows keep their stamps, so only rows whose stamp is new,
// missing or shared in a way that changed need reading again. No service calls here.
import { RESULT_KEYS } from './reports';
import type { CellValue } from './analytics';
import { isDate } from './text';

/** Format version: an index of another version is ignored (the report reads the sheet instead). */
export const LEAD_INDEX_VERSION = 1;
/** The stamp: every onEdit of a non-empty row writes it (handleAnalyticsEdit). */
export const STAMP_KEY = 'updatedAt';
/** The values kept per lead, in this order (the stamp is kept apart). */
export const LEAD_INDEX_KEYS: readonly string[] = RESULT_KEYS.filter((k) => k !== STAMP_KEY);
/** Characters per index cell: under Google's 50,000 per cell, with room to spare. */
export const MAX_CELL_CHARS = 45_000;

export interface LeadIndexMeta {
  v: number;
  /** Matches the document property the invalidating writers replace (jobs/lead-index.ts). */
  epoch: string;
  builtAt: number;
  sheetId: number;
  /** 0-based sheet columns of RESULT_KEYS (in RESULT_KEYS order) when built: a moved or renamed header invalidates. */
  columns: number[];
  keys: string[];
  entries: number;
}

export interface LeadEntry {
  stamp: number;
  /** LEAD_INDEX_KEYS values. */
  values: CellValue[];
}

/** JSON-safe form of a cell: Dates (and -0, which JSON loses) as small objects; nothing else is an object. */
function encodeValue(v: CellValue): unknown {
  if (typeof v === 'object') return isDate(v) ? { d: v.getTime() } : String(v);
  if (typeof v === 'number' && Object.is(v, -0)) return { z: 1 };
  return v;
}

function decodeValue(x: unknown): CellValue {
  if (x !== null && typeof x === 'object') {
    const o = x as { d?: number; z?: number };
    if (typeof o.d === 'number') return new Date(o.d);
    if (o.z === 1) return -0;
    throw new Error('lead index: bad value');
  }
  if (typeof x === 'string' || typeof x === 'number' || typeof x === 'boolean') return x;
  throw new Error('lead index: bad value');
}

export function encodeEntry(e: LeadEntry): string {
  return JSON.stringify([e.stamp, ...e.values.map(encodeValue)]);
}

/**
 * A 64-bit FNV-1a digest (two 32-bit lanes) of the index cells, in hex. Kept in the document properties
 * with the epoch, where no person can change it: a line someone edits in the hidden sheet — even into a
 * valid-looking entry — no longer matches, and the report reads «Аналитика» instead. Not a defence
 * against someone crafting a collision: such a person could as well type into «Аналитика» itself.
 */
export function digestCells(cells: readonly unknown[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (const cell of cells) {
    const text = String(cell);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
    }
    // A cell boundary counts: ["ab", "c"] and ["a", "bc"] differ.
    a = Math.imul(a ^ 0x10ffff, 0x01000193);
    b = Math.imul(b ^ 0x10ffff, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

/** Lines packed into cells of at most `maxChars`; a line longer than that is left out (its row is read instead). */
export function packLines(lines: readonly string[], maxChars = MAX_CELL_CHARS): { cells: string[]; kept: number } {
  const cells: string[] = [];
  let current: string[] = [];
  let size = 0;
  let kept = 0;
  for (const line of lines) {
    if (line.length > maxChars) continue;
    if (size + line.length + 1 > maxChars && current.length > 0) {
      cells.push(current.join('\n'));
      current = [];
      size = 0;
    }
    current.push(line);
    size += line.length + 1;
    kept++;
  }
  if (current.length > 0) cells.push(current.join('\n'));
  return { cells, kept };
}

/** Throws on anything malformed: the caller then reads the sheet instead. */
export function unpackEntries(cells: readonly unknown[], width: number): LeadEntry[] {
  const out: LeadEntry[] = [];
  for (const cell of cells) {
    if (typeof cell !== 'string') throw new Error('lead index: bad cell');
    if (cell === '') continue;
    for (const line of cell.split('\n')) {
      const arr = JSON.parse(line) as unknown[];
      if (!Array.isArray(arr) || arr.length !== width + 1 || typeof arr[0] !== 'number') throw new Error('lead index: bad entry');
      out.push({ stamp: arr[0], values: arr.slice(1).map(decodeValue) });
    }
  }
  return out;
}

/**
 * For each current row, the entry holding its values, or -1 when the row must be read. A row is matched
 * when its «Обновлено» is a date and the index and the sheet hold that stamp on the same number of rows:
 * the k-th such row of the sheet is then the k-th of the index (inserting and deleting rows keep the order
 * of the rest; sorts and moves invalidate the whole index, see jobs/lead-index.ts). Rows without a date
 * stamp (never edited, cleared, inserted) are always read.
 */
export function matchRows(entries: readonly LeadEntry[], stamps: readonly CellValue[]): number[] {
  const byStamp = new Map<number, number[]>();
  entries.forEach((e, i) => {
    const list = byStamp.get(e.stamp);
    if (list) list.push(i); else byStamp.set(e.stamp, [i]);
  });
  const times = stamps.map((s) => (typeof s === 'object' && isDate(s) ? s.getTime() : NaN));
  const count = new Map<number, number>();
  for (const t of times) if (!Number.isNaN(t)) count.set(t, (count.get(t) ?? 0) + 1);
  const rank = new Map<number, number>();
  return times.map((t) => {
    if (Number.isNaN(t)) return -1;
    const list = byStamp.get(t);
    if (!list || list.length !== count.get(t)) return -1;
    const k = rank.get(t) ?? 0;
    rank.set(t, k + 1);
    return list[k];
  });
}

/**
 * Rows to read (0-based, ascending) as exactly `k` [first, last] blocks (a job's calls must not depend on
 * the data, SPEC §6): split at the k − 1 widest gaps; with fewer groups, the tallest block is halved; with
 * fewer rows than k, blocks repeat (a one-row read costs ~7 ms). Empty when there is no row at all.
 */
export function fixedBlocks(rows: readonly number[], k: number): Array<[number, number]> {
  if (rows.length === 0) return [];
  const gaps = rows.slice(1).map((r, i) => ({ at: i + 1, width: r - rows[i] })).filter((g) => g.width > 1);
  const cuts = gaps.sort((a, b) => b.width - a.width || a.at - b.at).slice(0, k - 1).map((g) => g.at).sort((a, b) => a - b);
  const blocks: Array<[number, number]> = [];
  let start = 0;
  for (const c of [...cuts, rows.length]) {
    blocks.push([rows[start], rows[c - 1]]);
    start = c;
  }
  while (blocks.length < k) {
    let tallest = 0;
    blocks.forEach((b, i) => { if (b[1] - b[0] > blocks[tallest][1] - blocks[tallest][0]) tallest = i; });
    const [a, z] = blocks[tallest];
    if (z > a) {
      const mid = Math.floor((a + z) / 2);
      blocks.splice(tallest, 1, [a, mid], [mid + 1, z]);
    } else {
      blocks.push([a, z]);
    }
  }
  return blocks;
}
