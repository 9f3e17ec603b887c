// `npm run bench [-- --sizes 1000,10000] [--seed N] [--out bench/results.json]`: builds a workbook of each
// size in the emulator, runs every job the way Apps Script runs it (menu items, onEdit, the 5-minute tick),
// and prints per job the service calls, cells moved, Node CPU, the modelled Apps Script time
// (scripts/bench-model.ts) and the headroom under the 6-minute and 30-second limits. The same figures go
// to bench/results.json, so a change can be compared with the last committed run.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildSync } from 'esbuild';
import { templateByKey } from '../sheets-templates';
import type { AnalyticsKey } from '../src/core/analytics';
import { addDays } from '../src/core/dates';
import { jobClock } from '../src/gas/clock';
import { loadReference } from '../src/gas/reference';
import { readTable } from '../src/gas/table';
import { runTick, type JobRunner, type Runners, type TickReport } from '../src/jobs/scheduler';
import { EXTRA_WORK, RUNNERS } from '../src/jobs/tick-entry';
import { menuFunnel, menuPartners, menuRecalc, menuSetup, menuSweep, onEdit } from '../src/main';
import { isRangeIo, type ServiceRecorder } from '../emulator/recorder';
import { buildBenchWorld, dice, typedLead, type BenchWorld } from './bench-data';
import {
  DAILY_10K_TARGET_MS, DAILY_HEADROOM_TARGET, EDIT_RANGE_IO_TARGET, EXECUTION_LIMIT_MS, headroom, modelledMs, MS_PER_CALL,
  MS_PER_CELL, PURE_CPU_TARGET_MS, SIMPLE_TRIGGER_LIMIT_MS, TICKS_PER_DAY,
} from './bench-model';
import type { PureTimes } from './bench-pure';
import { markdownReport, targetChecks, type BenchResults, type JobResult, type SizeResult } from './bench-report';

const ANALYTICS = templateByKey('analytics');
const DEFAULT_SIZES = [1_000, 10_000, 50_000, 100_000];
/** The benchmark day: a Monday, so «Звонки» and the reports have a working day to show. */
const BENCH_DAY = '2026-11-23';
const PASTE_ROWS = 500;

// ---- measuring ------------------------------------------------------------------------------------

interface Mark { counts: Map<string, number>; cellsRead: number; cellsWritten: number; cpu: NodeJS.CpuUsage }

function mark(rec: ServiceRecorder): Mark {
  return { counts: new Map(rec.counts), cellsRead: rec.cellsRead, cellsWritten: rec.cellsWritten, cpu: process.cpuUsage() };
}

function resultSince(rec: ServiceRecorder, from: Mark, id: string, label: string, limit: 'execution' | 'simpleTrigger'): JobResult {
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
  return finish({
    id, label, limit, calls: { total, rangeIo, other: total - rangeIo }, cellsRead, cellsWritten,
    cpuMs: (cpu.user + cpu.system) / 1000, byMethod: Object.fromEntries(Object.entries(byMethod).sort()),
  });
}

