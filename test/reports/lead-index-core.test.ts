// The pure part of the 19:45 lead index: lossless encoding, packing under the cell limit, matching rows
// by their «Обновлено» stamp through inserted, deleted and re-stamped rows.
import { describe, expect, it } from 'vitest';
import { encodeEntry, fixedBlocks, LEAD_INDEX_KEYS, matchRows, packLines, unpackEntries, type LeadEntry } from '../../src/core/lead-index';

const W = LEAD_INDEX_KEYS.length;
const values = (seed: number) => Array.from({ length: W }, (_, i) => (i === 0 ? new Date(1_790_000_000_000 + seed) : i === 1 ? `Менеджер "${seed}"\nвторая строка` : i === 2 ? -0 : i === 3 ? 1234.5 : i === 4 ? true : ''));
const entry = (stamp: number, seed = stamp): LeadEntry => ({ stamp, values: values(seed) });
const date = (t: number) => new Date(t);

describe('lead index encoding', () => {
  it('gives back every value exactly: dates to the millisecond, -0, text with quotes and line breaks', () => {
    const entries = [entry(1), entry(2), entry(3)];
    const { cells, kept } = packLines(entries.map(encodeEntry));
    expect(kept).toBe(3);
    const back = unpackEntries(cells, W);
    expect(back).toEqual(entries);
    expect(Object.is(back[0].values[2], -0)).toBe(true);
  });

  it('packs lines under the per-cell limit and leaves out a line longer than a cell', () => {
    const lines = Array.from({ length: 100 }, (_, i) => encodeEntry(entry(i)));
    const { cells, kept } = packLines([...lines, 'x'.repeat(2_000)], 1_000);
    expect(kept).toBe(100);
    expect(cells.every((c) => c.length <= 1_000)).toBe(true);
    expect(unpackEntries(cells, W).map((e) => e.stamp)).toEqual(lines.map((_, i) => i));
  });

  it('throws on a damaged line, so the report reads the sheet instead', () => {
    expect(() => unpackEntries(['[1,2'], W)).toThrow();
    expect(() => unpackEntries([`[1,${'"a",'.repeat(W - 1)}{"q":1}]`], W)).toThrow();
  });
});

describe('matching rows to entries by stamp', () => {
  const index = [entry(10), entry(20), entry(30), entry(30), entry(40)];
  it('follows rows through inserted and deleted rows', () => {
    // Row of 20 deleted, a blank row inserted on top, a new row (stamp 50) appended.
    expect(matchRows(index, ['', date(10), date(30), date(30), date(40), date(50)])).toEqual([-1, 0, 2, 3, 4, -1]);
  });
  it('reads a shared stamp again when its rows are not all there (which one went is unknown)', () => {
    expect(matchRows(index, [date(10), date(20), date(30), date(40)])).toEqual([0, 1, -1, 4]);
  });
  it('never matches a row without a date stamp', () => {
    expect(matchRows([{ stamp: 0, values: values(0) }], [0, '', 'x'])).toEqual([-1, -1, -1]);
  });
});

describe('blocks of rows to read again', () => {
  it('are always the same number, split at the widest gaps', () => {
    expect(fixedBlocks([1, 2, 3, 10, 500, 502, 9_000], 3)).toEqual([[1, 10], [500, 502], [9_000, 9_000]]);
    expect(fixedBlocks([5, 6, 7, 8], 3)).toEqual([[5, 5], [6, 6], [7, 8]]);
    expect(fixedBlocks([4], 3)).toEqual([[4, 4], [4, 4], [4, 4]]);
    expect(fixedBlocks([], 3)).toEqual([]);
  });
});
