// The schedule's runners: what each daily slot does. The tick itself is in scheduler.ts.
import { jobClock } from '../gas/clock';
import { readAnalytics, runSweep } from './analytics';
import { runInvoiceStatuses } from './invoices';
import { reportTickFailure, runTick, type ExtraWork, type JobRun, type Runners, type TickReport } from './scheduler';
import { funnelRedrawDue, markFunnelRedrawNow, runFunnelRefresh } from './funnel';
import { hasPendingRows } from './pending';
import { hasRecalcCursor, recalcStep, tickRecalcText } from './recalc';
import { currentSettings } from '../gas/settings';
import { withRetry } from '../gas/retry';
import { flushJournalQueue, hasQueuedJournal } from '../gas/journal-queue';
import { MOSCOW } from '../core/dates';
import { composeReport } from './reports';
import { composeManagerEmails } from './manager-emails';
import { runPartnerSync } from './partners';
import { partnerSyncSummary } from './partners-entry';
import { IDLE_SWEEP_KEYS } from '../core/analytics';
import { ANALYTICS_LEAD_KEYS } from '../core/partners';
import type { Table } from '../gas/table';

/**
 * The «Аналитика» columns the 06:00 jobs (sweep, partners) need between them. «Воронка» runs at 06:05
 * (core/schedule.ts): when a late tick runs it with them, it reads its own columns.
 */
const MORNING_ANALYTICS_KEYS: readonly string[] = [...new Set<string>([...IDLE_SWEEP_KEYS, ...ANALYTICS_LEAD_KEYS])];

/**
 * «Аналитика» read once for the jobs of one tick: at 100,000 leads a read of these columns is ~50 s of
 * the 6 minutes, so the morning jobs share it. The sweep's writes update the shared rows.
 */
function morningAnalytics(run: JobRun): Table | null {
  if (!run.shared.has('analytics')) run.shared.set('analytics', readAnalytics(run.ss, MORNING_ANALYTICS_KEYS));
  return run.shared.get('analytics') as Table | null;
}

export const RUNNERS: Runners = {
  sweep: (run) => {
    const { ss, clock, settings } = run;
    const r = runSweep(ss, clock, settings, { analytics: morningAnalytics(run) });
    // A retried sweep runs after today's «Воронка» was drawn without its «Ожидание» marks: the next
    // tick redraws it, the hourly bound on redraws after edits notwithstanding.
    if (run.due.attempt > 1 && r.changedRows > 0) markFunnelRedrawNow();
    return r.missingSheet ? `нет листа «${r.missingSheet}»` : `«Ожидание»: обновлено строк ${r.changedRows} из ${r.rows}`;
  },
  invoices: ({ ss, clock, settings }) => {
    const r = runInvoiceStatuses(ss, clock, settings);
    return `статусы счетов: изменено ${r.changed} из ${r.rows}`;
  },
  partners: (run) => {
    const r = runPartnerSync(run.ss, run.clock, run.settings, { analytics: morningAnalytics(run) });
    const summary = partnerSyncSummary(r);
    // A partner whose file failed fails the job (the others are synced): the admin is alerted and the
    // schedule retries it with backoff (next tick, then 10, 20, 40 … minutes: core/schedule.ts); a
    // retry changes nothing for the partners already done.
    const failed = r.partners.filter((p) => p.status === 'failed').map((p) => p.partner);
    if (failed.length > 0) throw new Error([summary, ...r.problems.filter((p) => failed.some((name) => p.includes(name)))].join('. '));
    return summary;
  },
  funnel: (run) => {
    const { ss, clock, settings } = run;
    // Its own read: a morning read already made in this tick lacks its columns (runFunnelRefresh checks).
    const analytics = (run.shared.get('analytics') as Table | null | undefined) ?? undefined;
    const r = runFunnelRefresh(ss, clock, { currency: settings.currency, analytics });
    return r.missingSheet ? `нет листа «${r.missingSheet}»` : `воронка: лидов ${r.leads}`;
  },
  // `day`: yesterday's email caught up this morning reports on yesterday, not today.
  secretaryReport: ({ ss, settings, clock, due }) => composeReport('secretaryReport', ss, settings, clock.now, { lateMinutes: due.late ? due.minutesLate : undefined, day: due.day }),
  // Reads «Аналитика» through the lead index and writes it afresh for tomorrow (jobs/lead-index.ts).
  headOfSalesReport: ({ ss, settings, clock, due }) => composeReport('headOfSalesReport', ss, settings, clock.now, { lateMinutes: due.late ? due.minutesLate : undefined, day: due.day, leadIndex: 'refresh' }),
  // One email per manager, each exactly once a day (its own marker): see scheduler.ts sendBatch.
  managersReport: ({ ss, settings, clock, due }) => composeManagerEmails(ss, settings, clock.now, { lateMinutes: due.late ? due.minutesLate : undefined, day: due.day }).batch,
};

