// Shared harness of the reliability suite: worlds with demo data, a fingerprint of everything a person
// can see (every spreadsheet, normalised so two runs compare), fault positions sampled from a recorded
// fault-free run, and the tallies the README table is generated from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { vi } from 'vitest';
import { SHEET_TEMPLATES, templateByKey } from '../../sheets-templates';
import { runSetup } from '../../src/jobs/setup';
import { runRecalc } from '../../src/jobs/analytics';
import { flushJournalQueue } from '../../src/gas/journal-queue';
import { saveSettingsSnapshot, loadSettings } from '../../src/gas/settings';
import { ARCHIVE_SHEET } from '../../src/gas/journal';
import { peekPendingRows } from '../../src/jobs/pending';
import { MOSCOW, toLocalDate } from '../../src/core/dates';
import { JOBS, markerKey } from '../../src/core/schedule';
import { fillDemoData } from '../../scripts/demo';
import { encodeValue } from '../../emulator/spreadsheet/serialize';
import type { CellExtra } from '../../emulator/spreadsheet/model';
import { seededRandom } from '../../emulator/context';
import type { EmuSpreadsheet } from '../../emulator/spreadsheet/index';
import type { ExecutionKind } from '../../emulator/index';
import { makeWorld, moscow, type TestWorld } from '../support/env';
import { LEAD_INDEX_SHEET } from '../../src/jobs/lead-index';

export type GSS = GoogleAppsScript.Spreadsheet.Spreadsheet;
// Logs and the 19:45 lead index (a cache stamped with the time it was written, jobs/lead-index.ts): what
// they hold depends on when a run happened, not only on what it did.
export const JOURNAL_SHEETS = new Set([templateByKey('journal').name, ARCHIVE_SHEET, LEAD_INDEX_SHEET]);
export const ADMIN = 'admin@example.com';
export const MANAGER = 'manager@example.com';

// ------------------------------------------------------------------------------------------------
// Tallies → test-artifacts/reliability/<part>.json → scripts/reliability-readme.ts → README

export interface TallyRow { section: string; item: string; tried: number; passed: number }
export interface TallyFailure { section: string; item: string; detail: string }

export class Tally {
  private rows = new Map<string, TallyRow>();
  readonly failures: TallyFailure[] = [];
  constructor(readonly part: string) {}

  /** One check: counted as tried, and as passed when `ok`; a failure keeps its detail for the assertion. */
  record(section: string, item: string, ok: boolean, detail = ''): boolean {
    const key = `${section}\u0000${item}`;
    const row = this.rows.get(key) ?? { section, item, tried: 0, passed: 0 };
    row.tried++;
    if (ok) row.passed++;
    else this.failures.push({ section, item, detail });
    this.rows.set(key, row);
    return ok;
  }

  /** Runs `fn` (which may throw an assertion) as one check. */
  check(section: string, item: string, fn: () => void): boolean {
    try {
      fn();
      return this.record(section, item, true);
    } catch (error) {
      return this.record(section, item, false, error instanceof Error ? error.message.slice(0, 2000) : String(error));
    }
  }

  failuresOf(section: string, item?: string): string[] {
    return this.failures.filter((f) => f.section === section && (item === undefined || f.item === item)).map((f) => `${f.item}: ${f.detail}`);
  }

  write(): void {
    const dir = join(process.cwd(), 'test-artifacts', 'reliability');
    mkdirSync(dir, { recursive: true });
    const data = { part: this.part, writtenAt: new Date(globalThis.performance.timeOrigin + globalThis.performance.now()).toISOString(), rows: [...this.rows.values()] };
    writeFileSync(join(dir, `${this.part}.json`), `${JSON.stringify(data, null, 2)}\n`);
  }
}

// ------------------------------------------------------------------------------------------------
// Worlds

export interface RWorld extends TestWorld {
  emu: EmuSpreadsheet;
  /** Moves the virtual clock to a Moscow wall-clock time. */
  setTime(at: string): void;
  /** Runs `fn` as one Apps Script execution of `kind`; returns what it threw. */
  exec(kind: ExecutionKind, fn: () => void): unknown;
  quiet<T>(fn: () => T): T;
  sheet(name: string): GoogleAppsScript.Spreadsheet.Sheet;
  /** A job clock as the entry points would build it (deterministic random). */
  clock(user?: string): { now: Date; random: () => number; user: string };
}

