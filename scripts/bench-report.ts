// The benchmark's figures as data (bench/results.json) and as markdown (printed by `npm run bench`,
// written into README.md by `npm run bench:readme`), and the SPEC §6 targets checked against them.
import { DAILY_10K_TARGET_MS, DAILY_HEADROOM_TARGET, EDIT_RANGE_IO_TARGET, EXECUTION_LIMIT_MS, PURE_CPU_TARGET_MS } from './bench-model';

export interface JobResult {
  id: string;
  label: string;
  /** Which Apps Script limit applies: 6 min for an execution, 30 s for a simple trigger. */
  limit: 'execution' | 'simpleTrigger';
  calls: { total: number; rangeIo: number; other: number };
  cellsRead: number;
  cellsWritten: number;
  /** Node CPU of the whole job in the emulator (emulation included). */
  cpuMs: number;
  modelledMs: number;
  /** Share of the limit left free. */
  headroom: number;
  byMethod: Record<string, number>;
}

export type { PureTimes as PureResult } from './bench-pure';
import type { PureTimes } from './bench-pure';

export interface SizeResult {
  leads: number;
  sizes: { leads: number; secretaryRows: number; callsRows: number; invoiceRows: number; masterRows: number };
  jobs: JobResult[];
  pure: PureTimes;
}

export interface TargetCheck { target: string; met: boolean; detail: string }

export interface BenchResults {
  model: { msPerCall: number; msPerCell: number; executionLimitMs: number; simpleTriggerLimitMs: number; ticksPerDay: number };
  targets: { dailyHeadroom: number; daily10kMs: number; pureCpuMs: number; editRangeIo: number };
  environment: { node: string; cpu: string; cores: number; seed: number; day: string };
  sizes: SizeResult[];
  checks: TargetCheck[];
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => (ms >= 100_000 ? (ms / 1000).toFixed(0) : ms >= 10_000 ? (ms / 1000).toFixed(1) : (ms / 1000).toFixed(2));
const percent = (x: number) => `${Math.round(x * 100)} %`;
const limitText = (j: JobResult) => (j.limit === 'simpleTrigger' ? '30 s' : '6 min');

function job(size: SizeResult, id: string): JobResult | undefined {
  return size.jobs.find((j) => j.id === id);
}

/** Jobs whose service calls must not depend on the number of rows (everything measured once per day). */
const CONSTANT_CALL_JOBS = ['editCell', 'editPaste', 'recalc', 'tick0600', 'tick1100', 'tick1945', 'tickIdle', 'sweepMenu', 'funnelMenu', 'partnersMenu'];

export function targetChecks(r: BenchResults): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const bySize = new Map(r.sizes.map((s) => [s.leads, s]));
  if (r.sizes.length > 1) {
    const growing: string[] = [];
    for (const id of CONSTANT_CALL_JOBS) {
      const calls = r.sizes.map((s) => job(s, id)?.calls.total ?? 0);
      const io = r.sizes.map((s) => job(s, id)?.calls.rangeIo ?? 0);
      if (new Set(calls).size > 1 || new Set(io).size > 1) growing.push(`${id}: ${calls.join(' / ')} calls, ${io.join(' / ')} Range reads/writes`);
    }
    checks.push({
      target: 'Service calls per job do not grow with rows',
      met: growing.length === 0,
      detail: growing.length === 0 ? `same calls at ${r.sizes.map((s) => int(s.leads)).join(', ')} leads` : growing.join('; '),
    });
  }
  const edits = r.sizes.map((s) => job(s, 'editCell')!);
  checks.push({
    target: `onEdit of one cell ≤ ${EDIT_RANGE_IO_TARGET} Range reads/writes`,
    met: edits.every((e) => e.calls.rangeIo <= EDIT_RANGE_IO_TARGET),
    detail: edits.map((e, i) => `${e.calls.rangeIo} at ${int(r.sizes[i].leads)}`).join(', '),
  });
  const over = r.sizes.flatMap((s) => s.jobs.filter((j) => j.id !== 'daily' && j.headroom < 0).map((j) => `${j.label} at ${int(s.leads)}: ${seconds(j.modelledMs)} s`));
  checks.push({
    target: 'Every single run within its limit (onEdit 30 s, anything else 6 min)',
    met: over.length === 0,
    detail: over.length === 0 ? 'all within' : over.join('; '),
  });
  const big = bySize.get(100_000);
  if (big) {
    const daily = job(big, 'daily')!;
    checks.push({
      target: `Daily cycle at 100,000 leads within 6 min with ≥ ${percent(DAILY_HEADROOM_TARGET)} headroom`,
      met: daily.headroom >= DAILY_HEADROOM_TARGET,
      detail: `${seconds(daily.modelledMs)} s of ${EXECUTION_LIMIT_MS / 1000} s, headroom ${percent(daily.headroom)}`,
    });
    checks.push({
      target: `Pure computation for 100,000 leads < ${PURE_CPU_TARGET_MS / 1000} s CPU`,
      met: big.pure.totalMs < PURE_CPU_TARGET_MS,
      detail: `${int(big.pure.totalMs)} ms (${Object.entries(big.pure.parts).map(([k, v]) => `${k} ${int(v)}`).join(', ')})`,
    });
  }
  const ten = bySize.get(10_000);
  if (ten) {
    const daily = job(ten, 'daily')!;
    checks.push({
      target: `Daily cycle at 10,000 leads < ${DAILY_10K_TARGET_MS / 1000} s`,
      met: daily.modelledMs < DAILY_10K_TARGET_MS,
      detail: `${seconds(daily.modelledMs)} s`,
    });
  }
  return checks;
}

