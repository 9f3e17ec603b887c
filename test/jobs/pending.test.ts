// Rows an edit had to defer (the lock was busy) must all reach the next recalculation, even when two
// people's edits defer at the same moment.
import { describe, expect, it } from 'vitest';
import { hasPendingRows, peekPendingRows, queuePendingRows, withPendingRows } from '../../src/jobs/pending';
import { makeWorld } from '../support/env';

describe('edits deferred while a job holds the lock', () => {
  it('keeps both of two edits deferred at the same moment for the next recalculation', () => {
    const { env } = makeWorld();
    let nested = false;
    // The second edit queues its rows in the middle of the first one's properties call.
    env.ctx.recorder.injectFault({
      method: (m) => {
        if (!nested && m.startsWith('Properties.')) { nested = true; queuePendingRows('Аналитика', 9, 1); }
        return false;
      },
      error: 'never thrown',
    });
    queuePendingRows('Аналитика', 5, 2);
    expect(nested).toBe(true);
    const rows = peekPendingRows().map(([sheet, row, count]) => [sheet, row, count]);
    expect(rows).toEqual(expect.arrayContaining([['Аналитика', 5, 2], ['Аналитика', 9, 1]]));
    expect(rows).toHaveLength(2);
    let seen: unknown[] = [];
    withPendingRows((taken) => { seen = taken; });
    expect(seen).toHaveLength(2);
    expect(hasPendingRows()).toBe(false);
  });

  it('answers «is a recalculation due?» with one properties call', () => {
    const { env } = makeWorld();
    queuePendingRows('Аналитика', 5, 1);
    env.ctx.recorder.reset();
    expect(hasPendingRows()).toBe(true);
    expect(env.ctx.recorder.total((m) => m.startsWith('Properties.'))).toBe(1);
  });

  it('puts the rows back when the recalculation fails, next to an edit deferred meanwhile', () => {
    makeWorld();
    queuePendingRows('Аналитика', 5, 1);
    expect(() => withPendingRows(() => { queuePendingRows('Аналитика', 7, 1); throw new Error('Service Spreadsheets timed out'); })).toThrow();
    expect(peekPendingRows().map((r) => r[1]).sort()).toEqual([5, 7]);
  });

  it('still recalculates rows a previous version queued as one list', () => {
    makeWorld();
    PropertiesService.getDocumentProperties().setProperty('analytics:pending', JSON.stringify([['Аналитика', 4, 1, 1]]));
    expect(hasPendingRows()).toBe(true);
    let seen: unknown[] = [];
    withPendingRows((taken) => { seen = taken; });
    expect(seen).toEqual([['Аналитика', 4, 1, 1]]);
    expect(hasPendingRows()).toBe(false);
  });
});
