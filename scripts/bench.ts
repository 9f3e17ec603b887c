// `npm run bench [-- --sizes 1000,10000,max] [--seed N] [--out bench/results.json] [--workers 2]`: builds a
// workbook of each size in the emulator and lives one working day on it (scripts/bench-day.ts): every
// 5-minute tick (288) as the installable trigger runs it, the managers' edits and pastes, the secretary's
// and head of sales' log entries through onEdit, the 06:00 maintenance, the emails, and the menu items at
// quiet moments. It prints per job the service calls, cells moved, Node CPU, the modelled Apps Script time
// (the emulator's latency model, scripts/bench-model.ts) and the headroom under the job's limit, and per
// size the day's trigger runtime against the daily quota of a consumer and a Workspace account. The same
// figures go to bench/results.json. `max` is the largest «Аналитика» that fits the 10 M-cell cap.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { templateByKey, type SheetKey } from '../sheets-templates';
import type { AnalyticsKey } from '../src/core/analytics';
import { addDays, formatRuDate, localDateTimeToDate, MOSCOW } from '../src/core/dates';
import { columnLetter, mapHeaders } from '../src/core/header-map';
import { jobClock } from '../src/gas/clock';
import { loadReference } from '../src/gas/reference';
import { readTable } from '../src/gas/table';
import { JOBS } from '../src/core/schedule';
import { isFunnelStale } from '../src/jobs/funnel';
import { runTick, type JobRunner, type Runners, type TickReport } from '../src/jobs/scheduler';
import { EXTRA_WORK, RUNNERS } from '../src/jobs/tick-entry';
import { hasRecalcCursor } from '../src/jobs/recalc';
import { menuFunnel, menuPartners, menuRecalc, menuSetup, menuSweep, onEdit } from '../src/main';
import { isRangeIo, type ServiceRecorder } from '../emulator/recorder';
import { EXECUTION_ERRORS } from '../emulator/services/execution';
import type { EmuSheet } from '../emulator/spreadsheet/sheet';
import type { EmuSpreadsheet } from '../emulator/spreadsheet/spreadsheet';
import {
  buildBenchWorld, callsEntry, dice, invoiceEntry, MANAGERS, secretaryEntry, sizesFor, typedLead, type BenchWorld, type Dice,
} from './bench-data';
import { hhmm, PASTE_ROWS_PER_MANAGER, workingDayEvents, type DayEvent } from './bench-day';
import {
  DAILY_TRIGGER_RUNTIME_MS, EDIT_CELL_TARGET_MS, EDIT_RANGE_IO_TARGET, EMAIL_1945_TARGET_MS, EXECUTION_LIMIT_MS, headroom,
  JOB_HEADROOM_TARGET, modelledMs, PURE_CPU_TARGET_MS, SIMPLE_TRIGGER_LIMIT_MS, TARGET_LEADS, TICKS_PER_DAY, WORKING_DAY_TARGET_MS,
} from './bench-model';
import type { PureTimes } from './bench-pure';
import {
  markdownReport, targetChecks, type BenchResults, type EditStats, type JobResult, type RunsAs, type SizeResult, type TickRecord,
  type WorkingDay,
} from './bench-report';
import { MAX_CELLS_PER_SPREADSHEET } from '../emulator/spreadsheet/spreadsheet';

const ANALYTICS = templateByKey('analytics');
const DEFAULT_SIZES = '1000,10000,50000,100000,max';
/** The benchmark day: a Monday, so «Звонки» and the reports have a working day to show. */
const BENCH_DAY = '2026-11-23';
/** The one large paste the benchmark times on its own (a manager's backlog of several days). */
const BIG_PASTE_ROWS = 500;
/** `max` is rounded down to this. */
const MAX_STEP = 5_000;
/**
 * Cells the day adds to the spreadsheet, kept free when `max` is chosen: the pastes (750 rows of «Аналитика»),
 * the log entries, «Журнал» growing between two sweeps and the archive sheet the sweep fills (≈ 80,000
 * at 10,000 leads). The cap is enforced by the emulator, so a margin too short fails the run loudly.
 */
const DAY_GROWTH_CELLS = 300_000;

// ---- measuring ------------------------------------------------------------------------------------

interface Mark { counts: Map<string, number>; cellsRead: number; cellsWritten: number; cpu: NodeJS.CpuUsage }

function mark(rec: ServiceRecorder): Mark {
  return { counts: new Map(rec.counts), cellsRead: rec.cellsRead, cellsWritten: rec.cellsWritten, cpu: process.cpuUsage() };
}

const limitOf = (runsAs: RunsAs) => (runsAs === 'simpleTrigger' ? SIMPLE_TRIGGER_LIMIT_MS : EXECUTION_LIMIT_MS);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