function sizeTable(s: SizeResult): string {
  const lines = [
    '| job | calls | Range reads/writes | other calls | cells read | cells written | Node CPU, ms | modelled, s | limit | headroom |',
    '|---|--:|--:|--:|--:|--:|--:|--:|:-:|--:|',
  ];
  for (const j of s.jobs) {
    const label = j.id === 'daily' ? `**${j.label}**` : j.label.replace(/^\s+/, '↳ ');
    lines.push(`| ${label} | ${int(j.calls.total)} | ${int(j.calls.rangeIo)} | ${int(j.calls.other)} | ${int(j.cellsRead)} | ${int(j.cellsWritten)} | ${int(j.cpuMs)} | ${seconds(j.modelledMs)} | ${limitText(j)} | ${percent(j.headroom)} |`);
  }
  return lines.join('\n');
}

/** Modelled seconds (and calls) of every job at every size, side by side. */
function summaryTable(r: BenchResults): string {
  const head = `| job | ${r.sizes.map((s) => `${int(s.leads)} leads`).join(' | ')} |`;
  const lines = [head, `|---|${r.sizes.map(() => '--:').join('|')}|`];
  for (const j of r.sizes[0].jobs) {
    if (j.id.startsWith('tick:')) continue;
    const cells = r.sizes.map((s) => {
      const x = job(s, j.id);
      return x ? `${seconds(x.modelledMs)} s · ${int(x.calls.total)} calls · ${percent(x.headroom)}` : '—';
    });
    lines.push(`| ${j.id === 'daily' ? `**${j.label}**` : j.label} | ${cells.join(' | ')} |`);
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
  out.push(`Model: ${r.model.msPerCall} ms per service call + ${r.model.msPerCell * 1000} µs per cell read or written (SPEC §6). `
    + `Measured with \`npm run bench\` (seed ${r.environment.seed}, day ${r.environment.day}) on ${r.environment.cpu} ×${r.environment.cores}, Node ${r.environment.node}.`);
  out.push('');
  out.push('Modelled Apps Script time · service calls · headroom under the limit (onEdit: 30 s, anything else: 6 min):');
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
    out.push(`<details><summary>${int(s.leads)} leads — every job (secretary log ${int(s.sizes.secretaryRows)} rows, «Звонки» ${int(s.sizes.callsRows)}, «Счета» ${int(s.sizes.invoiceRows)}, «Аффилейты» ${int(s.sizes.masterRows)})</summary>`);
    out.push('');
    out.push(sizeTable(s));
    out.push('');
    out.push('</details>');
  }
  return out.join('\n');
}