/** Math.random of the script (individual numbers), reproducible per run. */
export function seedScriptRandom(seed = 11): void {
  vi.restoreAllMocks();
  const r = seededRandom(seed);
  vi.spyOn(Math, 'random').mockImplementation(r);
}

export function world(at = '2026-11-23 10:00'): RWorld {
  const w = makeWorld({ at });
  const emu = w.env.world.getActive()!;
  emu.acl.addEditor(MANAGER); // the team: managers edit the spreadsheet
  const api: RWorld = {
    ...w,
    emu,
    setTime: (t) => w.env.ctx.clock.set(moscow(t).getTime()),
    exec(kind, fn) {
      w.env.beginExecution(kind, kind === 'installableTrigger' ? { origin: 'CLOCK' } : {});
      try { fn(); return undefined; } catch (error) { return error ?? new Error('thrown'); } finally { w.env.endExecution(); }
    },
    quiet: (fn) => w.env.ctx.recorder.quiet(fn),
    sheet: (name) => w.ss.getSheetByName(name)!,
    clock: (user = 'owner@example.com') => ({ now: new Date(w.env.ctx.clock.now()), random: seededRandom(5), user }),
  };
  return api;
}

export function setSetting(w: RWorld, name: string, value: unknown): void {
  w.quiet(() => {
    const sheet = w.sheet(templateByKey('settings').name);
    const names = sheet.getRange(1, 1, sheet.getLastRow(), 1).getValues().map((r) => String(r[0]));
    const row = names.indexOf(name);
    if (row < 0) throw new Error(`no setting ${name}`);
    sheet.getRange(row + 1, 2).setValue(value);
  });
}

/**
 * Setup, demo data (41 leads, logs, invoices, partner emails), an admin email, a settings snapshot, and
 * — unless `raw` — one recalculation so every row is in its computed state. Nothing here is counted.
 */
export function demoWorld(at = '2026-11-23 10:00', opts: { raw?: boolean } = {}): RWorld {
  const w = world(at);
  w.quiet(() => {
    runSetup(w.ss);
    fillDemoData(w.env, new Date(w.env.ctx.clock.now()));
    setSetting(w, 'Email администратора', ADMIN);
    saveSettingsSnapshot(loadSettings(w.ss).settings);
    if (!opts.raw) {
      runRecalc(w.ss, w.clock());
      flushJournalQueue(w.ss, MOSCOW);
    }
  });
  return w;
}

// ------------------------------------------------------------------------------------------------
// Fingerprints: what a person sees, comparable across runs

export interface FingerprintOptions {
  /** Headers whose cells are replaced by '·' (timestamps that legitimately differ). */
  mask?: string[];
  /** Leave formats, validation, protections and charts out (values only). */
  valuesOnly?: boolean;
}

type Json = unknown;