function resultSince(rec: ServiceRecorder, from: Mark, id: string, label: string, runsAs: RunsAs, killed?: string): JobResult {
  const cpu = process.cpuUsage(from.cpu);
  const byMethod: Record<string, number> = {};
  for (const [m, n] of rec.counts) {
    const d = n - (from.counts.get(m) ?? 0);
    if (d > 0) byMethod[m] = d;
  }
  const total = Object.values(byMethod).reduce((a, b) => a + b, 0);
  const rangeIo = Object.entries(byMethod).filter(([m]) => isRangeIo(m)).reduce((a, [, n]) => a + n, 0);
  const cellsRead = rec.cellsRead - from.cellsRead;
  const cellsWritten = rec.cellsWritten - from.cellsWritten;
  const ms = modelledMs(byMethod, cellsRead + cellsWritten);
  const limit = limitOf(runsAs);
  return {
    id, label, runsAs, limit, calls: { total, rangeIo, other: total - rangeIo }, cellsRead, cellsWritten,
    cpuMs: round((cpu.user + cpu.system) / 1000), modelledMs: round(ms), headroom: round(headroom(ms, limit), 4),
    byMethod: Object.fromEntries(Object.entries(byMethod).sort()), ...(killed ? { killed } : {}),
  };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const KILLS = new Set<string>(Object.values(EXECUTION_ERRORS));

// ---- running things the way Apps Script runs them -------------------------------------------------

/** Runs `fn` as one execution; an execution Google would have stopped is reported, not thrown. */
function runExecution<T>(w: BenchWorld, kind: RunsAs, fn: () => T): { value?: T; killed?: string } {
  w.env.beginExecution(kind);
  try {
    const value = fn();
    // Stopped, though the code caught the error and returned: the run still ended there.
    const killed = w.env.execution.current.killedWith;
    return killed ? { value, killed } : { value };
  } catch (error) {
    const killed = w.env.execution.current.killedWith;
    if (killed && KILLS.has(killed)) return { killed };
    throw error;
  } finally {
    w.env.endExecution();
  }
}

/** A menu item as the user clicks it; its answer is an alert, and «Не получилось» is a failed job. */
function menu(w: BenchWorld, handler: () => void): string | undefined {
  const before = w.env.ui.alerts.length;
  const { killed } = runExecution(w, 'menu', handler);
  if (killed) return killed;
  for (const a of w.env.ui.alerts.slice(before)) if (/Не получилось/.test(a.prompt)) throw new Error(`${a.title}: ${a.prompt}`);
  return undefined;
}

function active(w: BenchWorld): EmuSpreadsheet {
  return w.env.world.getActive()!;
}

function sheetOf(w: BenchWorld, key: SheetKey): EmuSheet {
  return active(w).sheet(templateByKey(key).name)!;
}

/** Column (1-based) of each template key in a sheet, read without counting. */
function columnsOf(w: BenchWorld, key: SheetKey): Map<string, number> {
  const def = templateByKey(key);
  const sheet = sheetOf(w, key) as unknown as GoogleAppsScript.Spreadsheet.Sheet;
  return w.env.ctx.recorder.quiet(() => {
    const map = mapHeaders(sheet.getRange(def.headerRow, 1, 1, Math.max(1, sheet.getLastColumn())).getValues()[0], def.columns);
    return new Map([...map.index].map(([k, i]) => [k, i + 1]));
  });
}

/** A person's edit of `a1` on a template sheet, then onEdit as the simple trigger runs it. */
function userEdit(w: BenchWorld, key: SheetKey, a1: string, values: unknown[][]): { killed?: string } {
  const e = w.env.world.userEdit(sheetOf(w, key), a1, values);
  return runExecution(w, 'simpleTrigger', () => onEdit(e));
}

/** Rows appended by a person under the last row of `key` (grid rows added first when it is full). */
function appendRows(w: BenchWorld, key: SheetKey, rows: Array<Record<string, unknown>>): { a1: string; values: unknown[][] } {
  const cols = columnsOf(w, key);
  const sheet = sheetOf(w, key) as unknown as GoogleAppsScript.Spreadsheet.Sheet;
  return w.env.ctx.recorder.quiet(() => {
    const width = Math.max(...cols.values());
    const first = sheet.getLastRow() + 1;
    const need = first + rows.length - 1;
    if (need > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), need - sheet.getMaxRows());
    const values = rows.map((r) => {
      const line: unknown[] = new Array(width).fill('');
      for (const [k, v] of Object.entries(r)) if (cols.has(k) && v !== undefined) line[cols.get(k)! - 1] = v;
      return line;
    });
    return { a1: sheet.getRange(first, 1, rows.length, width).getA1Notation(), values };
  });
}

