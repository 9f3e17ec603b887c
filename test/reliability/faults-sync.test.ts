// Faults at every service call of the partner sync, both reports and the scheduled tick (see faults-cases.ts).
import { afterAll, describe, expect, it } from 'vitest';
import { CASES, runCase } from './faults-cases';
import { Tally } from './harness';

const tally = new Tally('faults-sync');
afterAll(() => tally.write());

const NAMES = ['Синхронизировать партнёров', 'Отчёт', 'Расписание'];

describe('a fault at every service call: partner sync, reports, the tick', () => {
  for (const c of CASES.filter((x) => NAMES.some((n) => x.name.startsWith(n)))) {
    it(`${c.name}: completes after retries or fails loudly, never half-written, no email lost or doubled, the next run recovers`, async () => {
      const failures = await runCase(c, tally);
      expect(failures.slice(0, 12), `${failures.length} fault runs failed`).toEqual([]);
    });
  }
});