function normaliseCell(v: Json, titles: Map<string, string>): Json {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'string') {
    return v.replace(/https:\/\/docs\.google\.com\/spreadsheets\/d\/([A-Za-z0-9_-]+)[^\s"]*/g, (_, id: string) => `<файл ${titles.get(id) ?? 'удалён'}>`);
  }
  return v;
}

/** Formats, notes, formulas and validation of one cell as a short signature. */
function extraSignature(e: CellExtra | undefined, dvKey: (dv: CellExtra['dv']) => string): string {
  if (!e) return '';
  return `${e.f ?? ''}\u0001${e.note ?? ''}\u0001${e.fmt ?? ''}\u0001${dvKey(e.dv)}\u0001${e.bg ?? ''}\u0001${e.fc ?? ''}\u0001${e.fw ?? ''}\u0001${e.fst ?? ''}\u0001${e.fsz ?? ''}\u0001${e.ha ?? ''}\u0001${e.va ?? ''}\u0001${e.wrap ?? ''}`;
}

const EXTRA_KEYS: Array<keyof CellExtra> = ['f', 'note', 'fmt', 'dv', 'bg', 'fc', 'fw', 'fst', 'fsz', 'ha', 'va', 'wrap'];
function sameExtra(a: CellExtra | undefined, b: CellExtra | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  for (const k of EXTRA_KEYS) if (a[k] !== b[k]) return false;
  return true;
}

/** Every spreadsheet in the world by title (files by id are unstable), journal sheets left out. */
export function fingerprint(w: RWorld, opts: FingerprintOptions = {}): Record<string, Json> {
  const files = w.env.world.all().filter((f) => !f.acl.trashed);
  const titles = new Map(files.map((f) => [f.id, f.name]));
  const out: Record<string, Json> = {};
  const mask = new Set(opts.mask ?? []);
  const dvKeys = new Map<unknown, string>();
  const dvKey = (dv: CellExtra['dv']): string => {
    if (!dv) return '';
    let k = dvKeys.get(dv);
    if (k === undefined) {
      k = JSON.stringify({ ...dv.state, args: dv.state.args.map((a) => encodeValue(a)) });
      dvKeys.set(dv, k);
    }
    return k;
  };
  for (const file of files) {
    const sheets = file.sheets.filter((s) => !JOURNAL_SHEETS.has(s.name)).map((s) => {
      const header = (s.store.rows[0] ?? []).map((h) => String(h ?? ''));
      const masked = new Set(header.flatMap((h, i) => (mask.has(h) ? [i] : [])));
      const rows: string[] = [];
      for (let r = 0; r < s.store.rows.length; r++) {
        const cells = Array.from(s.store.rows[r] ?? [], (v, c) => {
          const e = encodeValue(v);
          return r > 0 && masked.has(c) && e !== null && e !== '' ? '·' : normaliseCell(e, titles);
        });
        while (cells.length && cells[cells.length - 1] === '') cells.pop();
        rows.push(JSON.stringify(cells));
      }
      while (rows.length && rows[rows.length - 1] === '[]') rows.pop();
      if (opts.valuesOnly) return { name: s.name, rows };
      // Per column, runs of equal signatures («rows 2–3: format dd.mm.yyyy, date validation») over the rows
      // holding values plus two, and the sheet's last row: every format and rule is applied to a whole
      // column in one call, so these rows show whether it was applied, at a fraction of the cost.
      const extras = s.store.extras;
      const scan = [...Array(Math.min(extras.length, rows.length + 3)).keys()];
      if (extras.length > scan.length) scan.push(extras.length - 1);
      const width = scan.reduce((m, r) => Math.max(m, extras[r]?.length ?? 0), 0);
      const columns: string[] = [];
      for (let c = 0; c < width; c++) {
        let run = '';
        let from = 0;
        const parts: string[] = [];
        let prev: CellExtra | undefined | null = null;
        for (let k = 0; k <= scan.length; k++) {
          const r = k < scan.length ? scan[k] : -1;
          const e = r >= 0 ? extras[r]?.[c] : undefined;
          if (r >= 0 && prev !== null && sameExtra(prev, e)) continue;
          prev = e;
          const sig = r >= 0 ? extraSignature(e, dvKey) : '\u0000end';
          if (sig !== run) {
            if (run !== '') parts.push(`${from + 1}:${run}`);
            run = sig;
            from = r;
          }
        }
        columns.push(parts.join('\n'));
      }
      while (columns.length && columns[columns.length - 1] === '') columns.pop();
      return {
        name: s.name, hidden: s.hidden, frozen: [s.frozenRows, s.frozenCols], widths: s.colWidths.join(','), rows, columns,
        cf: s.cfRules.length, charts: s.charts.map((c) => JSON.stringify({ ...c.state, id: null })),
      };
    });
    const protections = opts.valuesOnly ? undefined : file.protections
      .map((p) => `${p.sheet.name}|${p.type}|${JSON.stringify(p.box)}|${p.description}|${p.warningOnly}|${[...(p.editors ?? [])].sort().join(',')}|${p.domainEdit}`).sort();
    const key = file.id === w.emu.id ? '(основная таблица)' : file.name;
    const sharing = opts.valuesOnly ? undefined : { editors: [...file.acl.editors].sort(), viewers: [...file.acl.viewers].sort(), access: file.acl.sharingAccess };
    // Two files with one title (an orphan next to its replacement) must not hide each other.
    let k = key;
    for (let n = 2; k in out; n++) k = `${key} #${n}`;
    out[k] = { timeZone: file.timeZone, sharing, sheets, protections };
  }
  return out;
}

/** The first differing path between two fingerprints, for a readable failure. */
export function firstDifference(a: Json, b: Json, path = ''): string | null {
  if (a === b) return null;
  // Rows are stored as JSON text (cheap to compare); a difference names the column.
  if (typeof a === 'string' && typeof b === 'string' && a.startsWith('[') && b.startsWith('[')) {
    try { return firstDifference(JSON.parse(a) as Json, JSON.parse(b) as Json, path); } catch { /* plain text */ }
  }
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object') {
    return `${path || '(root)'}: ${JSON.stringify(a)?.slice(0, 200)} ≠ ${JSON.stringify(b)?.slice(0, 200)}`;
  }
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  for (const k of new Set([...ka, ...kb])) {
    const d = firstDifference((a as Record<string, Json>)[k], (b as Record<string, Json>)[k], `${path}/${k}`);
    if (d) return d;
  }
  return null;
}