/** New leads of the last three days, numbered from `from` (their nicks stay unique), as a manager pastes them. */
function leadRows(d: Dice, count: number, from: number): Array<Record<string, unknown>> {
  return Array.from({ length: count }, (_, i) => typedLead(d, from + i, addDays(BENCH_DAY, -d.int(0, 2)), BENCH_DAY));
}

function tickAt(w: BenchWorld, minute: number, runners: Runners): { report?: TickReport; killed?: string; user: string } {
  w.setTime(hhmm(minute));
  let user = '';
  const { value: report, killed } = runExecution(w, 'installableTrigger', () => {
    user = w.env.execution.current.user; // the trigger's owner: whose daily runtime the run uses
    return runTick(() => SpreadsheetApp.getActiveSpreadsheet(), runners, jobClock(), EXTRA_WORK);
  });
  if (killed) return { killed, user };
  const failed = report!.ran.filter((r) => !r.ok);
  if (failed.length > 0 || report!.skipped) throw new Error(`tick ${hhmm(minute)}: ${report!.skipped ?? failed.map((f) => `${f.job}: ${f.result}`).join('; ')}`);
  return { report, user };
}

/** The schedule's daily jobs: emails (the managers' morning email too, once it is in JOBS) and maintenance. */
const EMAILS = new Set<string>(JOBS.filter((j) => j.email).map((j) => j.id));
const MAINTENANCE = new Set<string>(JOBS.filter((j) => !j.email).map((j) => j.id));

/** What a tick did, for the working-day table; `scheduled`: the daily jobs its runners ran. */
function tickWork(report: TickReport | undefined, scheduled: readonly string[]): TickRecord['work'] {
  if (!report) return 'stopped';
  if (scheduled.some((id) => MAINTENANCE.has(id))) return 'maintenance';
  const jobs = new Set(report.ran.map((r) => r.job));
  if ([...jobs].some((job) => EMAILS.has(job))) return 'email';
  if (jobs.has('funnel')) return 'funnel';
  if (jobs.has('journal')) return 'journal';
  if (jobs.size > 0) return 'other';
  return report.readSheets ? 'other' : 'idle';
}

// ---- the working day ------------------------------------------------------------------------------

/** Open leads a manager works on (the newest few thousand), with the stages they already have. */
interface LeadTargets { rows: number[]; filled: Map<number, Set<string>>; cols: Map<string, number> }

const NEXT_STAGES: readonly AnalyticsKey[] = ['stageNegotiation', 'stageDeciding', 'stageLinkSent', 'stageRenegotiation'];

function leadTargets(w: BenchWorld): LeadTargets {
  return w.env.ctx.recorder.quiet(() => {
    const table = readTable(w.ss.getSheetByName(ANALYTICS.name)!, ANALYTICS);
    const col = (k: AnalyticsKey) => table.headers.index.get(k)!;
    const rows: number[] = [];
    const filled = new Map<number, Set<string>>();
    for (let i = table.rows.length - 1; i >= 0 && rows.length < 3_000; i--) {
      const r = table.rows[i];
      if (r[col('stagePaid')] !== '' || r[col('stageRefused')] !== '' || r[col('firstContactDate')] === '') continue;
      const row = table.firstRow + i;
      rows.push(row);
      filled.set(row, new Set(NEXT_STAGES.filter((k) => r[col(k)] !== '')));
    }
    const cols = new Map([...table.headers.index].map(([k, i]) => [k, i + 1]));
    return { rows, filled, cols };
  });
}

/** The cell a manager types and what: the lead's next stage (60 %), «Последний контакт» (20 %) or a note. */
function leadCellEdit(t: LeadTargets, d: Dice): { a1: string; value: string } {
  const row = t.rows[d.int(0, t.rows.length - 1)];
  const r = d.next();
  const at = (key: string) => `${columnLetter(t.cols.get(key)!)}${row}`;
  if (r < 0.6) {
    const done = t.filled.get(row)!;
    const next = NEXT_STAGES.find((k) => !done.has(k));
    if (next) {
      done.add(next);
      return { a1: at(next), value: '+' };
    }
  }
  if (r < 0.8) return { a1: at('lastContact'), value: formatRuDate(BENCH_DAY) };
  return { a1: at('projectInfo'), value: `Интернет-магазин, созвон ${d.int(1, 28)}.11` };
}

function emptyEdits(): EditStats {
  return { count: 0, totalMs: 0, maxMs: 0, maxRangeIo: 0 };
}

