// The benchmark's figures as data (bench/results.json) and as markdown (printed by `npm run bench`,
// written into README.md by `npm run bench:readme`), and the SPEC §6 targets checked against them.
import type { PureTimes } from './bench-pure';

export type { PureTimes as PureResult } from './bench-pure';

/** How Apps Script runs a job: it decides the limit and whether the run uses daily trigger runtime. */
export type RunsAs = 'menu' | 'simpleTrigger' | 'installableTrigger';

export interface JobResult {
  id: string;
  label: string;
  runsAs: RunsAs;
  /** Apps Script's limit for one such run (ms): 30 s for a simple trigger, 6 min otherwise. */
  limit: number;
  calls: { total: number; rangeIo: number; other: number };
  cellsRead: number;
  cellsWritten: number;
  /** Node CPU of the whole job in the emulator (emulation included). */
  cpuMs: number;
  modelledMs: number;
  /** Share of the limit left free. */
  headroom: number;
  byMethod: Record<string, number>;
  /** Set when the emulator stopped the run as Google would ("Exceeded maximum execution time" …). */
  killed?: string;
}

/** onEdit runs of one kind over the working day (simple triggers: no daily trigger runtime). */
export interface EditStats { count: number; totalMs: number; maxMs: number; maxRangeIo: number }

export interface TickRecord {
  at: string;
  work: 'idle' | 'maintenance' | 'email' | 'funnel' | 'journal' | 'other' | 'stopped';
  ms: number;
  ran: string[];
  killed?: string;
}

export interface WorkingDay {
  day: string;
  ticks: number;
  /** Modelled runtime of every tick (the installable trigger): what the daily quota counts. */
  triggerMs: number;
  quotaMs: { consumer: number; workspace: number };
  consumer: { triggerMs: number; quotaMs: number; share: number };
  workspace: { triggerMs: number; quotaMs: number; share: number };
  /** The first tick Google stopped for the owner's daily runtime (consumer account), if any. */
  stoppedAt: string | null;
  ticksByWork: Record<string, { count: number; ms: number }>;
  /** staleTicks: ticks that found «Воронка» marked stale; redraws: ticks that redrew it (after edits). */
  funnel: { staleTicks: number; redraws: number; redrawMs: number; at: string[] };
  edits: { leadCell: EditStats; leadPaste: EditStats; logEntry: EditStats };
  /** Every tick that did something. */
  busyTicks: TickRecord[];
}

export interface SizeResult {
  leads: number;
  /** The spreadsheet's cells (every sheet's maxRows × maxColumns) at the end of the day; cellsAtStart before it. */
  cells: number;
  cellsAtStart: number;
  sizes: { leads: number; secretaryRows: number; callsRows: number; invoiceRows: number; masterRows: number };
  jobs: JobResult[];
  workingDay: WorkingDay;
  pure: PureTimes;
}

export interface TargetCheck { target: string; met: boolean; detail: string }