export function same(a: Json, b: Json): boolean {
  return firstDifference(a, b) === null;
}

// ------------------------------------------------------------------------------------------------
// Mail

export interface MailView { reports: string[]; alerts: string[] }

export function mails(w: RWorld): MailView {
  const reports: string[] = [];
  const alerts: string[] = [];
  for (const m of w.env.mail.outbox) {
    const line = `${m.to} | ${m.subject}`;
    if (m.subject.startsWith('Продажи:')) alerts.push(line); else reports.push(line);
  }
  return { reports: reports.sort(), alerts };
}

// ------------------------------------------------------------------------------------------------
// Fault positions

export interface Position { method: string; occurrence: number }

/**
 * Every call kind of a recorded run at its first, middle and last occurrence (each kind once when it
 * occurs once), optionally thinned to `maxPositions` by taking every n-th.
 */
export function samplePositions(counts: Map<string, number>, maxPositions = Infinity, skip: (m: string) => boolean = () => false): Position[] {
  const out: Position[] = [];
  for (const [method, n] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    if (skip(method)) continue;
    for (const occurrence of new Set([1, Math.ceil(n / 2), n])) out.push({ method, occurrence });
  }
  if (out.length <= maxPositions) return out;
  const step = out.length / maxPositions;
  return Array.from({ length: maxPositions }, (_, i) => out[Math.floor(i * step)]);
}

/**
 * Fails the `occurrence`-th call of `method` (and the next `times - 1` calls of it, the retries) with
 * `message`. Other calls pass.
 */
export function injectAt(w: RWorld, p: Position, message: string, times = 1, phase: 'before' | 'after' = 'before'): void {
  let seen = 0;
  w.env.ctx.recorder.injectFault({
    method: (m) => m === p.method && ++seen >= p.occurrence && seen < p.occurrence + times,
    error: message,
    phase,
  });
}

/** Runs `effect` as a side effect right before the `occurrence`-th call of `method` (no fault). */
export function hookAt(w: RWorld, p: Position, effect: () => void): void {
  let seen = 0;
  w.env.ctx.recorder.injectFault({
    method: (m) => {
      if (m === p.method && ++seen === p.occurrence) w.quiet(effect);
      return false;
    },
    error: 'never thrown',
  });
}

export function templateSheetNames(): string[] {
  return SHEET_TEMPLATES.map((t) => t.name);
}

export { moscow };

// ------------------------------------------------------------------------------------------------
// Leads, cells, concurrency

export const ANALYTICS_DEF = templateByKey('analytics');
export const colOf = (key: string, def = ANALYTICS_DEF) => def.columns.findIndex((c) => c.key === key) + 1;
export const letter = (n: number): string => (n > 26 ? letter(Math.floor((n - 1) / 26)) : '') + String.fromCharCode(65 + ((n - 1) % 26));
export const a1 = (key: string, row: number, def = ANALYTICS_DEF) => `${letter(colOf(key, def))}${row}`;