function addEdit(s: EditStats, r: JobResult): void {
  s.count++;
  s.totalMs = round(s.totalMs + r.modelledMs);
  s.maxMs = Math.max(s.maxMs, r.modelledMs);
  s.maxRangeIo = Math.max(s.maxRangeIo, r.calls.rangeIo);
}

/** Every job of one working day on a workbook of `leads` leads (test/bench.test.ts runs it small). */
export function measureJobs(leads: number, seed: number, log: (line: string) => void = () => {}): Omit<SizeResult, 'pure'> {
  // The emulator's Date is the virtual clock: wall time comes from performance.now().
  const started = performance.now();
  const w = buildBenchWorld(leads, { seed, today: BENCH_DAY });
  const rec = w.env.ctx.recorder;
  const cellsAtStart = active(w).cellCount();
  log(`  workbook ready in ${seconds(performance.now() - started)} s (${cellsAtStart.toLocaleString('en-US')} cells)`);
  const jobs: JobResult[] = [];
  const measure = (id: string, label: string, runsAs: RunsAs, fn: () => string | undefined | void): JobResult => {
    const from = mark(rec);
    const t = performance.now();
    const killed = fn() ?? undefined;
    const r = resultSince(rec, from, id, label, runsAs, killed);
    log(`  ${label}: ${seconds(r.modelledMs)} s modelled${killed ? ` — stopped: ${killed}` : ''}, ${seconds(performance.now() - t)} s here`);
    return r;
  };
  const d = dice(seed + 700);
  const edits = { leadCell: emptyEdits(), leadPaste: emptyEdits(), logEntry: emptyEdits() };
  const ticks: TickRecord[] = [];
  let targets: LeadTargets | null = null;
  let nextInvoice = 900_000;
  let nextLead = leads;
  const newLeads = (dd: Dice, count: number) => leadRows(dd, count, (nextLead += count) - count);
  let unpaid: number[] | null = null;

  // The schedule's runners, each timed on its own inside the tick that runs it.
  const parts: JobResult[] = [];
  const runners: Runners = {};
  for (const [id, runner] of Object.entries(RUNNERS) as Array<[keyof Runners, JobRunner]>) {
    runners[id] = (jobRun) => {
      const from = mark(rec);
      try { return runner(jobRun); } finally { parts.push(resultSince(rec, from, `tick:${id}`, `  in tick: ${id}`, 'installableTrigger')); }
    };
  }

  const singleJob = (job: string): void => {
    switch (job) {
      case 'setup':
        jobs.push(measure('setup', 'Настроить таблицу (existing sheet)', 'menu', () => menu(w, menuSetup)));
        return;
      case 'editCell': {
        // The reference lists are cached as after any earlier edit.
        rec.quiet(() => runExecution(w, 'simpleTrigger', () => loadReference(w.ss, true)));
        const target = editTarget(w);
        jobs.push(measure('editCell', 'onEdit: one cell', 'simpleTrigger', () => userEdit(w, 'analytics', target, [['+']]).killed));
        addEdit(edits.leadCell, jobs[jobs.length - 1]);
        return;
      }
      case 'editPaste': {
        const paste = appendRows(w, 'analytics', newLeads(dice(seed + 40), BIG_PASTE_ROWS));
        jobs.push(measure('editPaste', `onEdit: paste ${BIG_PASTE_ROWS} rows`, 'simpleTrigger', () => userEdit(w, 'analytics', paste.a1, paste.values).killed));
        return;
      }
      case 'recalc':
        // The first chunk (up to ~109,000 rows); the ticks after it go on (recalcContinue below).
        jobs.push(measure('recalc', 'Пересчитать (menu, first chunk)', 'menu', () => menu(w, menuRecalc)));
        return;
      case 'editDeferred': {
        // Another execution holds the script lock for 10 s: onEdit waits its 5 s, then queues the row.
        const target = editTarget(w);
        w.env.locks.holdByOther('script', w.env.ctx.clock.now() + 10_000);
        jobs.push(measure('editDeferred', 'onEdit: one cell while the lock is busy (deferred)', 'simpleTrigger', () => userEdit(w, 'analytics', target, [['+']]).killed));
        w.env.locks.holdByOther('script', 0); // that execution ends: the next events of this minute find the lock free
        return;
      }
      case 'sweepMenu':
        jobs.push(measure('sweepMenu', 'Отметить «Ожидание» (menu)', 'menu', () => menu(w, menuSweep)));
        return;
      case 'funnelMenu':
        jobs.push(measure('funnelMenu', 'Обновить воронку (menu)', 'menu', () => menu(w, menuFunnel)));
        return;
      case 'partnersMenu':
        jobs.push(measure('partnersMenu', 'Синхронизировать партнёров (menu)', 'menu', () => menu(w, menuPartners)));
        return;
      default:
        throw new Error(`unknown bench job ${job}`);
    }
  };

  const teamEdit = (ev: DayEvent): void => {
    const quietly = <T>(fn: () => T) => rec.quiet(fn);
    const now = () => localDateTimeToDate(BENCH_DAY, MOSCOW, Math.floor(ev.minute / 60), ev.minute % 60);
    const time = (stats: EditStats, key: SheetKey, a1: string, values: unknown[][]) => {
      const from = mark(rec);
      const { killed } = userEdit(w, key, a1, values);
      const r = resultSince(rec, from, ev.kind, ev.kind, 'simpleTrigger', killed);
      if (killed) throw new Error(`onEdit ${ev.kind} at ${hhmm(ev.minute)} stopped: ${killed}`);
      addEdit(stats, r);
    };
    switch (ev.kind) {
      case 'leadCell': {
        targets ??= leadTargets(w);
        if (targets.rows.length === 0) return;
        const edit = leadCellEdit(targets, d);
        time(edits.leadCell, 'analytics', edit.a1, [[edit.value]]);
        return;
      }
      case 'leadPaste': {
        const paste = appendRows(w, 'analytics', newLeads(d, PASTE_ROWS_PER_MANAGER).map((r) => ({ ...r, manager: ev.actor })));
        time(edits.leadPaste, 'analytics', paste.a1, paste.values);
        return;
      }
      case 'secretaryRow': {
        const row = appendRows(w, 'secretaryLog', [secretaryEntry(d, now())]);
        time(edits.logEntry, 'secretaryLog', row.a1, row.values);
        return;
      }
      case 'callsRow': {
        const row = appendRows(w, 'calls', [callsEntry(d, BENCH_DAY, ev.actor)]);
        time(edits.logEntry, 'calls', row.a1, row.values);
        return;
      }
      case 'invoiceRow': {
        const row = appendRows(w, 'invoices', [invoiceEntry(d, BENCH_DAY, nextInvoice++)]);
        time(edits.logEntry, 'invoices', row.a1, row.values);
        return;
      }
      case 'invoicePayment': {
        const cols = columnsOf(w, 'invoices');
        unpaid ??= quietly(() => {
          const table = readTable(w.ss.getSheetByName(templateByKey('invoices').name)!, templateByKey('invoices'));
          const paid = table.headers.index.get('paymentDate')!;
          return table.rows.map((r, i) => (r[paid] === '' ? table.firstRow + i : 0)).filter((n) => n > 0).slice(-50);
        });
        if (unpaid.length === 0) return; // a small team may have no invoice left to pay
        const row = unpaid.splice(d.int(0, unpaid.length - 1), 1)[0];
        const amount = quietly(() => sheetOf(w, 'invoices').store.value(row - 1, cols.get('amount')! - 1));
        const [a, b] = [cols.get('paymentDate')!, cols.get('paidAmount')!];
        if (b !== a + 1) throw new Error('«Счета»: payment date and amount are expected side by side');
        time(edits.logEntry, 'invoices', `${columnLetter(a)}${row}:${columnLetter(b)}${row}`, [[now(), amount]]);
        return;
      }
      default:
        throw new Error(`unknown day event ${ev.kind}`);
    }
  };

  try {
    const events = workingDayEvents(MANAGERS, seed);
    let next = 0;
    let owner = '';
    let staleTicks = 0;
    let stoppedAt: string | null = null;
    let worstFunnel: JobResult | null = null;
    let recalcContinue: JobResult | null = null;
    let tickPending: JobResult | null = null;
    let exactTriggerMs = 0;
    for (let t = 0; t < TICKS_PER_DAY; t++) {
      const minute = t * 5;
      while (next < events.length && events[next].minute < minute) {
        const ev = events[next++];
        w.setTime(hhmm(ev.minute));
        if (ev.kind === 'job') singleJob(ev.job!);
        else teamEdit(ev);
      }
      w.setTime(hhmm(minute));
      // Ticks that find «Воронка» marked stale: without the hourly bound each of them would redraw it.
      if (rec.quiet(() => isFunnelStale())) staleTicks++;
      // A «Пересчитать» left unfinished by the menu: this tick's recalculation goes on from its cursor.
      const continuing = rec.quiet(() => hasRecalcCursor(PropertiesService.getDocumentProperties().getProperties()));
      const from = mark(rec);
      const outcome = tickAt(w, minute, runners);
      owner ||= outcome.user;
      const at = hhmm(minute);
      const id = `tick${at.replace(':', '')}`;
      const r = resultSince(rec, from, id, outcome.report ? tickLabel(outcome.report, at) : `tick ${at}`, 'installableTrigger', outcome.killed);
      exactTriggerMs += modelledMs(r.byMethod, r.cellsRead + r.cellsWritten);
      const scheduled = parts.map((p) => p.id.slice('tick:'.length));
      const work = tickWork(outcome.report, scheduled);
      if (outcome.killed && stoppedAt === null) stoppedAt = at;
      ticks.push({ at, work, ms: r.modelledMs, ran: outcome.report?.ran.map((x) => x.job) ?? [], ...(outcome.killed ? { killed: outcome.killed } : {}) });
      if (work === 'maintenance') {
        const daily = parts.filter((p) => MAINTENANCE.has(p.id.slice('tick:'.length)));
        jobs.push({ ...r, id, label: `tick ${at}: ${daily.map((p) => p.id.slice('tick:'.length)).join(', ')}` }, ...daily);
        log(`  tick ${at}: ${seconds(r.modelledMs)} s modelled`);
      } else if (work === 'email') {
        const emails = outcome.report!.ran.map((x) => x.job).filter((job) => EMAILS.has(job));
        jobs.push({ ...r, id, label: `tick ${at}: ${emails.join(', ')} (compose + send)` });
        log(`  tick ${at}: ${seconds(r.modelledMs)} s modelled`);
      } else if (work === 'idle' && !jobs.some((j) => j.id === 'tickIdle')) {
        jobs.push({ ...r, id: 'tickIdle', label: 'tick with nothing due' });
      } else if (work === 'funnel' && (!worstFunnel || r.modelledMs > worstFunnel.modelledMs)) {
        worstFunnel = { ...r, id: 'tickFunnel', label: 'tick that redraws «Воронка» after edits (the costliest of the day)' };
      }
      if (outcome.report?.ran.some((x) => x.job === 'recalc')) {
        if (continuing && (!recalcContinue || r.modelledMs > recalcContinue.modelledMs)) {
          recalcContinue = { ...r, id: 'recalcContinue', label: `tick ${at}: «Пересчитать» goes on (the costliest chunk)` };
        } else if (!continuing && !tickPending) {
          tickPending = { ...r, id: 'tickPending', label: `tick ${at}: ${outcome.report.ran.map((x) => x.job).join(', ')} (the row of a deferred edit)` };
        }
      }
      parts.length = 0;
    }
    while (next < events.length) {
      const ev = events[next++];
      w.setTime(hhmm(ev.minute));
      if (ev.kind === 'job') singleJob(ev.job!);
      else teamEdit(ev);
    }
    if (worstFunnel) jobs.push(worstFunnel);
    if (recalcContinue) jobs.push(recalcContinue);
    if (tickPending) jobs.push(tickPending);

    const triggerMs = round(ticks.reduce((a, x) => a + x.ms, 0));
    // The emulator charged the same time to the owner's daily trigger runtime (same model, same calls).
    const charged = w.env.execution.runtimeUsed(owner, w.env.ctx.clock.now());
    if (stoppedAt === null && Math.abs(charged - exactTriggerMs) > 1) {
      throw new Error(`bench and emulator disagree on the day's trigger runtime: ${exactTriggerMs} ms vs ${charged} ms`);
    }
    const byWork = new Map<string, { count: number; ms: number }>();
    for (const x of ticks) {
      const g = byWork.get(x.work) ?? { count: 0, ms: 0 };
      g.count++;
      g.ms = round(g.ms + x.ms);
      byWork.set(x.work, g);
    }
    const quota = (kind: 'consumer' | 'workspace') => ({
      triggerMs, quotaMs: DAILY_TRIGGER_RUNTIME_MS[kind], share: round(triggerMs / DAILY_TRIGGER_RUNTIME_MS[kind], 4),
    });
    const funnelTicks = ticks.filter((x) => x.work === 'funnel');
    const workingDay: WorkingDay = {
      day: BENCH_DAY,
      ticks: ticks.length,
      triggerMs,
      quotaMs: { consumer: DAILY_TRIGGER_RUNTIME_MS.consumer, workspace: DAILY_TRIGGER_RUNTIME_MS.workspace },
      consumer: quota('consumer'),
      workspace: quota('workspace'),
      stoppedAt,
      ticksByWork: Object.fromEntries(byWork),
      funnel: {
        staleTicks, redraws: funnelTicks.length,
        redrawMs: funnelTicks.length ? round(funnelTicks.reduce((a, x) => a + x.ms, 0) / funnelTicks.length) : 0,
        at: funnelTicks.map((x) => x.at),
      },
      edits,
      busyTicks: ticks.filter((x) => x.work !== 'idle'),
    };
    log(`  working day: ${seconds(triggerMs)} s of trigger runtime (${ticks.length} ticks, «Воронка» redrawn ${funnelTicks.length}× after edits; ${staleTicks} ticks found it stale)`);
    const cells = active(w).cellCount();
    if (cells > MAX_CELLS_PER_SPREADSHEET) throw new Error(`${cells} cells: over the cap`);
    return { leads, cells, cellsAtStart, sizes: w.sizes, jobs, workingDay };
  } finally {
    w.uninstall();
  }
}