function finish(r: Omit<JobResult, 'modelledMs' | 'headroom'>): JobResult {
  const ms = modelledMs({ calls: r.calls.total, cellsRead: r.cellsRead, cellsWritten: r.cellsWritten });
  return { ...r, modelledMs: round(ms), headroom: round(headroom(ms, r.limit === 'simpleTrigger' ? SIMPLE_TRIGGER_LIMIT_MS : EXECUTION_LIMIT_MS), 4), cpuMs: round(r.cpuMs) };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Sum of several results, each `times` as often as given. */
function combine(id: string, label: string, parts: Array<[JobResult, number]>): JobResult {
  const byMethod: Record<string, number> = {};
  let total = 0; let rangeIo = 0; let cellsRead = 0; let cellsWritten = 0; let cpuMs = 0;
  for (const [p, times] of parts) {
    for (const [m, n] of Object.entries(p.byMethod)) byMethod[m] = (byMethod[m] ?? 0) + n * times;
    total += p.calls.total * times;
    rangeIo += p.calls.rangeIo * times;
    cellsRead += p.cellsRead * times;
    cellsWritten += p.cellsWritten * times;
    cpuMs += p.cpuMs * times;
  }
  return finish({
    id, label, limit: 'execution', calls: { total, rangeIo, other: total - rangeIo }, cellsRead, cellsWritten, cpuMs,
    byMethod: Object.fromEntries(Object.entries(byMethod).sort()),
  });
}

// ---- one size -------------------------------------------------------------------------------------

function runExecution<T>(w: BenchWorld, kind: 'menu' | 'simpleTrigger' | 'installableTrigger', fn: () => T): T {
  w.env.beginExecution(kind);
  try { return fn(); } finally { w.env.endExecution(); }
}

/** A menu item as the user clicks it; its answer is an alert, and «Не получилось» is a failed job. */
function menu(w: BenchWorld, handler: () => void): void {
  const before = w.env.ui.alerts.length;
  runExecution(w, 'menu', handler);
  for (const a of w.env.ui.alerts.slice(before)) if (/Не получилось/.test(a.prompt)) throw new Error(`${a.title}: ${a.prompt}`);
}

function analyticsWidth(w: BenchWorld): number {
  return w.env.ctx.recorder.quiet(() => w.ss.getSheetByName(ANALYTICS.name)!.getLastColumn());
}

/** An open lead in the middle of the sheet and a stage cell of it that is still empty. */
function editTarget(w: BenchWorld): string {
  return w.env.ctx.recorder.quiet(() => {
    const table = readTable(w.ss.getSheetByName(ANALYTICS.name)!, ANALYTICS);
    const col = (k: AnalyticsKey) => table.headers.index.get(k)!;
    for (let i = Math.floor(table.rows.length / 2); i < table.rows.length; i++) {
      const r = table.rows[i];
      if (r[col('stagePaid')] === '' && r[col('stageRefused')] === '' && r[col('stageDeciding')] === '' && r[col('stageNegotiation')] !== '') {
        return w.ss.getSheetByName(ANALYTICS.name)!.getRange(table.firstRow + i, col('stageDeciding') + 1).getA1Notation();
      }
    }
    throw new Error('no open lead to edit');
  });
}

/** 500 new leads of the last three days, as a manager pastes them under the last row (full width). */
function pasteBlock(w: BenchWorld, seed: number): { a1: string; values: unknown[][] } {
  const d = dice(seed + 40);
  const width = analyticsWidth(w);
  const rows = Array.from({ length: PASTE_ROWS }, (_, i) => {
    const lead = typedLead(d, w.sizes.leads + i, addDays(BENCH_DAY, -d.int(0, 2)), BENCH_DAY);
    return ANALYTICS.columns.slice(0, width).map((c) => lead[c.key] ?? '');
  });
  const sheet = w.ss.getSheetByName(ANALYTICS.name)!;
  return w.env.ctx.recorder.quiet(() => {
    const first = sheet.getLastRow() + 1;
    const need = first + PASTE_ROWS - 1;
    if (need > sheet.getMaxRows()) sheet.insertRowsAfter(sheet.getMaxRows(), need - sheet.getMaxRows());
    return { a1: sheet.getRange(first, 1, PASTE_ROWS, width).getA1Notation(), values: rows };
  });
}

function userEdit(w: BenchWorld, a1: string, values: unknown[][]): void {
  const sheet = w.env.world.getActive()!.getSheetByName(ANALYTICS.name)!;
  const e = w.env.world.userEdit(sheet as never, a1, values);
  runExecution(w, 'simpleTrigger', () => onEdit(e));
}

function tickAt(w: BenchWorld, time: string, runners: Runners): TickReport {
  w.setTime(time);
  const report = runExecution(w, 'installableTrigger', () => runTick(() => SpreadsheetApp.getActiveSpreadsheet(), runners, jobClock(), EXTRA_WORK));
  const failed = report.ran.filter((r) => !r.ok);
  if (failed.length > 0 || report.skipped) throw new Error(`tick ${time}: ${report.skipped ?? failed.map((f) => `${f.job}: ${f.result}`).join('; ')}`);
  return report;
}

/** Every job of one benchmark day on a workbook of `leads` leads (test/bench.test.ts runs it small). */
export function measureJobs(leads: number, seed: number, log: (line: string) => void = () => {}): Omit<SizeResult, 'pure'> {
  // The emulator's Date is the virtual clock: wall time comes from performance.now().
  const started = performance.now();
  const w = buildBenchWorld(leads, { seed, today: BENCH_DAY });
  const rec = w.env.ctx.recorder;
  log(`  workbook ready in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const jobs: JobResult[] = [];
  const run = (id: string, label: string, limit: 'execution' | 'simpleTrigger', fn: () => void): JobResult => {
    const from = mark(rec);
    const t = performance.now();
    fn();
    const r = resultSince(rec, from, id, label, limit);
    jobs.push(r);
    log(`  ${label.trim()}: ${seconds(r.modelledMs)} s modelled, ${((performance.now() - t) / 1000).toFixed(1)} s here`);
    return r;
  };
  try {
    w.setTime('05:30');
    run('setup', 'Настроить таблицу (existing sheet)', 'execution', () => menu(w, menuSetup));

    // Edits before the morning tick; the reference lists are cached as after any earlier edit.
    w.setTime('05:35');
    rec.quiet(() => runExecution(w, 'simpleTrigger', () => loadReference(w.ss, true)));
    const target = editTarget(w);
    run('editCell', 'onEdit: one cell', 'simpleTrigger', () => userEdit(w, target, [['+']]));
    w.setTime('05:36');
    const paste = pasteBlock(w, seed);
    run('editPaste', `onEdit: paste ${PASTE_ROWS} rows`, 'simpleTrigger', () => userEdit(w, paste.a1, paste.values));

    w.setTime('05:40');
    run('recalc', 'Пересчитать (menu)', 'execution', () => menu(w, menuRecalc));

    // The daily maintenance tick, each runner's share measured inside it.
    const parts: JobResult[] = [];
    const wrap = (id: string, label: string, runner: JobRunner): JobRunner => (jobRun) => {
      const from = mark(rec);
      try { return runner(jobRun); } finally { parts.push(resultSince(rec, from, id, label, 'execution')); }
    };
    const runners: Runners = {};
    for (const [id, runner] of Object.entries(RUNNERS) as Array<[keyof Runners, JobRunner]>) runners[id] = wrap(`tick:${id}`, `  in tick: ${id}`, runner);
    const morning = run('tick0600', 'tick 06:00: sweep, invoices, partners, funnel', 'execution', () => tickAt(w, '06:00', runners));
    jobs.push(...parts.splice(0));
    const secretary = run('tick1100', 'tick 11:00: secretary report (compose + send)', 'execution', () => tickAt(w, '11:00', runners));
    parts.splice(0);
    const evening = run('tick1945', 'tick 19:45: head-of-sales report (compose + send)', 'execution', () => tickAt(w, '19:45', runners));
    parts.splice(0);
    const idle = run('tickIdle', 'tick with nothing due', 'execution', () => {
      const report = tickAt(w, '20:00', runners);
      if (report.readSheets || report.ran.length > 0) throw new Error('the idle tick did work');
    });
    jobs.push(combine('daily', `daily cycle: the 3 ticks above + ${TICKS_PER_DAY} idle ticks`, [[morning, 1], [secretary, 1], [evening, 1], [idle, TICKS_PER_DAY]]));

    // The same jobs from the menu, on their own (after the tick they find little to change: mostly reads).
    w.setTime('20:05');
    run('sweepMenu', 'Отметить «Ожидание» (menu)', 'execution', () => menu(w, menuSweep));
    run('funnelMenu', 'Обновить воронку (menu)', 'execution', () => menu(w, menuFunnel));
    run('partnersMenu', 'Синхронизировать партнёров (menu)', 'execution', () => menu(w, menuPartners));

    return { leads, sizes: w.sizes, jobs };
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

function timePure(bundle: string, leads: number, seed: number): PureTimes {
  const out = execFileSync(process.execPath, [bundle, String(leads), String(seed), BENCH_DAY], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop()!) as PureTimes;
}

// ---- main -------------------------------------------------------------------------------------------

function parseSizes(text: string | undefined): number[] {
  if (text === undefined) return DEFAULT_SIZES;
  const sizes = text.split(',').map((s) => Number(s.trim().replace(/[_\s]/g, '')));
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 10)) throw new Error(`--sizes: «${text}» — нужны целые числа через запятую, например 1000,10000`);
  return sizes;
}

export function runBench(argv: string[]): BenchResults {
  const { values } = parseArgs({
    args: argv,
    options: { sizes: { type: 'string' }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'bench/results.json' } },
    strict: true,
  });
  const sizes = parseSizes(values.sizes);
  const seed = Number(values.seed);
  const results: BenchResults = {
    model: { msPerCall: MS_PER_CALL, msPerCell: MS_PER_CELL, executionLimitMs: EXECUTION_LIMIT_MS, simpleTriggerLimitMs: SIMPLE_TRIGGER_LIMIT_MS, ticksPerDay: TICKS_PER_DAY },
    targets: { dailyHeadroom: DAILY_HEADROOM_TARGET, daily10kMs: DAILY_10K_TARGET_MS, pureCpuMs: PURE_CPU_TARGET_MS, editRangeIo: EDIT_RANGE_IO_TARGET },
    environment: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length, seed, day: BENCH_DAY },
    sizes: [],
    checks: [],
  };
  const pureBundle = buildPureBundle();
  try {
    for (const leads of sizes) {
      console.log(`▶ ${leads.toLocaleString('en-US')} leads`);
      const measured = measureJobs(leads, seed, console.log);
      const pure = timePure(pureBundle, leads, seed);
      console.log(`  pure computation: ${pure.totalMs} ms CPU; heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
      results.sizes.push({ ...measured, pure });
    }
  } finally {
    rmSync(pureBundle, { force: true });
  }
  results.checks = targetChecks(results);
  const out = resolve(values.out!);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log();
  console.log(markdownReport(results));
  console.log(`\nResults: ${out}`);
  return results;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  runBench(process.argv.slice(2));
}
