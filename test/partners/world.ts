// An emulated spreadsheet set up from the templates, with partner emails and default %, leads typed
// into «Аналитика», and helpers to read «Аффилейты» and every partner's own file.
import { PARTNER_NAMES, templateByKey } from '../../sheets-templates';
import { runSetup } from '../../src/jobs/setup';
import { runPartnerSync, type PartnerSyncReport } from '../../src/jobs/partners';
import { TOTAL_LABEL } from '../../src/core/partners';
import { makeWorld, type TestWorld } from '../support/env';
import type { EmuSpreadsheet } from '../../emulator/spreadsheet/index';

type GSS = GoogleAppsScript.Spreadsheet.Spreadsheet;
const A = templateByKey('analytics');
const M = templateByKey('affiliates');
const P = templateByKey('partners');

export const col = (def: typeof A, key: string) => def.columns.findIndex((c) => c.key === key) + 1;

export interface PartnerWorld extends TestWorld {
  sync(): PartnerSyncReport;
  addLeads(leads: Array<Record<string, unknown>>): void;
  analyticsCell(row: number, key: string): GoogleAppsScript.Spreadsheet.Range;
  masterRows(): Array<Record<string, unknown>>;
  masterCell(row: number, key: string): GoogleAppsScript.Spreadsheet.Range;
  partnerCell(name: string, key: string): GoogleAppsScript.Spreadsheet.Range;
  fileOf(name: string): EmuSpreadsheet | undefined;
  /** A partner file as values: header, data rows, totals row. */
  fileTable(name: string): { header: unknown[]; rows: unknown[][]; totals: unknown[]; formulas: string[][] };
}

export function partnerWorld(opts: { at?: string; percent?: (i: number) => number | '' } = {}): PartnerWorld {
  const w = makeWorld({ at: opts.at ?? '2026-11-23 10:00' });
  const { env, ss } = w;
  runSetup(ss);
  const quiet = <T>(fn: () => T) => env.ctx.recorder.quiet(fn);
  const sheet = (name: string) => ss.getSheetByName(name)!;
  quiet(() => {
    const partners = sheet(P.name);
    PARTNER_NAMES.forEach((name, i) => {
      partners.getRange(i + 2, col(P, 'emails')).setValue(`partner${i + 1}@example.com`);
      partners.getRange(i + 2, col(P, 'defaultPercent')).setValue(opts.percent ? opts.percent(i) : i % 3 === 0 ? 15 : 10);
    });
  });
  let nextLeadRow = 2;
  const clock = () => ({ now: new Date(env.ctx.clock.now()), random: env.ctx.random, user: 'owner@example.com' });
  const api: PartnerWorld = {
    ...w,
    sync() {
      env.beginExecution('menu');
      try { return runPartnerSync(ss, clock()); } finally { env.endExecution(); }
    },
    addLeads(leads) {
      if (leads.length === 0) return;
      quiet(() => {
        const s = sheet(A.name);
        const need = nextLeadRow + leads.length;
        if (need > s.getMaxRows()) s.insertRowsAfter(s.getMaxRows(), need - s.getMaxRows());
        const rows = leads.map((l) => {
          const row: unknown[] = new Array(A.columns.length).fill('');
          for (const [k, v] of Object.entries(l)) row[col(A, k) - 1] = v;
          return row;
        });
        s.getRange(nextLeadRow, 1, rows.length, A.columns.length).setValues(rows);
        nextLeadRow += rows.length;
      });
    },
    analyticsCell: (row, key) => sheet(A.name).getRange(row, col(A, key)),
    masterRows: () => quiet(() => {
      const s = sheet(M.name);
      const last = s.getLastRow();
      if (last < 2) return [];
      return s.getRange(2, 1, last - 1, M.columns.length).getValues().map((r) => Object.fromEntries(M.columns.map((c, i) => [c.key, r[i]])));
    }),
    masterCell: (row, key) => sheet(M.name).getRange(row, col(M, key)),
    partnerCell: (name, key) => {
      const i = PARTNER_NAMES.indexOf(name);
      return sheet(P.name).getRange(i + 2, col(P, key));
    },
    fileOf(name) {
      const url = quiet(() => String(api.partnerCell(name, 'sheetUrl').getValue()));
      const id = /\/d\/([^/]+)/.exec(url)?.[1];
      return id ? env.world.byId(id) : undefined;
    },
    fileTable(name) {
      const file = api.fileOf(name);
      if (!file) throw new Error(`no file for ${name}`);
      return quiet(() => {
        const s = (file as unknown as GSS).getSheets()[0];
        const range = s.getDataRange();
        const values = range.getValues();
        const totalsAt = values.findIndex((r) => r[0] === TOTAL_LABEL);
        return {
          header: values[0],
          rows: values.slice(1, totalsAt - 1),
          totals: values[totalsAt],
          formulas: range.getFormulas(),
        };
      });
    },
  };
  return api;
}