function tickLabel(report: TickReport, at: string): string {
  return report.ran.length === 0 ? `tick ${at}` : `tick ${at}: ${report.ran.map((r) => r.job).join(', ')}`;
}

/** An open lead in the middle of the sheet and a stage cell of it that is still empty. */
function editTarget(w: BenchWorld): string {
  return w.env.ctx.recorder.quiet(() => {
    const table = readTable(w.ss.getSheetByName(ANALYTICS.name)!, ANALYTICS);
    const col = (k: AnalyticsKey) => table.headers.index.get(k)!;
    for (let i = Math.floor(table.rows.length / 2); i < table.rows.length; i++) {
      const r = table.rows[i];
      if (r[col('stagePaid')] === '' && r[col('stageRefused')] === '' && r[col('stageDeciding')] === '' && r[col('stageNegotiation')] !== '') {
        return `${columnLetter(col('stageDeciding') + 1)}${table.firstRow + i}`;
      }
    }
    throw new Error('no open lead to edit');
  });
}

// ---- the largest size -------------------------------------------------------------------------------

/**
 * The largest «Аналитика» (rounded down to 5,000 leads) whose spreadsheet — the logs that grow with it,
 * the other sheets, «Журнал» at its bound — still fits Google's 10,000,000 cells after a working day.
 * One small workbook gives each sheet's width and the partner rows per lead; the logs grow as
 * sizesFor says, every other sheet keeps its grid.
 */