export function leadRow(values: Record<string, unknown>, def = ANALYTICS_DEF): unknown[] {
  const row: unknown[] = new Array(def.columns.length).fill('');
  for (const [k, v] of Object.entries(values)) row[colOf(k, def) - 1] = v;
  return row;
}

/** Setup, an admin, the settings snapshot, the given leads (as an import would write them), one recalculation. */
export function leadWorld(leads: Array<Record<string, unknown>>, at = '2026-11-23 10:00'): RWorld {
  const w = world(at);
  w.quiet(() => {
    runSetup(w.ss);
    setSetting(w, 'Email администратора', ADMIN);
    saveSettingsSnapshot(loadSettings(w.ss).settings);
    if (leads.length) w.sheet(ANALYTICS_DEF.name).getRange(2, 1, leads.length, ANALYTICS_DEF.columns.length).setValues(leads.map((l) => leadRow(l)));
    runRecalc(w.ss, w.clock());
    flushJournalQueue(w.ss, MOSCOW);
  });
  return w;
}

export function cellValue(w: RWorld, key: string, row: number, def = ANALYTICS_DEF): unknown {
  return w.quiet(() => w.sheet(def.name).getRange(a1(key, row, def)).getValue());
}

/** Every service call of a run, in order (nothing is faulted). */
export function recordSequence(w: RWorld): string[] {
  const seq: string[] = [];
  w.env.ctx.recorder.injectFault({ method: (m) => { seq.push(m); return false; }, error: 'never thrown' });
  return seq;
}

/** Runs `effect` (quietly) right before the call at `index` of the run's sequence. */
export function hookAtIndex(w: RWorld, index: number, effect: () => void): void {
  let i = 0;
  w.env.ctx.recorder.injectFault({ method: () => { if (i++ === index) w.quiet(effect); return false; }, error: 'never thrown' });
}

/**
 * Index of the compare-and-set read of the `nth` column a job writes (writeChanges: getValues, then
 * getFormulas of the same span): a person typing right before it is typing between the job's read of
 * the sheet and its write.
 */
export function beforeColumnWrite(seq: string[], nth = 1): number {
  let seen = 0;
  for (let i = 0; i + 1 < seq.length; i++) {
    if (seq[i] === 'Range.getValues' && seq[i + 1] === 'Range.getFormulas' && ++seen === nth) return i;
  }
  throw new Error('no compare-and-set write in this run');
}

/**
 * A manager types into «sheet» while another execution (the running job) holds the script lock, and
 * the simple onEdit trigger fires as Apps Script would run it. Returns the edit event.
 */
export function typeWhileLocked(w: RWorld, sheet: string, cell: string, values: unknown[][], user = MANAGER): GoogleAppsScript.Events.SheetsOnEdit {
  const saved = { ...w.env.locks.slots.script };
  w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 10 * 60_000);
  try {
    const e = w.env.world.userEdit(w.emu.getSheetByName(sheet) as never, cell, values, { user });
    onEditEntry(e);
    return e;
  } finally {
    w.env.locks.slots.script = saved;
  }
}

let onEditEntry: (e: GoogleAppsScript.Events.SheetsOnEdit) => void = () => { throw new Error('call useOnEdit(main.onEdit) first'); };
/** The harness does not import src/main itself (keeps this module free of the entry points). */
export function useOnEdit(fn: (e: GoogleAppsScript.Events.SheetsOnEdit) => void): void { onEditEntry = fn; }

export function pendingRows(w: RWorld): unknown[] {
  return w.quiet(() => peekPendingRows());
}

/** Today's 06:00 jobs marked done, so a tick only does what a test is about. */
export function markDailyJobsDone(w: RWorld): void {
  w.quiet(() => {
    const day = toLocalDate(new Date(w.env.ctx.clock.now()), MOSCOW);
    for (const j of JOBS) if (!j.email) PropertiesService.getScriptProperties().setProperty(markerKey(j.id, day), JSON.stringify({ state: 'done', at: w.env.ctx.clock.now(), attempts: 1 }));
  });
}
