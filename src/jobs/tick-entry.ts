// The schedule's runners: what each daily slot does. The tick itself is in scheduler.ts.
import { jobClock } from '../gas/clock';
import { runSweep } from './analytics';
import { runInvoiceStatuses } from './invoices';
import { runTick, type Runners, type TickReport } from './scheduler';

export const RUNNERS: Runners = {
  sweep: ({ ss, clock, settings }) => {
    const r = runSweep(ss, clock, settings);
    return r.missingSheet ? `нет листа «${r.missingSheet}»` : `«Ожидание»: обновлено строк ${r.changedRows} из ${r.rows}`;
  },
  invoices: ({ ss, clock, settings }) => {
    const r = runInvoiceStatuses(ss, clock, settings);
    return `статусы счетов: изменено ${r.changed} из ${r.rows}`;
  },
};

export function tick(): TickReport {
  return runTick(() => SpreadsheetApp.getActiveSpreadsheet(), RUNNERS, jobClock());
}
