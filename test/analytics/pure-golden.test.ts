// Golden outputs of the pure layers that scripts/bench-pure.ts times, on a fixed seeded workbook of 5,000
// leads plus a "messy" copy (typed dates, marks, serials, old and odd instants, bad values). The hashes were
// taken from the code before its hot paths were optimised: a speed-up must not change a single byte, and
// the machine's time zone must not matter (each hash is checked under three process zones). The data comes
// from scripts/bench-data.ts: a deliberate change there (or to a rule) needs new hashes, printed by
// `GOLDEN_PRINT=1 npx vitest run test/analytics/pure-golden.test.ts`.
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { templateByKey } from '../../sheets-templates';
import { demoWorkbookRows } from '../../sheets-templates/schema';
import { seededRandom } from '../../emulator/context';
import {
  evaluateRow, evaluateSheet, idleSweepUpdates, type AnalyticsKey, type AnalyticsRow, type CellValue,
} from '../../src/core/analytics';
import { localDateTimeToDate, MOSCOW, type LocalDate } from '../../src/core/dates';
import { computeFunnel, FUNNEL_PERIODS, funnelDashboard, telegramFunnelSummary } from '../../src/core/funnel';
import { buildDirectory, collectLeads, type AnalyticsLeadRow } from '../../src/core/partners';
import {
  computeHeadOfSalesReport, computeSecretaryReport, renderHeadOfSalesEmail, renderSecretaryEmail,
  type CallsRow, type InvoiceRow, type SecretaryRow,
} from '../../src/core/reports';
import { DEFAULT_SETTINGS, parseSettings } from '../../src/core/settings';
import {
  callsRows, demoReference, dice, invoiceRows, MANAGERS, secretaryRows, sizesFor, steadyLeads, typedLeads,
} from '../../scripts/bench-data';

const LEADS = 5_000;
const SEED = 7;
const TODAY: LocalDate = '2026-11-23';

type Row = Record<string, CellValue>;
const at = (y: number, mo: number, d: number, h = 0, mi = 0) => new Date(Date.UTC(y, mo - 1, d, h, mi));

/** Cell values the rules must read or reject: typed dates, marks, serials, instants off midnight, old zones. */
const ODD_DATES: CellValue[] = [
  '21.11.2026', '21.11.26', '2026-11-21', '21.11', '29.02', '31.02.2026', ' 5/3/2025 ', 'вчера', '', '  ', 'x', 'Х', '+',
  '✓', 'TRUE', 'да', 1, true, false, 46_000, 45_987.75, 12, -3, Number.NaN, '=TODAY()',
  at(2026, 11, 20, 21), at(2026, 11, 21, 9, 30), at(2026, 11, 24, 21), at(2027, 3, 1),
  // Moscow was UTC+3 with summer time to 2011, UTC+4 2011–2014: dates and instants from those years.
  at(2010, 3, 27, 21), at(2010, 3, 28, 1), at(2010, 10, 30, 20), at(2010, 10, 31, 0, 30), at(2012, 6, 1, 19, 59),
  at(2012, 6, 1, 20), at(2014, 10, 25, 20), at(2014, 10, 25, 22), at(1995, 1, 1, 21), at(1991, 3, 31, 0),
];
const ODD_TEXT: Record<string, CellValue[]> = {
  username: ['t.me/some_nick', 'https://t.me/Nick_Name', 'nick_only', '@a b', '@x', '@@dup', 'Ник', ' @Spaced_Nick '],
  paidAmount: ['1 200,50', '€1200', '1,200.50', '1.200,50', 'abc', -5, 0, '12..5', '350 руб.', 'USD 550'],
  questionnaireFilled: ['да', 'no', 'maybe', 'Д', 'TRUE', ' нет '],
  promoCode: ['super20', ' welcome10 ', 'SUPER20', 'нет такого', '=IMPORTXML(1)'],
  partner: ['Иван Петров', 'иван петров', 'Неизвестный', ''],
  plan: ['personal', ' LITE ', 'Unknown', 'Pro'],
  individualNumber: ['ABC-ab-123', 'ZZ1', '999-xx-000', 'abc'],
  trafficSource: ['гугл', 'Яндекс', 'Сарафан', ''],
  account: ['Google (BestpaymentsGA)', 'Яндекс (BestpaymentsYA)', 'Основной', 'Другой'],
  name: ['Анна', 'Tanya Smith', '', '=1+1', 'Ёжик'],
  manager: ['', 'светлана', 'Олег '],
};
const DATE_COLUMNS: AnalyticsKey[] = [
  'firstContactDate', 'connectionDate', 'stageFirstContact', 'stageNegotiation', 'stageDeciding', 'stageLinkSent',
  'stageWaiting', 'stageRenegotiation', 'stagePaid', 'stageRefused', 'lastContact', 'updatedAt',
];

