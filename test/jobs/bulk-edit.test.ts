// Sorting, moving rows or clearing a column arrive as one onEdit over every row. The trigger leaves them
// to the next recalculation (a handful of calls at any height), and that recalculation stamps «Обновлено»
// only on the rows whose values actually changed, so the column still shows who stopped working.
import { describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import { onEdit } from '../../src/main';
import { runSetup } from '../../src/jobs/setup';
import { runRecalc } from '../../src/jobs/analytics';
import { peekPendingRows } from '../../src/jobs/pending';
import { EXTRA_WORK } from '../../src/jobs/tick-entry';
import { columnLetter } from '../../src/core/header-map';
import { makeWorld, moscow } from '../support/env';

const A = templateByKey('analytics');
const colOf = (key: string) => A.columns.findIndex((c) => c.key === key) + 1;
const WIDTH = A.columns.length;
const LAST = columnLetter(WIDTH);

function leadRow(values: Record<string, unknown>): unknown[] {
  const row: unknown[] = new Array(WIDTH).fill('');
  for (const [k, v] of Object.entries(values)) row[colOf(k) - 1] = v;
  return row;
}

/** `count` settled leads, each with its own old «Обновлено» (lead i: 1 Nov + i minutes). */
function worldWithLeads(count: number) {
  const w = makeWorld({ at: '2026-11-20 10:00' });
  runSetup(w.ss);
  const sheet = w.ss.getSheetByName(A.name)!;
  const emu = w.env.world.getActive()!.getSheetByName(A.name) as never;
  const clock = () => ({ now: new Date(w.env.ctx.clock.now()), random: w.env.ctx.random, user: 'owner@example.com' });
  const stamp = (i: number) => new Date(moscow('2026-11-01 09:00').getTime() + i * 60_000);
  w.env.ctx.recorder.quiet(() => {
    sheet.insertRowsAfter(sheet.getMaxRows(), count);
    sheet.getRange(2, 1, count, WIDTH).setValues(Array.from({ length: count }, (_, i) => leadRow({
      firstContactDate: moscow('2026-11-10'), name: `Лид ${i}`, username: `@lead_${i}x`, stageFirstContact: moscow('2026-11-10'),
      promoCode: i % 7 === 0 ? 'sydorenko' : '',
    })));
    runRecalc(w.ss, clock());
    sheet.getRange(2, colOf('updatedAt'), count, 1).setValues(Array.from({ length: count }, (_, i) => [stamp(i)]));
  });
  w.env.ctx.clock.set(moscow('2026-11-23 11:00').getTime());
  const rows = () => w.env.ctx.recorder.quiet(() => sheet.getRange(2, 1, count, WIDTH).getValues());
  /** A person's edit of `a1` with `values`, and the onEdit it fires; returns the trigger's calls. */
  const edit = (a1: string, values: unknown[][]) => {
    const e = w.env.world.userEdit(emu, a1, values);
    w.env.ctx.recorder.reset();
    w.env.beginExecution('simpleTrigger');
    try { onEdit(e); } finally { w.env.endExecution(); }
    return { calls: Object.fromEntries(w.env.ctx.recorder.counts), rangeIo: w.env.ctx.recorder.rangeIo() };
  };
  /** The next tick's work between slots: the recalculation of deferred rows. */
  const tick = () => {
    w.env.beginExecution('installableTrigger', { origin: 'CLOCK' });
    try { return EXTRA_WORK.run(w.ss, clock()); } finally { w.env.endExecution(); }
  };
  return { ...w, sheet, rows, edit, tick, stamp };
}

const name = (row: unknown[]) => String(row[colOf('name') - 1]);
const leadIndex = (row: unknown[]) => Number(name(row).replace('Лид ', ''));
const updatedAt = (row: unknown[]) => row[colOf('updatedAt') - 1];

describe('a sort, row move or column clear over thousands of rows', () => {
  it('is left to the next recalculation at a fixed cost, which restamps «Обновлено» only where values changed', () => {
    const { rows, edit, tick, stamp } = worldWithLeads(5_000);

    // A sort of the first 600 rows and one of all 5,000 cost the same handful of calls, none of them a range.
    const small = edit(`A2:${LAST}601`, rows().slice(0, 600).reverse());
    const sorted = rows().reverse();
    // Three leads were also worked on in the same operation (a move that carried new stage marks).
    const worked = new Set([17, 2_500, 4_321]);
    for (const row of sorted) if (worked.has(leadIndex(row))) row[colOf('stageNegotiation') - 1] = 'x';
    const big = edit(`A2:${LAST}5001`, sorted);
    expect(big.calls).toEqual(small.calls);
    expect(big.rangeIo).toBe(0);
    // The sheet's name, the range's position, two property writes (the rows, «Воронка» stale), one toast.
    expect(Object.values(big.calls).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(15);
    expect(peekPendingRows().map((p) => [p[1], p[2], p[4]]).sort((a, b) => Number(a[1]) - Number(b[1]))).toEqual([[2, 600, 'bulk'], [2, 5_000, 'bulk']]);

    // Nothing was evaluated yet: the marks are as typed.
    expect(rows().filter((r) => r[colOf('stageNegotiation') - 1] === 'x')).toHaveLength(3);

    const done = tick();
    expect(done.map((d) => d.job)).toContain('recalc');
    expect(peekPendingRows()).toEqual([]);
    const after = rows();
    const editedAt = moscow('2026-11-23 11:00').getTime();
    let untouched = 0;
    for (const row of after) {
      const i = leadIndex(row);
      if (worked.has(i)) {
        expect(row[colOf('stageNegotiation') - 1]).toBeInstanceOf(Date);
        expect(row[colOf('currentStage') - 1]).toBe('Переговоры и отправка планов');
        expect((updatedAt(row) as Date).getTime()).toBe(editedAt);
      } else {
        expect(updatedAt(row), `«Обновлено» of ${name(row)}`).toEqual(stamp(i));
        untouched++;
      }
    }
    expect(untouched).toBe(5_000 - worked.size);
  });

  it('treats a whole column cleared on a short sheet the same way', () => {
    const { env, sheet, rows, edit, tick, stamp } = worldWithLeads(40);
    env.ctx.recorder.quiet(() => sheet.deleteRows(61, sheet.getMaxRows() - 60)); // a grid of 60 rows
    const maxRows = sheet.getMaxRows();
    expect(maxRows).toBe(60);
    const promo = colOf('promoCode');
    // The column below its header, to the grid's last row: what selecting the cells and pressing Delete sends.
    const cleared = edit(`${columnLetter(promo)}2:${columnLetter(promo)}${maxRows}`, Array.from({ length: maxRows - 1 }, () => ['']));
    expect(cleared.rangeIo).toBe(0);
    tick();
    for (const row of rows()) {
      const i = leadIndex(row);
      if (i % 7 === 0) {
        // The code is gone: the discount it gave is cleared, and the row counts as worked on.
        expect(row[colOf('discountPercent') - 1]).toBe('');
        expect((updatedAt(row) as Date).getTime()).toBe(moscow('2026-11-23 11:00').getTime());
      } else {
        expect(updatedAt(row)).toEqual(stamp(i));
      }
    }
  });
});
