// Faults at every service call of the menu jobs and the edit trigger (see faults-cases.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { CASES, runCase } from './faults-cases';
import { Tally } from './harness';

const tally = new Tally('faults-menu');
afterAll(() => tally.write());

const NAMES = ['Настроить таблицу', 'onEdit', 'Пересчитать', 'Отметить «Ожидание»', 'Обновить воронку'];

describe('a fault at every service call: setup, edit, recalculation, sweep, funnel', () => {
  for (const c of CASES.filter((x) => NAMES.some((n) => x.name.startsWith(n)))) {
    it(`${c.name}: completes after retries or fails loudly, never half-written, the next run recovers`, async () => {
      const failures = await runCase(c, tally);
      expect(failures.slice(0, 12), `${failures.length} fault runs failed`).toEqual([]);
    });
  }
});
