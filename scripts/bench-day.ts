// The benchmark's working day (issue 16): what the team does between the 5-minute ticks, as a list of
// timed events drawn from a seed. Managers edit «Аналитика» cell by cell and paste new leads, the
// secretary logs contacts, the head of sales logs calls, invoices and payments; the menu runs and the
// single jobs the benchmark times on their own sit at quiet moments. Which cell an edit hits is decided
// when it happens (scripts/bench.ts), from the sheet as it is then.
import { dice } from './bench-data';

export type DayEventKind =
  /** A manager types one cell of an open lead (a stage, «Последний контакт» or a note). */
  | 'leadCell'
  /** A manager pastes a block of new leads under the last row. */
  | 'leadPaste'
  /** The secretary logs one contact (one row of «Отчёт секретаря»). */
  | 'secretaryRow'
  /** The head of sales logs a manager's calls of the day (one row of «Звонки»). */
  | 'callsRow'
  /** The head of sales logs a new invoice (one row of «Счета»). */
  | 'invoiceRow'
  /** The head of sales enters a payment on an earlier invoice (date and amount). */
  | 'invoicePayment'
  /** One of the benchmark's single measurements (menu runs, the 500-row paste, the edited cell). */
  | 'job';

export interface DayEvent {
  /** Minutes after Moscow midnight; an event never shares a minute with a tick (those run at :00, :05 …). */
  minute: number;
  kind: DayEventKind;
  /** Who does it (a manager's name, «секретарь», «РОП»). */
  actor: string;
  /** For 'job': which measurement. */
  job?: string;
}

/** Issue 16's working day: at least 5 managers × 40 single-cell edits and 5 pastes of 50 rows. */
export const DAY_MANAGERS = 5;
export const CELL_EDITS_PER_MANAGER = 40;
export const PASTE_ROWS_PER_MANAGER = 50;
export const SECRETARY_ENTRIES = 40;
export const NEW_INVOICES = 10;
export const PAYMENTS = 5;

/** The single measurements and when they run (HH:MM, Moscow): before the team starts, and after 19:45. */
export const JOB_TIMES: ReadonlyArray<readonly [string, string]> = [
  ['setup', '05:31'], ['editCell', '05:36'], ['editPaste', '05:37'], ['recalc', '05:41'],
  // A manager's edit while a job holds the lock: the 14:25 tick recalculates its row (in an hour whose
  // «Воронка» redraw the other edits already call for, so the figure is the recalculation's own).
  ['editDeferred', '14:21'],
  ['sweepMenu', '20:06'], ['funnelMenu', '20:07'], ['partnersMenu', '20:08'],
];

const minuteOf = (hhmm: string) => {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
};

/** A minute in [from, to) that is not a tick's minute. */
function offTick(d: ReturnType<typeof dice>, from: string, to: string): number {
  for (;;) {
    const m = d.int(minuteOf(from), minuteOf(to) - 1);
    if (m % 5 !== 0) return m;
  }
}

/** The day's events, in time order (ties keep the order drawn). */
export function workingDayEvents(managers: readonly string[], seed: number): DayEvent[] {
  const d = dice(seed + 500);
  const events: DayEvent[] = [];
  for (const [job, at] of JOB_TIMES) events.push({ minute: minuteOf(at), kind: 'job', actor: 'bench', job });
  for (const manager of managers.slice(0, DAY_MANAGERS)) {
    for (let i = 0; i < CELL_EDITS_PER_MANAGER; i++) events.push({ minute: offTick(d, '09:00', '19:00'), kind: 'leadCell', actor: manager });
    events.push({ minute: offTick(d, '09:30', '18:30'), kind: 'leadPaste', actor: manager });
  }
  for (let i = 0; i < SECRETARY_ENTRIES; i++) events.push({ minute: offTick(d, '09:00', '18:00'), kind: 'secretaryRow', actor: 'секретарь' });
  // «Звонки» by 19:30 (the 19:45 email names whoever has not filled in).
  for (const manager of managers.slice(0, DAY_MANAGERS)) events.push({ minute: offTick(d, '18:30', '19:30'), kind: 'callsRow', actor: manager });
  for (let i = 0; i < NEW_INVOICES; i++) events.push({ minute: offTick(d, '10:00', '19:00'), kind: 'invoiceRow', actor: 'РОП' });
  // Payments on earlier invoices are entered by 10:00 (SPEC §3.4).
  for (let i = 0; i < PAYMENTS; i++) events.push({ minute: offTick(d, '09:00', '10:00'), kind: 'invoicePayment', actor: 'РОП' });
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.minute - b.e.minute || a.i - b.i).map(({ e }) => e);
}

export const hhmm = (minute: number) => `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