export function maxLeads(seed: number): number {
  const sample = 2_000;
  const w = buildBenchWorld(sample, { seed, today: BENCH_DAY });
  try {
    const s = sizesFor(sample);
    const perLeadRows: Partial<Record<SheetKey, number>> = {
      analytics: 1, secretaryLog: s.secretaryRows / sample, calls: s.callsRows / sample, invoices: s.invoiceRows / sample,
      affiliates: w.sizes.masterRows / sample,
    };
    let fixed = 0;
    let perLead = 0;
    for (const sheet of active(w).sheets) {
      const key = (Object.keys(perLeadRows) as SheetKey[]).find((k) => templateByKey(k).name === sheet.name);
      if (key === undefined) fixed += sheet.maxRows * sheet.maxCols;
      else {
        fixed += templateByKey(key).headerRow * sheet.maxCols;
        perLead += perLeadRows[key]! * sheet.maxCols;
      }
    }
    return Math.floor((MAX_CELLS_PER_SPREADSHEET - DAY_GROWTH_CELLS - fixed) / perLead / MAX_STEP) * MAX_STEP;
  } finally {
    w.uninstall();
  }
}

// ---- pure computation -------------------------------------------------------------------------------

/**
 * scripts/bench-pure.ts bundled by esbuild for the target of dist/Code.js (es2019), so the pure layers are
 * timed as shipped and in a fresh process with a heap of their own.
 */
