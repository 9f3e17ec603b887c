// The cost model of the benchmark: how long a job would take in Apps Script, from what the emulator
// counted. The two constants are the ones SPEC §6 states "from published measurements": about 7 ms of
// round trip per service call, plus about 31 µs per cell a call moves (read or written). They live only
// here; change them here and every figure of `npm run bench` and the README table follows.

/** Modelled cost of one service call (SPEC §6: "about 7 ms per service call … from published measurements"). */
export const MS_PER_CALL = 7;
/** Modelled cost of one cell read or written (SPEC §6: "about 31 µs per cell moved"). */
export const MS_PER_CELL = 0.031;

/** Apps Script's limit for one execution of a script, menu item or installable trigger. */
export const EXECUTION_LIMIT_MS = 6 * 60_000;
/** Apps Script's limit for a simple trigger (onEdit, onOpen). */
export const SIMPLE_TRIGGER_LIMIT_MS = 30_000;

/** SPEC §6: the whole daily cycle at 100,000 leads keeps at least this share of the 6 minutes free. */
export const DAILY_HEADROOM_TARGET = 0.3;
/** SPEC §6: the whole daily cycle at 10,000 leads takes less than this. */
export const DAILY_10K_TARGET_MS = 30_000;
/** SPEC §6: pure computation for 100,000 leads in Node takes less than this CPU time. */
export const PURE_CPU_TARGET_MS = 1_000;
/** SPEC §6: a single-cell onEdit makes at most this many Range reads/writes. */
export const EDIT_RANGE_IO_TARGET = 4;
/** Clock ticks in one day (the schedule's trigger runs every 5 minutes). */
export const TICKS_PER_DAY = 288;

export interface Cost {
  calls: number;
  cellsRead: number;
  cellsWritten: number;
}

export function modelledMs(c: Cost): number {
  return c.calls * MS_PER_CALL + (c.cellsRead + c.cellsWritten) * MS_PER_CELL;
}

/** Share of `limitMs` left free (negative when the limit is exceeded). */
export function headroom(ms: number, limitMs: number): number {
  return (limitMs - ms) / limitMs;
}
