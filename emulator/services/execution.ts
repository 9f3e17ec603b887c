// Which kind of execution is running now. UI availability, the active user and lock ownership depend on it.

export type ExecutionKind = 'menu' | 'simpleTrigger' | 'installableTrigger' | 'local';
export type TriggerOrigin = 'CLOCK' | 'SPREADSHEETS';

export interface ExecutionInfo {
  kind: ExecutionKind;
  /** For installable triggers: a time-driven (CLOCK) or spreadsheet (SPREADSHEETS) trigger. */
  origin: TriggerOrigin | null;
  startedAt: number;
  /** Serial number of the execution, so a lock can tell this execution from an earlier one. */
  id: number;
}

export class ExecutionState {
  private serial = 0;
  current: ExecutionInfo;

  constructor(now: number) {
    this.current = { kind: 'local', origin: null, startedAt: now, id: 0 };
  }

  begin(kind: ExecutionKind, now: number, origin: TriggerOrigin | null = null): ExecutionInfo {
    this.current = {
      kind,
      origin: kind === 'installableTrigger' ? (origin ?? 'CLOCK') : kind === 'simpleTrigger' ? 'SPREADSHEETS' : null,
      startedAt: now,
      id: ++this.serial,
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
}