/**
 * When this tick started: runTick asks EXTRA_WORK.due() first, so a recalculation chunk in run() knows how
 * much of the execution's wall time the daily jobs before it used (a start older than one execution's
 * 6 minutes is from another one and is ignored).
 */
let tickStartedAt: number | null = null;
/** A tick that recalculated more rows than this leaves «Воронка» to the next tick: each alone can take half the limit at 260,000 leads. */
const HEAVY_RECALC_ROWS = 20_000;

/** Between slots: a dashboard an edit marked stale, rows an edit could not process, an unfinished «Пересчитать». */
export const EXTRA_WORK: ExtraWork = {
  // One read of the document properties answers all (this runs on every tick, 288 times a day).
  due: () => {
    tickStartedAt = Date.now();
    const flags = withRetry(() => PropertiesService.getDocumentProperties().getProperties());
    return funnelRedrawDue(flags, Date.now()) || hasPendingRows(flags) || hasRecalcCursor(flags) || hasQueuedJournal(flags);
  },
  run: (ss, clock) => {
    const done: Array<{ job: string; result: string; ok: boolean }> = [];
    const startedAt = tickStartedAt !== null && Date.now() - tickStartedAt < 6 * 60_000 ? tickStartedAt : Date.now();
    tickStartedAt = null;
    let heavy = false;
    const pending = withRetry(() => PropertiesService.getDocumentProperties().getProperties());
    if (hasPendingRows(pending) || hasRecalcCursor(pending)) {
      // Deferred rows over their own rows; a sort, or an unfinished «Пересчитать», one chunk further.
      const step = recalcStep(ss, clock, { menu: false, startedAt });
      heavy = step.late === true || (step.report?.rows ?? 0) > HEAVY_RECALC_ROWS;
      done.push({ job: 'recalc', result: tickRecalcText(step), ok: true });
    }
    // A stale «Воронка» at most hourly: edits in the hour after a redraw wait for the next one.
    if (!heavy && funnelRedrawDue(withRetry(() => PropertiesService.getDocumentProperties().getProperties()), clock.now.getTime())) {
      const r = runFunnelRefresh(ss, clock, { currency: currentSettings(ss).currency });
      done.push({ job: 'funnel', result: `воронка обновлена: лидов ${r.leads}`, ok: true });
    }
    // Managers' edits wait in a queue: their onEdit may not write the protected «Журнал», the tick may.
    const flags = withRetry(() => PropertiesService.getDocumentProperties().getProperties());
    if (hasQueuedJournal(flags)) {
      const written = flushJournalQueue(ss, MOSCOW);
      done.push({ job: 'journal', result: written ? 'журнал: записаны правки из очереди' : 'журнал: у владельца расписания нет прав на «Журнал», правки ждут в очереди', ok: written });
    }
    return done;
  },
};

export function tick(): TickReport {
  const clock = jobClock();
  let report: TickReport;
  try {
    report = runTick(() => SpreadsheetApp.getActiveSpreadsheet(), RUNNERS, clock, EXTRA_WORK);
  } catch (error) {
    // Outside any one job (the lock, the settings, the extra work): the admin still hears of it.
    reportTickFailure(error, clock);
    throw error;
  }
  // The execution log (Apps Script «Executions») says what each tick did.
  for (const r of report.ran) console.log(`${r.ok ? 'OK' : 'ОШИБКА'} ${r.job}: ${r.result}`);
  if (report.skipped) console.log(`пропущено: ${report.skipped}`);
  return report;
}