function buildPureBundle(): string {
  const outfile = join(tmpdir(), `bench-pure-${process.pid}.mjs`);
  buildSync({
    entryPoints: [join(dirname(fileURLToPath(import.meta.url)), 'bench-pure.ts')], bundle: true, platform: 'node', format: 'esm',
    target: 'es2019', outfile, logLevel: 'error',
  });
  return outfile;
}

function run(args: string[], onLine: (line: string) => void): Promise<string> {
  return new Promise((resolveRun, reject) => {
    const child = execFile(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${args.slice(-6).join(' ')}: ${stderr || error.message}`));
      else resolveRun(stdout);
    });
    let buffer = '';
    child.stdout?.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop()!;
      for (const l of lines) onLine(l);
    });
  });
}

async function timePure(bundle: string, leads: number, seed: number): Promise<PureTimes> {
  const out = await run([bundle, String(leads), String(seed), BENCH_DAY], () => {});
  return JSON.parse(out.trim().split('\n').pop()!) as PureTimes;
}

// ---- main -------------------------------------------------------------------------------------------

const SELF = fileURLToPath(import.meta.url);
/** Each size in a fresh process: a heap of its own (the largest needs several GB), two at a time. */
const WORKER_FLAGS = ['--max-old-space-size=12288', '--import', 'tsx'];

function parseSizes(text: string, seed: number): number[] {
  const sizes = text.split(',').map((s) => s.trim()).map((s) => (s === 'max' ? maxLeads(seed) : Number(s.replace(/[_\s]/g, ''))));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error(`--sizes: «${text}» — нужны целые числа через запятую (или max), например 1000,10000,max`);
  return [...new Set(sizes)].sort((x, y) => x - y);
}

async function measureInWorker(leads: number, seed: number): Promise<Omit<SizeResult, 'pure'>> {
  const out = join(tmpdir(), `bench-size-${process.pid}-${leads}.json`);
  const tag = `[${leads.toLocaleString('en-US')}]`;
  try {
    await run([...WORKER_FLAGS, SELF, '--worker', String(leads), '--seed', String(seed), '--out', out], (line) => console.log(`${tag} ${line}`));
    return JSON.parse(readFileSync(out, 'utf8')) as Omit<SizeResult, 'pure'>;
  } finally {
    rmSync(out, { force: true });
  }
}

export async function runBench(argv: string[]): Promise<BenchResults> {
  const { values } = parseArgs({
    args: argv,
    options: {
      sizes: { type: 'string', default: DEFAULT_SIZES }, seed: { type: 'string', default: '1' },
      out: { type: 'string', default: 'bench/results.json' }, workers: { type: 'string', default: String(Math.min(2, cpus().length)) },
      worker: { type: 'string' },
    },
    strict: true,
  });
  const seed = Number(values.seed);
  if (values.worker) {
    // One size, in this process; the parent collects the file.
    const measured = measureJobs(Number(values.worker), seed, (line) => process.stdout.write(`${line}\n`));
    writeFileSync(values.out!, JSON.stringify(measured));
    return undefined as never;
  }
  const started = performance.now();
  const sizes = parseSizes(values.sizes!, seed);
  console.log(`sizes: ${sizes.map((s) => s.toLocaleString('en-US')).join(', ')} leads`);
  const results: BenchResults = {
    model: {
      latency: 'emulator/services/latency.ts', executionLimitMs: EXECUTION_LIMIT_MS, simpleTriggerLimitMs: SIMPLE_TRIGGER_LIMIT_MS,
      dailyTriggerRuntimeMs: DAILY_TRIGGER_RUNTIME_MS, ticksPerDay: TICKS_PER_DAY, maxCells: MAX_CELLS_PER_SPREADSHEET,
    },
    targets: {
      workingDayMs: WORKING_DAY_TARGET_MS, jobHeadroom: JOB_HEADROOM_TARGET, editCellMs: EDIT_CELL_TARGET_MS, editRangeIo: EDIT_RANGE_IO_TARGET,
      email1945Ms: EMAIL_1945_TARGET_MS, pureCpuMs: PURE_CPU_TARGET_MS, atLeads: TARGET_LEADS,
    },
    environment: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, seed, day: BENCH_DAY },
    sizes: [],
    checks: [],
  };
  const pureBundle = buildPureBundle();
  const bySize = new Map<number, SizeResult>();
  const measuredBySize = new Map<number, Omit<SizeResult, 'pure'>>();
  try {
    // The pure layers first, one size at a time, alone: CPU time measured beside another worker's
    // 260,000-lead day is inflated by the shared cores, not by our code.
    const pureBySize = new Map<number, PureTimes>();
    for (const leads of sizes) {
      const pure = await timePure(pureBundle, leads, seed);
      console.log(`[${leads.toLocaleString('en-US')}] pure computation: ${pure.totalMs} ms CPU`);
      pureBySize.set(leads, pure);
    }
    // Largest first, each worker taking the next size when it is free.
    const queue = [...sizes].sort((x, y) => y - x);
    const worker = async () => {
      for (let leads = queue.shift(); leads !== undefined; leads = queue.shift()) {
        let measured: Omit<SizeResult, 'pure'>;
        try {
          measured = await measureInWorker(leads, seed);
        } catch (error) {
          // Once more: a source file being saved at the moment a worker starts fails its import.
          console.log(`[${leads.toLocaleString('en-US')}] failed, running it again: ${String(error).split('\n').slice(0, 6).join(' ')}`);
          measured = await measureInWorker(leads, seed);
        }
        measuredBySize.set(leads, measured);
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Number(values.workers)) }, worker));
    for (const leads of sizes) bySize.set(leads, { ...measuredBySize.get(leads)!, pure: pureBySize.get(leads)! });
  } finally {
    rmSync(pureBundle, { force: true });
  }
  results.sizes = sizes.map((s) => bySize.get(s)!);
  results.checks = targetChecks(results);
  const out = resolve(values.out!);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log();
  console.log(markdownReport(results));
  console.log(`\nResults: ${out} (${seconds(performance.now() - started)} s)`);
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(SELF)) {
  runBench(process.argv.slice(2)).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
