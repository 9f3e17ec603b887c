// The schedule's runners: what each daily slot does. The tick itself is in scheduler.ts.
import { jobClock } from '../gas/clock';
import { runSweep } from './analytics';
import { runInvoiceStatuses } from './invoices';
import { runTick, type ExtraWork, type Runners, type TickReport } from './scheduler';
import { isFunnelStale, runFunnelRefresh } from './funnel';
import { runRecalc } from './analytics';
import { hasPendingRows, takePendingRows } from './pending';
import { currentSettings } from '../gas/settings';
import { composeReport } from './reports';
import { runPartnerSync } from './partners';
import { partnerSyncSummary } from './partners-entry';

export const RUNNERS: Runners = {
  sweep: ({ ss, clock, settings }) => {
    const r = runSweep(ss, clock, settings);
    return r.missingSheet ? `нет листа «${r.missingSheet}»` : `«Ожидание»: обновлено строк ${r.changedRows} из ${r.rows}`;
  },
  invoices: ({ ss, clock, settings }) => {
    const r = runInvoiceStatuses(ss, clock, settings);
    return `статусы счетов: изменено ${r.changed} из ${r.rows}`;
  },
  partners: ({ ss, clock, settings }) => partnerSyncSummary(runPartnerSync(ss, clock, settings)),
  funnel: ({ ss, clock, settings }) => {
    const r = runFunnelRefresh(ss, clock, { currency: settings.currency });
    return r.missingSheet ? `нет листа «${r.missingSheet}»` : `воронка: лидов ${r.leads}`;
  },
  secretaryReport: ({ ss, settings, clock, due }) => composeReport('secretaryReport', ss, settings, clock.now, due.late ? due.minutesLate : undefined),
  headOfSalesReport: ({ ss, settings, clock, due }) => composeReport('headOfSalesReport', ss, settings, clock.now, due.late ? due.minutesLate : undefined),
};

/** Between slots: a dashboard an edit marked stale, rows an edit could not process. */
export const EXTRA_WORK: ExtraWork = {
  due: () => isFunnelStale() || hasPendingRows(),
  run: (ss, clock) => {
    const done: Array<{ job: string; result: string; ok: boolean }> = [];
    if (hasPendingRows()) {
      takePendingRows();
      const r = runRecalc(ss, clock);
      done.push({ job: 'recalc', result: `пересчёт отложенных правок: изменено ячеек ${r.changedCells}`, ok: true });
    }
    if (isFunnelStale()) {
      const r = runFunnelRefresh(ss, clock, { currency: currentSettings(ss).currency });
      done.push({ job: 'funnel', result: `воронка обновлена: лидов ${r.leads}`, ok: true });
    }
    return done;
  },
};

export function tick(): TickReport {
  const report = runTick(() => SpreadsheetApp.getActiveSpreadsheet(), RUNNERS, jobClock(), EXTRA_WORK);
  // The execution log (Apps Script «Executions») says what each tick did.
  for (const r of report.ran) console.log(`${r.ok ? 'OK' : 'ОШИБКА'} ${r.job}: ${r.result}`);
  if (report.skipped) console.log(`пропущено: ${report.skipped}`);
  return report;
}