/** Every fifth row gets a few odd cells; the rest stay as the script keeps them. */
function messy(rows: AnalyticsRow[], seed: number): AnalyticsRow[] {
  const d = dice(seed);
  return rows.map((r, i) => {
    const out = { ...r } as Row;
    if (i % 5 !== 0) return out as AnalyticsRow;
    for (let n = d.int(1, 4); n > 0; n--) {
      if (d.chance(0.6)) out[d.pick(DATE_COLUMNS)] = d.pick(ODD_DATES);
      else {
        const key = d.pick(Object.keys(ODD_TEXT));
        out[key] = d.pick(ODD_TEXT[key]);
      }
    }
    return out as AnalyticsRow;
  });
}

/** Report logs with some cells typed as text, numbers as strings, and instants from other years. */
function messyLog(rows: Array<Record<string, unknown>>, seed: number): Array<Record<string, unknown>> {
  const d = dice(seed);
  const pad = (n: number) => String(n).padStart(2, '0');
  return rows.map((r, i) => {
    const out = { ...r };
    if (i % 7 !== 0) return out;
    for (const [k, v] of Object.entries(out)) {
      if (v instanceof Date && d.chance(0.5)) {
        const p = new Date(v.getTime() + 3 * 3_600_000);
        const text = `${pad(p.getUTCDate())}.${pad(p.getUTCMonth() + 1)}.${p.getUTCFullYear()}`;
        out[k] = d.chance(0.5) ? `${text} ${pad(p.getUTCHours())}:${pad(p.getUTCMinutes())}` : d.chance(0.7) ? text : d.pick(ODD_DATES);
      } else if (typeof v === 'number' && d.chance(0.3)) out[k] = d.chance(0.7) ? ` ${String(v).replace('.', ',')} ` : 'много';
      else if (typeof v === 'string' && d.chance(0.1)) out[k] = ` ${v.toUpperCase()}  `;
    }
    return out;
  });
}

const json = (value: unknown) => JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? `#${v}` : v));
const hash = (value: unknown) => createHash('sha256').update(json(value)).digest('hex').slice(0, 16);

