// The cost model of the benchmark: how long a job would take in Apps Script, from what the emulator
// counted. There is one model: the emulator's own (emulator/services/latency.ts, each constant cited
// there), which also runs executions out of their 6 minutes and owners out of their daily trigger
// runtime. The benchmark only prices the calls the recorder counted with the same function, so a
// figure here is exactly the time the emulator charged.
import { callLatencyMs, MS_PER_CELL } from '../emulator/services/latency';
import { DAILY_TRIGGER_RUNTIME_MS, EXECUTION_LIMIT_MS, SIMPLE_TRIGGER_LIMIT_MS } from '../emulator/services/execution';

export { callLatencyMs, DAILY_TRIGGER_RUNTIME_MS, EXECUTION_LIMIT_MS, MS_PER_CELL, SIMPLE_TRIGGER_LIMIT_MS };

/** SPEC §6: a working day at 100,000 leads uses at most this much daily trigger runtime. */
export const WORKING_DAY_TARGET_MS = 30 * 60_000;
/** SPEC §6: every job at the largest size keeps at least this share of its limit free. */
export const JOB_HEADROOM_TARGET = 0.5;
/** SPEC §6: a one-cell onEdit stays under this (modelled). */
export const EDIT_CELL_TARGET_MS = 1_000;
/** SPEC §6: a single-cell onEdit makes at most this many Range reads/writes. */
export const EDIT_RANGE_IO_TARGET = 4;
/** SPEC §6: the 19:45 email at 100,000 leads stays under this (modelled). */
export const EMAIL_1945_TARGET_MS = 10_000;
/** SPEC §6: pure computation for 100,000 leads in Node takes less than this CPU time. */
export const PURE_CPU_TARGET_MS = 500;
/** The size the working-day, 19:45 and pure targets are stated at. */
export const TARGET_LEADS = 100_000;
/** Clock ticks in one day (the schedule's trigger runs every 5 minutes). */
export const TICKS_PER_DAY = 288;

/** Modelled ms of the calls in `byMethod` plus the cells moved: the emulator's charge for them. */
export function modelledMs(byMethod: Readonly<Record<string, number>>, cells: number): number {
  let ms = cells * MS_PER_CELL;
  for (const [method, n] of Object.entries(byMethod)) ms += n * callLatencyMs(method);
  return ms;
}

/** Share of `limitMs` left free (negative when the limit is exceeded). */
export function headroom(ms: number, limitMs: number): number {
  return (limitMs - ms) / limitMs;
}