export interface BenchResults {
  model: {
    latency: string; executionLimitMs: number; simpleTriggerLimitMs: number;
    dailyTriggerRuntimeMs: { consumer: number; workspace: number }; ticksPerDay: number; maxCells: number;
  };
  targets: {
    workingDayMs: number; jobHeadroom: number; editCellMs: number; editRangeIo: number; email1945Ms: number; pureCpuMs: number;
    atLeads: number;
  };
  environment: { node: string; cpu: string; cores: number; seed: number; day: string };
  sizes: SizeResult[];
  checks: TargetCheck[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => (ms >= 100_000 ? (ms / 1000).toFixed(0) : ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2));
const minutes = (ms: number) => (ms / 60_000).toFixed(1);
const percent = (x: number) => `${Math.round(x * 100)} %`;
const limitText = (j: JobResult) => (j.limit >= 60_000 ? `${j.limit / 60_000} min` : `${j.limit / 1000} s`);

function job(size: SizeResult, id: string): JobResult | undefined {
  return size.jobs.find((j) => j.id === id);
}

/** Jobs whose service calls must not depend on the number of rows. */
const CONSTANT_CALL_JOBS = ['editCell', 'editPaste', 'recalc', 'tick0600', 'tick0605', 'tick1100', 'tick1945', 'tickIdle', 'sweepMenu', 'funnelMenu', 'partnersMenu'];

/** The jobs in the tables: single runs, not the 06:00 tick's parts. */
const isRun = (j: JobResult) => !j.id.startsWith('tick:');

export function targetChecks(r: BenchResults): TargetCheck[] {
  const t = r.targets;
  const checks: TargetCheck[] = [];
  const at = r.sizes.find((s) => s.leads === t.atLeads);
  const largest = r.sizes[r.sizes.length - 1];
  if (r.sizes.length > 1) {
    const growing: string[] = [];
    for (const id of CONSTANT_CALL_JOBS) {
      // «Пересчитать» on a sheet larger than one run also stores its cursor: a second constant, not growth.
      const chunked = (s: SizeResult) => id === 'recalc' && job(s, 'recalcContinue') !== undefined;
      for (const group of [false, true]) {
        const present = r.sizes.filter((s) => job(s, id) && chunked(s) === group);
        const calls = present.map((s) => job(s, id)!.calls.total);
        const io = present.map((s) => job(s, id)!.calls.rangeIo);
        if (new Set(calls).size > 1 || new Set(io).size > 1) growing.push(`${id}${group ? ' (in chunks)' : ''}: ${calls.join(' / ')} calls, ${io.join(' / ')} Range reads/writes`);
      }
    }
    checks.push({
      target: 'Service calls per job do not grow with rows',
      met: growing.length === 0,
      detail: growing.length === 0 ? `same calls at ${r.sizes.map((s) => int(s.leads)).join(', ')} leads` : growing.join('; '),
    });
  }
  if (at) {
    const day = at.workingDay;
    checks.push({
      target: `Working day at ${int(t.atLeads)} leads ≤ ${t.workingDayMs / 60_000} min of daily trigger runtime`,
      met: day.triggerMs <= t.workingDayMs && day.stoppedAt === null,
      detail: `${minutes(day.triggerMs)} min (${percent(day.consumer.share)} of a consumer account's 90 min, ${percent(day.workspace.share)} of Workspace's 6 h)`,
    });
  }
  const overQuota = r.sizes.filter((s) => s.workingDay.stoppedAt !== null || s.workingDay.consumer.share > 1);
  checks.push({
    target: 'Working day within a consumer account\'s 90 min of trigger runtime at every size',
    met: overQuota.length === 0,
    detail: overQuota.length === 0
      ? r.sizes.map((s) => `${minutes(s.workingDay.triggerMs)} min at ${int(s.leads)}`).join(', ')
      : overQuota.map((s) => `${int(s.leads)}: ${minutes(s.workingDay.triggerMs)} min${s.workingDay.stoppedAt ? `, triggers stopped from ${s.workingDay.stoppedAt}` : ''}`).join('; '),
  });
  const over = r.sizes.flatMap((s) => s.jobs.filter((j) => isRun(j) && (j.headroom < 0 || j.killed)).map((j) => `${j.label} at ${int(s.leads)}: ${seconds(j.modelledMs)} s`));
  checks.push({
    target: 'Every single run within its limit (onEdit 30 s, anything else 6 min) at every size',
    met: over.length === 0,
    detail: over.length === 0 ? 'all within' : over.join('; '),
  });
  const tight = largest.jobs.filter((j) => isRun(j) && j.headroom < t.jobHeadroom);
  checks.push({
    target: `Every job at the largest size (${int(largest.leads)} leads) uses ≤ ${percent(1 - t.jobHeadroom)} of its limit`,
    met: tight.length === 0,
    detail: tight.length === 0
      ? `worst: ${worstJob(largest).label}, ${percent(1 - worstJob(largest).headroom)}`
      : tight.map((j) => `${j.label}: ${seconds(j.modelledMs)} s = ${percent(1 - j.headroom)} of ${limitText(j)}`).join('; '),
  });
  const edits = r.sizes.map((s) => ({ s, io: Math.max(job(s, 'editCell')?.calls.rangeIo ?? 0, s.workingDay.edits.leadCell.maxRangeIo), ms: Math.max(job(s, 'editCell')?.modelledMs ?? 0, s.workingDay.edits.leadCell.maxMs) }));
  checks.push({
    target: `onEdit of one cell ≤ ${t.editRangeIo} Range reads/writes (every one-cell edit of the day)`,
    met: edits.every((e) => e.io <= t.editRangeIo),
    detail: edits.map((e) => `${e.io} at ${int(e.s.leads)}`).join(', '),
  });
  checks.push({
    target: `onEdit of one cell ≤ ${t.editCellMs / 1000} s modelled (the slowest of the day)`,
    met: edits.every((e) => e.ms <= t.editCellMs),
    detail: edits.map((e) => `${seconds(e.ms)} s at ${int(e.s.leads)}`).join(', '),
  });
  if (at) {
    const email = job(at, 'tick1945');
    checks.push({
      target: `19:45 email at ${int(t.atLeads)} leads ≤ ${t.email1945Ms / 1000} s modelled`,
      met: email !== undefined && email.modelledMs <= t.email1945Ms,
      detail: email ? `${seconds(email.modelledMs)} s (${int(email.cellsRead)} cells read, ${email.calls.total} calls)` : 'not measured',
    });
    checks.push({
      target: `Pure computation for ${int(t.atLeads)} leads ≤ ${t.pureCpuMs} ms CPU`,
      met: at.pure.totalMs <= t.pureCpuMs,
      detail: `${int(at.pure.totalMs)} ms (${Object.entries(at.pure.parts).map(([k, v]) => `${k} ${int(v)}`).join(', ')})`,
    });
  }
  return checks;
}

function worstJob(s: SizeResult): JobResult {
  return s.jobs.filter(isRun).reduce((a, b) => (b.headroom < a.headroom ? b : a));
}

/** One line per size: what the issue asks to see at a glance. */
function overviewTable(r: BenchResults): string {
  const lines = [
    '| leads | cells (of 10 M) | working day: trigger runtime | of consumer 90 min | of Workspace 6 h | «Воронка» redraws after edits | worst job (share of its limit) | onEdit one cell | 19:45 email | pure CPU |',
    '|--:|--:|--:|--:|--:|--:|---|--:|--:|--:|',
  ];
  for (const s of r.sizes) {
    const d = s.workingDay;
    const worst = worstJob(s);
    const edit = Math.max(job(s, 'editCell')?.modelledMs ?? 0, d.edits.leadCell.maxMs);
    const io = Math.max(job(s, 'editCell')?.calls.rangeIo ?? 0, d.edits.leadCell.maxRangeIo);
    const email = job(s, 'tick1945');
    lines.push(`| ${int(s.leads)} | ${int(s.cells)} (${percent(s.cells / r.model.maxCells)}) | ${minutes(d.triggerMs)} min${d.stoppedAt ? ` (stopped at ${d.stoppedAt})` : ''} | ${percent(d.consumer.share)} | ${percent(d.workspace.share)} | ${d.funnel.redraws} (${d.funnel.staleTicks} ticks found it stale) | ${worst.label}: ${percent(1 - worst.headroom)} of ${limitText(worst)} | ${seconds(edit)} s · ${io} Range I/O | ${email ? `${seconds(email.modelledMs)} s` : '—'} | ${int(s.pure.totalMs)} ms |`);
  }
  return lines.join('\n');
}

/** Where the day's trigger runtime goes. */
function dayTable(r: BenchResults): string {
  const kinds: Array<[string, string]> = [['idle', 'ticks with nothing due'], ['maintenance', 'daily maintenance (06:00, 06:05)'], ['email', 'email ticks'], ['funnel', '«Воронка» redrawn after edits'], ['journal', 'queued «Журнал» entries written'], ['other', 'other work (rows an edit left …)'], ['stopped', 'stopped by the quota']];
  const present = kinds.filter(([k]) => r.sizes.some((s) => s.workingDay.ticksByWork[k]));
  const lines = [`| ticks | ${r.sizes.map((s) => `${int(s.leads)} leads`).join(' | ')} |`, `|---|${r.sizes.map(() => '--:').join('|')}|`];
  for (const [k, label] of present) {
    lines.push(`| ${label} | ${r.sizes.map((s) => { const g = s.workingDay.ticksByWork[k]; return g ? `${g.count} × → ${minutes(g.ms)} min` : '—'; }).join(' | ')} |`);
  }
  lines.push(`| **all ${r.model.ticksPerDay} ticks (trigger runtime)** | ${r.sizes.map((s) => `**${minutes(s.workingDay.triggerMs)} min**`).join(' | ')} |`);
  const e = (s: SizeResult, k: keyof WorkingDay['edits']) => { const x = s.workingDay.edits[k]; return `${x.count} × max ${seconds(x.maxMs)} s`; };
  lines.push(`| *not counted:* onEdit of one cell | ${r.sizes.map((s) => e(s, 'leadCell')).join(' | ')} |`);
  lines.push(`| *not counted:* onEdit of a 50-row paste | ${r.sizes.map((s) => e(s, 'leadPaste')).join(' | ')} |`);
  lines.push(`| *not counted:* onEdit of a log entry | ${r.sizes.map((s) => e(s, 'logEntry')).join(' | ')} |`);
  return lines.join('\n');
}

/** Modelled seconds and headroom of every job at every size, side by side. */
function summaryTable(r: BenchResults): string {
  const head = `| job (limit) | ${r.sizes.map((s) => `${int(s.leads)} leads`).join(' | ')} |`;
  const lines = [head, `|---|${r.sizes.map(() => '--:').join('|')}|`];
  const ids = [...new Set(r.sizes.flatMap((s) => s.jobs.filter(isRun).map((j) => j.id)))];
  for (const id of ids) {
    const any = r.sizes.map((s) => job(s, id)).find(Boolean)!;
    const cells = r.sizes.map((s) => {
      const x = job(s, id);
      return x ? `${seconds(x.modelledMs)} s · ${percent(1 - x.headroom)}${x.killed ? ' ✖' : ''}` : '—';
    });
    lines.push(`| ${any.label} (${limitText(any)}) | ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}

function sizeTable(s: SizeResult): string {
  const lines = [
    '| job | calls | Range reads/writes | other calls | cells read | cells written | Node CPU, ms | modelled, s | limit | share of limit |',
    '|---|--:|--:|--:|--:|--:|--:|--:|:-:|--:|',
  ];
  for (const j of s.jobs) {
    const label = j.label.replace(/^\s+/, '↳ ');
    lines.push(`| ${label} | ${int(j.calls.total)} | ${int(j.calls.rangeIo)} | ${int(j.calls.other)} | ${int(j.cellsRead)} | ${int(j.cellsWritten)} | ${int(j.cpuMs)} | ${seconds(j.modelledMs)} | ${limitText(j)} | ${percent(1 - j.headroom)} |`);
  }
  return lines.join('\n');
}

function pureTable(r: BenchResults): string {
  const keys = Object.keys(r.sizes[0].pure.parts);
  const lines = [`| leads | ${keys.join(' | ')} | total |`, `|--:|${keys.map(() => '--:').join('|')}|--:|`];
  for (const s of r.sizes) lines.push(`| ${int(s.pure.rows)} | ${keys.map((k) => int(s.pure.parts[k])).join(' | ')} | ${int(s.pure.totalMs)} |`);
  return lines.join('\n');
}

export function markdownReport(r: BenchResults): string {
  const out: string[] = [];
  out.push(`Model: the emulator's per-call latency (\`${r.model.latency}\`: 7 ms for an ordinary call, measured figures for the slow kinds — `
    + 'e.g. 30 ms to read and 62 ms to write a property, 610 ms for a flush; hundreds of ms for opening another file, sharing and mail) '
    + `plus 31 µs per cell read or written. Measured with \`npm run bench\` (seed ${r.environment.seed}, day ${r.environment.day}) `
    + `on ${r.environment.cpu} ×${r.environment.cores}, Node ${r.environment.node}.`);
  out.push('');
  out.push(overviewTable(r));
  out.push('');
  out.push('**Which runs count against the daily trigger runtime.** Google\'s quota "Triggers total runtime" is '
    + '90 min / day for a consumer account and 6 h / day for Workspace ([quotas](https://developers.google.com/apps-script/guides/services/quotas)); '
    + 'when it is used up, every trigger of the owner stops for the rest of the 24 hours, the emails included. '
    + 'It counts the runs of **installable triggers** — here the 5-minute tick (`onTick`), which does the 06:00 maintenance, '
    + 'the emails and the «Воронка» redraws. **Simple triggers** (`onEdit`, `onOpen`: 30 s each) and **menu items** '
    + '(6 min each) run as the person who edits or clicks and are not trigger runs, so they are measured against '
    + 'their own limits but not counted in the day\'s total (the emulator counts the same way).');
  out.push('');
  out.push('The working day, per size: where the trigger runtime goes (count × → total):');
  out.push('');
  out.push(dayTable(r));
  out.push('');
  out.push('Modelled Apps Script time of each run · share of its limit used (onEdit: 30 s, anything else: 6 min):');
  out.push('');
  out.push(summaryTable(r));
  out.push('');
  out.push('Pure computation, Node CPU ms over the whole sheet (esbuild bundle as shipped, fresh process, fastest of 5 runs):');
  out.push('');
  out.push(pureTable(r));
  out.push('');
  out.push('SPEC §6 targets:');
  out.push('');
  for (const c of r.checks) out.push(`- ${c.met ? '✅' : '❌'} ${c.target}: ${c.detail}`);
  for (const s of r.sizes) {
    out.push('');
    out.push(`<details><summary>${int(s.leads)} leads — every job (secretary log ${int(s.sizes.secretaryRows)} rows, «Звонки» ${int(s.sizes.callsRows)}, «Счета» ${int(s.sizes.invoiceRows)}, «Аффилейты» ${int(s.sizes.masterRows)}; ${int(s.cells)} cells)</summary>`);
    out.push('');
    out.push(sizeTable(s));
    out.push('');
    out.push(`Ticks that did something: ${s.workingDay.busyTicks.map((x) => `${x.at} ${x.work} ${seconds(x.ms)} s`).join(' · ')}.`);
    out.push('');
    out.push('</details>');
  }
  return out.join('\n');
}
