// JSON-able snapshot of every spreadsheet (values, extras, structure, protections, sharing, rules,
// charts), used to persist the emulated world between local runs.
import type { EmulatorContext } from '../context';
import { isDate } from '../support';
import { EmuChart, type ChartState } from './chart';
import { EmuConditionalFormatRule, type CfFormat } from './conditional-format';
import type { BooleanCriteriaName, DataValidationCriteriaName, DriveAccessName, DrivePermissionName, ProtectionTypeName } from './enums';
import type { Box, CellExtra } from './model';
import { EmuProtection } from './protection';
import { EmuRange } from './range';
import type { EmuSheet } from './sheet';
import { EmuSpreadsheet } from './spreadsheet';
import { EmuDataValidation } from './validation';
import type { CellValue } from './values';

type J = unknown;

export interface SheetJson {
  name: string; id: number; maxRows: number; maxCols: number; frozenRows: number; frozenCols: number;
  colWidths: Array<[number, number]>; hiddenCols: number[]; hidden: boolean; tabColor: string | null;
  rows: Array<J[] | null>; extras: Array<[number, number, Record<string, J>]>;
  cf: Array<{ criteria: BooleanCriteriaName | null; args: J[]; format: CfFormat; ranges: Array<{ sheet: string; box: Box }> }>;
  charts: ChartState[];
}
export interface ProtectionJson {
  sheet: string; type: ProtectionTypeName; box: Box | null; description: string; warningOnly: boolean;
  editors: string[] | null; domainEdit: boolean | null; unprotected: Box[]; rangeName: string | null;
}
export interface SpreadsheetJson {
  id: string; name: string; owner: string; timeZone: string; locale: string; created: number; lastUpdated: number;
  acl: { editors: string[]; viewers: string[]; trashed: boolean; access: DriveAccessName; permission: DrivePermissionName };
  activeSheet: string | null; sheets: SheetJson[]; protections: ProtectionJson[]; rules: Array<{ c: DataValidationCriteriaName | null; a: J[]; ai: boolean; ht: string | null }>;
}

export function encodeValue(v: unknown): J {
  if (v === undefined || v === null) return null;
  if (isDate(v)) return { d: v.getTime() };
  if (v instanceof EmuRange) return { range: { sheet: v.sheet.name, box: v.box() } };
  if (Array.isArray(v)) return v.map(encodeValue);
  return v;
}

export function decodeValue(j: J, ss: EmuSpreadsheet): unknown {
  if (j === null) return undefined;
  if (Array.isArray(j)) return j.map((x) => decodeValue(x, ss) ?? '');
  if (typeof j === 'object') {
    const o = j as { d?: number; range?: { sheet: string; box: Box } };
    if (typeof o.d === 'number') return new Date(o.d);
    if (o.range) {
      const sh = ss.sheet(o.range.sheet);
      return sh ? sh.rangeOf(o.range.box) : undefined;
    }
  }
  return j;
}

/** Snapshot of a spreadsheet; with `cells: false` the cell grid is left out (xlsx keeps it). */
export function serializeSpreadsheet(ss: EmuSpreadsheet, opts: { cells?: boolean } = {}): SpreadsheetJson {
  const withCells = opts.cells !== false;
  const ruleIndex = new Map<EmuDataValidation, number>();
  const rules: SpreadsheetJson['rules'] = [];
  const ruleId = (r: EmuDataValidation) => {
    let i = ruleIndex.get(r);
    if (i === undefined) {
      i = rules.length;
      ruleIndex.set(r, i);
      rules.push({ c: r.state.criteria, a: r.state.args.map(encodeValue), ai: r.state.allowInvalid, ht: r.state.helpText });
    }
    return i;
  };
  const sheets = ss.sheets.map((sh): SheetJson => {
    const rows: SheetJson['rows'] = [];
    for (let r = 0; withCells && r < sh.store.rows.length; r++) {
      const row = sh.store.rows[r];
      rows.push(row ? Array.from(row, (v) => encodeValue(v)) : null);
    }
    const extras: SheetJson['extras'] = [];
    if (withCells) sh.store.extras.forEach((row, r) => row?.forEach((e, c) => {
      if (!e) return;
      const o: Record<string, J> = { ...e };
      if (e.dv) o.dv = ruleId(e.dv);
      extras.push([r, c, o]);
    }));
    return {
      name: sh.name, id: sh.sheetId, maxRows: sh.maxRows, maxCols: sh.maxCols, frozenRows: sh.frozenRows, frozenCols: sh.frozenCols,
      colWidths: sh.colWidths.flatMap((w, c) => (w === undefined ? [] : [[c, w] as [number, number]])),
      hiddenCols: [...sh.hiddenCols], hidden: sh.hidden, tabColor: sh.tabColor, rows, extras,
      cf: sh.cfRules.map((r) => ({ criteria: r.state.criteria, args: r.state.args.map(encodeValue), format: { ...r.state.format }, ranges: r.state.ranges.map((x) => ({ sheet: x.sheet.name, box: { ...x.box } })) })),
      charts: sh.charts.map((c) => JSON.parse(JSON.stringify(c.state)) as ChartState),
    };
  });
  return {
    id: ss.id, name: ss.name, owner: ss.acl.owner, timeZone: ss.timeZone, locale: ss.locale, created: ss.created, lastUpdated: ss.lastUpdated,
    acl: { editors: [...ss.acl.editors], viewers: [...ss.acl.viewers], trashed: ss.acl.trashed, access: ss.acl.sharingAccess, permission: ss.acl.sharingPermission },
    activeSheet: ss.activeSheet?.name ?? null,
    sheets, rules,
    protections: ss.protections.map((p) => ({
      sheet: p.sheet.name, type: p.type, box: p.box, description: p.description, warningOnly: p.warningOnly,
      editors: p.editors ? [...p.editors] : null, domainEdit: p.domainEdit, unprotected: p.unprotected, rangeName: p.rangeName,
    })),
  };
}