/** Each part's output (as bench-pure computes it, plus messy and option variants), hashed. */
function goldenHashes(): Record<string, string> {
  const sizes = sizesFor(LEADS);
  const ref = demoReference();
  const steady = steadyLeads(typedLeads(LEADS, TODAY, SEED), ref, TODAY, SEED);
  const odd = messy(steady, SEED + 100);
  const asReportRows = <T>(list: Array<Record<string, unknown>>) => list.map((values, i) => ({ rowNumber: i + 2, values })) as T[];
  const demo = (key: Parameters<typeof templateByKey>[0]) => demoWorkbookRows(templateByKey(key), TODAY, MOSCOW);
  const settings = { ...DEFAULT_SETTINGS, ...parseSettings(demo('settings').map((r) => ({ name: String(r.name), value: r.value })), MOSCOW).settings };
  const managers = [...MANAGERS];
  const morning = localDateTimeToDate(TODAY, MOSCOW, 6, 0);
  const evening = localDateTimeToDate(TODAY, MOSCOW, 19, 45);
  const ctx = { spreadsheetUrl: 'https://docs.google.com/spreadsheets/d/golden', currency: settings.currency, tz: MOSCOW };
  const out: Record<string, string> = {};

  for (const [name, rows] of [['steady', steady], ['messy', odd]] as const) {
    const sheetRows = rows.map((values, i) => ({ rowNumber: i + 2, values }));
    out[`evaluateSheet.${name}`] = hash(evaluateSheet(sheetRows, ref, {
      today: TODAY, now: morning, tz: MOSCOW, random: seededRandom(SEED + 3), takenNumbers: new Set(),
      stuck: { days: settings.stuckDays, workingDays: settings.idleWorkingDays },
    }));
    out[`evaluateSheet.${name}.idle`] = hash(evaluateSheet(sheetRows, ref, {
      today: '2026-11-21', now: morning, tz: MOSCOW, random: seededRandom(SEED + 4), takenNumbers: new Set(['abc-de-123']),
      idle: { idleDays: 2, workingDays: true }, stuck: { days: 3, workingDays: true },
    }));
    out[`evaluateRow.${name}`] = hash(rows.slice(0, 1_500).map((r, i) => evaluateRow(r, ref, {
      today: TODAY, now: morning, tz: MOSCOW, random: seededRandom(SEED + 5 + i), takenNumbers: new Set(),
      idle: { idleDays: 3, workingDays: false },
    }, i % 2 === 0 ? rows[(i + 1) % rows.length] : undefined)));
    out[`idleSweep.${name}`] = hash([
      rows.map((r) => idleSweepUpdates(r, { today: TODAY, idleDays: settings.idleDays, workingDays: settings.idleWorkingDays, tz: MOSCOW })),
      rows.map((r) => idleSweepUpdates(r, { today: '2026-11-22', idleDays: 5, workingDays: true, tz: MOSCOW, stuck: { days: 2, workingDays: true } })),
      rows.map((r) => idleSweepUpdates(r, { today: TODAY, idleDays: 1, workingDays: false, tz: MOSCOW, stuck: { days: 4, workingDays: false } })),
    ]);
    out[`funnel.${name}`] = hash(FUNNEL_PERIODS.map((p) => funnelDashboard(computeFunnel(rows, p, morning, MOSCOW), { currency: settings.currency })));
    const leadRows = rows.map((r, i): AnalyticsLeadRow => ({
      rowNumber: i + 2, name: r.name, username: r.username, promoCode: r.promoCode, partner: r.partner, stagePaid: r.stagePaid,
      paidAmount: r.paidAmount, individualNumber: r.individualNumber, projectInfo: r.projectInfo,
    }));
    out[`partnerLeads.${name}`] = hash(collectLeads(leadRows, buildDirectory(demo('partners'), demo('promoCodes')), MOSCOW, TODAY));
    const summary = telegramFunnelSummary(rows, TODAY, MOSCOW, { staleDays: settings.staleAnalyticsDays, managers });
    out[`funnelSummary.${name}`] = hash([summary, telegramFunnelSummary(rows, evening, MOSCOW, { staleDays: 1 })]);

    const mess = name === 'messy' ? messyLog : (l: Array<Record<string, unknown>>) => l;
    const secretary = asReportRows<SecretaryRow>(mess(secretaryRows(sizes.secretaryRows, TODAY, SEED), SEED + 11));
    const calls = asReportRows<CallsRow>(mess(callsRows(sizes.callsRows, TODAY, SEED), SEED + 12));
    const invoices = asReportRows<InvoiceRow>(mess(invoiceRows(sizes.invoiceRows, TODAY, SEED), SEED + 13));
    const sec = computeSecretaryReport({ rows: secretary, now: localDateTimeToDate(TODAY, MOSCOW, 11, 0), tz: MOSCOW, managers });
    out[`secretaryReport.${name}`] = hash([sec, renderSecretaryEmail(sec, ctx)]);
    const hos = computeHeadOfSalesReport({ calls, invoices, managers, settings, funnel: summary, now: evening, tz: MOSCOW });
    const withLeads = computeHeadOfSalesReport({ calls, invoices, managers, settings, funnel: null, now: evening, tz: MOSCOW, leads: rows });
    out[`headOfSalesReport.${name}`] = hash([hos, renderHeadOfSalesEmail(hos, ctx), withLeads, renderHeadOfSalesEmail(withLeads, ctx)]);
  }
  return out;
}

/** Taken from the code as it was before the optimisation (any process zone gives the same). */
const GOLDEN: Record<string, string> = {
  'evaluateSheet.steady': '972be7125c7049ad',
  'evaluateSheet.steady.idle': '6c3720317261cb47',
  'evaluateRow.steady': '10a7d015bd64689b',
  'idleSweep.steady': 'e221c284f01a1e9a',
  'funnel.steady': '3c0ac36e493584b8',
  'partnerLeads.steady': 'e5c9716202de223c',
  'funnelSummary.steady': '29b1c50a39fc0f93',
  'secretaryReport.steady': 'd676b23ac3fb1e60',
  'headOfSalesReport.steady': '42cd22647a5f34f0',
  'evaluateSheet.messy': '3bfb0c1ed0fd4318',
  'evaluateSheet.messy.idle': '103683910cbdc897',
  'evaluateRow.messy': '244c5804effac541',
  'idleSweep.messy': 'b012197a302d5213',
  'funnel.messy': '7674a1b176f637dd',
  'partnerLeads.messy': '73ae3f8c28c9d848',
  'funnelSummary.messy': 'de6e8f4e16df6cca',
  'secretaryReport.messy': '6a2db5a82bf3fab4',
  'headOfSalesReport.messy': '5ffb024534f2dd43',
};

describe('pure layers: outputs are byte-identical to the golden run', () => {
  const zone = process.env.TZ;
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });
  for (const tz of ['UTC', 'America/Los_Angeles', 'Asia/Kolkata']) {
    it(`under TZ=${tz}`, () => {
      process.env.TZ = tz; // Node applies a changed TZ at once; the rules must not care
      expect(new Date(2026, 0, 1).getTimezoneOffset()).toBe(tz === 'UTC' ? 0 : tz === 'Asia/Kolkata' ? -330 : 480);
      const hashes = goldenHashes();
      if (process.env.GOLDEN_PRINT) console.log(JSON.stringify(hashes, null, 2));
      expect(hashes).toEqual(GOLDEN);
    });
  }
});
