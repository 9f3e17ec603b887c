// Which kind of execution is running now, as whom, and for how long (in modelled Apps Script time).
// UI availability, the active and effective user, authorization mode and lock ownership depend on it.
import type { AccountKind } from '../context';

/**
 * 'menu': a menu item or dialog callback, run as the person who clicks (FULL authorization).
 * 'simpleTrigger': onOpen / onEdit, run as the person at the keyboard in LIMITED mode, 30 s.
 * 'installableTrigger': run as the user who created the trigger (FULL), 6 min.
 * 'local': a function run from the script editor by the default user (FULL), 6 min.
 * https://developers.google.com/apps-script/guides/triggers#restrictions ,
 * https://developers.google.com/apps-script/guides/triggers/installable#restrictions
 */
export type ExecutionKind = 'menu' | 'simpleTrigger' | 'installableTrigger' | 'local';
export type TriggerOrigin = 'CLOCK' | 'SPREADSHEETS';

/** "Script runtime: 6 min / execution"; simple triggers "cannot run for longer than 30 seconds".
 *  https://developers.google.com/apps-script/guides/services/quotas , https://developers.google.com/apps-script/guides/triggers#restrictions */
export const EXECUTION_LIMIT_MS = 6 * 60_000;
export const SIMPLE_TRIGGER_LIMIT_MS = 30_000;
/** "Triggers total runtime: 90 min / day" (consumer) and "6 hr / day" (Workspace), same quota page. */
export const DAILY_TRIGGER_RUNTIME_MS: Record<AccountKind, number> = { consumer: 90 * 60_000, workspace: 6 * 3_600_000 };
/** "Quotas are per user and reset 24 hours after the first request" (same page). */
export const QUOTA_WINDOW_MS = 24 * 3_600_000;

export const EXECUTION_ERRORS = {
  timeLimit: 'Exceeded maximum execution time',
  dailyRuntime: 'Service using too much computer time for one day',
} as const;

export interface ExecutionInfo {
  kind: ExecutionKind;
  /** For installable triggers: a time-driven (CLOCK) or spreadsheet (SPREADSHEETS) trigger. */
  origin: TriggerOrigin | null;
  startedAt: number;
  /** Serial number of the execution, so a lock can tell this execution from an earlier one. */
  id: number;
  /** The person at the keyboard (menu, simple trigger) or the trigger's creator. */
  user: string;
  /** Modelled Apps Script time spent so far (ms). */
  elapsedMs: number;
  /** Once set, every further service call throws it: Google ends the execution, code cannot catch its way on. */
  killedWith: string | null;
}

interface RuntimeWindow { start: number; usedMs: number }

export class ExecutionState {
  private serial = 0;
  current: ExecutionInfo;
  /** Daily trigger runtime per trigger owner (installable triggers only). */
  readonly triggerRuntime = new Map<string, RuntimeWindow>();

  constructor(now: number, user = '') {
    this.current = { kind: 'local', origin: null, startedAt: now, id: 0, user, elapsedMs: 0, killedWith: null };
  }

  begin(kind: ExecutionKind, now: number, origin: TriggerOrigin | null = null, user = ''): ExecutionInfo {
    this.current = {
      kind,
      origin: kind === 'installableTrigger' ? (origin ?? 'CLOCK') : kind === 'simpleTrigger' ? 'SPREADSHEETS' : null,
      startedAt: now,
      id: ++this.serial,
      user,
      elapsedMs: 0,
      killedWith: null,
    };
    return this.current;
  }

  /** Executions started by a trigger cannot open dialogs or alerts. */
  get isTrigger(): boolean {
    return this.current.kind === 'simpleTrigger' || this.current.kind === 'installableTrigger';
  }

  get isTimeDriven(): boolean {
    return this.current.kind === 'installableTrigger' && this.current.origin === 'CLOCK';
  }

  get limitMs(): number {
    return this.current.kind === 'simpleTrigger' ? SIMPLE_TRIGGER_LIMIT_MS : EXECUTION_LIMIT_MS;
  }

  /** Trigger runtime the owner has used in the current 24-hour window. */
  runtimeUsed(owner: string, now: number): number {
    const w = this.triggerRuntime.get(owner.toLowerCase());
    return w && now - w.start < QUOTA_WINDOW_MS ? w.usedMs : 0;
  }

  /**
   * Time the running execution has used: modelled service time plus virtual time that passed while it
   * ran (Utilities.sleep, waiting for a lock) — both count against the limit on Google.
   */
  elapsed(now: number): number {
    // 'local' stands for the harness's own time line (tests travel in time between calls), not one run.
    if (this.current.kind === 'local') return this.current.elapsedMs;
    return this.current.elapsedMs + Math.max(0, now - this.current.startedAt);
  }

  /** The execution ends: virtual time it waited is charged to the trigger owner's daily runtime too. */
  finish(now: number): void {
    const waited = Math.max(0, now - this.current.startedAt);
    if (waited > 0 && this.current.kind === 'installableTrigger') this.spend(waited, now);
  }

  /** Adds modelled time to the running execution (and to its owner's daily trigger runtime). */
  spend(ms: number, now: number): void {
    this.current.elapsedMs += ms;
    if (this.current.kind !== 'installableTrigger') return;
    const owner = this.current.user.toLowerCase();
    const w = this.triggerRuntime.get(owner);
    if (!w || now - w.start >= QUOTA_WINDOW_MS) this.triggerRuntime.set(owner, { start: now, usedMs: ms });
    else w.usedMs += ms;
  }
}