export function restoreSpreadsheet(ctx: EmulatorContext, j: SpreadsheetJson): EmuSpreadsheet {
  const ss = new EmuSpreadsheet(ctx, j.id, j.name, j.owner, j.timeZone);
  ss.locale = j.locale;
  (ss as { created: number }).created = j.created;
  for (const e of j.acl.editors) ss.acl.editors.add(e);
  for (const v of j.acl.viewers) ss.acl.viewers.add(v);
  ss.acl.trashed = j.acl.trashed;
  ss.acl.sharingAccess = j.acl.access;
  ss.acl.sharingPermission = j.acl.permission;
  for (const sj of j.sheets) ss.addSheet(sj.name, undefined, sj.maxRows, sj.maxCols, sj.id);
  const rules = j.rules.map((r) => new EmuDataValidation(ctx.recorder, { criteria: r.c, args: r.a.map((a) => decodeValue(a, ss)), allowInvalid: r.ai, helpText: r.ht }));
  j.sheets.forEach((sj, i) => {
    const sh: EmuSheet = ss.sheets[i];
    sh.frozenRows = sj.frozenRows;
    sh.frozenCols = sj.frozenCols;
    for (const [c, w] of sj.colWidths) sh.colWidths[c] = w;
    sh.hiddenCols = new Set(sj.hiddenCols);
    sh.hidden = sj.hidden;
    sh.tabColor = sj.tabColor;
    sh.store.rows = sj.rows.map((row) => (row ? row.map((v) => decodeValue(v, ss) as CellValue) : (undefined as unknown as CellValue[])));
    for (const [r, c, o] of sj.extras) {
      const e = { ...o } as Record<string, unknown>;
      if (typeof o.dv === 'number') e.dv = rules[o.dv];
      Object.assign(sh.store.ensureExtra(r, c), e as CellExtra);
    }
    sh.store.touch();
    sh.cfRules = sj.cf.map((r) => new EmuConditionalFormatRule(ctx.recorder, {
      criteria: r.criteria, args: r.args.map((a) => decodeValue(a, ss)), format: { ...r.format },
      ranges: r.ranges.flatMap((x) => { const s = ss.sheet(x.sheet); return s ? [{ sheet: s, box: x.box }] : []; }),
    }));
    sh.charts = sj.charts.map((c) => new EmuChart(ctx.recorder, sh, c));
    for (const c of sj.charts) while (c.id !== null && ss.nextChartId() <= c.id) { /* advance the id sequence */ }
  });
  for (const pj of j.protections) {
    const sh = ss.sheet(pj.sheet);
    if (!sh) continue;
    const p = new EmuProtection(ctx, sh, pj.type, pj.box);
    p.description = pj.description;
    p.warningOnly = pj.warningOnly;
    p.editors = pj.editors ? new Set(pj.editors) : null;
    p.domainEdit = pj.domainEdit;
    p.unprotected = pj.unprotected;
    p.rangeName = pj.rangeName;
    ss.protections.push(p);
  }
  ss.activeSheet = (j.activeSheet && ss.sheet(j.activeSheet)) || null;
  ss.lastUpdated = j.lastUpdated;
  return ss;
}
