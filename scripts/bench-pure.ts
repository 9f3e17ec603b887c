// The pure layers of the product over a whole generated workbook, timed in Node CPU: evaluating every
// «Аналитика» row (recalc), the «Ожидание» rule (sweep), the funnel dashboard, the partner leads, and
// computing + rendering both daily reports. `npm run bench` runs this file in a fresh Node process, bundled
// by esbuild for the same target as dist/Code.js — the code as shipped, in a heap of its own (not the
// emulator's hundreds of MB of sheets, which would make the garbage collector the thing measured).
import { templateByKey } from '../sheets-templates';
import { evaluateSheet, idleSweepUpdates, type AnalyticsRow } from '../src/core/analytics';
import { localDateTimeToDate, MOSCOW, type LocalDate } from '../src/core/dates';
import { computeFunnel, funnelDashboard, telegramFunnelSummary } from '../src/core/funnel';
import { buildDirectory, collectLeads, type AnalyticsLeadRow } from '../src/core/partners';
import {
  computeHeadOfSalesReport, computeSecretaryReport, renderHeadOfSalesEmail, renderSecretaryEmail,
  type CallsRow, type InvoiceRow, type SecretaryRow,
} from '../src/core/reports';
import { DEFAULT_SETTINGS, parseSettings } from '../src/core/settings';
import { demoWorkbookRows } from '../sheets-templates/schema';
import {
  callsRows, demoReference, invoiceRows, MANAGERS, secretaryRows, sizesFor, steadyLeads, typedLeads,
} from './bench-data';

export interface PureTimes {
  rows: number;
  /** CPU ms of each layer over the whole sheet (the fastest of `runs`). */
  parts: Record<string, number>;
  totalMs: number;
}

/**
 * CPU ms of `fn`, the fastest of `runs`: on a shared machine other processes only ever add time (cache
 * and core contention), so the fastest run is the closest to what the code itself costs.
 */
function cpuMs(fn: () => void, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const from = process.cpuUsage();
    fn();
    const d = process.cpuUsage(from);
    best = Math.min(best, (d.user + d.system) / 1000);
  }
  return Math.round(best * 10) / 10;
}

/** Times every pure layer over a workbook of `leads` leads on `today` (what the sheets hold that morning). */
export function timePure(leads: number, seed: number, today: LocalDate, runs = 5): PureTimes {
  const sizes = sizesFor(leads);
  const ref = demoReference();
  const rows: AnalyticsRow[] = steadyLeads(typedLeads(leads, today, seed), ref, today, seed);
  const asReportRows = <T>(list: Array<Record<string, unknown>>) => list.map((values, i) => ({ rowNumber: i + 2, values })) as T[];
  const secretary = asReportRows<SecretaryRow>(secretaryRows(sizes.secretaryRows, today, seed));
  const calls = asReportRows<CallsRow>(callsRows(sizes.callsRows, today, seed));
  const invoices = asReportRows<InvoiceRow>(invoiceRows(sizes.invoiceRows, today, seed));
  const demo = (key: Parameters<typeof templateByKey>[0]) => demoWorkbookRows(templateByKey(key), today, MOSCOW);
  const settings = { ...DEFAULT_SETTINGS, ...parseSettings(demo('settings').map((r) => ({ name: String(r.name), value: r.value })), MOSCOW).settings };
  const partnerRows = demo('partners');
  const promoRows = demo('promoCodes');
  const managers = [...MANAGERS];
  const morning = localDateTimeToDate(today, MOSCOW, 6, 0);
  const evening = localDateTimeToDate(today, MOSCOW, 19, 45);
  const ctx = { spreadsheetUrl: 'https://docs.google.com/spreadsheets/d/bench', currency: settings.currency, tz: MOSCOW };

  const parts: Record<string, number> = {
    evaluateSheet: cpuMs(() => {
      const stuck = { days: settings.stuckDays, workingDays: settings.idleWorkingDays };
      evaluateSheet(rows.map((values, i) => ({ rowNumber: i + 2, values })), ref, { today, now: morning, tz: MOSCOW, random: Math.random, takenNumbers: new Set(), stuck });
    }, runs),
    idleSweep: cpuMs(() => {
      const opts = { today, idleDays: settings.idleDays, workingDays: settings.idleWorkingDays, tz: MOSCOW };
      for (const r of rows) idleSweepUpdates(r, opts);
    }, runs),
    funnel: cpuMs(() => { funnelDashboard(computeFunnel(rows, 'Всё время', morning, MOSCOW), { currency: settings.currency }); }, runs),
    partnerLeads: cpuMs(() => {
      const leadRows = rows.map((r, i): AnalyticsLeadRow => ({
        rowNumber: i + 2, name: r.name, username: r.username, promoCode: r.promoCode, partner: r.partner, stagePaid: r.stagePaid,
        paidAmount: r.paidAmount, individualNumber: r.individualNumber, projectInfo: r.projectInfo,
      }));
      collectLeads(leadRows, buildDirectory(partnerRows, promoRows), MOSCOW, today);
    }, runs),
    secretaryReport: cpuMs(() => {
      renderSecretaryEmail(computeSecretaryReport({ rows: secretary, now: localDateTimeToDate(today, MOSCOW, 11, 0), tz: MOSCOW, managers }), ctx);
    }, runs),
    headOfSalesReport: cpuMs(() => {
      const funnel = telegramFunnelSummary(rows, today, MOSCOW, { staleDays: settings.staleAnalyticsDays, managers });
      renderHeadOfSalesEmail(computeHeadOfSalesReport({ calls, invoices, managers, settings, funnel, now: evening, tz: MOSCOW }), ctx);
    }, runs),
  };
  const totalMs = Math.round(Object.values(parts).reduce((a, b) => a + b, 0) * 10) / 10;
  return { rows: rows.length, parts, totalMs };
}

// `node bench-pure.mjs LEADS SEED DAY` (or this file with tsx) prints the times as one JSON line.
if (process.argv[1] && /bench-pure(-\d+)?\.(mjs|ts)$/.test(process.argv[1]) && process.argv.length >= 5) {
  const [leads, seed, today] = process.argv.slice(2);
  console.log(JSON.stringify(timePure(Number(leads), Number(seed), today)));
}
